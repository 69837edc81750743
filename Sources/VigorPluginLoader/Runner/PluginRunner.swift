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
    /// Times the runner died (crash, hang past a deadline, or kill) or was replaced, and a
    /// new one started.
    public var restarts: Int
    /// How the last runner ended, e.g. "killed by signal 11 (Segmentation fault)".
    public var lastExit: String?
    /// True while a runner process serves the plugin, or a replaced one still finishes calls.
    public var running: Bool
}

/// The host side of crash isolation: one plugin library served by a `vigor plugin-runner`
/// child process over a pipe.
///
/// A segfault or abort in the plugin kills only the child: the calls in flight on it get an
/// error, the host logs it and starts a new runner. A call that outlives its deadline is
/// answered with a deadline error at the deadline; if the plugin is still silent after a
/// grace period, a fresh runner takes over new calls while the old one finishes the calls it
/// already has (each within its own deadline), and the old one is killed once only hung calls
/// remain. So one hung call costs that call alone. Streams have a deadline too.
///
/// Timers (deadlines, the hang grace, restart back-off) run on the injected ``VigorClock``,
/// in tasks on ``BlockingBridge/serviceExecutor`` so that they fire even while callers block
/// every thread of the concurrency pool;
/// the deadline sent to the runner is re-based onto the real wall clock, which is the one the
/// plugin compares it with in its own process.
public final class PluginRunner: Sendable {
    public let sourcePath: String
    public let descriptor: PluginDescriptor
    let libraryPath: String
    let executable: String
    let logger: Logger
    let handler: (any HostServiceHandler)?
    let onCrash: (@Sendable (_ plugin: String, _ exit: String) -> Void)?
    let clock: VigorClock

    /// How long a plugin may stay silent after its deadline before its runner is replaced.
    static let hangGraceMs: Int64 = 2_000
    /// The deadline given to calls and stream steps that have none (conformance calls).
    static let defaultTimeoutMs: Int64 = 60_000
    /// How long a stream may stay open when its opener gave no deadline.
    static let defaultStreamLifetimeMs: Int64 = 10 * 60_000

    typealias Waiter = @Sendable (Result<RunnerFrame, PluginCallError>) -> Void

    /// One runner process. `generation` tells processes of the same plugin apart.
    struct Child: Sendable {
        var pid: pid_t
        var writer: RunnerFrameWriter
        var readFD: Int32
        var generation: Int
        /// When it started, on the runner's clock (for the crash-loop back-off).
        var startedMs: Int64
    }

    /// A call waiting for its answer from the runner of `generation`.
    struct Pending {
        var waiter: Waiter
        var generation: Int
        var watchdog: Task<Void, Never>?
    }

    /// A stream open in the runner of `generation`, ending at `deadlineMs` (runner clock).
    struct OpenStream {
        var generation: Int
        var deadlineMs: Int64
        var watchdog: Task<Void, Never>?
    }

    struct State {
        /// The runner new calls go to; nil while one is being restarted.
        var current: Child?
        /// Runners replaced after a hang, finishing their calls; killed once idle.
        var draining: [Int: Child] = [:]
        var generation = 0
        var nextID: UInt64 = 1
        var waiters: [UInt64: Pending] = [:]
        /// Host call context by message id, for the services the plugin calls back.
        var calls: [UInt64: CallInfo] = [:]
        /// Calls answered with a deadline error that the plugin has not answered yet, and the
        /// generation of the runner that holds them.
        var abandoned: [UInt64: Int] = [:]
        var streams: [UInt64: OpenStream] = [:]
        /// Streams the runner closed at their deadline; the owner's next step is told so.
        var expiredStreams: Set<UInt64> = []
        var replacing = false
        var restarts = 0
        var quickDeaths = 0
        var lastExit: String?
        var retiring = false
        var watchers: [UInt64: StatusWatcher] = [:]
        var nextWatcher: UInt64 = 0

        func child(_ generation: Int) -> Child? {
            current?.generation == generation ? current : draining[generation]
        }

