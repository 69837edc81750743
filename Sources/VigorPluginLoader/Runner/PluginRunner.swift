import Foundation
import Logging
import Synchronization
import VigorPluginAPI
import VigorPluginSDK

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// How an isolated plugin's runner process is doing, for the admin listing.
public struct RunnerStatus: Sendable, Hashable, Codable {
    public var pid: Int32?
    /// Times the runner died (crash, hang past a deadline, or kill) and was started again.
    public var restarts: Int
    /// How the last runner ended, e.g. "killed by signal 11 (Segmentation fault)".
    public var lastExit: String?
    public var running: Bool
}

/// The host side of crash isolation: one plugin library served by a `vigor plugin-runner`
/// child process over a pipe. A segfault or abort in the plugin kills only the child; a call
/// that outlives its deadline is answered with a deadline error and, if the plugin still has
/// not answered after a grace period, the child is killed. Either way the calls in flight
/// get an error, the host stays up, logs it, and starts a new runner.
public final class PluginRunner: Sendable {
    public let sourcePath: String
    public let descriptor: PluginDescriptor
    let libraryPath: String
    let executable: String
    let logger: Logger
    let handler: (any HostServiceHandler)?
    let onCrash: (@Sendable (_ plugin: String, _ exit: String) -> Void)?

    /// How long a plugin may stay silent after its deadline before its runner is killed.
    static let hangGraceMs: Int64 = 2_000
    /// The deadline given to calls that have none (stream feeds, conformance calls).
    static let defaultTimeoutMs: Int64 = 60_000

    typealias Waiter = @Sendable (Result<RunnerFrame, PluginCallError>) -> Void

    struct Child: Sendable {
        var pid: pid_t
        var writer: RunnerFrameWriter
        var readFD: Int32
        var generation: Int
    }

    struct State: Sendable {
        var child: Child?
        var generation = 0
        var nextID: UInt64 = 1
        var waiters: [UInt64: Waiter] = [:]
        /// Host call context by message id, for the services the plugin calls back.
        var calls: [UInt64: CallInfo] = [:]
        /// Calls answered with a deadline error that the plugin has not answered yet.
        var abandoned: Set<UInt64> = []
        var openStreams = 0
        var restarts = 0
        var lastExit: String?
        var retiring = false
    }

    private let state = Mutex(State())

    private init(
        sourcePath: String, libraryPath: String, executable: String, descriptor: PluginDescriptor, logger: Logger,
        handler: (any HostServiceHandler)?, onCrash: (@Sendable (_ plugin: String, _ exit: String) -> Void)?
    ) {
        self.sourcePath = sourcePath
        self.libraryPath = libraryPath
        self.executable = executable
        self.descriptor = descriptor
        self.logger = logger
        self.handler = handler
        self.onCrash = onCrash
    }

    /// Starts a runner for the library at `libraryPath` and waits for its descriptor.
    /// A plugin the runner rejects is rejected here with the same code and reason.
    static func launch(
        executable: String, libraryPath: String, sourcePath: String, logger: Logger, handler: (any HostServiceHandler)?,
        onCrash: (@Sendable (_ plugin: String, _ exit: String) -> Void)?
    ) throws(PluginRejection) -> PluginRunner {
        signal(SIGPIPE, SIG_IGN)  // a write to a dead runner must fail, not kill the host
        let (child, reader, descriptor) = try spawn(executable: executable, libraryPath: libraryPath, sourcePath: sourcePath, generation: 0)
        let runner = PluginRunner(
            sourcePath: sourcePath, libraryPath: libraryPath, executable: executable, descriptor: descriptor, logger: logger,
            handler: handler, onCrash: onCrash)
        runner.state.withLock { $0.child = child }
        runner.startSupervisor(child: child, reader: reader)
        return runner
    }

    public var status: RunnerStatus {
        state.withLock { RunnerStatus(pid: $0.child?.pid, restarts: $0.restarts, lastExit: $0.lastExit, running: $0.child != nil) }
    }

