import Foundation
import VigorPluginSDK

/// The Perplexity Sonar API wire format (`POST /chat/completions`, OpenAI-shaped plus
/// `citations` and `search_results`), reduced to the fields Vigor sends and reads.
/// Everything read is optional so an unusual body is reported, never trapped on.

/// The request body, written directly (``WireEncodable``) with its keys in sorted order.
struct PerplexityRequestBody: WireEncodable {
    struct Message {
        var role: String
        var content: String
    }

    var model: String
    var messages: [Message]
    var temperature: Double?
    var maxTokens: Int?
    var stream: Bool?

    func write(to out: inout WireWriter) {
        out.beginObject()
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
        if let stream {
            out.key("stream")
            out.bool(stream)
        }
        if let temperature {
            out.key("temperature")
            out.double(temperature)
        }
        out.endObject()
    }
}

/// `usage`: cumulative in every stream chunk, final in the last one.
struct PerplexityUsage: WireDecodable, Equatable {
    var promptTokens: Int?
    var completionTokens: Int?

    init(promptTokens: Int?, completionTokens: Int?) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        promptTokens = try o.optionalInt("prompt_tokens")
        completionTokens = try o.optionalInt("completion_tokens")
    }
}

/// A whole answer (`chat.completion`) or one stream chunk (`chat.completion.chunk`, the last
/// one `chat.completion.done`): `message` in the first, `delta` in the others. Read directly
/// (``WireDecodable``); a field of the wrong type makes the whole body unreadable, as it did
/// with `Codable`, except `error`, which is read leniently.
struct PerplexityCompletion: WireDecodable {
    struct Choice {
        struct Text {
            var content: String?
        }

        var message: Text?
        var delta: Text?
        var finishReason: String?
    }

    var model: String?
    var choices: [Choice]?
    var citations: [String]?
    /// The `url` of each `search_results` entry (nil where an entry has none).
    var searchResults: [String?]?
    var usage: PerplexityUsage?
    var error: PerplexityErrorObject?

    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        model = try o.optionalString("model")
        usage = try o.optional("usage")
        error = try o.optional("error")
        citations = try o["citations"].map { try $0.array(at: o.path.key("citations")) { item, at in try item.string(at: at) } }
        searchResults = try o["search_results"].map { list in
            try list.array(at: o.path.key("search_results")) { item, at in try item.members(at: at).optionalString("url") }
        }
        choices = try o["choices"].map { list in
            try list.array(at: o.path.key("choices")) { item, at in
                let choice = try item.members(at: at)
                func text(_ key: String) throws -> Choice.Text? {
                    try choice[key].map { Choice.Text(content: try $0.members(at: at.key(key)).optionalString("content")) }
                }
                return Choice(
                    message: try text("message"), delta: try text("delta"), finishReason: try choice.optionalString("finish_reason"))
            }
        }
    }

    /// The cited source URLs: `citations`, or the `search_results` URLs when that is absent.
    var sources: [String] {
        if let citations, !citations.isEmpty { return citations }
        return (searchResults ?? []).compactMap { $0 }
    }
}

/// An error object, `{"error":{"message","type","code"}}` or the same fields at the top level.
/// Read leniently: a field of an unexpected type is left out.
struct PerplexityErrorObject: WireDecodable {
    var message: String?
    var type: String?
    var code: String?

    init(message: String?, type: String?, code: String?) {
        self.message = message
        self.type = type
        self.code = code
    }

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

    /// The error object of `text`, nested under `error` or flat; nil when `text` is not one.
    static func parse(_ text: String) -> PerplexityErrorObject? {
        guard let value = try? WireParser.parse(Array(text.utf8)), let object = try? value.members(at: .root) else { return nil }
        // The fields sit under `error` when that is an object, else at the top level.
        let nested = object["error"].flatMap { try? PerplexityErrorObject(wire: $0, at: .root) }
        guard var error = nested ?? (try? PerplexityErrorObject(wire: value, at: .root)) else { return nil }
        func topLevelString(_ key: String) -> String? {
            if case .string(let string) = object[key] { return string }
            return nil
        }
        error.message = error.message ?? topLevelString("error") ?? topLevelString("detail")
        return error.message != nil || error.type != nil ? error : nil
    }
}
