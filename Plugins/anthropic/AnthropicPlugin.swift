import VigorPluginSDK

/// Anthropic's Messages API as a provider: a pure translator. The host sends the request
/// built here, injecting the key into `x-api-key`, and hands back the bytes.
///
/// JSON mode is not offered: the Messages API has no JSON output switch.
struct AnthropicProvider: ProviderPlugin {
    static let defaultModel = "claude-sonnet-4-5"
    static let defaultBaseURL = "https://api.anthropic.com"
    static let secret = "ANTHROPIC_API_KEY"
    /// The API version header every request carries.
    static let apiVersion = "2023-06-01"
    /// `max_tokens` is required by the API; used when the request sets none.
    static let defaultMaxTokens = 1024

    let descriptor = ComponentDescriptor(
        id: "dev.vigor.anthropic",
        name: "Anthropic Claude",
        version: "1.0.0",
        kind: .llmProvider,
        capabilities: Capabilities(streaming: true, jsonMode: false),
        // List prices, USD per million tokens (docs.anthropic.com pricing, base input and output).
        models: [
            ModelInfo(id: "claude-sonnet-4-5", inputPerMTokUSD: 3.00, outputPerMTokUSD: 15.00, contextTokens: 200_000),
            ModelInfo(id: "claude-haiku-4-5", inputPerMTokUSD: 1.00, outputPerMTokUSD: 5.00, contextTokens: 200_000),
            ModelInfo(id: "claude-opus-4-1", inputPerMTokUSD: 15.00, outputPerMTokUSD: 75.00, contextTokens: 200_000),
        ],
        allowedHosts: ["api.anthropic.com"],
        secrets: [AnthropicProvider.secret],
        defaultBaseURL: AnthropicProvider.defaultBaseURL,
        provider: "anthropic"
    )

    /// Base URL, key redaction, `retry-after` and the status mapping (the SDK's provider kit).
    let kit: ProviderKit

    init(host: HostServices) {
        kit = ProviderKit(provider: "anthropic", defaultBaseURL: Self.defaultBaseURL, host: host)
    }

    func buildRequest(_ input: BuildRequestInput, context: CallContext) throws -> UpstreamRequest {
        let request = input.request
        var system: [String] = []
        var turns: [AnthropicRequestBody.Message] = []
        for message in request.messages {
            switch message.role {
            case "system": system.append(message.content)
            case "user", "assistant":
                // Turns alternate: repeats of one role are merged into one turn.
                if turns.last?.role == message.role {
                    turns[turns.count - 1].content += "\n\n" + message.content
                } else {
                    turns.append(.init(role: message.role, content: message.content))
                }
            default: throw PluginError.invalidInput("messages: unknown role \(message.role)")
            }
        }
        guard turns.contains(where: { $0.role == "user" }) else {
            throw PluginError.invalidInput("messages: at least one user message is required")
        }
        if let maxTokens = request.maxTokens, maxTokens < 1 { throw PluginError.invalidInput("max_tokens: must be at least 1") }
        var body = AnthropicRequestBody(
            model: request.model.isEmpty ? Self.defaultModel : request.model, maxTokens: request.maxTokens ?? Self.defaultMaxTokens,
            messages: turns)
        body.system = system.isEmpty ? nil : system.joined(separator: "\n\n")
        // Anthropic's temperature runs from 0 to 1 (OpenAI's to 2).
        body.temperature = request.temperature.map { min(max($0, 0), 1) }
        if request.stream { body.stream = true }
        return UpstreamRequest(
            method: "POST", url: ProviderKit.join(try kit.baseURL(input.baseURL), version: "/v1", path: "/messages"),
            headers: [
                ["Content-Type", "application/json"], ["Accept", request.stream ? "text/event-stream" : "application/json"],
                ["anthropic-version", Self.apiVersion],
            ],
            body: String(decoding: WireJSON.bytes(of: body), as: UTF8.self),
            secretHeaders: [SecretHeader(name: "x-api-key", secret: Self.secret)])
    }

    func parseResponse(_ response: UpstreamResponse, context: CallContext) throws -> ProviderResult {
        guard (200...299).contains(response.status) else { return .failure(kit.anthropicError(for: response)) }
        guard let message = WireJSON.read(AnthropicMessage.self, from: response.body), message.type != "error",
            let text = message.text
        else {
            if AnthropicErrorObject.parse(response.body) != nil { return .failure(kit.anthropicError(for: response)) }
            return .failure(kit.badResponse("the body is not a Message", status: response.status))
        }
        let reason = message.stopReason ?? "end_turn"
        if reason == "refusal" {
            return .failure(kit.error(.contentBlocked, "the answer was withheld (stop_reason refusal)", status: response.status))
        }
        let usage = TokenUsage(promptTokens: message.usage?.inputTokens ?? 0, completionTokens: message.usage?.outputTokens ?? 0)
        let requested = response.request.map { $0.model.isEmpty ? Self.defaultModel : $0.model } ?? Self.defaultModel
        return .success(ChatResponse(text: text, finishReason: Self.finishReason(reason), model: message.model ?? requested, usage: usage))
    }

    func makeStreamParser(for request: ChatRequest, context: CallContext) throws -> any PluginStream {
        AnthropicStreamParser(kit: kit)
    }

    /// Vigor's finish reason for a `stop_reason`.
    static func finishReason(_ raw: String) -> String {
        switch raw {
        case "end_turn", "stop_sequence": "stop"
        case "max_tokens": "length"
        default: raw
        }
    }
}

@_cdecl("vigor_plugin_entry")
public func vigorPluginEntry() -> UnsafeRawPointer {
    PluginExport.table { host in [AnthropicProvider(host: host)] }
}
