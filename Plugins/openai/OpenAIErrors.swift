import VigorPluginSDK

/// Reads OpenAI error objects into ``ProviderErrorKind``s; the status mapping, `retry-after`
/// and key redaction are the SDK's (``ProviderKit``).
extension ProviderKit {
    /// The typed error for a non-2xx response (or a 2xx whose body is an error object).
    func openAIError(for response: UpstreamResponse) -> ProviderError {
        let object = WireJSON.read(OpenAIErrorEnvelope.self, from: response.body)?.error
        var kind = ProviderKit.kind(forStatus: response.status)
        switch kind {
        case nil: kind = object.map(OpenAIErrorObject.kindWithoutStatus) ?? .badResponse
        case .badRequest?: kind = object?.requestKind ?? .badRequest
        default: break
        }
        return httpError(response, detail: object?.message, kind: kind)
    }

    /// The typed error for an `error` object met without an HTTP status (inside a stream).
    func openAIError(for object: OpenAIErrorObject) -> ProviderError {
        error(OpenAIErrorObject.kindWithoutStatus(object), object.message ?? "error event in the stream")
    }
}

extension OpenAIErrorObject {
    /// The kind of a 4xx error object: context length, content policy, or a plain bad request.
    var requestKind: ProviderErrorKind {
        let code = (code ?? "").lowercased()
        let message = (message ?? "").lowercased()
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
        if type == "invalid_request_error" { return object.requestKind }
        return .overloaded
    }
}
