import Foundation
import Synchronization

@testable import VigorHost

/// A real `vigor serve` child process for tests of the operator's path. The test awaits its
/// log lines as events ("vigor is serving" once it listens) instead of polling `/health`.
final class ServeProcess: Sendable {
    let process: Process
    let port: Int
    private let log: LogLines

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    /// Every line the server has logged so far.
    var lines: [String] { log.all }

    private init(process: Process, port: Int, log: LogLines) {
        self.process = process
        self.port = port
        self.log = log
    }

    /// Starts `vigor serve` on a free loopback port with a clean environment (no provider keys,
    /// no `VIGOR_`/`NIO_` settings from the caller) and returns once it listens. A port taken
    /// between choosing and binding it (another test) makes the server exit: it is started
    /// again on another port. `launcher` runs it through a wrapper such as `taskset`.
    static func start(
        database: String, plugins: String, port fixed: Int? = nil, environment extra: [String: String] = [:],
        arguments: [String] = [], launcher: [String] = []
    ) async throws -> ServeProcess {
        var failure = ""
        for _ in 0..<3 {
            let port = fixed ?? RawHTTPConnection.freePort()
            let process = Process()
            let vigor = PluginHost.builtProducts.appendingPathComponent("vigor").path
            let serve = ["serve", "--host", "127.0.0.1", "--port", String(port), "--database", database, "--plugins", plugins] + arguments
            process.executableURL = URL(fileURLWithPath: launcher.first ?? vigor)
            process.arguments = launcher.isEmpty ? serve : Array(launcher.dropFirst()) + [vigor] + serve
            var environment = ProcessInfo.processInfo.environment
            for name in environment.keys where name.hasSuffix("_API_KEY") || name.hasPrefix("VIGOR_") || name.hasPrefix("NIO_") {
                environment[name] = nil
            }
            environment["VIGOR_JWT_SECRET"] = "durability-secret-0123456789-0123456789-abcdef"
            // Info: the "vigor is serving" line says it listens, and shutdown steps are logged.
            environment["VIGOR_LOG_LEVEL"] = "info"
            environment.merge(extra) { $1 }
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = pipe
            let log = LogLines()
            process.terminationHandler = { _ in log.exited() }
            try process.run()
            log.read(pipe.fileHandleForReading)
            if let serving = await log.first(containing: "vigor is serving"), boundPort(serving) == port {
                return ServeProcess(process: process, port: port, log: log)
            }
            if process.isRunning { process.terminate() }
            await log.untilExit()
            failure = log.all.suffix(20).joined(separator: "\n")
            if fixed != nil { break }
        }
        throw RawHTTPError("vigor serve did not start:\n\(failure)")
    }

    /// Runs `body` with a started server, then stops it with SIGTERM and awaits its exit,
    /// however `body` ends.
    static func with<T>(
        database: String, plugins: String, environment: [String: String] = [:], arguments: [String] = [], launcher: [String] = [],
        _ body: (ServeProcess) async throws -> T
    ) async throws -> T {
        let server = try await start(
            database: database, plugins: plugins, environment: environment, arguments: arguments, launcher: launcher)
        do {
            let value = try await body(server)
            await server.stop()
            return value
        } catch {
            await server.stop()
            throw error
        }
    }

    /// The port in a log line's `address=[IPv4]127.0.0.1/127.0.0.1:PORT`.
    static func boundPort(_ line: String) -> Int? {
        guard let address = line.range(of: "address=") else { return nil }
        let field = line[address.upperBound...].prefix { $0 != " " }
        guard let colon = field.lastIndex(of: ":") else { return nil }
        return Int(field[field.index(after: colon)...]).flatMap { $0 > 0 ? $0 : nil }
    }

    /// The first logged line containing `text`, awaited; nil if the server exits first.
    func firstLine(containing text: String) async -> String? {
        await log.first(containing: text)
    }

    /// Returns once the process has exited.
    func waitForExit() async {
        await log.untilExit()
    }

    /// Sends `signal` and awaits the process's exit; returns its termination status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) async -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        await log.untilExit()
        return process.terminationStatus
    }
}

/// A child's log, read line by line on a thread of its own; waiters are resumed by the reader.
private final class LogLines: Sendable {
    private struct Waiter {
        let text: String?
        let continuation: CheckedContinuation<String?, Never>
    }

    private struct State {
        var lines: [String] = []
        var ended = false
        var exited = false
        var waiters: [Waiter] = []
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var all: [String] { state.withLock { $0.lines } }

    /// Reads `handle` to its end on a dedicated thread (a blocking read must not hold one of
    /// the cooperative pool's threads).
    func read(_ handle: FileHandle) {
        Thread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending = Data(pending[pending.index(after: newline)...])
                }
            }
            if !pending.isEmpty { append(String(decoding: pending, as: UTF8.self)) }
            let waiters = state.withLock { s -> [Waiter] in
                s.ended = true
                defer { s.waiters.removeAll() }
                return s.waiters
            }
            for waiter in waiters { waiter.continuation.resume(returning: nil) }
        }.start()
    }

    private func append(_ line: String) {
        let ready = state.withLock { s -> [Waiter] in
            s.lines.append(line)
            let ready = s.waiters.filter { $0.text.map(line.contains) ?? false }
            s.waiters.removeAll { $0.text.map(line.contains) ?? false }
            return ready
        }
        for waiter in ready { waiter.continuation.resume(returning: line) }
    }

    func first(containing text: String) async -> String? {
        await withCheckedContinuation { continuation in
            let found = state.withLock { s -> String?? in
                if let line = s.lines.first(where: { $0.contains(text) }) { return .some(line) }
                if s.ended { return .some(nil) }
                s.waiters.append(Waiter(text: text, continuation: continuation))
                return nil
            }
            if let found { continuation.resume(returning: found) }
        }
    }

    func exited() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.exited = true
            defer { s.exitWaiters.removeAll() }
            return s.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func untilExit() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { s -> Bool in
                if s.exited { return true }
                s.exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
