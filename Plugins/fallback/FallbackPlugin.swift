import VigorPluginSDK

/// The offline coach as a provider: answers with no network and no key
/// (`provider.complete`), so the product always has an answer.
struct FallbackProvider: ProviderPlugin {
    static let model = "vigor-coach-1"

    let descriptor = ComponentDescriptor(
        id: "dev.vigor.fallback",
        name: "Offline coach",
        version: "1.0.0",
        kind: .llmProvider,
        capabilities: Capabilities(offline: true),
        models: [ModelInfo(id: FallbackProvider.model, inputPerMTokUSD: 0, outputPerMTokUSD: 0, contextTokens: 32_768)],
        provider: "fallback"
    )

    func complete(_ request: ChatRequest, context: CallContext) throws -> ProviderResult {
        guard request.messages.contains(where: { $0.role == "user" }) else {
            throw PluginError.invalidInput("messages: at least one user message is required")
        }
        let reply = OfflineCoach().reply(messages: request.messages.map { ($0.role, $0.content) }, profileJSON: request.profileJSON)
        var text = reply
        var finish = "stop"
        if let limit = request.maxTokens, limit > 0, OfflineCoach.estimateTokens(reply) > limit {
            // Honour max_tokens like a real model: cut the answer and say so.
            var bytes = 0
            text = String(
                reply.prefix(while: {
                    bytes += $0.utf8.count
                    return bytes <= limit * 4
                }))
            finish = "length"
        }
        let prompt = request.messages.reduce(0) { $0 + OfflineCoach.estimateTokens($1.content) + 4 }
        return .success(
            ChatResponse(
                text: text, finishReason: finish, model: Self.model,
                usage: TokenUsage(promptTokens: prompt, completionTokens: OfflineCoach.estimateTokens(text))))
    }
}

@_cdecl("vigor_plugin_entry")
public func vigorPluginEntry() -> UnsafeRawPointer {
    PluginExport.table { _ in [FallbackProvider()] }
}
