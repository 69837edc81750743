import VigorPluginSDK

/// An offline LLM provider: answers stretching and mobility questions from a small built-in
/// table of routines. No upstream, no secrets, no network — and deterministic, so every
/// answer is easy to test.
public struct StretchCoach: ProviderPlugin {
    public let descriptor = ComponentDescriptor(
        id: "dev.example.stretch-coach",
        name: "Stretch coach",
        version: "1.0.0",
        kind: .llmProvider,
        capabilities: Capabilities(offline: true),
        models: [ModelInfo(id: StretchCoach.model)],
        provider: "stretch-coach"
    )

    static let model = "stretch-coach-1"

    public init() {}

    /// `provider.complete`: the routine for the body area the last user message names.
    public func complete(_ request: ChatRequest, context: CallContext) throws -> ProviderResult {
        guard let question = request.messages.last(where: { $0.role == "user" })?.content, !question.isEmpty else {
            throw PluginError.invalidInput("messages: no user message to answer")
        }
        if context.isCancelled { throw PluginError.cancelled() }
        var words = Routine.matching(question).answer.split(separator: " ")
        var finish = "stop"
        if let limit = request.maxTokens, limit > 0, words.count > limit {
            words = Array(words.prefix(limit))
            finish = "length"
        }
        let prompt = request.messages.reduce(0) { $0 + $1.content.utf8.count / 4 + 1 }
        return .success(
            ChatResponse(
                text: words.joined(separator: " "), finishReason: finish, model: Self.model,
                usage: TokenUsage(promptTokens: prompt, completionTokens: words.count)))
    }
}
