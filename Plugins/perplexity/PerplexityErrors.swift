import Foundation
import VigorPluginSDK

/// Maps Perplexity error bodies and statuses to ``ProviderErrorKind``s.
enum PerplexityErrors {
    /// The typed error for a non-2xx response (or a 2xx whose body is an error object).
    static func error(for response: UpstreamResponse) -> ProviderError {
        let object = PerplexityErrorObject.parse(response.body)
        let kind: ProviderErrorKind
        switch response.status {
        case 401, 403: kind = .auth
        case 429: kind = .rateLimited
        case 408, 500...599: kind = .overloaded
        case 200...299: kind = object.map(kindWithoutStatus) ?? .badResponse
        default: kind = object.map(requestKind) ?? .badRequest
        }
        let detail = object?.message.map(clean) ?? "HTTP \(response.status) with a body that is not a Perplexity error object"
        var retry: Int?
        if kind == .rateLimited || kind == .overloaded, let header = response.header("retry-after"),
            let seconds = Double(header.trimmingCharacters(in: .whitespaces)), seconds >= 0
        {
            retry = Int((seconds * 1000).rounded())
        }
        return ProviderError(kind: kind, message: "perplexity: \(detail)", retryAfterMs: retry, status: response.status)
    }

    /// The typed error for an error object met without an HTTP status (inside a stream).
    static func error(for object: PerplexityErrorObject) -> ProviderError {
        ProviderError(kind: kindWithoutStatus(object), message: "perplexity: \(clean(object.message ?? "error event in the stream"))")
    }

    /// The kind of a 4xx error: context length or a plain bad request.
    static func requestKind(_ object: PerplexityErrorObject) -> ProviderErrorKind {
        let message = (object.message ?? "").lowercased()
        let markers = ["context length", "context window", "maximum context", "too many tokens", "prompt is too long"]
        return markers.contains(where: message.contains) ? .contextLength : .badRequest
    }

    /// The kind of an error object from its `code`/`type` alone.
    static func kindWithoutStatus(_ object: PerplexityErrorObject) -> ProviderErrorKind {
        switch Int(object.code ?? "") {
        case 401, 403: return .auth
        case 429: return .rateLimited
        case 400, 404, 413, 422: return requestKind(object)
        default: break
        }
        let type = (object.type ?? "").lowercased()
        if type.contains("auth") { return .auth }
        if type.contains("rate") { return .rateLimited }
        if type.contains("invalid") { return requestKind(object) }
        return .overloaded
    }

    /// An upstream message made safe to log and return: key-like strings masked, length capped.
    static func clean(_ message: String) -> String {
        let masked = message.replacing(#/pplx-[A-Za-z0-9_*\-]+/#, with: "pplx-***")
        let flat = masked.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 300 ? String(flat.prefix(300)) + "…" : flat
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