        /// True when the runner of `generation` holds no live call and no open stream.
        func isIdle(_ generation: Int) -> Bool {
            !waiters.values.contains { $0.generation == generation } && !streams.values.contains { $0.generation == generation }
        }

        var status: RunnerStatus {
            RunnerStatus(pid: current?.pid, restarts: restarts, lastExit: lastExit, running: current != nil || !draining.isEmpty)
        }
    }

    let state = Mutex(State())

    private init(
        sourcePath: String, libraryPath: String, executable: String, descriptor: PluginDescriptor, logger: Logger,
        handler: (any HostServiceHandler)?, onCrash: (@Sendable (_ plugin: String, _ exit: String) -> Void)?, clock: VigorClock
    ) {
        self.sourcePath = sourcePath
        self.libraryPath = libraryPath
        self.executable = executable
        self.descriptor = descriptor
        var logger = logger
        logger[metadataKey: "plugin"] = "\(Self.pluginName(descriptor: descriptor, sourcePath: sourcePath))"
        self.logger = logger
        self.handler = handler
        self.onCrash = onCrash
        self.clock = clock
    }

    /// Starts a runner for the library at `libraryPath` and waits for its descriptor.
    /// A plugin the runner rejects is rejected here with the same code and reason.
    static func launch(
        executable: String, libraryPath: String, sourcePath: String, logger: Logger, handler: (any HostServiceHandler)?,
        onCrash: (@Sendable (_ plugin: String, _ exit: String) -> Void)?, clock: VigorClock = .system
    ) throws(PluginRejection) -> PluginRunner {
        signal(SIGPIPE, SIG_IGN)  // a write to a dead runner must fail, not kill the host
        let (child, reader, descriptor) = try spawn(
            executable: executable, libraryPath: libraryPath, sourcePath: sourcePath, generation: 0, logger: logger, clock: clock)
        let runner = PluginRunner(
            sourcePath: sourcePath, libraryPath: libraryPath, executable: executable, descriptor: descriptor, logger: logger,
            handler: handler, onCrash: onCrash, clock: clock)
        runner.state.withLock { $0.current = child }
        runner.startReader(child: child, reader: reader)
        return runner
    }

    /// The name log lines carry: the plugin's component ids, else its file name.
    static func pluginName(descriptor: PluginDescriptor?, sourcePath: String) -> String {
        let ids = descriptor?.plugins.map(\.id) ?? []
        return ids.isEmpty ? (sourcePath as NSString).lastPathComponent : ids.joined(separator: ",")
    }

    public var status: RunnerStatus { state.withLock { $0.status } }

    /// Stops the runner once its calls and streams in flight have finished (a newer version
    /// of the plugin took its place). Unlike `dlclose`, this really unloads the old code.
    public func retire() {
        state.withLock { $0.retiring = true }
        settle()
    }

    // MARK: Calls

    /// Calls `on_invoke` in the runner and blocks this thread for the answer.
    func invoke(component: String, op: String, input: [UInt8], deadlineMs: Int64?, info: CallInfo?) -> Result<[UInt8], PluginCallError> {
        Self.unwrap(requestBlocking(.invoke, fields: [component, op, input], info: info, deadlineMs: deadlineMs))
    }

    /// Calls `on_invoke` in the runner without blocking a thread.
    func invokeAsync(component: String, op: String, input: [UInt8], deadlineMs: Int64?, info: CallInfo?) async -> Result<
        [UInt8], PluginCallError
    > {
        Self.unwrap(await request(.invoke, fields: [component, op, input], info: info, deadlineMs: deadlineMs))
    }

    static func unwrap(_ result: Result<RunnerFrame, PluginCallError>) -> Result<[UInt8], PluginCallError> {
        result.flatMap { frame in
            let status = Int32(frame.int(0) ?? Int64(VIGOR_ERR_INTERNAL))
            guard status == VIGOR_OK else { return .failure(PluginCallError(status: status, message: frame.string(1))) }
            return .success(frame.field(1))
        }
    }

