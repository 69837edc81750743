import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The log handler `vigor serve` installs: the same lines as swift-log's `StreamLogHandler`
/// on standard error (`2026-12-04T06:00:00+0000 info vigor: key=value … [Module] message`,
/// metadata keys in sorted order), written for less.
///
/// `StreamLogHandler` renders its own metadata every time a key is set (the request id is set
/// on every request, whether or not anything is logged), merges dictionaries and sorts them on
/// every line, formats the time with `strftime` on every line and builds the line through
/// several intermediate strings. This handler renders metadata only when a line is written,
/// formats the time once a second, and writes each line with one `write(2)` from one byte
/// buffer. ``logRequest(method:path:status:durationMs:)`` writes the per-request access line
/// without building a metadata dictionary at all.
public struct VigorLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let fileDescriptor: Int32

    /// A handler writing to standard error.
    /// - Parameters:
    ///   - label: the logger's label, printed on every line.
    ///   - level: the lowest level written.
    ///   - metadataProvider: metadata added to every line (the global provider by default).
    public init(label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.init(label: label, level: level, metadataProvider: metadataProvider, fileDescriptor: 2)
    }

    init(label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider?, fileDescriptor: Int32) {
        self.label = label
        self.logLevel = level
        self.metadata = [:]
        self.metadataProvider = metadataProvider
        self.fileDescriptor = fileDescriptor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var pairs = Self.pairs(of: metadata)
        if let provided = metadataProvider?.get() { Self.merge(provided, into: &pairs) }
        if let explicit = event.metadata { Self.merge(explicit, into: &pairs) }
        if let error = event.error {
            Self.merge(["error.message": "\(error)", "error.type": "\(String(reflecting: type(of: error)))"], into: &pairs)
        }
        pairs.sort { $0.key < $1.key }
        var line = beginLine(level: event.level)
        for pair in pairs { Self.append(key: pair.key, value: pair.value, to: &line) }
        finishLine(&line, source: event.source, message: "\(event.message)")
    }

    /// Writes the access line for one served request, exactly as
    /// `logger.info("request", metadata: ["method", "path", "status", "duration_ms"])` would,
    /// without the metadata dictionary.
    func logRequest(method: String, path: String, status: Int, durationMs: UInt64) {
        guard logLevel <= .info else { return }
        var pairs = Self.pairs(of: metadata)
        if let provided = metadataProvider?.get() { Self.merge(provided, into: &pairs) }
        // The request's fields win over the logger's own, as explicit metadata does.
        pairs.removeAll { $0.key == "duration_ms" || $0.key == "method" || $0.key == "path" || $0.key == "status" }
        pairs.append(("duration_ms", .string(String(durationMs))))
        pairs.append(("method", .string(method)))
        pairs.append(("path", .string(path)))
        pairs.append(("status", .string(String(status))))
        pairs.sort { $0.key < $1.key }
        var line = beginLine(level: .info)
        for pair in pairs { Self.append(key: pair.key, value: pair.value, to: &line) }
        finishLine(&line, source: "VigorHost", message: "request")
    }

    // MARK: - Rendering

    private static func pairs(of metadata: Logger.Metadata) -> [(key: String, value: Logger.MetadataValue)] {
        var pairs: [(key: String, value: Logger.MetadataValue)] = []
        pairs.reserveCapacity(metadata.count + 4)
        for (key, value) in metadata { pairs.append((key, value)) }
        return pairs
    }

    /// Later metadata wins over earlier for the same key (as in `StreamLogHandler`).
    private static func merge(_ metadata: Logger.Metadata, into pairs: inout [(key: String, value: Logger.MetadataValue)]) {
        for (key, value) in metadata {
            if let index = pairs.firstIndex(where: { $0.key == key }) {
                pairs[index].value = value
            } else {
                pairs.append((key, value))
            }
        }
    }

    private func beginLine(level: Logger.Level) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        LogClock.shared.appendTimestamp(to: &line)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: level.rawValue.utf8)
        if !label.isEmpty {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: label.utf8)
        }
        line.append(UInt8(ascii: ":"))
        return line
    }

    private func finishLine(_ line: inout [UInt8], source: String, message: String) {
        line.append(contentsOf: " [".utf8)
        line.append(contentsOf: source.utf8)
        line.append(contentsOf: "] ".utf8)
        line.append(contentsOf: message.utf8)
        line.append(UInt8(ascii: "\n"))
        Self.write(line, to: fileDescriptor)
    }

    private static func append(key: String, value: Logger.MetadataValue, to line: inout [UInt8]) {
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: key.utf8)
        line.append(UInt8(ascii: "="))
        switch value {
        case .string(let text): line.append(contentsOf: text.utf8)
        default: line.append(contentsOf: value.description.utf8)
        }
    }

    /// One `write(2)` for the whole line (more only if the kernel takes part of it).
    private static func write(_ bytes: [UInt8], to fileDescriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            guard var base = buffer.baseAddress else { return }
            var left = buffer.count
            while left > 0 {
                let written = systemWrite(fileDescriptor, base, left)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                left -= written
                base += written
            }
        }
    }
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
#endif

/// The time stamp of log lines (`%Y-%m-%dT%H:%M:%S%z`, local time), formatted once a second.
final class LogClock: Sendable {
    static let shared = LogClock()

    private let cached = Mutex<(second: Int, text: [UInt8])>((second: -1, text: []))

    func appendTimestamp(to line: inout [UInt8]) {
        let now = time(nil)
        let text = cached.withLock { cache -> [UInt8] in
            if cache.second != now {
                cache = (now, Self.format(now))
            }
            return cache.text
        }
        line.append(contentsOf: text)
    }

    static func format(_ second: time_t) -> [UInt8] {
        var clock = second
        var parts = tm()
        guard localtime_r(&clock, &parts) != nil else { return Array("<unknown>".utf8) }
        var buffer = [Int8](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return buffer.prefix(count).map { UInt8(bitPattern: $0) }
    }
}
