import Foundation
import VigorPluginSDK

/// OpenAI Chat Completions as a provider: a pure translator. The host sends the request
/// built here (with the key it injects into `Authorization`) and hands back the bytes.
/// Also serves OpenAI-compatible servers (vLLM, llama.cpp, Ollama) through `base_url`.
struct OpenAIProvider: ProviderPlugin {
    static let defaultModel = "gpt-4o-mini"
    static let defaultBaseURL = "https://api.openai.com"
    static let secret = "OPENAI_API_KEY"

    let descriptor = ComponentDescriptor(
        id: "dev.vigor.openai",
        name: "OpenAI",
        version: "1.0.0",
        kind: .llmProvider,
        capabilities: Capabilities(streaming: true, jsonMode: true),
        // List prices, USD per million tokens (platform.openai.com pricing).
        models: [
            ModelInfo(id: "gpt-4o-mini", inputPerMTokUSD: 0.15, outputPerMTokUSD: 0.60, contextTokens: 128_000),
            ModelInfo(id: "gpt-4o", inputPerMTokUSD: 2.50, outputPerMTokUSD: 10.00, contextTokens: 128_000),
            ModelInfo(id: "gpt-4.1-mini", inputPerMTokUSD: 0.40, outputPerMTokUSD: 1.60, contextTokens: 1_047_576),
            ModelInfo(id: "gpt-4.1", inputPerMTokUSD: 2.00, outputPerMTokUSD: 8.00, contextTokens: 1_047_576),
            ModelInfo(id: "gpt-5-mini", inputPerMTokUSD: 0.25, outputPerMTokUSD: 2.00, contextTokens: 400_000),
        ],
        allowedHosts: ["api.openai.com"],
        secrets: [OpenAIProvider.secret],
        defaultBaseURL: OpenAIProvider.defaultBaseURL,
        provider: "openai"
    )

    func buildRequest(_ input: BuildRequestInput, context: CallContext) throws -> UpstreamRequest {
        let request = input.request
        guard request.messages.contains(where: { $0.role == "user" }) else {
            throw PluginError.invalidInput("messages: at least one user message is required")
        }
        let messages = try request.messages.map { message in
            guard ["system", "user", "assistant"].contains(message.role) else {
                throw PluginError.invalidInput("messages: unknown role \(message.role)")
            }
            return OpenAIRequestBody.Message(role: message.role, content: message.content)
        }
        let base = try Self.baseURL(input.baseURL)
        let official = URL(string: base)?.host == "api.openai.com"
        let model = request.model.isEmpty ? Self.defaultModel : request.model
        var body = OpenAIRequestBody(model: model, messages: messages)
        body.temperature = Self.acceptsTemperature(model) ? request.temperature : nil
        if official { body.maxCompletionTokens = request.maxTokens } else { body.maxTokens = request.maxTokens }
        if request.jsonMode { body.responseFormat = "json_object" }
        if request.stream {
            body.stream = true
            body.streamIncludeUsage = true
        }
        let path = base.hasSuffix("/v1") ? "/chat/completions" : "/v1/chat/completions"
        return UpstreamRequest(
            method: "POST", url: base + path,
            headers: [["Content-Type", "application/json"], ["Accept", request.stream ? "text/event-stream" : "application/json"]],
            body: String(decoding: WireJSON.bytes(of: body), as: UTF8.self),
            secretHeaders: [SecretHeader(name: "Authorization", secret: Self.secret, prefix: "Bearer ")])
    }

    func parseResponse(_ response: UpstreamResponse, context: CallContext) throws -> ProviderResult {
        guard (200...299).contains(response.status) else { return .failure(OpenAIErrors.error(for: response)) }
        guard let completion = WireJSON.read(OpenAICompletion.self, from: response.body), let choices = completion.choices
        else {
            if WireJSON.read(OpenAIErrorEnvelope.self, from: response.body)?.error != nil {
                return .failure(OpenAIErrors.error(for: response))
            }
            return .failure(
                ProviderError(kind: .badResponse, message: "openai: the body is not a chat completion", status: response.status))
        }
        guard let choice = choices.first, let message = choice.message else {
            return .failure(ProviderError(kind: .badResponse, message: "openai: the completion has no choices", status: response.status))
        }
        let finish = choice.finishReason ?? "stop"
        if finish == "content_filter" || (message.content == nil && message.refusal != nil) {
            return .failure(
                ProviderError(
                    kind: .contentBlocked, message: "openai: the answer was withheld by the content filter", status: response.status))
        }
        let usage = TokenUsage(promptTokens: completion.usage?.promptTokens ?? 0, completionTokens: completion.usage?.completionTokens ?? 0)
        let model = completion.model ?? response.request.map { $0.model.isEmpty ? Self.defaultModel : $0.model } ?? Self.defaultModel
        return .success(ChatResponse(text: message.content ?? "", finishReason: finish, model: model, usage: usage))
    }

    func makeStreamParser(for request: ChatRequest, context: CallContext) throws -> any PluginStream {
        OpenAIStreamParser()
    }

    /// The operator's base URL without a trailing slash (the default when empty).
    static func baseURL(_ raw: String) throws -> String {
        var base = raw.trimmingSpacesAndTabs()
        if base.isEmpty { base = defaultBaseURL }
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            url.host?.isEmpty == false, url.query == nil
        else { throw PluginError.invalidInput("base_url: \(raw) is not an http(s) URL") }
        return base
    }

    /// Reasoning models (o-series, gpt-5) reject a non-default `temperature`; it is left out for them.
    static func acceptsTemperature(_ model: String) -> Bool {
        let id = model.lowercased()
        let reasoning = id.hasPrefix("gpt-5") || ["o1", "o3", "o4"].contains { id == $0 || id.hasPrefix($0 + "-") }
        return !reasoning || id.contains("chat")
    }
}

@_cdecl("vigor_plugin_entry")
public func vigorPluginEntry() -> UnsafeRawPointer {
    PluginExport.table { _ in [OpenAIProvider()] }
}
