import Foundation
import Logging
import VigorPluginSDK

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// The load stages of a plugin library, in order. `vigor plugin-probe` reports each before it
/// runs, so a crash or a hang is pinned on the stage the plugin was in.
public enum LoadStage: String, Sendable, CaseIterable {
    /// `dlopen`: the library's constructors (ELF `.init_array`, Swift globals of C++ statics) run.
    case constructor
    /// The exported `vigor_plugin_entry` function.
    case entry = "vigor_plugin_entry"
    case onInit = "on_init"
    case onDescribe = "on_describe"
}

/// Probing before an in-process load: a new plugin file is first loaded by a
/// `vigor plugin-probe` child process with a deadline. A constructor that aborts or spins
/// costs that child, never the host; the file is rejected with the reason.
public struct PluginProbe: Sendable {
    /// The `vigor` executable (it provides the `plugin-probe` subcommand).
    public var executable: String
    /// How long the child may take to open, initialise and describe the plugin.
    public var timeoutMs: Int

    public static let defaultTimeoutMs = 5_000

    public init(executable: String, timeoutMs: Int = PluginProbe.defaultTimeoutMs) {
        self.executable = executable
        self.timeoutMs = timeoutMs
    }

    /// The probe from the environment: `VIGOR_PLUGIN_PROBE_TIMEOUT_MS` (default 5000; `0`
    /// turns probing off, for trusted folders only) and the `vigor` executable found by
    /// ``locateExecutable(environment:)``. A host that cannot find one still probes, and
    /// rejects every file with a reason that says so (it fails closed).
    public static func automatic(environment: [String: String] = ProcessInfo.processInfo.environment) -> PluginProbe? {
        var timeout = defaultTimeoutMs
        if let text = environment["VIGOR_PLUGIN_PROBE_TIMEOUT_MS"], let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 {
            timeout = value
        }
        guard timeout > 0 else { return nil }
        return PluginProbe(executable: locateExecutable(environment: environment) ?? "", timeoutMs: timeout)
    }

