import Foundation
import Testing
import VigorPluginLoader
import VigorPluginSDK

/// The Anthropic plugin (`libVigorAnthropic.so`) against the Messages API documentation's
/// recorded examples (plain, streamed, errors).
@Suite("Anthropic provider plugin")
struct AnthropicProviderTests {
    static let id = "dev.vigor.anthropic"
    static let request = ChatRequest(
        model: "claude-sonnet-4-5", messages: [ChatMessage(role: "user", content: "How many rest days do I need?")], stream: true)

    @Test("describes itself: id, capabilities, hosts, secret, priced models")
    func descriptor() throws {
        let descriptor = try ProviderFixtures.component(Self.id).descriptor
        #expect(descriptor.provider == "anthropic")
        #expect(descriptor.kind == .llmProvider)
        #expect(descriptor.capabilities == Capabilities(streaming: true, jsonMode: false, jsonBody: true))
        #expect(descriptor.allowedHosts == ["api.anthropic.com"])
        #expect(descriptor.secrets == ["ANTHROPIC_API_KEY"])
        #expect(descriptor.defaultBaseURL == "https://api.anthropic.com")
        let sonnet = try #require(descriptor.models.first)
        #expect(sonnet == ModelInfo(id: "claude-sonnet-4-5", inputPerMTokUSD: 3, outputPerMTokUSD: 15, contextTokens: 200_000))
        #expect(descriptor.models.allSatisfy { $0.inputPerMTokUSD > 0 && $0.outputPerMTokUSD >= $0.inputPerMTokUSD })
    }

    @Test("builds the exact Messages request for each recorded input: x-api-key, anthropic-version, top-level system, max_tokens")
    func requests() throws {
        try ProviderFixtures.checkRequests("anthropic", id: Self.id)
    }

    @Test("parses every recorded answer and error body (529 overloaded, retry-after) into the right result")
    func responses() throws {
        try ProviderFixtures.checkResponses("anthropic", id: Self.id, request: Self.request)
    }

    @Test("parses recorded SSE streams (message_start … message_stop, ping, error) the same way under any split")
    func streams() throws {
        try ProviderFixtures.checkStreams("anthropic", id: Self.id, request: Self.request)
    }
}
