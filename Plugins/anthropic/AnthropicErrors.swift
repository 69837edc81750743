import VigorPluginSDK

/// Reads Anthropic error objects into ``ProviderErrorKind``s; the status mapping (529 is
/// overloaded), `retry-after` and key redaction are the SDK's (``ProviderKit``).
extension ProviderKit {
    /// The typed error for a non-2xx response (or a 2xx whose body is an error object).
    func anthropicError(for response: UpstreamResponse) -> ProviderError {
        let object = AnthropicErrorObject.parse(response.body)
        var kind = ProviderKit.kind(forStatus: response.status)
        switch kind {
        case nil: kind = object?.kind ?? .badResponse
        case .badRequest?: kind = object?.requestKind ?? .badRequest
        default: break
        }
        return httpError(response, detail: object.map(\.label), kind: kind)
    }

    /// The typed error of an `error` event inside a stream (no HTTP status).
    func anthropicError(for object: AnthropicErrorObject) -> ProviderError {
        error(object.kind, object.label)
    }
}

extension AnthropicErrorObject {
    /// `type: message`.
    var label: String { [type, message].compactMap { $0 }.joined(separator: ": ") }

    /// The kind from the error `type` alone (the documented types; unknown ones are the upstream's fault).
    var kind: ProviderErrorKind {
        switch type ?? "" {
        case "authentication_error", "permission_error": .auth
        case "rate_limit_error": .rateLimited
        case "invalid_request_error", "not_found_error", "request_too_large": requestKind
        default: .overloaded  // api_error, overloaded_error, timeout_error, unknown
        }
    }

    /// A 4xx error: a prompt longer than the context window, or a plain bad request.
    var requestKind: ProviderErrorKind {
        let text = (message ?? "").lowercased()
        if type == "request_too_large" || text.contains("prompt is too long") || text.contains("context window") {
            return .contextLength
        }
        return .badRequest
    }
}
