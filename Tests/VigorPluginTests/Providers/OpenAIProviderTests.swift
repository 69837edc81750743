import Foundation
import Testing
import VigorPluginLoader
import VigorPluginSDK

/// The OpenAI plugin (`libVigorOpenAI.so`) against recorded Chat Completions traffic.
@Suite("OpenAI provider plugin")
struct OpenAIProviderTests {
    static let id = "dev.vigor.openai"
    static let request = ChatRequest(
        model: "gpt-4o-mini", messages: [ChatMessage(role: "user", content: "How many rest days do I need?")], stream: true)

    @Test("describes itself: id, capabilities, hosts, secret, priced models")
    func descriptor() throws {
        let descriptor = try ProviderFixtures.component(Self.id).descriptor
        #expect(descriptor.provider == "openai")
        #expect(descriptor.kind == .llmProvider)
        #expect(descriptor.capabilities == Capabilities(streaming: true, jsonMode: true, jsonBody: true))
        #expect(descriptor.allowedHosts == ["api.openai.com"])
        #expect(descriptor.secrets == ["OPENAI_API_KEY"])
        #expect(descriptor.defaultBaseURL == "https://api.openai.com")
        let mini = try #require(descriptor.models.first)
        #expect(mini == ModelInfo(id: "gpt-4o-mini", inputPerMTokUSD: 0.15, outputPerMTokUSD: 0.60, contextTokens: 128_000))
        #expect(descriptor.models.allSatisfy { $0.inputPerMTokUSD > 0 && $0.outputPerMTokUSD >= $0.inputPerMTokUSD })
    }

    @Test("builds the exact Chat Completions request for each recorded input")
    func requests() throws {
        try ProviderFixtures.checkRequests("openai", id: Self.id)
    }

    @Test("parses every recorded answer and error body into the right result")
    func responses() throws {
        try ProviderFixtures.checkResponses("openai", id: Self.id, request: Self.request)
    }

    @Test("parses recorded SSE streams the same way under any split")
    func streams() throws {
        try ProviderFixtures.checkStreams("openai", id: Self.id, request: Self.request)
    }
}
