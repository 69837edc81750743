import Foundation

/// The Gemini API wire format (`models/{model}:generateContent` and
/// `:streamGenerateContent?alt=sse`), reduced to the fields Vigor sends and reads. Names
/// follow the REST reference (camelCase); everything read is optional.

/// A `Content`: a role and its text parts.
struct GeminiContent: Encodable {
    struct Part: Encodable {
        var text: String
    }

    /// `user` or `model`; absent for `systemInstruction`.
    var role: String?
    var parts: [Part]
}

/// The request body.
struct GeminiRequestBody: Encodable {
    struct GenerationConfig: Encodable {
        var temperature: Double?
        var maxOutputTokens: Int?
        /// `application/json` for JSON mode.
        var responseMimeType: String?

        var isEmpty: Bool { temperature == nil && maxOutputTokens == nil && responseMimeType == nil }
    }

    var contents: [GeminiContent]
    var systemInstruction: GeminiContent?
    var generationConfig: GenerationConfig?
}

/// A `GenerateContentResponse`: the whole answer, or one event of a stream.
struct GeminiResponse: Decodable {
    struct Candidate: Decodable {
        struct Content: Decodable {
            struct Part: Decodable {
                var text: String?
                /// True for thought-summary parts, which are not part of the answer.
                var thought: Bool?
            }

            var parts: [Part]?
        }

        var content: Content?
        var finishReason: String?

        /// The answer text: the non-thought text parts, joined.
        var text: String { (content?.parts ?? []).filter { $0.thought != true }.compactMap(\.text).joined() }
    }

    struct PromptFeedback: Decodable {
        var blockReason: String?
    }

    struct UsageMetadata: Decodable, Equatable {
        var promptTokenCount: Int?
        var candidatesTokenCount: Int?
        /// Thinking tokens, billed as output.
        var thoughtsTokenCount: Int?
    }

    var candidates: [Candidate]?
    var promptFeedback: PromptFeedback?
    var usageMetadata: UsageMetadata?
    var modelVersion: String?
    var error: GeminiErrorObject?
}

/// The `error` object of a Google API error body:
/// `{"error":{"code":429,"message":…,"status":"RESOURCE_EXHAUSTED","details":[…]}}`.
struct GeminiErrorObject: Decodable {
    /// One entry of `details` (`google.rpc.ErrorInfo`, `google.rpc.RetryInfo`, …).
    struct Detail: Decodable {
        var type: String?
        var reason: String?
        /// `RetryInfo.retryDelay`, a duration such as `"37s"`.
        var retryDelay: String?

        enum CodingKeys: String, CodingKey {
            case reason, retryDelay
            case type = "@type"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try? c.decodeIfPresent(String.self, forKey: .type)
            reason = try? c.decodeIfPresent(String.self, forKey: .reason)
            retryDelay = try? c.decodeIfPresent(String.self, forKey: .retryDelay)
        }
    }

    var code: Int?
    var message: String?
    var status: String?
    var details: [Detail]?
}

/// A body carrying an `error` object; the streaming endpoint without `alt=sse` wraps it in an array.
struct GeminiErrorEnvelope: Decodable {
    var error: GeminiErrorObject?

    /// The error object of `text`, in either shape.
    static func parse(_ text: String) -> GeminiErrorObject? {
        let data = Data(text.utf8)
        if let single = try? JSONDecoder().decode(GeminiErrorEnvelope.self, from: data), let error = single.error { return error }
        return (try? JSONDecoder().decode([GeminiErrorEnvelope].self, from: data))?.first?.error
    }
}

extension GeminiResponse.UsageMetadata {
    /// As Vigor counts it: prompt in, answer plus thinking out.
    var tokenUsage: (prompt: Int, completion: Int) {
        (promptTokenCount ?? 0, (candidatesTokenCount ?? 0) + (thoughtsTokenCount ?? 0))
    }
}
