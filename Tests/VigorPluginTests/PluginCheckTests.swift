import Foundation
import Testing
import VigorPluginLoader

@testable import VigorPluginTesting

/// `vigor plugin check` exercises every operation of a provider and checks each output
/// against its schema; `--isolated` survives a plugin that crashes. Driven by
/// `Tests/Fixtures/checked_provider.c`, built as is (conformant) or with one misbehaviour.
@Suite("Plugin check: every operation, every output against its schema")
struct PluginCheckTests {
    static let fixture = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/checked_provider.c").path

    /// The fixture built with `defines` (none: the conformant provider).
    static func build(_ defines: [String] = []) throws -> String {
        let name = "libchecked\(defines.map { "-\($0)" }.joined()).so"
        return try TestSupport.compileC(
            fixture, to: try TestSupport.temporaryDirectory().appendingPathComponent(name).path, defines: defines)
    }

    static func run(_ path: String, isolated: Bool = false) -> ConformanceReport {
        ConformanceSuite(
            threads: 2, callsPerThread: 3,
            runnerExecutable: isolated ? TestSupport.builtProducts.appendingPathComponent("vigor").path : nil
        ).run(path: path)
    }

    static func failed(_ report: ConformanceReport) -> [ConformanceCheck] { report.checks.filter { !$0.passed } }

    @Test("a conformant C provider passes, parse_response and stream events included")
    func conformantPasses() throws {
        let report = Self.run(try Self.build())
        #expect(report.passed, "\(report.text)")
        for name in [
            "provider.parse_response on a 429 answer with retry-after returns a valid provider result",
            "provider.parse_response refuses not JSON", "provider.build_request injects its declared secrets through secret_headers",
            "provider.stream emits only valid events on a Chat-Completions-style SSE body",
        ] {
            #expect(report.checks.contains { $0.name.contains(name) && $0.passed }, "\(name)\n\(report.text)")
        }
    }

    @Test("a provider that declares json_body but reads only \"body\" fails the body_json checks, and only those")
    func claimedJSONBodyFails() throws {
        let report = Self.run(try Self.build(["JSON_BODY_CLAIMED"]))
        #expect(!report.passed)
        let failed = Self.failed(report)
        #expect(!failed.isEmpty && failed.allSatisfy { $0.name.contains("sent as body_json") }, "\(report.text)")
        #expect(failed.contains { $0.name.contains("a 401 answer") && $0.detail.contains("declares json_body") }, "\(report.text)")
    }

    @Test("parse_response answering VIGOR_OK with \"this is not JSON\" fails the check")
    func garbageParseFails() throws {
        let report = Self.run(try Self.build(["GARBAGE_PARSE"]))
        #expect(!report.passed)
        let failed = Self.failed(report)
        #expect(!failed.isEmpty && failed.allSatisfy { $0.name.contains("provider.parse_response") }, "\(report.text)")
        #expect(failed.contains { $0.detail.contains("not a JSON object") && $0.detail.contains("this is not JSON") })
    }

    @Test("a provider that declares a secret but sends no secret_headers fails the check")
    func missingSecretHeaderFails() throws {
        let report = Self.run(try Self.build(["NO_SECRET_HEADER"]))
        let failed = Self.failed(report)
        #expect(failed.count == 1, "\(report.text)")
        #expect(failed.first?.name.contains("injects its declared secrets") == true)
        #expect(failed.first?.detail.contains("CHECKED_API_KEY") == true)
    }

    @Test("a stream parser emitting events without \"type\" fails the check")
    func badEventsFail() throws {
        let report = Self.run(try Self.build(["BAD_EVENT"]))
        let failed = Self.failed(report)
        #expect(!failed.isEmpty && failed.allSatisfy { $0.name.contains("provider.stream emits only valid events") }, "\(report.text)")
    }

    @Test("the schema checks name what is wrong in a provider result")
    func providerResultSchema() {
        let cases: [(String, String?)] = [
            (#"{"schema":1,"response":{"text":"hi","usage":{"prompt_tokens":1,"completion_tokens":2}}}"#, nil),
            (#"{"schema":1,"error":{"kind":"rate_limited","message":"slow","retry_after_ms":2000}}"#, nil),
            (#"{"response":{"text":"hi","usage":{"prompt_tokens":1,"completion_tokens":2}}}"#, "\"schema\" is missing"),
            (#"{"schema":true,"error":{"kind":"auth","message":"x"}}"#, "not 1"),
            (#"{"schema":1}"#, "neither"),
            (
                #"{"schema":1,"response":{"text":"a","usage":{"prompt_tokens":1,"completion_tokens":1}},"error":{"kind":"auth","message":"x"}}"#,
                "both"
            ),
            (#"{"schema":1,"error":{"kind":"teapot","message":"x"}}"#, "not one of"),
            (#"{"schema":1,"response":{"text":"hi"}}"#, "usage"),
            (#"{"schema":1,"response":{"text":"hi","usage":{"prompt_tokens":-1,"completion_tokens":2}}}"#, "prompt_tokens"),
            ("this is not JSON", "not a JSON object"),
        ]
        for (output, expected) in cases {
            let problem = OutputSchema.providerResultProblem(Array(output.utf8))
            if let expected {
                #expect(problem?.contains(expected) == true, "\(output): \(problem ?? "accepted")")
            } else {
                #expect(problem == nil, "\(output): \(problem ?? "")")
            }
        }
    }

    @Test("--isolated: a plugin that segfaults in parse_response yields a failing report; the checker lives on")
    func isolatedCrashIsReported() throws {
        let report = Self.run(try Self.build(["CRASH_ON_PARSE"]), isolated: true)
        #expect(report.isolated)
        #expect(!report.passed)
        let isolation = try #require(report.checks.first { $0.name.hasPrefix("isolation:") }, "\(report.text)")
        #expect(!isolation.passed)
        #expect(isolation.detail.contains("signal 11"), "\(isolation.detail)")
        // Checks after the crash ran against the restarted runner.
        #expect(report.checks.contains { $0.name.contains("stream on_done exactly once (cancel)") && $0.passed }, "\(report.text)")
    }

    @Test("`vigor plugin check --isolated` on a crashing plugin exits non-zero with the report")
    func isolatedCommandExitCode() throws {
        let path = try Self.build(["CRASH_ON_PARSE"])
        let process = Process()
        process.executableURL = TestSupport.builtProducts.appendingPathComponent("vigor")
        process.arguments = ["plugin", "check", "--isolated", path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 1)
        #expect(text.contains("FAIL  isolation: the plugin never crashed or hung its runner"), "\(text)")
        #expect(text.contains("passed,"), "\(text)")
    }
}
