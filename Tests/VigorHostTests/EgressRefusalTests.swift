import Foundation
import Logging
import Testing
import VigorPluginLoader
import VigorPluginSDK

@testable import VigorHost

/// A provider plugin that asks for a host outside its `allowed_hosts` is misconfigured: the
/// router logs it (naming the plugin), counts it, and fails over. The user never gets a 400.
@Suite("Egress refusal is a plugin misconfiguration")
struct EgressRefusalTests {
    struct Setup {
        let router: ProviderRouter
        let quota: QuotaLedgerTests.Fixture
        let metrics: HostMetrics
        let logs: CapturingLogHandler.Lines

        func context() -> AIRequestContext { AIRequestContext(userID: quota.userID, requestID: UUID().uuidString) }

        func outcomes() async throws -> [String] {
            try await quota.store.read { db in
                try String.fetchAll(db, sql: "SELECT provider || ':' || outcome FROM ai_usage_logs ORDER BY id")
            }
        }
    }

    /// The stray plugin (first in priority) and the offline fallback behind it.
    static func setup() async throws -> Setup {
        let quota = try await QuotaLedgerTests.fixture()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-stray-\(UUID().uuidString)")
        let plugins = dir.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        try PluginSecurityTests.drop("stray_host_plugin.c", into: plugins, name: "libstray.so")
        try FileManager.default.copyItem(
            at: QuotaLedgerTests.builtProducts.appendingPathComponent("libVigorFallback.so"),
            to: plugins.appendingPathComponent("libVigorFallback.so"))
        let lines = CapturingLogHandler.Lines()
        let logger = Logger(label: "egress-refusal-test") { _ in CapturingLogHandler(sink: lines) }
        let registry = PluginRegistry(loader: PluginLoader(logger: logger))
        let report = registry.scan(directory: plugins.path)
        try #require(Set(report.loaded.map(\.id)).contains("dev.test.stray"), "\(report.rejected)")
        let metrics = HostMetrics()
        let router = ProviderRouter(
            registry: registry, egress: Egress(secrets: Secrets([:])), accounting: quota.ledger,
            priorities: StaticProviderPriorities([ProviderPriority(provider: "stray", priority: 1)]),
            configuration: ProviderRouter.Configuration(), metrics: metrics, logger: logger)
        return Setup(router: router, quota: quota, metrics: metrics, logs: lines)
    }

    static let question = ChatRequest(messages: [ChatMessage(role: "user", content: "How many rest days?")], maxTokens: 50)

    @Test("plain and streaming: the refused provider is logged with its name, counted, and failed over; no 400")
    func refusedHostFailsOver() async throws {
        let s = try await Self.setup()
        defer { Task { try? await s.router.egress?.shutdown() } }

        let reply = try await s.router.complete(Self.question, context: s.context())
        #expect(reply.provider == "fallback")

        var streamed: CoachReply?
        for try await event in s.router.stream(Self.question, context: s.context()) {
            if case .done(let done) = event { streamed = done }
        }
        #expect(streamed?.provider == "fallback")

        // Refused once per request (a misconfiguration is not retried), never sent.
        #expect(try await s.outcomes() == ["stray:bad_response", "fallback:success", "stray:bad_response", "fallback:success"])
        #expect(s.metrics.render().contains(#"vigor_egress_refusals_total{provider="stray"} 2"#), "\(s.metrics.render())")
        let refusals = s.logs.all.filter { $0.contains("egress refused") }
        #expect(refusals.count == 2)
        #expect(refusals.allSatisfy { $0.contains("dev.test.stray") && $0.contains("elsewhere.example") })
    }

    @Test("a misconfigured provider is a provider fault: it counts against its circuit breaker")
    func refusalCountsAgainstTheBreaker() async throws {
        let s = try await Self.setup()
        defer { Task { try? await s.router.egress?.shutdown() } }
        _ = try await s.router.complete(Self.question, context: s.context())
        #expect(s.router.breakers.status("stray", nowMs: s.router.clock.nowMs).consecutiveFailures == 1)
    }
}
