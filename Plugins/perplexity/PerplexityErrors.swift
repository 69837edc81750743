import VigorPluginSDK

/// Reads Perplexity error objects into ``ProviderErrorKind``s; the status mapping,
/// `retry-after` and key redaction are the SDK's (``ProviderKit``).
extension ProviderKit {
    /// The typed error for a non-2xx response (or a 2xx whose body is an error object).
    func perplexityError(for response: UpstreamResponse) -> ProviderError {
        let object = PerplexityErrorObject.parse(response.body)
        var kind = ProviderKit.kind(forStatus: response.status)
        switch kind {
        case nil: kind = object?.kindWithoutStatus ?? .badResponse
        case .badRequest?: kind = object?.requestKind ?? .badRequest
        default: break
        }
        return httpError(response, detail: object?.message, kind: kind)
    }

    /// The typed error for an error object met without an HTTP status (inside a stream).
    func perplexityError(for object: PerplexityErrorObject) -> ProviderError {
        error(object.kindWithoutStatus, object.message ?? "error event in the stream")
    }
}

extension PerplexityErrorObject {
    /// The kind of a 4xx error: context length or a plain bad request.
    var requestKind: ProviderErrorKind {
        let message = (message ?? "").lowercased()
        let markers = ["context length", "context window", "maximum context", "too many tokens", "prompt is too long"]
        return markers.contains(where: message.contains) ? .contextLength : .badRequest
    }

    /// The kind of an error object from its `code`/`type` alone.
    var kindWithoutStatus: ProviderErrorKind {
        switch Int(code ?? "") {
        case 401, 403: return .auth
        case 429: return .rateLimited
        case 400, 404, 413, 422: return requestKind
        default: break
        }
        let type = (type ?? "").lowercased()
        if type.contains("auth") { return .auth }
        if type.contains("rate") { return .rateLimited }
        if type.contains("invalid") { return requestKind }
        return .overloaded
    }
}

/// Hides the `<think>…</think>` block the sonar reasoning models put before their answer,
/// across arbitrary splits of the text.
struct ThinkFilter {
    private enum State { case undecided, thinking, afterThinking, answering }

    private static let open = "<think>"
    private static let close = "</think>"
    private var state = State.undecided
    private var pending = ""

    /// The visible part of the next piece of text.
    mutating func feed(_ text: String) -> String {
        pending += text
        while true {
            switch state {
            case .answering:
                defer { pending = "" }
                return pending
            case .undecided:
                let start = pending.drop(while: \.isWhitespace)
                if start.hasPrefix(Self.open) {
                    pending = String(start.dropFirst(Self.open.count))
                    state = .thinking
                } else if Self.open.hasPrefix(start) {
                    return ""
                } else {
                    state = .answering
                }
            case .thinking:
                guard let end = pending.range(of: Self.close) else {
                    pending = String(pending.suffix(Self.close.count - 1))
                    return ""
                }
                pending = String(pending[end.upperBound...])
                state = .afterThinking
            case .afterThinking:
                pending = String(pending.drop(while: \.isWhitespace))
                if pending.isEmpty { return "" }
                state = .answering
            }
        }
    }

    /// The text held back at the end (a lone prefix of `<think>`); an unclosed think block stays hidden.
    mutating func flush() -> String {
        defer { pending = "" }
        return state == .undecided || state == .answering ? pending : ""
    }
}
