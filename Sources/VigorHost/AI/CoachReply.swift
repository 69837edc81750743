import VigorPluginSDK

/// A coaching answer with who served it and what it cost.
public struct CoachReply: Sendable, Hashable {
    /// The answer's text.
    public var text: String
    /// Provider short name, e.g. `fallback`, `openai`.
    public var provider: String
    /// The model that answered (the upstream's name for it when it reports one).
    public var model: String
    /// Tokens in and out, as reported (bounded by the host).
    public var usage: TokenUsage
    /// Cost in integer micro-dollars.
    public var costMicros: Int64
    /// Source URLs some providers return (Perplexity); empty otherwise.
    public var citations: [String]
    /// The user's tightest request limit after this call (for `X-RateLimit-*`).
    public var rateLimit: RateLimitStatus?

    public init(
        text: String, provider: String, model: String, usage: TokenUsage, costMicros: Int64, citations: [String] = [],
        rateLimit: RateLimitStatus? = nil
    ) {
        self.text = text
        self.provider = provider
        self.model = model
        self.usage = usage
        self.costMicros = costMicros
        self.citations = citations
        self.rateLimit = rateLimit
    }
}
