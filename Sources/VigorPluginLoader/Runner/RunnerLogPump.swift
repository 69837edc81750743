import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// Relays a runner process's stderr to the host's logger, one log record per line, with the
/// plugin's name (the logger's `plugin` metadata) and the runner's pid.
///
/// The runner logs with swift-log's stream handler (`<timestamp> <level> <label> : ...`); a
/// line in that shape keeps its level, anything else the plugin printed is logged at `notice`.
final class RunnerLogPump: Sendable {
    /// The longest line relayed; longer output is cut into pieces of this size.
    static let maxLine = 16 << 10

    private let logger: Mutex<Logger>

    private init(logger: Logger) { self.logger = Mutex(logger) }

    /// Names the plugin in the lines to come (once the runner has said which plugin it serves).
    func name(_ plugin: String) {
        logger.withLock { $0[metadataKey: "plugin"] = "\(plugin)" }
    }

    /// Reads `fd` on a thread of its own until the runner closes it, then closes it.
    static func start(fd: Int32, pid: pid_t, logger: Logger) -> RunnerLogPump {
        var logger = logger
        logger[metadataKey: "pid"] = "\(pid)"
        let pump = RunnerLogPump(logger: logger)
        let thread = Thread {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                pending += buffer[0..<count]
                while true {
                    if let newline = pending.firstIndex(of: 10) {
                        emit(pending[..<newline], to: pump.logger.withLock { $0 })
                        pending.removeSubrange(...newline)
                    } else if pending.count >= maxLine {
                        emit(pending[..<maxLine], to: pump.logger.withLock { $0 })
                        pending.removeSubrange(..<maxLine)
                    } else {
                        break
                    }
                }
            }
            if !pending.isEmpty { emit(pending[...], to: pump.logger.withLock { $0 }) }
            close(fd)
        }
        thread.name = "vigor-runner-log"
        thread.start()
        return pump
    }

    static func emit(_ bytes: ArraySlice<UInt8>, to logger: Logger) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.isEmpty else { return }
        let (level, message) = parse(line)
        logger.log(level: level, "\(message)")
    }

    /// The level and message of one stderr line.
    static func parse(_ line: String) -> (Logger.Level, String) {
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        if words.count == 3, words[0].contains("T"), let level = Logger.Level(rawValue: String(words[1])) {
            return (level, String(words[2]))
        }
        return (.notice, line)
    }
}
