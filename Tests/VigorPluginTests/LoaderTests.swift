import Foundation
import Synchronization
import Testing
import VigorPluginLoader
import VigorPluginSDK

@Suite("Plugin loader")
struct LoaderTests {
    static let badSource = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/bad_plugin.c").path
    static let cCoach = TestSupport.packageRoot.appendingPathComponent("Examples/c-plugin/coach.c").path

    /// Builds one broken plugin in `dir` and returns the registry's rejection for it.
    func rejection(defines: [String]) throws -> RejectedPlugin? {
        let dir = try TestSupport.temporaryDirectory()
        try TestSupport.compileC(Self.badSource, to: dir.appendingPathComponent("libbad.so").path, defines: defines)
        let report = TestSupport.registry().scan(directory: dir.path)
        #expect(report.loaded.isEmpty)
        return report.rejected.first
    }

    @Test("the bundled plugins load")
    func bundled() throws {
        let dir = try TestSupport.temporaryDirectory()
        for product in ["VigorFallback", "VigorPlanner"] {
            try FileManager.default.copyItem(
                atPath: TestSupport.bundledPlugin(product), toPath: dir.appendingPathComponent("lib\(product).so").path)
        }
        let report = TestSupport.registry().scan(directory: dir.path)
        #expect(report.rejected.isEmpty)
        #expect(Set(report.loaded.map(\.id)) == ["dev.vigor.fallback", "dev.vigor.planner"])
        #expect(report.loaded.first { $0.id == "dev.vigor.planner" }?.kind == "plan-generator")
    }

