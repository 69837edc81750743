import Foundation
import VigorPluginSDK

/// The OpenAI Chat Completions wire format (`POST /v1/chat/completions`), reduced to the
/// fields Vigor sends and reads. Field names follow the API reference; every field that is
/// read is optional so a partial or unusual body is reported, never trapped on.

/// The request body, written directly (``WireEncodable``) with its keys in sorted order.
struct OpenAIRequestBody: WireEncodable {
    struct Message {
        var role: String
        var content: String
    }

    var model: String
    var messages: [Message]
    var temperature: Double?
    /// The current output cap on api.openai.com (`max_tokens` is deprecated there).
    var maxCompletionTokens: Int?
    /// The output cap OpenAI-compatible servers (vLLM, llama.cpp, Ollama) understand.
    var maxTokens: Int?
    /// `{"type":"json_object"}` (JSON mode) when set.
    var responseFormat: String?
    var stream: Bool?
    /// `{"include_usage":true}`: one extra chunk with the usage before `data: [DONE]`.
    var streamIncludeUsage: Bool?

    func write(to out: inout WireWriter) {
        out.beginObject()
        if let maxCompletionTokens {
            out.key("max_completion_tokens")
            out.int(maxCompletionTokens)
        }
        if let maxTokens {
            out.key("max_tokens")
            out.int(maxTokens)
        }
        out.key("messages")
        out.array(messages) { out, message in
            out.beginObject()
            out.key("content")
            out.string(message.content)
            out.key("role")
            out.string(message.role)
            out.endObject()
        }
        out.key("model")
        out.string(model)
        if let responseFormat {
            out.key("response_format")
            out.beginObject()
            out.key("type")
            out.string(responseFormat)
            out.endObject()
        }
        if let stream {
            out.key("stream")
            out.bool(stream)
        }
        if let streamIncludeUsage {
            out.key("stream_options")
            out.beginObject()
            out.key("include_usage")
            out.bool(streamIncludeUsage)
            out.endObject()
        }
        if let temperature {
            out.key("temperature")
            out.double(temperature)
        }
        out.endObject()
    }
}

/// `usage` of a completion or of the final stream chunk.
struct OpenAIUsage: WireReadable {
    var promptTokens: Int?
    var completionTokens: Int?

    static let wireKeys: WireKeys = ["prompt_tokens", "completion_tokens"]

    init(reading reader: inout WireReader) throws {
        try reader.members(Self.wireKeys) { key, r in
            if key == 0 { promptTokens = try r.optionalInt() } else { completionTokens = try r.optionalInt() }
        }
    }
}

/// The `error` object of an error body: `{"error":{"message","type","param","code"}}`.
/// Read leniently: a field of an unexpected type is left out.
struct OpenAIErrorObject: WireDecodable {
    var message: String?
    var type: String?
    /// A string on api.openai.com; some compatible servers send a number.
    var code: String?

    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        message = try? o.optionalString("message")
        type = try? o.optionalString("type")
        switch o["code"] {
        case .string(let text): code = text
        case .int(let number): code = String(number)
        default: code = nil
        }
    }
}

/// A body that may carry an `error` object (error responses, error stream events).
struct OpenAIErrorEnvelope: WireDecodable {
    var error: OpenAIErrorObject?

    init(wire value: WireValue, at path: WirePath) throws {
        error = try value.members(at: path).optional("error")
    }
}

/// A non-streamed answer (`object: "chat.completion"`).
/// Read straight from the body's bytes: the members it does not use (`id`, `logprobs`,
/// the usage details, ...) are checked and stepped over, not built.
struct OpenAICompletion: WireReadable {
    struct Choice {
        var message: (content: String?, refusal: String?)?
        var finishReason: String?
    }

    var model: String?
    var choices: [Choice]?
    var usage: OpenAIUsage?

    static let wireKeys: WireKeys = ["model", "usage", "choices"]
    static let choiceKeys: WireKeys = ["message", "finish_reason"]
    static let messageKeys: WireKeys = ["content", "refusal"]

    init(reading reader: inout WireReader) throws {
        try reader.members(Self.wireKeys) { key, r in
            switch key {
            case 0: model = try r.optionalString()
            case 1: usage = try r.optional(OpenAIUsage.self)
            default: choices = try r.optionalArray(Self.choice)
            }
        }
    }

    static func choice(_ reader: inout WireReader) throws -> Choice {
        var choice = Choice()
        try reader.members(choiceKeys) { key, r in
            if key == 1 {
                choice.finishReason = try r.optionalString()
            } else if try !r.null() {
                var message: (content: String?, refusal: String?) = (nil, nil)
                try r.members(messageKeys) { key, r in
                    if key == 0 { message.content = try r.optionalString() } else { message.refusal = try r.optionalString() }
                }
                choice.message = message
            }
        }
        return choice
    }
}

/// One streamed chunk (`object: "chat.completion.chunk"`); the final usage chunk has
/// empty `choices`.
struct OpenAIChunk: WireDecodable {
    struct Choice {
        /// `delta.content`; nil when there is no delta or no content in it.
        var content: String?
        var finishReason: String?
    }

    var model: String?
    var choices: [Choice]?
    var usage: OpenAIUsage?
    var error: OpenAIErrorObject?

    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        model = try o.optionalString("model")
        usage = try o.optional("usage")
        error = try o.optional("error")
        choices = try o["choices"].map { list in
            try list.array(at: o.path.key("choices")) { item, at in
                let choice = try item.members(at: at)
                let delta = try choice["delta"].map { try $0.members(at: at.key("delta")) }
                return Choice(content: try delta?.optionalString("content"), finishReason: try choice.optionalString("finish_reason"))
            }
        }
    }
}
