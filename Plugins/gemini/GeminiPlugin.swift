import Foundation
import VigorPluginSDK

/// The Gemini API (Google AI Studio keys) as a provider: a pure translator. The host sends
/// the request built here, injecting the key into `x-goog-api-key`, and hands back the bytes.
struct GeminiProvider: ProviderPlugin {
    static let defaultModel = "gemini-3.5-flash"
    static let defaultBaseURL = "https://generativelanguage.googleapis.com"
    static let secret = "GEMINI_API_KEY"

    /// Base URL, key redaction, `retry-after` and the status mapping (the SDK's provider kit).
    let kit: ProviderKit

    init(host: HostServices) {
        kit = ProviderKit(provider: "gemini", defaultBaseURL: Self.defaultBaseURL, host: host)
    }

    let descriptor = ComponentDescriptor(
        id: "dev.vigor.gemini",
        name: "Google Gemini",
        version: "1.0.0",
        kind: .llmProvider,
        capabilities: Capabilities(streaming: true, jsonMode: true),
        // List prices, USD per million tokens (ai.google.dev pricing, prompts up to 200k tokens).
        models: [
            ModelInfo(id: "gemini-3.5-flash", inputPerMTokUSD: 1.50, outputPerMTokUSD: 9.00, contextTokens: 1_048_576),
            ModelInfo(id: "gemini-3.1-flash-lite", inputPerMTokUSD: 0.25, outputPerMTokUSD: 1.50, contextTokens: 1_048_576),
            ModelInfo(id: "gemini-3.1-pro-preview", inputPerMTokUSD: 2.00, outputPerMTokUSD: 12.00, contextTokens: 1_048_576),
        ],
        allowedHosts: ["generativelanguage.googleapis.com"],
        secrets: [GeminiProvider.secret],
        defaultBaseURL: GeminiProvider.defaultBaseURL,
        provider: "gemini"
    )

    func buildRequest(_ input: BuildRequestInput, context: CallContext) throws -> UpstreamRequest {
        let request = input.request
        let model = try Self.modelID(request.model)
        var system: [GeminiContent.Part] = []
        var contents: [GeminiContent] = []
        for message in request.messages {
            let role: String
            switch message.role {
            case "system":
                system.append(.init(text: message.content))
                continue
            case "user": role = "user"
            case "assistant": role = "model"
            default: throw PluginError.invalidInput("messages: unknown role \(message.role)")
            }
            // Consecutive turns of one role become one Content with several parts.
            if contents.last?.role == role {
                contents[contents.count - 1].parts.append(.init(text: message.content))
            } else {
                contents.append(GeminiContent(role: role, parts: [.init(text: message.content)]))
            }
        }
        guard contents.contains(where: { $0.role == "user" }) else {
            throw PluginError.invalidInput("messages: at least one user message is required")
        }
        let config = GeminiRequestBody.GenerationConfig(
            temperature: request.temperature, maxOutputTokens: request.maxTokens,
            responseMimeType: request.jsonMode ? "application/json" : nil)
        let body = GeminiRequestBody(
            contents: contents, systemInstruction: system.isEmpty ? nil : GeminiContent(role: nil, parts: system),
            generationConfig: config.isEmpty ? nil : config)
        let method = request.stream ? ":streamGenerateContent?alt=sse" : ":generateContent"
        let url = ProviderKit.join(
            try kit.baseURL(input.baseURL), version: "/v1beta", alternatives: ["/v1"], path: "/models/\(model)\(method)")
        return UpstreamRequest(
            method: "POST", url: url,
            headers: [["Content-Type", "application/json"], ["Accept", request.stream ? "text/event-stream" : "application/json"]],
            body: String(decoding: WireJSON.bytes(of: body), as: UTF8.self),
            secretHeaders: [SecretHeader(name: "x-goog-api-key", secret: Self.secret)])
    }

    func parseResponse(_ response: UpstreamResponse, context: CallContext) throws -> ProviderResult {
        guard (200...299).contains(response.status) else { return .failure(kit.geminiError(for: response)) }
        guard let answer = WireJSON.read(GeminiResponse.self, from: response.body) else {
            if GeminiErrorEnvelope.parse(response.body) != nil { return .failure(kit.geminiError(for: response)) }
            return .failure(kit.badResponse("the body is not a GenerateContentResponse", status: response.status))
        }
        if let error = answer.error { return .failure(kit.geminiError(for: error, status: response.status)) }
        if let reason = answer.blockReason {
            return .failure(kit.geminiBlocked(reason, prompt: true, status: response.status))
        }
        guard let candidate = answer.candidates?.first else {
            return .failure(kit.badResponse("the response has no candidates", status: response.status))
        }
        let reason = candidate.finishReason ?? "STOP"
        if GeminiErrors.blockedFinishReasons.contains(reason) {
            return .failure(kit.geminiBlocked(reason, prompt: false, status: response.status))
        }
        let usage = answer.usageMetadata?.tokenUsage ?? (prompt: 0, completion: 0)
        let requested = response.request.map { (try? Self.modelID($0.model)) ?? Self.defaultModel } ?? Self.defaultModel
        return .success(
            ChatResponse(
                text: candidate.text, finishReason: GeminiErrors.finishReason(reason), model: answer.modelVersion ?? requested,
                usage: TokenUsage(promptTokens: usage.prompt, completionTokens: usage.completion)))
    }

    func makeStreamParser(for request: ChatRequest, context: CallContext) throws -> any PluginStream {
        GeminiStreamParser(kit: kit)
    }

    /// The model id for the URL path: the default when empty, `models/` prefix dropped,
    /// and only characters that cannot change the path or query.
    static func modelID(_ raw: String) throws -> String {
        var id = raw.isEmpty ? defaultModel : raw
        if id.hasPrefix("models/") { id.removeFirst("models/".count) }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        guard !id.isEmpty, id.allSatisfy(allowed.contains) else { throw PluginError.invalidInput("model: \(raw) is not a Gemini model id") }
        return id
    }
}

@_cdecl("vigor_plugin_entry")
public func vigorPluginEntry() -> UnsafeRawPointer {
    PluginExport.table { host in [GeminiProvider(host: host)] }
}
