import Foundation
import VigorPluginSDK

/// The Gemini API wire format (`models/{model}:generateContent` and
/// `:streamGenerateContent?alt=sse`), reduced to the fields Vigor sends and reads. Names
/// follow the REST reference (camelCase); everything read is optional.

/// A `Content`: a role and its text parts.
struct GeminiContent: WireEncodable {
    struct Part {
        var text: String
    }

    /// `user` or `model`; absent for `systemInstruction`.
    var role: String?
    var parts: [Part]

    func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("parts")
        out.array(parts) { out, part in
            out.beginObject()
            out.key("text")
            out.string(part.text)
            out.endObject()
        }
        if let role {
            out.key("role")
            out.string(role)
        }
        out.endObject()
    }
}

/// The request body, written directly (``WireEncodable``) with its keys in sorted order.
struct GeminiRequestBody: WireEncodable {
    struct GenerationConfig {
        var temperature: Double?
        var maxOutputTokens: Int?
        /// `application/json` for JSON mode.
        var responseMimeType: String?

        var isEmpty: Bool { temperature == nil && maxOutputTokens == nil && responseMimeType == nil }
    }

    var contents: [GeminiContent]
    var systemInstruction: GeminiContent?
    var generationConfig: GenerationConfig?

    func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("contents")
        out.array(contents) { out, content in out.value(content) }
        if let config = generationConfig {
            out.key("generationConfig")
            out.beginObject()
            if let value = config.maxOutputTokens {
                out.key("maxOutputTokens")
                out.int(value)
            }
            if let value = config.responseMimeType {
                out.key("responseMimeType")
                out.string(value)
            }
            if let value = config.temperature {
                out.key("temperature")
                out.double(value)
            }
            out.endObject()
        }
        if let systemInstruction {
            out.key("systemInstruction")
            out.value(systemInstruction)
        }
        out.endObject()
    }
}

/// A `GenerateContentResponse`: the whole answer, or one event of a stream. Read directly
/// (``WireDecodable``); a field of the wrong type makes the whole body unreadable, as it did
/// with `Codable`, except inside `error.details`, which is read leniently.
struct GeminiResponse: WireDecodable {
    struct Candidate {
        struct Part {
            var text: String?
            /// True for thought-summary parts, which are not part of the answer.
            var thought: Bool?
        }

        var parts: [Part]?
        var finishReason: String?

        /// The answer text: the non-thought text parts, joined.
        var text: String { (parts ?? []).filter { $0.thought != true }.compactMap(\.text).joined() }
    }

    struct UsageMetadata: WireDecodable, Equatable {
        var promptTokenCount: Int?
        var candidatesTokenCount: Int?
        /// Thinking tokens, billed as output.
        var thoughtsTokenCount: Int?

        init(wire value: WireValue, at path: WirePath) throws {
            let o = try value.members(at: path)
            promptTokenCount = try o.optionalInt("promptTokenCount")
            candidatesTokenCount = try o.optionalInt("candidatesTokenCount")
            thoughtsTokenCount = try o.optionalInt("thoughtsTokenCount")
        }
    }

    var candidates: [Candidate]?
    /// `promptFeedback.blockReason`.
    var blockReason: String?
    var usageMetadata: UsageMetadata?
    var modelVersion: String?
    var error: GeminiErrorObject?

    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        modelVersion = try o.optionalString("modelVersion")
        usageMetadata = try o.optional("usageMetadata")
        error = try o.optional("error")
        blockReason = try o["promptFeedback"].map { try $0.members(at: o.path.key("promptFeedback")).optionalString("blockReason") } ?? nil
        candidates = try o["candidates"].map { list in
            try list.array(at: o.path.key("candidates")) { item, at in
                let candidate = try item.members(at: at)
                let content = try candidate["content"].map { try $0.members(at: at.key("content")) }
                let parts = try content?["parts"].map { list in
                    try list.array(at: at.key("content").key("parts")) { part, partAt in
                        let fields = try part.members(at: partAt)
                        return Candidate.Part(
                            text: try fields.optionalString("text"),
                            thought: try fields["thought"].map { try $0.bool(at: partAt.key("thought")) })
                    }
                }
                return Candidate(parts: parts, finishReason: try candidate.optionalString("finishReason"))
            }
        }
    }
}

/// The `error` object of a Google API error body:
/// `{"error":{"code":429,"message":…,"status":"RESOURCE_EXHAUSTED","details":[…]}}`.
struct GeminiErrorObject: WireDecodable {
    /// One entry of `details` (`google.rpc.ErrorInfo`, `google.rpc.RetryInfo`, …), read leniently.
    struct Detail {
        var type: String?
        var reason: String?
        /// `RetryInfo.retryDelay`, a duration such as `"37s"`.
        var retryDelay: String?
    }

    var code: Int?
    var message: String?
    var status: String?
    var details: [Detail]?

    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        code = try o.optionalInt("code")
        message = try o.optionalString("message")
        status = try o.optionalString("status")
        details = try o["details"].map { list in
            try list.array(at: o.path.key("details")) { item, at in
                let fields = try item.members(at: at)
                return Detail(
                    type: try? fields.optionalString("@type"), reason: try? fields.optionalString("reason"),
                    retryDelay: try? fields.optionalString("retryDelay"))
            }
        }
    }
}

/// A body carrying an `error` object; the streaming endpoint without `alt=sse` wraps it in an array.
enum GeminiErrorEnvelope {
    /// The error object of `text`, in either shape.
    static func parse(_ text: String) -> GeminiErrorObject? {
        guard let value = try? WireParser.parse(Array(text.utf8)) else { return nil }
        let envelope: WireValue?
        switch value {
        case .array(let items): envelope = items.first
        default: envelope = value
        }
        guard let object = try? envelope?.members(at: .root), let error = object["error"] else { return nil }
        return try? GeminiErrorObject(wire: error, at: WirePath.root.key("error"))
    }
}

extension GeminiResponse.UsageMetadata {
    /// As Vigor counts it: prompt in, answer plus thinking out.
    var tokenUsage: (prompt: Int, completion: Int) {
        (promptTokenCount ?? 0, (candidatesTokenCount ?? 0) + (thoughtsTokenCount ?? 0))
    }
}