    /// `VIGOR_RUNNER_EXECUTABLE`; else this process's executable when it is `vigor`; else a
    /// `vigor` beside it (the package's tests run from the folder `swift build` puts `vigor` in).
    public static func locateExecutable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let path = environment["VIGOR_RUNNER_EXECUTABLE"], !path.isEmpty { return path }
        let own = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        if own.lastPathComponent == "vigor" { return own.path }
        let beside = own.deletingLastPathComponent().appendingPathComponent("vigor").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : nil
    }

    // MARK: Host side

    /// Loads `libraryPath` in a child process and returns its descriptor; throws the reason
    /// the plugin cannot be loaded (`crashed in constructor: signal 6 (SIGABRT)`, `timed out
    /// loading after 5000 ms`, or the loader's own rejection). The child is always reaped.
    public func check(libraryPath: String, sourcePath: String) throws(PluginRejection) -> PluginDescriptor {
        guard !executable.isEmpty else {
            throw PluginRejection(.probeFailed, "cannot probe the plugin: no vigor executable found (set VIGOR_RUNNER_EXECUTABLE)")
        }
        let process: ChildProcess
        do {
            process = try ChildProcess.spawn(
                arguments: [executable, "plugin-probe", libraryPath], environment: PluginRunner.runnerEnvironment())
        } catch {
            throw PluginRejection(.probeFailed, "cannot probe the plugin: \(error.reason)")
        }
        close(process.toChild)  // the probe reads nothing
        defer { close(process.fromChild) }
        var outcome = Self.watch(fd: process.fromChild, timeoutMs: timeoutMs)
        // The pipe can end while the probe lives on (a constructor that closes every descriptor,
        // then spins): wait for its exit only until the deadline, never in a blocking waitpid.
        var ended: ChildProcess.Exit?
        if outcome.hello == nil && !outcome.timedOut {
            ended = ChildProcess.reap(process.pid, before: outcome.deadline)
            if ended == nil { outcome.timedOut = true }
        }
        if outcome.hello != nil || outcome.timedOut {
            kill(process.pid, SIGKILL)  // done with it (or it is stuck): nothing it does later matters
        }
        let exit = ended ?? ChildProcess.reap(process.pid)
        let stage = outcome.stage.map { "in \($0.rawValue)" } ?? "before loading the plugin"
        if outcome.timedOut {
            throw PluginRejection(.loadTimedOut, "timed out loading after \(timeoutMs) ms (\(stage))")
        }
        guard let hello = outcome.hello else {
            switch exit {
            case .signalled(let signal):
                throw PluginRejection(.crashedWhileLoading, "crashed \(stage): signal \(signal) (\(ChildProcess.signalName(signal)))")
            case .exited(let code) where outcome.stage == nil:
                throw PluginRejection(
                    .probeFailed, "the probe (\(executable) plugin-probe) exited with status \(code) before loading the plugin")
            case .exited(let code):
                throw PluginRejection(.crashedWhileLoading, "exited with status \(code) \(stage)")
            case .unknown:
                throw PluginRejection(.crashedWhileLoading, "the probe ended \(stage) (exit status unknown)")
            }
        }
        guard hello.string(0) == "ok" else {
            throw PluginRejection(PluginRejection.Code(rawValue: hello.string(0)) ?? .initFailed, hello.string(1))
        }
        do {
            return try WireJSON.decode(PluginDescriptor.self, from: hello.field(1))
        } catch {
            throw PluginRejection(.probeFailed, "the probe sent an undecodable descriptor")
        }
    }

    struct Outcome {
        var stage: LoadStage?
        var hello: RunnerFrame?
        var timedOut = false
        /// When the probe's time is up (`DispatchTime` uptime nanoseconds).
        var deadline: UInt64 = 0
    }

    /// Reads the probe's frames until its hello, its end, or the deadline.
    static func watch(fd: Int32, timeoutMs: Int) -> Outcome {
        var outcome = Outcome()
        var buffer: [UInt8] = []
        // At most a day (an environment value like 10^15 ms would overflow the nanoseconds), never negative.
        // Real time, not the injected clock: it bounds a real child process loading a library.
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(min(max(timeoutMs, 0), 86_400_000)) * 1_000_000
        outcome.deadline = deadline
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else {
                outcome.timedOut = true
                return outcome
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(Int(Int32.max), Int((deadline - now + 999_999) / 1_000_000))))
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { return outcome }
            if ready == 0 { continue }  // the loop's deadline check decides
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return outcome }  // the probe ended
            buffer.append(contentsOf: chunk[0..<count])
            while let frame = takeFrame(&buffer) {
                switch frame.kind {
                case .stage: outcome.stage = LoadStage(rawValue: frame.string(0)) ?? outcome.stage
                case .hello:
                    outcome.hello = frame
                    return outcome
                default: break
                }
            }
        }
    }

    /// Removes and returns the first whole frame in `buffer`.
    static func takeFrame(_ buffer: inout [UInt8]) -> RunnerFrame? {
        guard buffer.count >= 4 else { return nil }
        let length = Int(buffer[0]) | Int(buffer[1]) << 8 | Int(buffer[2]) << 16 | Int(buffer[3]) << 24
        guard length <= RunnerFrame.maxBody, buffer.count >= 4 + length else { return nil }
        let frame = RunnerFrame.decode(body: buffer[4..<(4 + length)])
        buffer.removeFirst(4 + length)
        return frame
    }

    // MARK: Child side

    /// `vigor plugin-probe PATH`: loads the plugin with the ordinary loader, reporting each
    /// stage on stdout, sends the descriptor (or the rejection) and exits at once, without
    /// running the plugin's exit handlers. Never returns.
    public static func serve(path: String, logger: Logger) -> Never {
        // The protocol owns the original stdout; anything the plugin prints goes to stderr.
        let protocolOut = dup(STDOUT_FILENO)
        guard protocolOut >= 0, dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else { _exit(70) }
        signal(SIGPIPE, SIG_IGN)
        let writer = RunnerFrameWriter(fd: protocolOut)
        var loader = PluginLoader(logger: logger, probe: nil)
        loader.onStage = { stage in writer.send(RunnerFrame(.stage, id: 0, [Array(stage.rawValue.utf8)])) }
        do {
            let components = try loader.load(path: path)
            let encoded = (try? WireJSON.encode(PluginDescriptor(plugins: components.map(\.descriptor)))) ?? []
            writer.send(RunnerFrame(.hello, id: 0, [Array("ok".utf8), encoded]))
        } catch {
            writer.send(RunnerFrame(.hello, id: 0, [Array(error.code.rawValue.utf8), Array(error.reason.utf8)]))
        }
        _exit(0)
    }
}
