import Foundation
import VigorPluginSDK

/// OpenAI Chat Completions as a provider: a pure translator. The host sends the request
/// built here (with the key it injects into `Authorization`) and hands back the bytes.
///
/// The same translator serves every OpenAI-compatible server (Ollama, vLLM, llama.cpp's
/// server, Groq, Together, OpenRouter, Azure OpenAI) as named instances listed in
/// `openai-compatible.json` (``CompatibleConfig``): each is one more component of this library,
/// with its own provider name, base URL, key variable, models and prices.
struct OpenAIProvider: ProviderPlugin {
    static let defaultModel = "gpt-4o-mini"
    static let defaultBaseURL = "https://api.openai.com"
    static let secret = "OPENAI_API_KEY"

    /// How the upstream is addressed and authenticated.
    enum Style: Sendable {
        /// `{base}/v1/chat/completions`, `Authorization: Bearer <key>` (no header without a key).
        case openAI(secret: String?)
        /// `{base}/openai/deployments/{deployment}/chat/completions?api-version=…`, `api-key: <key>`.
        case azure(secret: String, apiVersion: String, deployments: [String: String])
    }

    let descriptor: ComponentDescriptor
    /// Base URL, key redaction, `retry-after` and the status mapping (the SDK's provider kit).
    let kit: ProviderKit
    let style: Style
    let defaultModel: String
    /// `max_completion_tokens` (api.openai.com, Azure) instead of `max_tokens` (most compatible servers).
    let maxCompletionTokens: Bool?

    /// The api.openai.com provider.
    init(host: HostServices) {
        descriptor = ComponentDescriptor(
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
            secrets: [Self.secret],
            defaultBaseURL: Self.defaultBaseURL,
            provider: "openai"
        )
        kit = ProviderKit(provider: "openai", defaultBaseURL: Self.defaultBaseURL, host: host)
        style = .openAI(secret: Self.secret)
        defaultModel = Self.defaultModel
        // Chosen by the base URL: the official host takes max_completion_tokens.
        maxCompletionTokens = nil
    }

    /// A named OpenAI-compatible instance from `openai-compatible.json`.
    init(instance: CompatibleConfig.Instance, host: HostServices) {
        descriptor = instance.descriptor
        kit = ProviderKit(provider: instance.provider, defaultBaseURL: instance.baseURL, host: host)
        style = instance.style
        defaultModel = instance.models.first?.id ?? ""
        maxCompletionTokens = instance.maxCompletionTokens
    }

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
        let (base, host) = try kit.baseURLAndHost(input.baseURL)
        let model = request.model.isEmpty ? defaultModel : request.model
        guard !model.isEmpty else { throw PluginError.invalidInput("model: required (\(kit.provider) lists no default model)") }
        var body = OpenAIRequestBody(model: model, messages: messages)
        body.temperature = Self.acceptsTemperature(model) ? request.temperature : nil
        if maxCompletionTokens ?? (host == "api.openai.com") {
            body.maxCompletionTokens = request.maxTokens
        } else {
            body.maxTokens = request.maxTokens
        }
        if request.jsonMode { body.responseFormat = "json_object" }
        if request.stream {
            body.stream = true
            body.streamIncludeUsage = true
        }
        let url: String
        let auth: [SecretHeader]
        switch style {
        case .openAI(let secret):
            url = ProviderKit.join(base, version: "/v1", path: "/chat/completions")
            auth = secret.map { [SecretHeader(name: "Authorization", secret: $0, prefix: "Bearer ")] } ?? []
        case .azure(let secret, let apiVersion, let deployments):
            let deployment = deployments[model] ?? model
            guard CompatibleConfig.isPathSafe(deployment) else {
                throw PluginError.invalidInput("model: \(model) is not a deployment name")
            }
            url = "\(base)/openai/deployments/\(deployment)/chat/completions?api-version=\(apiVersion)"
            auth = [SecretHeader(name: "api-key", secret: secret)]
        }
        return UpstreamRequest(
            method: "POST", url: url,
            headers: [["Content-Type", "application/json"], ["Accept", request.stream ? "text/event-stream" : "application/json"]],
            body: String(decoding: WireJSON.bytes(of: body), as: UTF8.self), secretHeaders: auth)
    }

    func parseResponse(_ response: UpstreamResponse, context: CallContext) throws -> ProviderResult {
        guard (200...299).contains(response.status) else { return .failure(kit.openAIError(for: response)) }
        guard let completion = WireJSON.read(OpenAICompletion.self, from: response.body), let choices = completion.choices
        else {
            if WireJSON.read(OpenAIErrorEnvelope.self, from: response.body)?.error != nil {
                return .failure(kit.openAIError(for: response))
            }
            return .failure(kit.badResponse("the body is not a chat completion", status: response.status))
        }
        guard let choice = choices.first, let message = choice.message else {
            return .failure(kit.badResponse("the completion has no choices", status: response.status))
        }
        let finish = choice.finishReason ?? "stop"
        if finish == "content_filter" || (message.content == nil && message.refusal != nil) {
            return .failure(kit.error(.contentBlocked, "the answer was withheld by the content filter", status: response.status))
        }
        let usage = TokenUsage(promptTokens: completion.usage?.promptTokens ?? 0, completionTokens: completion.usage?.completionTokens ?? 0)
        let model = completion.model ?? response.request.map { $0.model.isEmpty ? defaultModel : $0.model } ?? defaultModel
        return .success(ChatResponse(text: message.content ?? "", finishReason: finish, model: model, usage: usage))
    }

    func makeStreamParser(for request: ChatRequest, context: CallContext) throws -> any PluginStream {
        OpenAIStreamParser(kit: kit)
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
    PluginExport.table { host in
        let instances = try CompatibleConfig.load(host: host)
        return [OpenAIProvider(host: host)] + instances.map { OpenAIProvider(instance: $0, host: host) }
    }
}
