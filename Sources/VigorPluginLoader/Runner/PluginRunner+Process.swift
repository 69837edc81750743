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

/// Starting a `vigor plugin-runner` process.
extension PluginRunner {
    /// How long a runner may take to load its plugin and say hello.
    static let helloTimeoutMs: Int32 = 15_000

    /// Starts `executable plugin-runner LIBRARY` on a pipe pair and reads its hello. The
    /// runner's stderr (its log lines, and whatever the plugin prints) goes to `logger`.
    static func spawn(
        executable: String, libraryPath: String, sourcePath: String, generation: Int, logger: Logger, clock: VigorClock
    ) throws(PluginRejection) -> (Child, RunnerFrameReader, PluginDescriptor) {
        let arguments = [executable, "plugin-runner", libraryPath, "--source", sourcePath]
        let process = try ChildProcess.spawn(arguments: arguments, environment: runnerEnvironment(), captureStderr: true)
        let pid = process.pid
        let readFD = process.fromChild
        var pump: RunnerLogPump?
        if process.errorsFromChild >= 0 {
            var logger = logger
            if logger[metadataKey: "plugin"] == nil {
                logger[metadataKey: "plugin"] = "\(pluginName(descriptor: nil, sourcePath: sourcePath))"
            }
            pump = RunnerLogPump.start(fd: process.errorsFromChild, pid: pid, logger: logger)
        }
        let child = Child(
            pid: pid, writer: RunnerFrameWriter(fd: process.toChild), readFD: readFD, generation: generation, startedMs: clock.nowMs)
        let reader = RunnerFrameReader(fd: readFD)
        /// Stops the runner that failed to start; `reason` is told how it ended.
        func abandon(_ reason: (_ exit: String) -> PluginRejection) -> PluginRejection {
            kill(pid, SIGKILL)
            let exit = reap(pid)
            close(readFD)
            child.writer.close()
            return reason(exit)
        }
        // Waiting on a real process: its pipe, with a real timeout.
        var poller = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, helloTimeoutMs) > 0 else {
            throw abandon { _ in PluginRejection(.initFailed, "plugin runner did not finish loading in \(helloTimeoutMs / 1000) s") }
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
            let descriptor = try WireJSON.decode(PluginDescriptor.self, from: hello.field(1))
            pump?.name(pluginName(descriptor: descriptor, sourcePath: sourcePath))
            return (child, reader, descriptor)
        } catch {
            throw abandon { _ in PluginRejection(.invalidDescriptor, "plugin runner sent an undecodable descriptor") }
        }
    }

    /// The runner's environment: enough to run, and none of the host's secrets. The plugin
    /// folder and the openai plugin's configuration path are places, not secrets: with them an
    /// isolated plugin finds the files an in-process one finds.
    static func runnerEnvironment() -> [String] {
        let keep = [
            "PATH", "LD_LIBRARY_PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "VIGOR_PLUGIN_DIR", "VIGOR_OPENAI_COMPATIBLE_CONFIG",
        ]
        let current = ProcessInfo.processInfo.environment
        // The Swift runtime's crash backtracer would hold a crashed runner for seconds.
        return keep.compactMap { key in current[key].map { "\(key)=\($0)" } } + ["SWIFT_BACKTRACE=enable=no"]
    }

    /// Waits for `pid` and says how it ended.
    static func reap(_ pid: pid_t) -> String { ChildProcess.reap(pid).description }
}
