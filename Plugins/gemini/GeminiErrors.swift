import Foundation
import VigorPluginSDK

/// Maps Google API error bodies, HTTP statuses and safety outcomes to ``ProviderErrorKind``s.
enum GeminiErrors {
    /// Candidate finish reasons that mean the answer was blocked rather than finished.
    static let blockedFinishReasons: Set<String> = ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"]

    /// Vigor's finish reason for a Gemini `finishReason`.
    static func finishReason(_ raw: String) -> String {
        switch raw {
        case "STOP": "stop"
        case "MAX_TOKENS": "length"
        default: raw.lowercased()
        }
    }

    /// The error for a blocked prompt (`promptFeedback.blockReason`) or answer (`finishReason`).
    static func blocked(_ reason: String, prompt: Bool, status: Int? = nil) -> ProviderError {
        ProviderError(
            kind: .contentBlocked, message: "gemini: the \(prompt ? "prompt" : "answer") was blocked (\(reason))", status: status)
    }

    /// The typed error for a non-2xx response (or a 2xx whose body is an error object).
    static func error(for response: UpstreamResponse) -> ProviderError {
        let object = GeminiErrorEnvelope.parse(response.body)
        var error =
            object.map { self.error(for: $0, status: response.status) }
            ?? ProviderError(
                kind: kind(status: response.status, object: nil),
                message: "gemini: HTTP \(response.status) with a body that is not a Google API error", status: response.status)
        if error.retryAfterMs == nil, error.kind == .rateLimited || error.kind == .overloaded,
            let header = response.header("retry-after"), let seconds = Double(header.trimmingCharacters(in: .whitespaces))
        {
            error.retryAfterMs = Int((seconds * 1000).rounded())
        }
        return error
    }

    /// The typed error for an error object, with the HTTP status when there was one
    /// (inside a stream the object's own `code` stands in).
    static func error(for object: GeminiErrorObject, status: Int?) -> ProviderError {
        let effective = status.flatMap { (200...299).contains($0) ? nil : $0 } ?? object.code
        let kind = kind(status: effective, object: object)
        let retry = object.details?.first { $0.type?.hasSuffix("google.rpc.RetryInfo") == true }?.retryDelay.flatMap(milliseconds)
        let label = [object.status, object.message.map(clean)].compactMap { $0 }.joined(separator: ": ")
        return ProviderError(
            kind: kind, message: "gemini: \(label.isEmpty ? "error" : label)",
            retryAfterMs: kind == .rateLimited || kind == .overloaded ? retry : nil, status: status)
    }

    /// The kind from the HTTP status, refined by the canonical `status` and the message.
    static func kind(status: Int?, object: GeminiErrorObject?) -> ProviderErrorKind {
        let canonical = object?.status ?? ""
        let message = (object?.message ?? "").lowercased()
        let keyInvalid = object?.details?.contains { $0.reason == "API_KEY_INVALID" } == true || message.contains("api key not valid")
        if keyInvalid || canonical == "UNAUTHENTICATED" || canonical == "PERMISSION_DENIED" { return .auth }
        if canonical == "RESOURCE_EXHAUSTED" { return .rateLimited }
        if canonical == "UNAVAILABLE" || canonical == "INTERNAL" || canonical == "DEADLINE_EXCEEDED" { return .overloaded }
        switch status ?? 0 {
        case 401, 403: return .auth
        case 429: return .rateLimited
        case 408, 500...599: return .overloaded
        default: break
        }
        if message.contains("input token count") || message.contains("exceeds the maximum number of tokens") { return .contextLength }
        if status == nil || (200...299).contains(status ?? 0) { return object == nil ? .badResponse : .overloaded }
        return .badRequest
    }

    /// A protobuf JSON duration (`"37s"`, `"1.5s"`) in milliseconds.
    static func milliseconds(_ duration: String) -> Int? {
        guard duration.hasSuffix("s"), let seconds = Double(duration.dropLast()), seconds >= 0 else { return nil }
        return Int((seconds * 1000).rounded())
    }

    /// An upstream message made safe to log and return: key-like strings masked, length capped.
    static func clean(_ message: String) -> String {
        let masked = message.replacing(#/AIza[0-9A-Za-z_\-]{8,}/#, with: "AIza***")
        let flat = masked.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 300 ? String(flat.prefix(300)) + "…" : flat
    }
}