    func requestBlocking(
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

    func request(
        _ kind: RunnerFrame.Kind, id: UInt64? = nil, fields: [any RunnerField], info: CallInfo?, deadlineMs: Int64?
    ) async -> Result<RunnerFrame, PluginCallError> {
        await withCheckedContinuation { continuation in
            start(kind, id: id, fields: fields, info: info, deadlineMs: deadlineMs) { continuation.resume(returning: $0) }
        }
    }

    /// Registers `waiter` with the runner that serves the message (the stream's runner for
    /// stream steps, else the current one), sends the frame and arms the deadline watchdog.
    /// An invoke's deadline travels as its last field, on the real wall clock.
    private func start(
        _ kind: RunnerFrame.Kind, id fixedID: UInt64?, fields: [any RunnerField], info: CallInfo?, deadlineMs: Int64?,
        waiter: @escaping Waiter
    ) {
        let now = clock.nowMs
        // A stream found past its deadline before its watchdog ran (the watchdog runs on another
        // executor, and may not even have started): expired here, so the outcome is the same
        // whichever notices first, and the stream does not hold its runner until the watchdog wakes.
        var expired: Child?
        let registered = state.withLock { s -> Result<(UInt64, Child, Int64), PluginCallError> in
            let isStep = kind == .streamFeed || kind == .streamClose
            var deadline = deadlineMs ?? now + Self.defaultTimeoutMs
            let child: Child?
            if isStep, let id = fixedID {
                guard let stream = s.streams[id] else {
                    return .failure(
                        s.expiredStreams.remove(id) != nil
                            ? Self.streamExpired
                            : PluginCallError(.unavailable, message: "the stream is no longer open (its plugin runner died)"))
                }
                guard stream.deadlineMs > now else {
                    stream.watchdog?.cancel()
                    s.streams[id] = nil
                    expired = s.child(stream.generation)
                    return .failure(Self.streamExpired)
                }
                deadline = min(deadline, stream.deadlineMs)
                child = s.child(stream.generation)
                if kind == .streamClose {
                    stream.watchdog?.cancel()
                    s.streams[id] = nil
                }
            } else {
                child = s.current
                if kind == .streamOpen, let id = fixedID, let child {
                    // The stream belongs to this runner from now on; `deadline` is its end.
                    s.streams[id] = OpenStream(generation: child.generation, deadlineMs: deadline)
                    deadline = min(deadline, now + Self.defaultTimeoutMs)
                }
            }
            guard let child else {
                let last = s.lastExit.map { " (last exit: \($0))" } ?? ""
                return .failure(PluginCallError(.unavailable, message: "plugin runner for \(sourcePath) is restarting\(last)"))
            }
            guard deadline > now else {
                return .failure(PluginCallError(.deadline, message: "the call's deadline had passed before it was sent"))
            }
            let id = fixedID ?? s.nextID
            if fixedID == nil { s.nextID += 1 }
            s.waiters[id] = Pending(waiter: waiter, generation: child.generation)
            if let info { s.calls[id] = info }
            return .success((id, child, deadline))
        }
        let id: UInt64
        let child: Child
        let deadline: Int64
        switch registered {
        case .failure(let error):
            if let expired, let id = fixedID {
                logger.warning("isolated plugin stream closed at its deadline", metadata: ["stream": "\(id)"])
                expired.writer.send(
                    RunnerFrame(.streamClose, id: id, [VIGOR_ERR_DEADLINE.runnerBytes, "stream outlived its deadline".runnerBytes]))
            }
            waiter(.failure(error))
            settle()
            return
        case .success(let value): (id, child, deadline) = value
        }
        var frameFields = fields.map(\.runnerBytes)
        if kind == .invoke {
            // The plugin reads its deadline against the real clock in its own process.
            frameFields.append((deadlineMs == nil ? Int64(0) : clock.wallDeadline(deadline)).runnerBytes)
        }
        let watchdog = Task(executorPreference: BlockingBridge.serviceExecutor) { [self] in
            guard (try? await clock.sleep(untilMs: deadline)) != nil else { return }
            expire(id, generation: child.generation)
        }
        let stillWaiting = state.withLock { s -> Bool in
            guard s.waiters[id] != nil else { return false }
            s.waiters[id]?.watchdog = watchdog
            return true
        }
        if !stillWaiting { watchdog.cancel() }
        child.writer.send(RunnerFrame(kind, id: id, frameFields))
    }

    /// A stream step after the stream's deadline, which closed it.
    static let streamExpired = PluginCallError(.deadline, message: "the stream outlived its deadline; the plugin runner closed it")

    /// The deadline passed: answer the caller now, tell the plugin to stop, and replace the
    /// runner if the plugin is still silent after the grace period.
    private func expire(_ id: UInt64, generation: Int) {
        let expired = state.withLock { s -> (Waiter, Child?, Bool)? in
            guard let pending = s.waiters[id], pending.generation == generation else { return nil }
            s.waiters[id] = nil
            s.calls[id] = nil
            s.abandoned[id] = generation
            // A stream whose step missed its deadline is over for its owner: it no longer
            // holds its runner, and the runner closes it when it gets to it.
            let stream = s.streams.removeValue(forKey: id)
            stream?.watchdog?.cancel()
            return (pending.waiter, s.child(generation), stream != nil)
        }
        guard let (waiter, child, isStream) = expired else { return }
        child?.writer.send(RunnerFrame(.cancel, id: id))
        if isStream {
            child?.writer.send(RunnerFrame(.streamClose, id: id, [VIGOR_ERR_DEADLINE.runnerBytes, "step missed its deadline".runnerBytes]))
        }
        waiter(.failure(PluginCallError(.deadline, message: "plugin did not answer before the deadline")))
        settle()
        let graceEnd = clock.nowMs &+ Self.hangGraceMs
        Task(executorPreference: BlockingBridge.serviceExecutor) { [self] in
            guard (try? await clock.sleep(untilMs: graceEnd)) != nil else { return }
            let hung = state.withLock { s in s.abandoned.removeValue(forKey: id) == generation && s.child(generation) != nil }
            if hung { replace(generation: generation, reason: "a call hung past its deadline") }
        }
    }

    /// Closes a retiring runner that went idle and kills replaced runners that went idle
    /// (only hung calls, if any, remain in them).
    func settle() {
        let (close, kills) = state.withLock { s -> (RunnerFrameWriter?, [Child]) in
            let close = s.retiring && s.current.map { s.isIdle($0.generation) } == true ? s.current?.writer : nil
            let kills = s.draining.values.filter { s.isIdle($0.generation) }
            return (close, kills)
        }
        close?.close()
        for child in kills { kill(child.pid, SIGKILL) }
    }

    // MARK: Status

    struct StatusWatcher {
        var condition: @Sendable (RunnerStatus) -> Bool
        var continuation: CheckedContinuation<RunnerStatus, Never>
    }

    /// Suspends until the runner's status satisfies `condition` (checked now and at each
    /// change: a start, a death, a replacement) and returns that status. Tests and shutdown
    /// await it instead of polling.
    public func status(where condition: @escaping @Sendable (RunnerStatus) -> Bool) async -> RunnerStatus {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s -> RunnerStatus? in
                let status = s.status
                if condition(status) { return status }
                s.nextWatcher += 1
                s.watchers[s.nextWatcher] = StatusWatcher(condition: condition, continuation: continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Wakes the watchers whose condition the status now meets.
    func statusChanged() {
        let woken = state.withLock { s -> [(CheckedContinuation<RunnerStatus, Never>, RunnerStatus)] in
            let status = s.status
            let ready = s.watchers.filter { $0.value.condition(status) }
            for key in ready.keys { s.watchers[key] = nil }
            return ready.values.map { ($0.continuation, status) }
        }
        for (continuation, status) in woken { continuation.resume(returning: status) }
    }
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
