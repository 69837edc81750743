import Foundation
import Testing
import VigorPluginLoader

/// The probe's deadline holds even when the plugin ends the pipe but not the process.
/// Written by the probe's thread before it signals; read after the wait.
private final class RejectionBox: @unchecked Sendable {
    var value: PluginRejection?
}

@Suite("Plugin probe deadline")
struct ProbeDeadlineTests {
    /// The well-behaved fixture plus a constructor that closes every descriptor (the probe's
    /// pipe among them) and then waits forever without using the CPU.
    static let closingSource = """
        #include <signal.h>
        #include <unistd.h>
        #include "\(LoaderTests.hostileSource)"
        __attribute__((constructor)) static void close_and_wait(void) {
            for (int fd = 0; fd < 4096; fd++) close(fd);
            for (;;) pause();
        }
        """

    @Test("a constructor that closes the pipe and waits is rejected at the deadline, not waited on forever")
    func closedPipe() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("closing.c")
        try Self.closingSource.write(to: source, atomically: true, encoding: .utf8)
        let library = try TestSupport.compileC(source.path, to: dir.appendingPathComponent("libclosing.so").path)
        let probe = PluginProbe(executable: LoaderTests.vigor, timeoutMs: 400)
        let done = DispatchSemaphore(value: 0)
        let result = RejectionBox()
        // On its own thread: before the fix, check() blocked in waitpid for as long as the child lived.
        Thread {
            do {
                _ = try probe.check(libraryPath: library, sourcePath: library)
            } catch {
                result.value = error as? PluginRejection
            }
            done.signal()
        }.start()
        #expect(done.wait(timeout: .now() + 20) == .success, "the probe waited past its deadline")
        let rejection = try #require(result.value)
        #expect(rejection.code == .loadTimedOut)
        #expect(rejection.reason == "timed out loading after 400 ms (in constructor)")
    }

    @Test("a huge timeout from the environment does not overflow the deadline")
    func hugeTimeout() throws {
        let probe = try #require(
            PluginProbe.automatic(environment: [
                "VIGOR_PLUGIN_PROBE_TIMEOUT_MS": "999999999999999", "VIGOR_RUNNER_EXECUTABLE": LoaderTests.vigor,
            ]))
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try TestSupport.compileC(LoaderTests.hostileSource, to: dir.appendingPathComponent("libgood.so").path)
        #expect(try probe.check(libraryPath: good, sourcePath: good).plugins.map(\.id) == ["dev.test.ctor"])
    }
}