    /// Stops the runner once its calls and streams in flight have finished (a newer version
    /// of the plugin took its place). Unlike `dlclose`, this really unloads the old code.
    public func retire() {
        let writer = state.withLock { s -> RunnerFrameWriter? in
            s.retiring = true
            return s.waiters.isEmpty && s.openStreams == 0 ? s.child?.writer : nil
        }
        writer?.close()
    }

    // MARK: Calls

    /// Calls `on_invoke` in the runner and blocks this thread for the answer.
    func invoke(component: String, op: String, input: [UInt8], deadlineMs: Int64?, info: CallInfo?) -> Result<[UInt8], PluginCallError> {
        Self.unwrap(requestBlocking(.invoke, fields: [component, op, input, deadlineMs ?? 0], info: info, deadlineMs: deadlineMs))
    }

    /// Calls `on_invoke` in the runner without blocking a thread.
    func invokeAsync(component: String, op: String, input: [UInt8], deadlineMs: Int64?, info: CallInfo?) async -> Result<
        [UInt8], PluginCallError
    > {
        Self.unwrap(await request(.invoke, fields: [component, op, input, deadlineMs ?? 0], info: info, deadlineMs: deadlineMs))
    }

    /// Opens a stream; its id keys the feeds and the close.
    func openStream(component: String, op: String, input: [UInt8]) -> Result<UInt64, PluginCallError> {
        let id = state.withLock { s -> UInt64 in
            defer { s.nextID += 1 }
            return s.nextID
        }
        return Self.unwrap(requestBlocking(.streamOpen, id: id, fields: [component, op, input], info: nil, deadlineMs: nil)).map { _ in
            state.withLock { $0.openStreams += 1 }
            return id
        }
    }

    func streamStep(_ kind: RunnerFrame.Kind, id: UInt64, fields: [any RunnerField]) -> Result<RunnerFrame, PluginCallError> {
        defer { if kind == .streamClose { streamClosed() } }
        return requestBlocking(kind, id: id, fields: fields, info: nil, deadlineMs: nil)
    }

    func streamStepAsync(_ kind: RunnerFrame.Kind, id: UInt64, fields: [any RunnerField]) async -> Result<RunnerFrame, PluginCallError> {
        defer { if kind == .streamClose { streamClosed() } }
        return await request(kind, id: id, fields: fields, info: nil, deadlineMs: nil)
    }

    /// Closes a stream its owner dropped without waiting for the plugin's last events.
    func abandonStream(_ id: UInt64) {
        if let writer = state.withLock({ $0.child?.writer }) {
            writer.send(RunnerFrame(.streamClose, id: id, [Array("\(VIGOR_ERR_CANCELLED)".utf8), Array("stream abandoned".utf8)]))
        }
        streamClosed()
    }

    private func streamClosed() {
        let writer = state.withLock { s -> RunnerFrameWriter? in
            s.openStreams = max(0, s.openStreams - 1)
            return s.retiring && s.waiters.isEmpty && s.openStreams == 0 ? s.child?.writer : nil
        }
        writer?.close()
    }

    static func unwrap(_ result: Result<RunnerFrame, PluginCallError>) -> Result<[UInt8], PluginCallError> {
        result.flatMap { frame in
            let status = Int32(frame.int(0) ?? Int64(VIGOR_ERR_INTERNAL))
            guard status == VIGOR_OK else { return .failure(PluginCallError(status: status, message: frame.string(1))) }
            return .success(frame.field(1))
        }
    }

    private func requestBlocking(
        _ kind: RunnerFrame.Kind, id: UInt64? = nil, fields: [any RunnerField], info: CallInfo?, deadlineMs: Int64?
    ) -> Result<RunnerFrame, PluginCallError> {
        let box = Mutex<Result<RunnerFrame, PluginCallError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        start(kind, id: id, fields: fields, info: info, deadlineMs: deadlineMs) { result in
            box.withLock { $0 = result }
            done.signal()
        }
        done.wait()  // every waiter is answered: by the runner, the deadline watchdog, or the runner's death
        return box.withLock { $0 } ?? .failure(PluginCallError(.internal, message: "no answer"))
    }

