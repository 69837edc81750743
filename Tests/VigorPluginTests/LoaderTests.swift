import Foundation
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
            try FileManager.default.copyItem(atPath: TestSupport.bundledPlugin(product), toPath: dir.appendingPathComponent("lib\(product).so").path)
        }
        let report = TestSupport.registry().scan(directory: dir.path)
        #expect(report.rejected.isEmpty)
        #expect(Set(report.loaded.map(\.id)) == ["dev.vigor.fallback", "dev.vigor.planner"])
        #expect(report.loaded.first { $0.id == "dev.vigor.planner" }?.kind == "plan-generator")
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

    @Test("garbage files are rejected with the reason", arguments: [
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

    @Test("each broken plugin is rejected with its specific reason", arguments: [
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
}