    @Test(
        "a call's deadline on the loader's clock reaches an in-process plugin as the same distance on the real clock",
        arguments: [-400 * 86_400_000, 400 * 86_400_000] as [Int64])
    func deadlineOnTheLoadersClock(offsetMs: Int64) throws {
        // The loader's clock is 400 days behind or ahead of the real one (a test's manual clock,
        // a skewed host): a deadline 60 s ahead on it is live, one 1 s behind has passed.
        let manual = ManualClock(start: Date(timeIntervalSince1970: Double(VigorClock.system.nowMs + offsetMs) / 1000))
        let loader = PluginLoader(logger: TestSupport.quietLogger, clock: { manual.now })
        let loaded = try loader.load(path: TestSupport.bundledPlugin("VigorFallback"))
        let fallback = try #require(loaded.first { $0.descriptor.id == "dev.vigor.fallback" })
        let request = ChatRequest(messages: [ChatMessage(role: "user", content: "How do I stretch?")])
        let live = try fallback.invoke("provider.complete", request, as: ProviderResult.self, deadlineMs: manual.nowMs + 60_000)
        #expect(live.response?.text.isEmpty == false)
        #expect(throws: PluginCallError.self) {
            try fallback.invoke("provider.complete", request, as: ProviderResult.self, deadlineMs: manual.nowMs - 1_000)
        }
        // Re-based deadlines are always positive (0 is "none", and a C plugin may test `> 0`).
        let clock = VigorClock.manual(manual)
        #expect(clock.wallDeadline(.min) == 1)
        #expect(clock.wallDeadline(manual.nowMs - 100 * 365 * 86_400_000) == 1, "before 1970 on the real clock")
        #expect(clock.wallDeadline(.max) > VigorClock.system.nowMs + 100 * 365 * 86_400_000)
        #expect(abs(clock.wallDeadline(manual.nowMs + 5_000) - (VigorClock.system.nowMs + 5_000)) < 1_000)
        // Extreme deadlines saturate instead of trapping: Int64.max is live, Int64.min has passed.
        _ = try fallback.invoke("provider.complete", request, as: ProviderResult.self, deadlineMs: .max)
        #expect(throws: PluginCallError.self) {
            try fallback.invoke("provider.complete", request, as: ProviderResult.self, deadlineMs: .min)
        }
    }

    @Test("a plain C plugin loads and serves")
    func cPluginServes() throws {
        let dir = try TestSupport.temporaryDirectory()
        try TestSupport.compileC(Self.cCoach, to: dir.appendingPathComponent("libc_coach.so").path)
        let registry = TestSupport.registry()
        registry.scan(directory: dir.path)
        let coach = try #require(registry.component(id: "dev.example.c-coach"))
        let request = ChatRequest(messages: [ChatMessage(role: "user", content: "How do I stretch?")])
        let result = try coach.invoke("provider.complete", request, as: ProviderResult.self)
        #expect(result.response?.text.contains("Stretch") == true)
        #expect(result.response?.usage.completionTokens == 18)
        #expect(throws: PluginCallError.self) { try coach.invoke(op: "provider.complete", input: Array("{\"messages\":4}".utf8)) }
    }

    @Test(
        "garbage files are rejected with the reason",
        arguments: [
            ("empty", Data(), "empty file"),
            ("text", Data("hello, I am not a library\n".utf8), "text file"),
            ("binary", Data([0x00, 0x01, 0x02, 0xFF, 0xFE, 0x10, 0x11, 0x12]), "bad magic"),
        ])
    func garbage(name: String, contents: Data, reason: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        FileManager.default.createFile(atPath: dir.appendingPathComponent("lib\(name).so").path, contents: contents)
        let report = TestSupport.registry().scan(directory: dir.path)
        let rejected = try #require(report.rejected.first)
        #expect(rejected.code == "not_shared_library")
        #expect(rejected.reason.contains(reason))
    }

    @Test("a truncated ELF library is rejected before dlopen (which would die of SIGBUS)", arguments: [40, 4096, 0])
    func truncatedELF(keep: Int) throws {
        let dir = try TestSupport.temporaryDirectory()
        let whole = try Data(contentsOf: URL(fileURLWithPath: TestSupport.bundledPlugin("VigorPlanner")))
        let cut = keep == 0 ? whole.count / 2 : keep
        FileManager.default.createFile(atPath: dir.appendingPathComponent("libcut.so").path, contents: whole.prefix(cut))
        let rejected = try #require(TestSupport.registry().scan(directory: dir.path).rejected.first)
        #expect(rejected.code == "not_shared_library")
        #expect(rejected.reason.contains("truncated ELF file"), "reason was: \(rejected.reason)")
    }

    @Test("a library dlopen refuses is rejected with dlopen's message")
    func unresolvedSymbol() throws {
        let rejected = try #require(try rejection(defines: ["BAD_UNDEFINED"]))
        #expect(rejected.code == "dlopen_failed")
        #expect(rejected.reason.contains("undefined symbol: vigor_test_missing_symbol"), "reason was: \(rejected.reason)")
    }

    @Test(
        "each broken plugin is rejected with its specific reason",
        arguments: [
            (["BAD_NO_ENTRY"], "no_entry_symbol", "no exported function vigor_plugin_entry"),
            (["BAD_NULL_TABLE"], "null_table", "returned NULL"),
            (["TABLE_MAGIC=0x12345678u"], "bad_magic", "bad magic 0x12345678"),
            (["TABLE_MAJOR=2"], "abi_major_mismatch", "plugin ABI major 2, host 1"),
            (["TABLE_MINOR=7"], "abi_minor_too_new", "plugin needs ABI 1.7, host has 1.0"),
            (["TABLE_SIZE=24"], "table_too_small", "entry table is 24 bytes"),
            (["TOOLCHAIN=\"swift-5.9\""], "toolchain_mismatch", "plugin built with swift-5.9"),
            (["BAD_INIT_FAILS"], "init_failed", "on_init failed with status 6: missing configuration file"),
            (["BAD_JSON"], "invalid_descriptor", "descriptor is not a JSON object"),
            (["BAD_MISSING_ID"], "invalid_descriptor", "plugins[0]: missing id"),
            (["BAD_UNKNOWN_KIND"], "invalid_descriptor", "unknown kind \"toaster\""),
        ])
    func broken(defines: [String], code: String, reason: String) throws {
        let rejected = try #require(try rejection(defines: defines))
        #expect(rejected.code == code)
        #expect(rejected.reason.contains(reason), "reason was: \(rejected.reason)")
    }

    @Test("a duplicate id is rejected and the first one keeps serving")
    func duplicate() throws {
        let dir = try TestSupport.temporaryDirectory()
        try TestSupport.compileC(Self.cCoach, to: dir.appendingPathComponent("liba_coach.so").path)
        try TestSupport.compileC(Self.cCoach, to: dir.appendingPathComponent("libb_coach.so").path)
        let registry = TestSupport.registry()
        let report = registry.scan(directory: dir.path)
        #expect(report.loaded.map(\.id) == ["dev.example.c-coach"])
        #expect(report.loaded.first?.path.hasSuffix("liba_coach.so") == true)
        let rejected = try #require(report.rejected.first)
        #expect(rejected.code == "duplicate_id")
        #expect(rejected.reason.contains("id dev.example.c-coach is already provided by"))
    }

    @Test("a folder with good and bad plugins loads the good ones")
    func mixed() throws {
        let dir = try TestSupport.temporaryDirectory()
        try TestSupport.compileC(Self.cCoach, to: dir.appendingPathComponent("libc_coach.so").path)
        FileManager.default.createFile(atPath: dir.appendingPathComponent("libjunk.so").path, contents: Data("junk".utf8))
        FileManager.default.createFile(atPath: dir.appendingPathComponent("README.txt").path, contents: Data("ignored".utf8))
        let report = TestSupport.registry().scan(directory: dir.path)
        #expect(report.loaded.map(\.id) == ["dev.example.c-coach"])
        #expect(report.rejected.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["libjunk.so"])
    }

    // MARK: Probing and file permissions

    static let hostileSource = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/hostile_ctor_plugin.c").path
    static let vigor = TestSupport.builtProducts.appendingPathComponent("vigor").path

    /// A registry whose probe runs the built `vigor` with `timeoutMs`.
    static func probingRegistry(timeoutMs: Int = PluginProbe.defaultTimeoutMs, allowInsecure: Bool = false) -> PluginRegistry {
        PluginRegistry(
            loader: PluginLoader(
                logger: TestSupport.quietLogger, probe: PluginProbe(executable: vigor, timeoutMs: timeoutMs),
                allowInsecureFiles: allowInsecure))
    }

    @Test("a constructor that aborts is rejected by the probe; this process and the other plugins live on")
    func abortingConstructor() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestSupport.compileC(Self.hostileSource, to: dir.appendingPathComponent("libabort.so").path, defines: ["CTOR_ABORT"])
        try TestSupport.compileC(Self.cCoach, to: dir.appendingPathComponent("libc_coach.so").path)
        // Loaded in-process (as before probing), the abort() would end this test process here.
        let report = Self.probingRegistry().scan(directory: dir.path)
        #expect(report.loaded.map(\.id) == ["dev.example.c-coach"])
        let rejected = try #require(report.rejected.first)
        #expect(rejected.path.hasSuffix("libabort.so"))
        #expect(rejected.code == "crashed_while_loading")
        #expect(rejected.reason == "crashed in constructor: signal 6 (SIGABRT)")
    }

    @Test("a constructor that never returns is rejected at the probe's deadline", .timeLimit(.minutes(1)))
    func spinningConstructor() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestSupport.compileC(Self.hostileSource, to: dir.appendingPathComponent("libspin.so").path, defines: ["CTOR_SPIN"])
        let started = ContinuousClock.now
        // Loaded in-process (as before probing), dlopen would never return and the scan would hang.
        let report = Self.probingRegistry(timeoutMs: 400).scan(directory: dir.path)
        #expect(ContinuousClock.now - started < .seconds(10))
        let rejected = try #require(report.rejected.first)
        #expect(rejected.code == "load_timed_out")
        #expect(rejected.reason == "timed out loading after 400 ms (in constructor)")
    }

    @Test("the probe names the stage and keeps the loader's own reasons")
    func probeReasons() throws {
        let probe = PluginProbe(executable: Self.vigor)
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try TestSupport.compileC(Self.hostileSource, to: dir.appendingPathComponent("libgood.so").path)
        #expect(try probe.check(libraryPath: good, sourcePath: good).plugins.map(\.id) == ["dev.test.ctor"])
        let failing = try TestSupport.compileC(
            Self.badSource, to: dir.appendingPathComponent("libbad.so").path, defines: ["BAD_INIT_FAILS"])
        #expect(throws: PluginRejection(.initFailed, "on_init failed with status 6: missing configuration file")) {
            try probe.check(libraryPath: failing, sourcePath: failing)
        }
        #expect(throws: PluginRejection(.probeFailed, "cannot probe the plugin: no vigor executable found (set VIGOR_RUNNER_EXECUTABLE)")) {
            try PluginProbe(executable: "").check(libraryPath: good, sourcePath: good)
        }
    }

    /// Builds the well-behaved C coach into `dir` as `name` with `mode`.
    static func coach(in dir: URL, name: String = "libc_coach.so", mode: Int16 = 0o644) throws -> String {
        let path = try TestSupport.compileC(cCoach, to: dir.appendingPathComponent(name).path)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test("a plugin file other users can write is refused, with its mode", arguments: [Int16(0o666), 0o664, 0o646])
    func writableFile(mode: Int16) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.coach(in: dir, mode: mode)
        let report = Self.probingRegistry().scan(directory: dir.path)
        #expect(report.loaded.isEmpty)
        let rejected = try #require(report.rejected.first)
        #expect(rejected.code == "insecure_permissions")
        let expected = "plugin file is writable by other users (mode \(String(format: "%04o", mode)))"
        #expect(rejected.reason.hasPrefix(expected), "\(rejected.reason)")
    }

    @Test(
        "a world- or group-writable plugin folder is refused",
        arguments: [
            (Int16(0o777), "world-writable (mode 0777)"),
            (0o1777, "world-writable (mode 1777)"),
            (0o775, "group-writable (mode 0775)"),
        ])
    func writableFolder(mode: Int16, reason: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.coach(in: dir)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: dir.path)
        let rejected = try #require(Self.probingRegistry().scan(directory: dir.path).rejected.first)
        #expect(rejected.code == "insecure_permissions")
        #expect(rejected.reason.hasPrefix("plugin folder \(dir.path) is \(reason)"), "\(rejected.reason)")
    }

    @Test("a plugin file owned by another user is refused", .enabled(if: geteuid() == 0, "chown needs root"))
    func foreignOwner() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.coach(in: dir)
        #expect(chown(path, 4242, 4242) == 0)
        let rejected = try #require(Self.probingRegistry().scan(directory: dir.path).rejected.first)
        #expect(rejected.code == "insecure_permissions")
        #expect(rejected.reason.hasPrefix("plugin file is owned by uid 4242, not by root or the host's user (uid \(geteuid()))"))
    }

    @Test("the development opt-out loads an insecure file; fixing the mode makes a refused file load")
    func insecureOptOutAndFix() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.coach(in: dir, mode: 0o666)
        #expect(Self.probingRegistry(allowInsecure: true).scan(directory: dir.path).loaded.map(\.id) == ["dev.example.c-coach"])
        #expect(PluginFileCheck.allowInsecure(environment: ["VIGOR_PLUGIN_ALLOW_INSECURE": "1"]))
        #expect(!PluginFileCheck.allowInsecure(environment: [:]))

        let registry = Self.probingRegistry()
        #expect(registry.scan(directory: dir.path).rejected.first?.code == "insecure_permissions")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let fixed = registry.scan(directory: dir.path)
        #expect(fixed.loaded.map(\.id) == ["dev.example.c-coach"])
        #expect(fixed.rejected.isEmpty)
    }

    @Test("a directory named *.so, and symlinks, get an honest reason")
    func directoriesAndSymlinks() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = root.appendingPathComponent("plugins")
        let elsewhere = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("libfolder.so"), withIntermediateDirectories: true)
        let good = try Self.coach(in: elsewhere)
        let open = try Self.coach(in: elsewhere, name: "libopen.so", mode: 0o666)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("libgood.so").path, withDestinationPath: good)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("libopen.so").path, withDestinationPath: open)
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("libgone.so").path, withDestinationPath: "/nonexistent/x.so")

        let report = Self.probingRegistry().scan(directory: dir.path)
        #expect(report.loaded.map(\.id) == ["dev.example.c-coach"], "a symlink to a safe file loads, judged by its target")
        let reasons = Dictionary(uniqueKeysWithValues: report.rejected.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0) })
        #expect(reasons["libfolder.so"]?.code == "not_shared_library")
        #expect(reasons["libfolder.so"]?.reason == "is a directory, not a shared library")
        #expect(reasons["libopen.so"]?.code == "insecure_permissions")
        #expect(reasons["libopen.so"]?.reason.hasPrefix("symlink to \(open): plugin file is writable by other users (mode 0666)") == true)
        #expect(reasons["libgone.so"]?.reason == "is a symlink to /nonexistent/x.so, which does not exist")
    }

    // MARK: Declared secrets

    /// Host services that count what reaches them.
    final class RecordingServices: HostServiceHandler {
        let httpCalls = Mutex(0)

        func complete(_ request: ChatRequest, call: CallInfo?, plugin: String) async throws -> ChatResponse {
            throw PluginError.unavailable("not in this test")
        }

        func http(_ request: UpstreamRequest, call: CallInfo?, plugin: String, allowedHosts: [String]) async throws -> UpstreamResponse {
            httpCalls.withLock { $0 += 1 }
            return UpstreamResponse(status: 200, headers: [], body: "")
        }
    }

    @Test("vigor.http/1 refuses a request naming a secret the plugin did not declare, in-process and isolated", arguments: [false, true])
    func hostServiceUndeclaredSecret(isolated: Bool) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.compileC(
            TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/greedy_secret_plugin.c").path,
            to: dir.appendingPathComponent("libgreedy.so").path)
        let services = RecordingServices()
        let isolation = PluginLoader.Isolation(runnerExecutable: Self.vigor, isolates: PluginLoader.Isolation.fileNames(["*"]))
        let loader = PluginLoader(logger: TestSupport.quietLogger, handler: services, isolation: isolated ? isolation : nil, probe: nil)
        let component = try #require(try loader.load(path: path).first)
        defer { component.runner?.retire() }
        let answer = String(decoding: try component.invoke(op: "test.http", input: Array("{}".utf8)), as: UTF8.self)
        #expect(answer.hasPrefix("\(PluginError.invalidInput("").status):"), "\(answer)")
        #expect(answer.contains("asked for secret OPENAI_API_KEY, which its descriptor does not declare (declared: GREEDY_API_KEY)"))
        // Before the check, the request reached the host's egress, which injected the key.
        #expect(services.httpCalls.withLock { $0 } == 0)
    }

    /// Runs the built `vigor` with `arguments`; returns its exit status and standard output.
    static func vigorCommand(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: vigor)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("vigor plugin list and vigor plugin check report a plugin that aborts while loading, and live")
    func commandsSurviveAbortingPlugin() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.compileC(Self.hostileSource, to: dir.appendingPathComponent("libabort.so").path, defines: ["CTOR_ABORT"])
        let list = try Self.vigorCommand(["plugin", "list", "--plugins", dir.path])
        #expect(list.status == 0)
        #expect(list.output.contains("crashed_while_loading: crashed in constructor: signal 6 (SIGABRT)"), "\(list.output)")
        let check = try Self.vigorCommand(["plugin", "check", path])
        #expect(check.status == 1)
        #expect(check.output.contains("FAIL  load, probed in a child process — crashed_while_loading"), "\(check.output)")
    }
}
