/// The normalised chat types that cross the plugin ABI as JSON (schema 1).
///
/// Field names are snake_case on the wire; these types are the single Swift
/// definition of the payloads documented in docs/plugin-abi.md.

/// One message of a conversation.
public struct ChatMessage: Codable, Sendable, Hashable {
    /// `system`, `user` or `assistant`.
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// A provider-neutral chat completion request.
public struct ChatRequest: Codable, Sendable, Hashable {
    public var schema: Int
    /// The upstream model id (e.g. `gpt-4o-mini`); empty means the provider's default.
    public var model: String
    public var messages: [ChatMessage]
    public var temperature: Double?
    public var maxTokens: Int?
    /// Ask for a JSON object answer where the provider supports it.
    public var jsonMode: Bool
    public var stream: Bool
    /// The caller's fitness profile as JSON text, when the request is a coaching turn.
    public var profileJSON: String?

    enum CodingKeys: String, CodingKey {
        case schema, model, messages, temperature, stream
        case maxTokens = "max_tokens"
        case jsonMode = "json_mode"
        case profileJSON = "profile_json"
    }

    public init(
        model: String = "", messages: [ChatMessage], temperature: Double? = nil, maxTokens: Int? = nil,
        jsonMode: Bool = false, stream: Bool = false, profileJSON: String? = nil
    ) {
        self.schema = 1
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.jsonMode = jsonMode
        self.stream = stream
        self.profileJSON = profileJSON
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decodeIfPresent(Int.self, forKey: .schema) ?? 1
        model = try c.decodeIfPresent(String.self, forKey: .model) ?? ""
        messages = try c.decode([ChatMessage].self, forKey: .messages)
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
        jsonMode = try c.decodeIfPresent(Bool.self, forKey: .jsonMode) ?? false
        stream = try c.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        profileJSON = try c.decodeIfPresent(String.self, forKey: .profileJSON)
    }
}

/// Token counts of one completion.
public struct TokenUsage: Codable, Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public var totalTokens: Int { promptTokens + completionTokens }
}

/// A provider-neutral chat completion answer.
public struct ChatResponse: Codable, Sendable, Hashable {
    public var schema: Int
    public var text: String
    /// `stop`, `length`, `content_filter`, `tool_calls`, or the provider's own word.
    public var finishReason: String
    public var model: String
    public var usage: TokenUsage
    /// Sources the provider cited (Perplexity), in order.
    public var citations: [String]

    enum CodingKeys: String, CodingKey {
        case schema, text, model, usage, citations
        case finishReason = "finish_reason"
    }

    public init(text: String, finishReason: String = "stop", model: String, usage: TokenUsage, citations: [String] = []) {
        self.schema = 1
        self.text = text
        self.finishReason = finishReason
        self.model = model
        self.usage = usage
        self.citations = citations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decodeIfPresent(Int.self, forKey: .schema) ?? 1
        text = try c.decode(String.self, forKey: .text)
        finishReason = try c.decodeIfPresent(String.self, forKey: .finishReason) ?? "stop"
        model = try c.decodeIfPresent(String.self, forKey: .model) ?? ""
        usage = try c.decode(TokenUsage.self, forKey: .usage)
        citations = try c.decodeIfPresent([String].self, forKey: .citations) ?? []
    }
}
