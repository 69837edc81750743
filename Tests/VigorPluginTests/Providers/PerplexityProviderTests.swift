import Foundation
import Testing
import VigorPluginLoader
import VigorPluginSDK

/// The Perplexity plugin (`libVigorPerplexity.so`) against recorded Sonar API traffic.
@Suite("Perplexity provider plugin")
struct PerplexityProviderTests {
    static let id = "dev.vigor.perplexity"
    static let request = ChatRequest(
        model: "sonar", messages: [ChatMessage(role: "user", content: "How many rest days do I need?")], stream: true)

    @Test("describes itself: id, capabilities, hosts, secret, priced models")
    func descriptor() throws {
        let descriptor = try ProviderFixtures.component(Self.id).descriptor
        #expect(descriptor.provider == "perplexity")
        #expect(descriptor.kind == .llmProvider)
        // Sonar only has schema-constrained output, which a chat request cannot carry.
        #expect(descriptor.capabilities == Capabilities(streaming: true, jsonMode: false, jsonBody: true))
        #expect(descriptor.allowedHosts == ["api.perplexity.ai"])
        #expect(descriptor.secrets == ["PERPLEXITY_API_KEY"])
        #expect(descriptor.defaultBaseURL == "https://api.perplexity.ai")
        let sonar = try #require(descriptor.models.first)
        #expect(sonar == ModelInfo(id: "sonar", inputPerMTokUSD: 1, outputPerMTokUSD: 1, contextTokens: 128_000))
    }

    @Test("builds the exact Sonar request for each recorded input")
    func requests() throws {
        try ProviderFixtures.checkRequests("perplexity", id: Self.id)
    }

    @Test("parses every recorded answer and error body, citations included")
    func responses() throws {
        try ProviderFixtures.checkResponses("perplexity", id: Self.id, request: Self.request)
    }

    @Test("parses recorded streams, citations and usage included, under any split")
    func streams() throws {
        try ProviderFixtures.checkStreams("perplexity", id: Self.id, request: Self.request)
    }
}
