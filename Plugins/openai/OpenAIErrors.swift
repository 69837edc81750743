import Foundation
import VigorPluginSDK

/// Maps OpenAI error bodies and statuses to the router's ``ProviderErrorKind``s.
enum OpenAIErrors {
    /// The typed error for a non-2xx response (or a 2xx whose body is an error object).
    static func error(for response: UpstreamResponse) -> ProviderError {
        let object = WireJSON.read(OpenAIErrorEnvelope.self, from: response.body)?.error
        let status = response.status
        let kind: ProviderErrorKind
        switch status {
        case 401, 403: kind = .auth
        case 429: kind = .rateLimited
        case 408, 500...599: kind = .overloaded
        case 200...299: kind = object.map(kindWithoutStatus) ?? .badResponse
        default: kind = object.map(requestKind) ?? .badRequest
        }
        let detail = object?.message.map(clean) ?? "HTTP \(status) with a body that is not an OpenAI error object"
        return ProviderError(
            kind: kind, message: "openai: \(detail)",
            retryAfterMs: kind == .rateLimited || kind == .overloaded ? retryAfterMs(response) : nil, status: status)
    }

    /// The typed error for an `error` object met without an HTTP status (inside a stream).
    static func error(for object: OpenAIErrorObject) -> ProviderError {
        ProviderError(kind: kindWithoutStatus(object), message: "openai: \(clean(object.message ?? "error event in the stream"))")
    }

    /// The kind of a 4xx error object: context length, content policy, or a plain bad request.
    static func requestKind(_ object: OpenAIErrorObject) -> ProviderErrorKind {
        let code = (object.code ?? "").lowercased()
        let message = (object.message ?? "").lowercased()
        if code == "context_length_exceeded" || code == "string_above_max_length"
            || message.contains("maximum context length") || message.contains("context window")
        {
            return .contextLength
        }
        if code == "content_filter" || code == "content_policy_violation" { return .contentBlocked }
        return .badRequest
    }

    /// The kind of an error object from its `type`/`code` alone.
    static func kindWithoutStatus(_ object: OpenAIErrorObject) -> ProviderErrorKind {
        let type = (object.type ?? "").lowercased()
        let code = (object.code ?? "").lowercased()
        if type == "authentication_error" || code == "invalid_api_key" { return .auth }
        if type.contains("rate_limit") || code.contains("rate_limit") || code == "insufficient_quota" { return .rateLimited }
        if type == "invalid_request_error" { return requestKind(object) }
        return .overloaded
    }

    /// `retry-after-ms` (milliseconds) or `retry-after` (seconds or an HTTP date), when sent.
    static func retryAfterMs(_ response: UpstreamResponse, now: Date = Date()) -> Int? {
        if let text = response.header("retry-after-ms"), let ms = Double(text.trimmingCharacters(in: .whitespaces)), ms >= 0 {
            return Int(ms.rounded())
        }
        guard let text = response.header("retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(text), seconds >= 0 { return Int((seconds * 1000).rounded()) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return max(0, Int((date.timeIntervalSince(now) * 1000).rounded()))
    }

    /// An upstream message made safe to log and return: partial keys masked, length capped.
    static func clean(_ message: String) -> String {
        let masked = message.replacing(#/sk-[A-Za-z0-9_*\-]+/#, with: "sk-***")
        let flat = masked.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 300 ? String(flat.prefix(300)) + "…" : flat
    }
}
