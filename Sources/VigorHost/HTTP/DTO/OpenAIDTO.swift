import Foundation
import VigorCoaching
import VigorPluginSDK

/// `POST /v1/chat/completions` body (the OpenAI Chat Completions request). Fields Vigor
/// does not use (`top_p`, `seed`, `stop`, `tools`, ...) are accepted and ignored.
struct OpenAIChatRequest: WireDecodable, Sendable {
    struct Message: Sendable {
        var role: String
        var content: Content?
    }

    /// `content` is a string or an array of parts; only `{"type":"text","text":…}` parts are supported.
    enum Content: Sendable {
        case text(String)
        case parts([Part])

        struct Part: Sendable {
            var type: String
            var text: String?
        }
    }

    var model: String?
    var messages: [Message]
    var temperature: Double?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var stream: Bool?
    /// `stream_options.include_usage`.
    var includeUsage: Bool?
    /// `response_format.type`.
    var responseFormat: String?
    var user: String?
    var n: Int?

    /// Read directly from the body (``WireDecodable``): wrong types are 422 naming the field.
    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        model = try o.optionalString("model")
        messages = try o.array("messages") { item, at in
            let message = try item.members(at: at)
            let content: Content? = try message["content"].map { content in
                if case .string(let text) = content { return .text(text) }
                return .parts(
                    try content.array(at: at.key("content")) { part, partAt in
                        let fields = try part.members(at: partAt)
                        return Content.Part(type: try fields.string("type"), text: try fields.optionalString("text"))
                    })
            }
            return Message(role: try message.string("role"), content: content)
        }
        temperature = try o.optionalDouble("temperature")
        maxTokens = try o.optionalInt("max_tokens")
        maxCompletionTokens = try o.optionalInt("max_completion_tokens")
        stream = try o["stream"]?.bool(at: path.key("stream"))
        includeUsage = try o["stream_options"].flatMap {
            try $0.members(at: path.key("stream_options"))["include_usage"]?.bool(at: path.key("stream_options").key("include_usage"))
        }
        responseFormat = try o["response_format"].map { try $0.members(at: path.key("response_format")).string("type") }
        user = try o.optionalString("user")
        n = try o.optionalInt("n")
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
        if let format = responseFormat {
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
struct OpenAIUsage: Encodable, WireEncodable, Sendable {
    var promptTokens: Int
    var completionTokens: Int
    var totalTokens: Int

    init(_ usage: TokenUsage) {
        promptTokens = usage.promptTokens
        completionTokens = usage.completionTokens
        totalTokens = Pricing.addTokens(usage.promptTokens, usage.completionTokens)
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("completion_tokens")
        out.int(completionTokens)
        out.key("prompt_tokens")
        out.int(promptTokens)
        out.key("total_tokens")
        out.int(totalTokens)
        out.endObject()
    }
}

/// `chat.completion` (non-streaming answer), written directly (keys in sorted order).
struct OpenAIChatCompletion: WireEncodable, Sendable {
    var id: String
    var created: Int
    var model: String
    var content: String
    var finishReason = "stop"
    var usage: OpenAIUsage

    func write(to out: inout WireWriter) {
        out.reserve(content.utf8.count &+ model.utf8.count &+ id.utf8.count &+ 256)
        out.beginObject()
        out.key("choices")
        out.beginArray()
        out.beginObject()
        out.key("finish_reason")
        out.string(finishReason)
        out.key("index")
        out.int(0)
        out.key("logprobs")
        out.null()
        out.key("message")
        out.beginObject()
        out.key("content")
        out.string(content)
        out.key("role")
        out.string("assistant")
        out.endObject()
        out.endObject()
        out.endArray()
        out.key("created")
        out.int(created)
        out.key("id")
        out.string(id)
        out.key("model")
        out.string(model)
        out.key("object")
        out.string("chat.completion")
        out.key("usage")
        out.value(usage)
        out.endObject()
    }
}

/// `chat.completion.chunk` (one streamed piece), written directly (keys in sorted order).
/// `finish_reason` is always present (null until the last chunk); `usage` is present (null
/// until the usage chunk) only when the client asked for `stream_options.include_usage`.
struct OpenAIChatChunk: WireEncodable, Sendable {
    struct Delta: Sendable {
        var role: String?
        var content: String?
    }

    var id: String
    var created: Int
    var model: String
    /// The one choice, or nil for the usage chunk (`choices: []`).
    var delta: Delta?
    var finishReason: String?
    var usage: OpenAIUsage?
    var includeUsage: Bool

    func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("choices")
        out.beginArray()
        if let delta {
            out.beginObject()
            out.key("delta")
            out.beginObject()
            if let content = delta.content {
                out.key("content")
                out.string(content)
            }
            if let role = delta.role {
                out.key("role")
                out.string(role)
            }
            out.endObject()
            out.key("finish_reason")
            if let finishReason { out.string(finishReason) } else { out.null() }
            out.key("index")
            out.int(0)
            out.key("logprobs")
            out.null()
            out.endObject()
        }
        out.endArray()
        out.key("created")
        out.int(created)
        out.key("id")
        out.string(id)
        out.key("model")
        out.string(model)
        out.key("object")
        out.string("chat.completion.chunk")
        if includeUsage {
            out.key("usage")
            if let usage { out.value(usage) } else { out.null() }
        }
        out.endObject()
    }
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