    private func request(
        _ kind: RunnerFrame.Kind, id: UInt64? = nil, fields: [any RunnerField], info: CallInfo?, deadlineMs: Int64?
    ) async -> Result<RunnerFrame, PluginCallError> {
        await withCheckedContinuation { continuation in
            start(kind, id: id, fields: fields, info: info, deadlineMs: deadlineMs) { continuation.resume(returning: $0) }
        }
    }

    /// Registers `waiter`, sends the frame and arms the deadline watchdog.
    private func start(
        _ kind: RunnerFrame.Kind, id fixedID: UInt64?, fields: [any RunnerField], info: CallInfo?, deadlineMs: Int64?,
        waiter: @escaping Waiter
    ) {
        let registered = state.withLock { s -> (UInt64, Child)? in
            guard let child = s.child else { return nil }
            let id = fixedID ?? s.nextID
            if fixedID == nil { s.nextID += 1 }
            s.waiters[id] = waiter
            if let info { s.calls[id] = info }
            return (id, child)
        }
        guard let (id, child) = registered else {
            let last = status.lastExit.map { " (last exit: \($0))" } ?? ""
            return waiter(
                .failure(PluginCallError(.unavailable, message: "plugin runner for \(sourcePath) is restarting\(last)")))
        }
        child.writer.send(RunnerFrame(kind, id: id, fields.map(\.runnerBytes)))
        let deadline = deadlineMs ?? Self.nowMs() + Self.defaultTimeoutMs
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(max(0, deadline - Self.nowMs())))) { [self] in
            expire(id, child: child)
        }
    }

    /// The deadline passed: answer the caller now, tell the plugin to stop, and kill the
    /// runner if the plugin is still silent after the grace period.
    private func expire(_ id: UInt64, child: Child) {
        let waiter = state.withLock { s -> Waiter? in
            guard let waiter = s.waiters.removeValue(forKey: id) else { return nil }
            s.calls[id] = nil
            s.abandoned.insert(id)
            return waiter
        }
        guard let waiter else { return }
        child.writer.send(RunnerFrame(.cancel, id: id))
        waiter(.failure(PluginCallError(.deadline, message: "plugin did not answer before the deadline")))
        releaseIfRetired()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(Self.hangGraceMs))) { [self] in
            let hung = state.withLock { s in s.abandoned.remove(id) != nil && s.child?.generation == child.generation }
            guard hung else { return }
            logger.error(
                "isolated plugin hung past its deadline; killing its runner", metadata: ["plugin": "\(sourcePath)", "pid": "\(child.pid)"])
            kill(child.pid, SIGKILL)
        }
    }

    private func releaseIfRetired() {
        let writer = state.withLock { s in s.retiring && s.waiters.isEmpty && s.openStreams == 0 ? s.child?.writer : nil }
        writer?.close()
    }

    // MARK: Supervision

    private func startSupervisor(child: Child, reader: RunnerFrameReader) {
        let thread = Thread { [self] in supervise(child: child, reader: reader) }
        thread.name = "vigor-runner-\((sourcePath as NSString).lastPathComponent)"
        thread.start()
    }

    /// Reads the runner's frames; when it dies, fails its calls and starts a new one.
    private func supervise(child first: Child, reader firstReader: RunnerFrameReader) {
        var child = first
        var reader = firstReader
        var quickDeaths = 0
        while true {
            let started = Date()
            serve(child: child, reader: reader)
            let exit = Self.reap(child.pid)
            close(child.readFD)
            child.writer.close()
            let (orphans, retiring) = state.withLock { s -> ([Waiter], Bool) in
                s.child = nil
                let orphans = Array(s.waiters.values)
                s.waiters.removeAll()
                s.calls.removeAll()
                s.abandoned.removeAll()
                s.openStreams = 0
                if !s.retiring {
                    s.restarts += 1
                    s.lastExit = exit
                }
                return (orphans, s.retiring)
            }
            let failure = PluginCallError(
                .internal, message: "plugin process crashed (\(exit)); the host is restarting it")
            for waiter in orphans { waiter(.failure(failure)) }
            if retiring {
                logger.info("plugin runner retired", metadata: ["plugin": "\(sourcePath)", "pid": "\(child.pid)"])
                return
            }
            logger.error(
                "isolated plugin crashed; restarting its runner",
                metadata: ["plugin": "\(sourcePath)", "exit": "\(exit)", "pid": "\(child.pid)"])
            onCrash?(sourcePath, exit)
            // Back off when the runner keeps dying at once (a plugin that crashes on load).
            quickDeaths = Date().timeIntervalSince(started) < 5 ? quickDeaths + 1 : 0
            while true {
                if quickDeaths > 1 { Thread.sleep(forTimeInterval: min(30, 0.1 * pow(2, Double(quickDeaths)))) }
                if state.withLock({ $0.retiring }) { return }
                let generation = state.withLock { s -> Int in
                    s.generation += 1
                    return s.generation
                }
                do {
                    let (next, nextReader, _) = try Self.spawn(
                        executable: executable, libraryPath: libraryPath, sourcePath: sourcePath, generation: generation)
                    child = next
                    reader = nextReader
                    // Retired while it was starting: let it exit at once (it serves nothing).
                    if state.withLock({ s in
                        s.child = next
                        return s.retiring
                    }) {
                        next.writer.close()
                    }
                    logger.info("plugin runner restarted", metadata: ["plugin": "\(sourcePath)", "pid": "\(next.pid)"])
                    break
                } catch {
                    quickDeaths += 1
                    state.withLock { $0.lastExit = error.description }
                    logger.error("plugin runner failed to restart", metadata: ["plugin": "\(sourcePath)", "error": "\(error)"])
                }
            }
        }
    }

    /// Dispatches frames from one runner until it closes its end.
    private func serve(child: Child, reader: RunnerFrameReader) {
        while true {
            guard let frame = try? reader.next() else { return }
            switch frame.kind {
            case .result, .streamEvents:
                let waiter = state.withLock { s -> Waiter? in
                    s.abandoned.remove(frame.id)
                    s.calls[frame.id] = nil
                    return s.waiters.removeValue(forKey: frame.id)
                }
                waiter?(.success(frame))
                releaseIfRetired()
            case .service:
                answerService(frame, writer: child.writer)
            default:
                logger.warning("unexpected frame from plugin runner", metadata: ["plugin": "\(sourcePath)", "kind": "\(frame.kind)"])
            }
        }
    }

    /// Runs a plugin's `vigor.llm/1` or `vigor.http/1` call with the host's own services.
    private func answerService(_ frame: RunnerFrame, writer: RunnerFrameWriter) {
        let info = state.withLock { $0.calls[UInt64(frame.int(1) ?? 0)] }
        let allowed = descriptor.plugins.flatMap(\.allowedHosts)
        let declared = Set(descriptor.plugins.flatMap(\.secrets))
        Task { [handler, sourcePath] in
            var reply: [[UInt8]]
            do {
                guard let handler else { throw PluginError.unavailable("host service not available") }
                let payload = frame.field(2)
                switch frame.string(0) {
                case "llm":
                    let request = try WireJSON.decode(ChatRequest.self, from: payload)
                    reply = [
                        Array("\(VIGOR_OK)".utf8), try WireJSON.encode(try await handler.complete(request, call: info, plugin: sourcePath)),
                    ]
                case "http":
                    let request = try WireJSON.decode(UpstreamRequest.self, from: payload)
                    if let secret = SecretGrant.undeclared(in: request, declared: declared) {
                        throw PluginError.invalidInput(SecretGrant.refusal(secret: secret, plugin: sourcePath, declared: declared))
                    }
                    reply = [
                        Array("\(VIGOR_OK)".utf8),
                        try WireJSON.encode(try await handler.http(request, call: info, plugin: sourcePath, allowedHosts: allowed)),
                    ]
                default:
                    throw PluginError.unsupported("unknown host service \(frame.string(0))")
                }
            } catch let error as PluginError {
                reply = [Array("\(error.status)".utf8), Array(error.message.utf8)]
            } catch {
                reply = [Array("\(VIGOR_ERR_INVALID_INPUT)".utf8), Array("\(error)".utf8)]
            }
            writer.send(RunnerFrame(.serviceReply, id: frame.id, reply))
        }
    }

    // MARK: Processes

    /// Starts `executable plugin-runner LIBRARY` on a pipe pair and reads its hello.
    static func spawn(
        executable: String, libraryPath: String, sourcePath: String, generation: Int
    ) throws(PluginRejection) -> (Child, RunnerFrameReader, PluginDescriptor) {
        let arguments = [executable, "plugin-runner", libraryPath, "--source", sourcePath]
        let process = try ChildProcess.spawn(arguments: arguments, environment: runnerEnvironment())
        let pid = process.pid
        let readFD = process.fromChild
        let child = Child(pid: pid, writer: RunnerFrameWriter(fd: process.toChild), readFD: readFD, generation: generation)
        let reader = RunnerFrameReader(fd: readFD)
        /// Stops the runner that failed to start; `reason` is told how it ended.
        func abandon(_ reason: (_ exit: String) -> PluginRejection) -> PluginRejection {
            kill(pid, SIGKILL)
            let exit = reap(pid)
            close(readFD)
            child.writer.close()
            return reason(exit)
        }
        var poller = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 15_000) > 0 else {
            throw abandon { _ in PluginRejection(.initFailed, "plugin runner did not finish loading in 15 s") }
        }
        let hello: RunnerFrame
        do {
            hello = try reader.next()
        } catch {
            throw abandon { PluginRejection(.initFailed, "plugin runner exited while loading the plugin (\($0))") }
        }
        guard hello.kind == .hello else {
            throw abandon { _ in PluginRejection(.initFailed, "plugin runner sent \(hello.kind) before hello") }
        }
        guard hello.string(0) == "ok" else {
            throw abandon { _ in PluginRejection(PluginRejection.Code(rawValue: hello.string(0)) ?? .initFailed, hello.string(1)) }
        }
        do {
            return (child, reader, try WireJSON.decode(PluginDescriptor.self, from: hello.field(1)))
        } catch {
            throw abandon { _ in PluginRejection(.invalidDescriptor, "plugin runner sent an undecodable descriptor") }
        }
    }

    /// The runner's environment: enough to run, and none of the host's secrets.
    static func runnerEnvironment() -> [String] {
        let keep = ["PATH", "LD_LIBRARY_PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"]
        let current = ProcessInfo.processInfo.environment
        // The Swift runtime's crash backtracer would hold a crashed runner for seconds.
        return keep.compactMap { key in current[key].map { "\(key)=\($0)" } } + ["SWIFT_BACKTRACE=enable=no"]
    }

    /// Waits for `pid` and says how it ended.
    static func reap(_ pid: pid_t) -> String { ChildProcess.reap(pid).description }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// A value carried as one frame field.
protocol RunnerField {
    var runnerBytes: [UInt8] { get }
}

extension String: RunnerField {
    var runnerBytes: [UInt8] { Array(utf8) }
}

extension Array: RunnerField where Element == UInt8 {
    var runnerBytes: [UInt8] { self }
}

extension Int64: RunnerField {
    var runnerBytes: [UInt8] { Array(String(self).utf8) }
}

extension Int32: RunnerField {
    var runnerBytes: [UInt8] { Array(String(self).utf8) }
}
