import VigorPluginSDK

/// The Anthropic Messages API wire format (`POST /v1/messages`), reduced to the fields Vigor
/// sends and reads. Names follow the API reference; everything read is optional so an unusual
/// body is reported, never trapped on.

/// The request body, written directly (``WireEncodable``) with its keys in sorted order.
struct AnthropicRequestBody: WireEncodable {
    struct Message {
        /// `user` or `assistant`: the Messages API has no `system` role.
        var role: String
        var content: String
    }

    var model: String
    /// Required by the API.
    var maxTokens: Int
    var messages: [Message]
    /// The system prompt, a top-level field.
    var system: String?
    var temperature: Double?
    var stream: Bool?

    func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("max_tokens")
        out.int(maxTokens)
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
        if let stream {
            out.key("stream")
            out.bool(stream)
        }
        if let system {
            out.key("system")
            out.string(system)
        }
        if let temperature {
            out.key("temperature")
            out.double(temperature)
        }
        out.endObject()
    }
}

/// `usage`: `input_tokens` and `output_tokens` (a `message_delta`'s counts are cumulative).
struct AnthropicUsage: WireDecodable {
    var inputTokens: Int?
    var outputTokens: Int?

    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        inputTokens = try o.optionalInt("input_tokens")
        outputTokens = try o.optionalInt("output_tokens")
    }
}

/// A `Message` (the whole answer, or the skeleton in `message_start`).
struct AnthropicMessage: WireDecodable {
    var type: String?
    var model: String?
    /// The text of the `text` content blocks, joined (tool and thinking blocks are not the answer).
    var text: String?
    var stopReason: String?
    var usage: AnthropicUsage?

    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        type = try o.optionalString("type")
        model = try o.optionalString("model")
        stopReason = try o.optionalString("stop_reason")
        usage = try o.optional("usage")
        text = try o["content"].map { list in
            try list.array(at: o.path.key("content")) { item, at in
                let block = try item.members(at: at)
                return try block.optionalString("type") == "text" ? try block.optionalString("text") : nil
            }
            .compactMap { $0 }.joined()
        }
    }
}

/// One streamed event's data: `{"type":"message_start"|"content_block_delta"|…, …}`.
struct AnthropicStreamEvent: WireDecodable {
    var type: String
    var message: AnthropicMessage?
    /// `delta.type` and `delta.text` of a `content_block_delta`; `delta.stop_reason` of a `message_delta`.
    var deltaType: String?
    var deltaText: String?
    var stopReason: String?
    var usage: AnthropicUsage?
    var error: AnthropicErrorObject?

    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        type = try o.string("type")
        message = try o.optional("message")
        usage = try o.optional("usage")
        error = try? o.optional("error")
        if let delta = try o["delta"].map({ try $0.members(at: path.key("delta")) }) {
            deltaType = try delta.optionalString("type")
            deltaText = try delta.optionalString("text")
            stopReason = try delta.optionalString("stop_reason")
        }
    }
}

/// The `error` of an error body or event: `{"type":"error","error":{"type":"…","message":"…"}}`.
/// Read leniently: a field of an unexpected type is left out.
struct AnthropicErrorObject: WireDecodable {
    var type: String?
    var message: String?

    init(type: String?, message: String?) {
        self.type = type
        self.message = message
    }

    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        type = try? o.optionalString("type")
        message = try? o.optionalString("message")
    }

    /// The error object of a body, or nil when it is not an Anthropic error body.
    static func parse(_ text: String) -> AnthropicErrorObject? {
        guard let value = try? WireParser.parse(Array(text.utf8)), let object = try? value.members(at: .root),
            let error = object["error"], let parsed = try? AnthropicErrorObject(wire: error, at: WirePath.root.key("error")),
            parsed.type != nil || parsed.message != nil
        else { return nil }
        return parsed
    }
}
