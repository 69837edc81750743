import Foundation

/// The Perplexity Sonar API wire format (`POST /chat/completions`, OpenAI-shaped plus
/// `citations` and `search_results`), reduced to the fields Vigor sends and reads.
/// Everything read is optional so an unusual body is reported, never trapped on.

/// The request body.
struct PerplexityRequestBody: Encodable {
    struct Message: Encodable {
        var role: String
        var content: String
    }

    var model: String
    var messages: [Message]
    var temperature: Double?
    var maxTokens: Int?
    var stream: Bool?

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, stream
        case maxTokens = "max_tokens"
    }
}

/// `usage`: cumulative in every stream chunk, final in the last one.
struct PerplexityUsage: Decodable, Equatable {
    var promptTokens: Int?
    var completionTokens: Int?

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }
}

/// One entry of `search_results`: `{"title","url","date"}`.
struct PerplexitySearchResult: Decodable {
    var url: String?
}

/// A whole answer (`chat.completion`) or one stream chunk (`chat.completion.chunk`, the last
/// one `chat.completion.done`): `message` in the first, `delta` in the others.
struct PerplexityCompletion: Decodable {
    struct Choice: Decodable {
        struct Text: Decodable {
            var content: String?
        }

        var message: Text?
        var delta: Text?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case message, delta
            case finishReason = "finish_reason"
        }
    }

    var model: String?
    var choices: [Choice]?
    var citations: [String]?
    var searchResults: [PerplexitySearchResult]?
    var usage: PerplexityUsage?
    var error: PerplexityErrorObject?

    enum CodingKeys: String, CodingKey {
        case model, choices, citations, usage, error
        case searchResults = "search_results"
    }

    /// The cited source URLs: `citations`, or the `search_results` URLs when that is absent.
    var sources: [String] {
        if let citations, !citations.isEmpty { return citations }
        return (searchResults ?? []).compactMap(\.url)
    }
}

/// An error object, `{"error":{"message","type","code"}}` or the same fields at the top level.
struct PerplexityErrorObject: Decodable {
    var message: String?
    var type: String?
    var code: String?

    enum CodingKeys: String, CodingKey { case message, type, code, error }

    init(message: String?, type: String?, code: String?) {
        self.message = message
        self.type = type
        self.code = code
    }

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

    /// The error object of `text`, nested under `error` or flat; nil when `text` is not one.
    static func parse(_ text: String) -> PerplexityErrorObject? {
        guard let data = text.data(using: .utf8),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return nil }
        let fields = (object["error"] as? [String: Any]) ?? object
        let message = fields["message"] as? String ?? (object["error"] as? String) ?? (object["detail"] as? String)
        guard message != nil || fields["type"] is String else { return nil }
        let code = (fields["code"] as? String) ?? (fields["code"] as? Int).map(String.init)
        return PerplexityErrorObject(message: message, type: fields["type"] as? String, code: code)
    }
}

extension JSONDecoder {
    /// Decodes `text` as `T`, or nil when it is not that JSON.
    static func decodeIfValid<T: Decodable>(_ type: T.Type, from text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
