import Foundation
import Logging
import Testing
import VigorPluginLoader
import VigorPluginSDK

@testable import VigorHost

/// The router sends an upstream's JSON body as JSON (`body_json`) exactly to a provider whose
/// descriptor declares `json_body`, and as the `body` string to any other. The C provider
/// `Tests/Fixtures/checked_provider.c` reads only `"body"`; built with `JSON_BODY_CLAIMED` it
/// declares `json_body` all the same, so the router's choice shows in whether it can answer.
@Suite("Router: the upstream body's form follows the provider's json_body declaration")
struct JSONBodyRoutingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func compileCheckedProvider(into folder: URL, defines: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["cc", "-shared", "-fPIC", "-std=c11", "-D_POSIX_C_SOURCE=200809L"] + defines.map { "-D\($0)" } + [
                "-I", root.appendingPathComponent("Sources/VigorPluginAPI/include").path, "-o",
                folder.appendingPathComponent("libchecked.so").path, root.appendingPathComponent("Tests/Fixtures/checked_provider.c").path,
            ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("a declaring provider gets body_json, the other the body string", arguments: [false, true])
    func formFollowsDeclaration(claimsJSONBody: Bool) async throws {
        let quota = try await QuotaLedgerTests.fixture()
        let upstream = try await MockUpstream.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-json-body-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Self.compileCheckedProvider(into: dir, defines: claimsJSONBody ? ["JSON_BODY_CLAIMED"] : [])
        let logger = Logger(label: "json-body-test")
        let registry = PluginRegistry(loader: PluginLoader(logger: logger))
        registry.scan(directory: dir.path)
        let provider = try #require(registry.components(kind: .llmProvider).first { $0.providerName == "checked" })
        #expect(provider.descriptor.capabilities.jsonBody == claimsJSONBody)
        var configuration = ProviderRouter.Configuration()
        configuration.baseURLs = ["checked": upstream.baseURL]
        let egress = Egress(secrets: Secrets(["CHECKED_API_KEY": "ck-0123456789"]))
        let router = ProviderRouter(
            registry: registry, egress: egress, accounting: quota.ledger,
            priorities: StaticProviderPriorities([ProviderPriority(provider: "checked", priority: 1)]), configuration: configuration,
            logger: logger)
        upstream.script(
            [],
            otherwise: .json(
                #"{"id":"x","model":"checked-1","choices":[{"index":0,"message":{"role":"assistant","content":"Rest."},"finish_reason":"stop"}]}"#
            ))
        let question = ChatRequest(messages: [ChatMessage(role: "user", content: "How many rest days?")], maxTokens: 50)
        let answer = await Result {
            try await router.complete(
                question, context: AIRequestContext(userID: quota.userID, requestID: UUID().uuidString, deadlineMs: nil))
        }
        #expect(!upstream.received.isEmpty, "the upstream was asked")
        if claimsJSONBody {
            // The host sent body_json; this plugin looks for "body" and refuses its input.
            #expect(throws: (any Error).self) { try answer.get() }
        } else {
            #expect(try answer.get().text == "ok", "the fixture's answer to a 200")
        }
        upstream.stop()
        try? await egress.shutdown()
        try await quota.store.close()
    }
}
