import Foundation
import VigorPluginSDK

/// Perplexity's Sonar API as a provider: a pure translator. Answers are web-grounded and
/// come with the sources they cite, surfaced as `citations`. The host sends the request
/// built here, injecting the key into `Authorization`, and hands back the bytes.
///
/// JSON mode is not offered: Sonar only constrains output with a caller-supplied JSON
/// schema (`response_format.type: json_schema`), which the chat request cannot carry.
struct PerplexityProvider: ProviderPlugin {
    static let defaultModel = "sonar"
    static let defaultBaseURL = "https://api.perplexity.ai"
    static let secret = "PERPLEXITY_API_KEY"

    /// Base URL, key redaction, `retry-after` and the status mapping (the SDK's provider kit).
    let kit: ProviderKit

    init(host: HostServices) {
        kit = ProviderKit(provider: "perplexity", defaultBaseURL: Self.defaultBaseURL, host: host)
    }

    let descriptor = ComponentDescriptor(
        id: "dev.vigor.perplexity",
        name: "Perplexity Sonar",
        version: "1.0.0",
        kind: .llmProvider,
        capabilities: Capabilities(streaming: true, jsonMode: false),
        // List token prices, USD per million tokens (docs.perplexity.ai pricing); the
        // per-request search fee comes on top and is not modelled here.
        models: [
            ModelInfo(id: "sonar", inputPerMTokUSD: 1.00, outputPerMTokUSD: 1.00, contextTokens: 128_000),
            ModelInfo(id: "sonar-pro", inputPerMTokUSD: 3.00, outputPerMTokUSD: 15.00, contextTokens: 200_000),
            ModelInfo(id: "sonar-reasoning-pro", inputPerMTokUSD: 2.00, outputPerMTokUSD: 8.00, contextTokens: 128_000),
        ],
        allowedHosts: ["api.perplexity.ai"],
        secrets: [PerplexityProvider.secret],
        defaultBaseURL: PerplexityProvider.defaultBaseURL,
        provider: "perplexity"
    )

    func buildRequest(_ input: BuildRequestInput, context: CallContext) throws -> UpstreamRequest {
        let request = input.request
        var system: [String] = []
        var turns: [PerplexityRequestBody.Message] = []
        for message in request.messages {
            switch message.role {
            case "system": system.append(message.content)
            case "user", "assistant":
                // Sonar wants system first, then alternating turns: merge repeats of one role.
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
        let messages = (system.isEmpty ? [] : [.init(role: "system", content: system.joined(separator: "\n\n"))]) + turns
        var body = PerplexityRequestBody(model: request.model.isEmpty ? Self.defaultModel : request.model, messages: messages)
        body.temperature = request.temperature
        body.maxTokens = request.maxTokens
        if request.stream { body.stream = true }
        return UpstreamRequest(
            method: "POST", url: try kit.baseURL(input.baseURL) + "/chat/completions",
            headers: [["Content-Type", "application/json"], ["Accept", request.stream ? "text/event-stream" : "application/json"]],
            body: String(decoding: WireJSON.bytes(of: body), as: UTF8.self),
            secretHeaders: [SecretHeader(name: "Authorization", secret: Self.secret, prefix: "Bearer ")])
    }

    func parseResponse(_ response: UpstreamResponse, context: CallContext) throws -> ProviderResult {
        guard (200...299).contains(response.status) else { return .failure(kit.perplexityError(for: response)) }
        guard let completion = WireJSON.read(PerplexityCompletion.self, from: response.body), let choices = completion.choices
        else {
            if PerplexityErrorObject.parse(response.body) != nil { return .failure(kit.perplexityError(for: response)) }
            return .failure(kit.badResponse("the body is not a chat completion", status: response.status))
        }
        guard let choice = choices.first, let message = choice.message else {
            return .failure(kit.badResponse("the completion has no choices", status: response.status))
        }
        var filter = ThinkFilter()
        let text = filter.feed(message.content ?? "") + filter.flush()
        let usage = TokenUsage(promptTokens: completion.usage?.promptTokens ?? 0, completionTokens: completion.usage?.completionTokens ?? 0)
        let model = completion.model ?? response.request.map { $0.model.isEmpty ? Self.defaultModel : $0.model } ?? Self.defaultModel
        return .success(
            ChatResponse(text: text, finishReason: choice.finishReason ?? "stop", model: model, usage: usage, citations: completion.sources)
        )
    }

    func makeStreamParser(for request: ChatRequest, context: CallContext) throws -> any PluginStream {
        PerplexityStreamParser(kit: kit)
    }
}

@_cdecl("vigor_plugin_entry")
public func vigorPluginEntry() -> UnsafeRawPointer {
    PluginExport.table { host in [PerplexityProvider(host: host)] }
}
