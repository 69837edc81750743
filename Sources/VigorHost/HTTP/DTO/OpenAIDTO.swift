import Foundation
import VigorCoaching
import VigorPluginSDK

/// `POST /v1/chat/completions` body (the OpenAI Chat Completions request). Fields Vigor
/// does not use (`top_p`, `seed`, `stop`, `tools`, ...) are accepted and ignored.
struct OpenAIChatRequest: Decodable, Sendable {
    struct Message: Decodable, Sendable {
        var role: String
        var content: Content?
    }

    /// `content` is a string or an array of parts; only `{"type":"text","text":…}` parts are supported.
    enum Content: Decodable, Sendable {
        case text(String)
        case parts([Part])

        struct Part: Decodable, Sendable {
            var type: String
            var text: String?
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .parts(try container.decode([Part].self))
            }
        }
    }

    struct StreamOptions: Decodable, Sendable {
        var includeUsage: Bool?
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    struct ResponseFormat: Decodable, Sendable {
        var type: String
    }

    var model: String?
    var messages: [Message]
    var temperature: Double?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var stream: Bool?
    var streamOptions: StreamOptions?
    var responseFormat: ResponseFormat?
    var user: String?
    var n: Int?

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, stream, user, n
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case streamOptions = "stream_options"
        case responseFormat = "response_format"
    }

    static let roles: Set<String> = ["system", "developer", "user", "assistant"]

    /// The normalised request for the router; 400 naming the parameter when something is unsupported.
    func chatRequest() throws -> ChatRequest {
        func invalid(_ param: String, _ message: String) -> APIError {
            APIError(.badRequest, code: "invalid_value", message: message, fields: [FieldError(field: param, message: message)])
        }
        guard let model, !model.isEmpty else {
            throw APIError(
                .badRequest, code: "missing_required_parameter", message: "you must provide a model parameter",
                fields: [FieldError(field: "model", message: "is required")])
        }
        guard !messages.isEmpty else { throw invalid("messages", "messages must hold at least one message") }
        if let n, n != 1 { throw invalid("n", "only n = 1 is supported") }
        if let temperature, !(0...2).contains(temperature) { throw invalid("temperature", "temperature must be between 0 and 2") }
        let maxTokens = maxCompletionTokens ?? self.maxTokens
        if let maxTokens, maxTokens < 1 {
            throw invalid(maxCompletionTokens != nil ? "max_completion_tokens" : "max_tokens", "must be at least 1")
        }
        var jsonMode = false
        if let format = responseFormat?.type {
            switch format {
            case "text": break
            case "json_object", "json_schema": jsonMode = true
            default: throw invalid("response_format.type", "unsupported response_format type '\(format)'")
            }
        }
        var converted: [ChatMessage] = []
        converted.reserveCapacity(messages.count)
        for (index, message) in messages.enumerated() {
            guard Self.roles.contains(message.role) else {
                throw invalid("messages[\(index)].role", "unsupported role '\(message.role)' (use system, developer, user or assistant)")
            }
            let text: String
            switch message.content {
            case .text(let value)?: text = value
            case .parts(let parts)?:
                var joined = ""
                for part in parts {
                    guard part.type == "text", let value = part.text else {
                        throw invalid("messages[\(index)].content", "only text content parts are supported")
                    }
                    if !joined.isEmpty { joined += "\n" }
                    joined += value
                }
                text = joined
            case nil:
                throw invalid("messages[\(index)].content", "content is required")
            }
            converted.append(ChatMessage(role: message.role == "developer" ? "system" : message.role, content: text))
        }
        return ChatRequest(
            model: model, messages: converted, temperature: temperature, maxTokens: maxTokens, jsonMode: jsonMode,
            stream: stream ?? false)
    }
}

/// OpenAI's `usage`.
struct OpenAIUsage: Encodable, Sendable {
    var promptTokens: Int
    var completionTokens: Int
    var totalTokens: Int

    init(_ usage: TokenUsage) {
        promptTokens = usage.promptTokens
        completionTokens = usage.completionTokens
        totalTokens = usage.promptTokens + usage.completionTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }
}

/// `chat.completion` (non-streaming answer).
struct OpenAIChatCompletion: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
        struct Message: Encodable, Sendable {
            var role = "assistant"
            var content: String
        }
        var index = 0
        var message: Message
        var finishReason = "stop"

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(message, forKey: .message)
            try c.encodeNil(forKey: .logprobs)
            try c.encode(finishReason, forKey: .finishReason)
        }

        enum CodingKeys: String, CodingKey {
            case index, message, logprobs
            case finishReason = "finish_reason"
        }
    }

    var id: String
    var object = "chat.completion"
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: OpenAIUsage
}

/// `chat.completion.chunk` (one streamed piece). `finish_reason` is always present (null
/// until the last chunk); `usage` is present (null until the usage chunk) only when the
/// client asked for `stream_options.include_usage`.
struct OpenAIChatChunk: Encodable, Sendable {
    struct Delta: Encodable, Sendable {
        var role: String?
        var content: String?
    }

    struct Choice: Encodable, Sendable {
        var index = 0
        var delta: Delta
        var finishReason: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(delta, forKey: .delta)
            try c.encodeNil(forKey: .logprobs)
            try c.encode(finishReason, forKey: .finishReason)
        }

        enum CodingKeys: String, CodingKey {
            case index, delta, logprobs
            case finishReason = "finish_reason"
        }
    }

    var id: String
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: OpenAIUsage?
    var includeUsage: Bool

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode("chat.completion.chunk", forKey: .object)
        try c.encode(created, forKey: .created)
        try c.encode(model, forKey: .model)
        try c.encode(choices, forKey: .choices)
        if includeUsage { try c.encode(usage, forKey: .usage) }
    }

    enum CodingKeys: String, CodingKey { case id, object, created, model, choices, usage }
}

/// `GET /v1/models`.
struct OpenAIModelList: Encodable, Sendable {
    struct Model: Encodable, Sendable {
        var id: String
        var object = "model"
        var created: Int
        var ownedBy: String

        enum CodingKeys: String, CodingKey {
            case id, object, created
            case ownedBy = "owned_by"
        }
    }

    var object = "list"
    var data: [Model]
}
