import Foundation

/// The OpenAI Chat Completions wire format (`POST /v1/chat/completions`), reduced to the
/// fields Vigor sends and reads. Field names follow the API reference; every field that is
/// read is optional so a partial or unusual body is reported, never trapped on.

/// The request body.
struct OpenAIRequestBody: Encodable {
    struct Message: Encodable {
        var role: String
        var content: String
    }

    /// `{"type":"json_object"}`: JSON mode.
    struct ResponseFormat: Encodable {
        var type: String
    }

    /// `{"include_usage":true}`: one extra chunk with the usage before `data: [DONE]`.
    struct StreamOptions: Encodable {
        var includeUsage: Bool
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    var model: String
    var messages: [Message]
    var temperature: Double?
    /// The current output cap on api.openai.com (`max_tokens` is deprecated there).
    var maxCompletionTokens: Int?
    /// The output cap OpenAI-compatible servers (vLLM, llama.cpp, Ollama) understand.
    var maxTokens: Int?
    var responseFormat: ResponseFormat?
    var stream: Bool?
    var streamOptions: StreamOptions?

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, stream
        case maxCompletionTokens = "max_completion_tokens"
        case maxTokens = "max_tokens"
        case responseFormat = "response_format"
        case streamOptions = "stream_options"
    }
}

/// `usage` of a completion or of the final stream chunk.
struct OpenAIUsage: Decodable {
    var promptTokens: Int?
    var completionTokens: Int?

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }
}

/// The `error` object of an error body: `{"error":{"message","type","param","code"}}`.
struct OpenAIErrorObject: Decodable {
    var message: String?
    var type: String?
    /// A string on api.openai.com; some compatible servers send a number.
    var code: String?

    enum CodingKeys: String, CodingKey { case message, type, code }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        message = try? c.decodeIfPresent(String.self, forKey: .message)
        type = try? c.decodeIfPresent(String.self, forKey: .type)
        if let text = try? c.decodeIfPresent(String.self, forKey: .code) {
            code = text
        } else if let number = try? c.decodeIfPresent(Int.self, forKey: .code) {
            code = String(number)
        }
    }
}

/// A body that may carry an `error` object (error responses, error stream events).
struct OpenAIErrorEnvelope: Decodable {
    var error: OpenAIErrorObject?
}

/// A non-streamed answer (`object: "chat.completion"`).
struct OpenAICompletion: Decodable {
    struct Choice: Decodable {
        struct Message: Decodable {
            var content: String?
            var refusal: String?
        }

        var message: Message?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case message
            case finishReason = "finish_reason"
        }
    }

    var model: String?
    var choices: [Choice]?
    var usage: OpenAIUsage?
}

/// One streamed chunk (`object: "chat.completion.chunk"`); the final usage chunk has
/// empty `choices`.
struct OpenAIChunk: Decodable {
    struct Choice: Decodable {
        struct Delta: Decodable {
            var content: String?
        }

        var delta: Delta?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case delta
            case finishReason = "finish_reason"
        }
    }

    var model: String?
    var choices: [Choice]?
    var usage: OpenAIUsage?
    var error: OpenAIErrorObject?
}

extension JSONDecoder {
    /// Decodes `text` as `T`, or nil when it is not that JSON.
    static func decodeIfValid<T: Decodable>(_ type: T.Type, from text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
