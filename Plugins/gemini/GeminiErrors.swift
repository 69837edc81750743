import VigorPluginSDK

/// Reads Google API error bodies and safety outcomes into ``ProviderErrorKind``s; the status
/// mapping, `retry-after` and key redaction are the SDK's (``ProviderKit``).
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

    /// The kind from the HTTP status, refined by the canonical `status` and the message.
    static func kind(status: Int?, object: GeminiErrorObject?) -> ProviderErrorKind {
        let canonical = object?.status ?? ""
        let message = (object?.message ?? "").lowercased()
        let keyInvalid = object?.details?.contains { $0.reason == "API_KEY_INVALID" } == true || message.contains("api key not valid")
        if keyInvalid || canonical == "UNAUTHENTICATED" || canonical == "PERMISSION_DENIED" { return .auth }
        if canonical == "RESOURCE_EXHAUSTED" { return .rateLimited }
        if canonical == "UNAVAILABLE" || canonical == "INTERNAL" || canonical == "DEADLINE_EXCEEDED" { return .overloaded }
        if let kind = status.flatMap(ProviderKit.kind(forStatus:)), kind != .badRequest { return kind }
        if message.contains("input token count") || message.contains("exceeds the maximum number of tokens") { return .contextLength }
        if status == nil || (200...299).contains(status ?? 0) { return object == nil ? .badResponse : .overloaded }
        return .badRequest
    }

    /// A protobuf JSON duration (`"37s"`, `"1.5s"`) in milliseconds.
    static func milliseconds(_ duration: String) -> Int? {
        guard duration.hasSuffix("s") else { return nil }
        return RetryAfter.milliseconds(seconds: String(duration.dropLast()))
    }
}

extension ProviderKit {
    /// The error for a blocked prompt (`promptFeedback.blockReason`) or answer (`finishReason`).
    func geminiBlocked(_ reason: String, prompt: Bool, status: Int? = nil) -> ProviderError {
        error(.contentBlocked, "the \(prompt ? "prompt" : "answer") was blocked (\(reason))", status: status)
    }

    /// The typed error for a non-2xx response (or a 2xx whose body is an error object).
    func geminiError(for response: UpstreamResponse) -> ProviderError {
        guard let object = GeminiErrorEnvelope.parse(response.body) else {
            return httpError(
                response, detail: "HTTP \(response.status) with a body that is not a Google API error",
                kind: GeminiErrors.kind(status: response.status, object: nil))
        }
        let error = geminiError(for: object, status: response.status)
        return httpError(response, detail: object.label, kind: error.kind, retryAfterMs: error.retryAfterMs)
    }

    /// The typed error for an error object, with the HTTP status when there was one
    /// (inside a stream the object's own `code` stands in).
    func geminiError(for object: GeminiErrorObject, status: Int?) -> ProviderError {
        let effective = status.flatMap { (200...299).contains($0) ? nil : $0 } ?? object.code
        let kind = GeminiErrors.kind(status: effective, object: object)
        let retry = object.details?.first { $0.type?.hasSuffix("google.rpc.RetryInfo") == true }?.retryDelay.flatMap(
            GeminiErrors.milliseconds)
        return error(kind, object.label, status: status, retryAfterMs: ProviderKit.honoursRetryAfter(kind) ? retry : nil)
    }
}

extension GeminiErrorObject {
    /// `STATUS: message`, or `error` when the object has neither.
    var label: String {
        let text = [status, message].compactMap { $0 }.joined(separator: ": ")
        return text.isEmpty ? "error" : text
    }
}
