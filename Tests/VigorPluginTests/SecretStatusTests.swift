import Foundation
import Logging
import Synchronization
import Testing
import VigorPluginLoader

/// Nothing about a provider's secret is silent: a name the host could never inject is
/// rejected at load with the rule, and a declared secret that is not set shows as
/// `inactive: missing secret NAME` in listings and in one log line at load.
@Suite("Secrets: the naming rule at load, and inactive providers")
struct SecretStatusTests {
    /// Log lines (level and message with metadata) a test can read.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    struct Recorder: LogHandler {
        let sink: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let extra = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            sink.lines.withLock { $0.append("\(event.level) \(event.message) \(extra)") }
        }
    }

    /// A plugin folder holding the checked provider, built with `defines`.
    static func folder(_ defines: [String] = []) throws -> URL {
        let folder = try TestSupport.temporaryDirectory()
        chmod(folder.path, 0o755)
        try TestSupport.compileC(
            PluginCheckTests.fixture, to: folder.appendingPathComponent("libchecked.so").path, defines: defines)
        chmod(folder.appendingPathComponent("libchecked.so").path, 0o755)
        return folder
    }

    static func registry(secrets: Set<String>, lines: Lines) -> PluginRegistry {
        let logger = Logger(label: "secret-test") { _ in Recorder(sink: lines) }
        return PluginRegistry(loader: PluginLoader(logger: logger, probe: nil, secretIsSet: { secrets.contains($0) }))
    }

    @Test("a secret named HELDOUT_TOKEN is rejected at load, with the rule and a suggestion")
    func namingRuleAtLoad() throws {
        let lines = Lines()
        let report = Self.registry(secrets: ["CHECKED_TOKEN"], lines: lines).scan(directory: try Self.folder(["TOKEN_SECRET"]).path)
        #expect(report.loaded.isEmpty)
        let rejected = try #require(report.rejected.first)
        #expect(rejected.code == "invalid_descriptor")
        #expect(rejected.reason.contains("secret \"CHECKED_TOKEN\" does not follow the secret naming rule"), "\(rejected.reason)")
        #expect(rejected.reason.contains("_API_KEY (e.g. CHECKED_API_KEY)"), "\(rejected.reason)")
        #expect(lines.all.contains { $0.hasPrefix("warning plugin rejected") && $0.contains("CHECKED_TOKEN") })
    }

    @Test("the naming rule: what passes and what does not")
    func namingRule() {
        for good in ["OPENAI_API_KEY", "X_API_KEY", "heldout2_API_KEY"] { #expect(SecretGrant.namingProblem(good) == nil, "\(good)") }
        for bad in ["HELDOUT_TOKEN", "_API_KEY", "API_KEY", "VIGOR_JWT_SECRET", "MY-KEY_API_KEY", "MY KEY_API_KEY", "", "OPENAI_API_KEY\n"]
        {
            #expect(SecretGrant.namingProblem(bad) != nil, "\(bad)")
        }
        #expect(SecretGrant.namingProblem("HELDOUT_TOKEN")?.contains("e.g. HELDOUT_API_KEY") == true)
    }

    @Test("a provider whose secret is not set is listed inactive and logged once at load; set, it is active")
    func inactiveWhenSecretMissing() throws {
        let folder = try Self.folder()
        let lines = Lines()
        let report = Self.registry(secrets: [], lines: lines).scan(directory: folder.path)
        let info = try #require(report.loaded.first { $0.id == "dev.test.checked" })
        #expect(info.status == "inactive: missing secret CHECKED_API_KEY")
        let logged = lines.all.filter { $0.contains("inactive: missing secret CHECKED_API_KEY") }
        #expect(logged.count == 1, "\(lines.all)")
        #expect(logged.first?.hasPrefix("warning plugin inactive") == true)

        let activeLines = Lines()
        let active = Self.registry(secrets: ["CHECKED_API_KEY"], lines: activeLines).scan(directory: folder.path)
        #expect(active.loaded.first { $0.id == "dev.test.checked" }?.status == "active")
        #expect(!activeLines.all.contains { $0.contains("inactive") })
    }

    @Test("the status reads the environment as the egress does: only non-empty *_API_KEY variables")
    func environmentSecrets() {
        let isSet = PluginLoader.environmentSecrets(["A_API_KEY": "k", "B_API_KEY": "", "C_TOKEN": "k"])
        #expect(isSet("A_API_KEY"))
        #expect(!isSet("B_API_KEY"))
        #expect(!isSet("C_TOKEN"))
        #expect(
            SecretGrant.status(declared: ["A_API_KEY", "B_API_KEY", "D_API_KEY"], isSet: isSet)
                == "inactive: missing secrets B_API_KEY, D_API_KEY")
        #expect(SecretGrant.status(declared: [], isSet: isSet) == "active")
    }

    @Test("`vigor plugin list` shows the inactive provider with the secret's name")
    func listCommand() throws {
        let folder = try Self.folder()
        let process = Process()
        process.executableURL = TestSupport.builtProducts.appendingPathComponent("vigor")
        process.arguments = ["plugin", "list", "--plugins", folder.path]
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "CHECKED_API_KEY" }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("dev.test.checked 1.0.0"), "\(text)")
        #expect(text.contains("inactive: missing secret CHECKED_API_KEY"), "\(text)")
    }
}
