import Foundation
import Testing
import VigorPluginLoader
import VigorPluginSDK

/// The Gemini plugin (`libVigorGemini.so`) against recorded Gemini API traffic.
@Suite("Gemini provider plugin")
struct GeminiProviderTests {
    static let id = "dev.vigor.gemini"
    static let request = ChatRequest(
        model: "gemini-3.5-flash", messages: [ChatMessage(role: "user", content: "How many rest days do I need?")], stream: true)

    @Test("describes itself: id, capabilities, hosts, secret, priced models")
    func descriptor() throws {
        let descriptor = try ProviderFixtures.component(Self.id).descriptor
        #expect(descriptor.provider == "gemini")
        #expect(descriptor.kind == .llmProvider)
        #expect(descriptor.capabilities == Capabilities(streaming: true, jsonMode: true, jsonBody: true))
        #expect(descriptor.allowedHosts == ["generativelanguage.googleapis.com"])
        #expect(descriptor.secrets == ["GEMINI_API_KEY"])
        #expect(descriptor.defaultBaseURL == "https://generativelanguage.googleapis.com")
        #expect(descriptor.models.first?.id == "gemini-3.5-flash")
        #expect(
            descriptor.models.allSatisfy { $0.inputPerMTokUSD > 0 && $0.outputPerMTokUSD > $0.inputPerMTokUSD && $0.contextTokens != nil })
    }

    @Test("builds the exact generateContent request for each recorded input")
    func requests() throws {
        try ProviderFixtures.checkRequests("gemini", id: Self.id)
    }

    @Test("parses every recorded answer, block and error body into the right result")
    func responses() throws {
        try ProviderFixtures.checkResponses("gemini", id: Self.id, request: Self.request)
    }

    @Test("parses recorded alt=sse streams the same way under any split")
    func streams() throws {
        try ProviderFixtures.checkStreams("gemini", id: Self.id, request: Self.request)
    }

    @Test("thought-summary parts are not part of the answer")
    func thoughtParts() throws {
        let body =
            #"{"candidates":[{"content":{"parts":[{"text":"Weighing recovery…","thought":true},{"text":"Two rest days."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":4,"thoughtsTokenCount":7,"totalTokenCount":16},"modelVersion":"gemini-3.5-flash"}"#
        let result = try ProviderFixtures.component(Self.id).invoke(
            "provider.parse_response", UpstreamResponse(status: 200, body: body, request: Self.request), as: ProviderResult.self)
        #expect(result.response?.text == "Two rest days.")
        #expect(result.response?.usage == TokenUsage(promptTokens: 5, completionTokens: 11))
    }
}
