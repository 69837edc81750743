import Foundation
import Synchronization

/// The mechanics every network provider shares, so that each plugin keeps only its wire
/// format: base-URL handling, key redaction in messages, the one `retry-after` parser, the
/// default HTTP status → ``ProviderErrorKind`` mapping and typed errors named after the provider.
///
/// ```swift
/// let kit = ProviderKit(provider: "openai", defaultBaseURL: "https://api.openai.com", host: host)
/// let base = try kit.baseURL(input.baseURL)
/// return .failure(kit.httpError(response, detail: object?.message, kind: refinedKind))
/// ```
///
/// Thread rule: immutable; use it from any thread.
public struct ProviderKit: Sendable {
    /// The provider's short name; every message starts with `"<provider>: "`.
    public let provider: String
    /// The base URL used when the operator configured none.
    public let defaultBaseURL: String
    /// Masks key-like tokens in upstream messages.
    public let redactor: KeyRedactor
    /// The current time (the host's clock), for `retry-after` dates.
    public let now: @Sendable () -> Date
    /// The last base URL checked, and what the check gave: the operator's setting is the same
    /// on every call, and parsing it as a URL is most of the check's cost.
    private let lastBase = LastBaseURL()

    private final class LastBaseURL: Sendable {
        let value = Mutex<(raw: String, base: String, host: String)?>(nil)
    }

    /// The longest upstream message kept in an error, in characters.
    public static let messageLimit = 300

    /// - Parameters:
    ///   - provider: short name (`openai`), used as the message prefix.
    ///   - defaultBaseURL: used when `base_url` is empty.
    ///   - keyPatterns: key shapes to mask besides ``KeyRedactor/wellKnown``.
    ///   - now: the clock; pass `host.now` from the plugin factory so tests control time.
    public init(
        provider: String, defaultBaseURL: String, keyPatterns: [KeyRedactor.Pattern] = [], now: @escaping @Sendable () -> Date
    ) {
        self.provider = provider
        self.defaultBaseURL = defaultBaseURL
        self.redactor = KeyRedactor(extra: keyPatterns)
        self.now = now
    }

    /// A kit whose clock is the host's (``HostServices/now()``).
    public init(provider: String, defaultBaseURL: String, keyPatterns: [KeyRedactor.Pattern] = [], host: HostServices) {
        self.init(provider: provider, defaultBaseURL: defaultBaseURL, keyPatterns: keyPatterns, now: { host.now() })
    }

    // MARK: Base URL

    /// The operator's base URL (the default when empty) without trailing slashes; throws
    /// ``PluginError/invalidInput(_:)`` unless it is an absolute http(s) URL with a host and no query.
    public func baseURL(_ raw: String) throws -> String { try baseURLAndHost(raw).base }

    /// ``baseURL(_:)`` and the URL's host.
    public func baseURLAndHost(_ raw: String) throws -> (base: String, host: String) {
        if let last = lastBase.value.withLock({ $0 }), last.raw == raw { return (last.base, last.host) }
        var base = raw.trimmingSpacesAndTabs()
        if base.isEmpty { base = defaultBaseURL }
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else { throw PluginError.invalidInput("base_url: \(raw) is not an http(s) URL") }
        lastBase.value.withLock { $0 = (raw, base, host) }
        return (base, host)
    }

    /// `base` + `path`, with `version` (`/v1`) in between unless `base` already ends with it
    /// or with one of `alternatives` (operators write both `https://host` and `https://host/v1`).
    public static func join(_ base: String, version: String, alternatives: [String] = [], path: String) -> String {
        let versioned = base.hasSuffix(version) || alternatives.contains { base.hasSuffix($0) }
        return versioned ? base + path : base + version + path
    }

    // MARK: Messages and errors

    /// An upstream message made safe to log and return: keys masked, one line, length capped.
    public func clean(_ message: String) -> String {
        let flat = redactor.redact(message).split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > Self.messageLimit ? String(flat.prefix(Self.messageLimit)) + "…" : flat
    }

    /// The default kind of an HTTP status: 401/403 auth, 429 rate limited, 408 and 5xx
    /// (including 529) overloaded, any other 4xx a bad request; nil for 2xx (the body decides)
    /// and for what is not an HTTP error status.
    public static func kind(forStatus status: Int) -> ProviderErrorKind? {
        switch status {
        case 401, 403: .auth
        case 429: .rateLimited
        case 408, 500...599: .overloaded
        case 400...499: .badRequest
        default: nil
        }
    }

    /// Whether the router is told to wait before trying the provider again for this kind.
    public static func honoursRetryAfter(_ kind: ProviderErrorKind) -> Bool {
        kind == .rateLimited || kind == .overloaded
    }

    /// The `retry-after-ms`/`retry-after` wait of `response` (``RetryAfter``), on this kit's clock.
    public func retryAfterMs(_ response: UpstreamResponse) -> Int? {
        RetryAfter.milliseconds(response, now: now())
    }

    /// A typed error named after the provider; `message` is cleaned.
    public func error(_ kind: ProviderErrorKind, _ message: String, status: Int? = nil, retryAfterMs: Int? = nil) -> ProviderError {
        ProviderError(kind: kind, message: "\(provider): \(clean(message))", retryAfterMs: retryAfterMs, status: status)
    }

    /// The error for an upstream HTTP answer that is not a success.
    ///
    /// - Parameters:
    ///   - detail: the upstream's own message, when its body was an error object.
    ///   - kind: the kind the provider read from its error body; nil takes the status's
    ///     default (``kind(forStatus:)``), or `bad_response` for a 2xx.
    ///   - retryAfterMs: a wait the body stated; else the headers' (only for rate limits and overload).
    public func httpError(
        _ response: UpstreamResponse, detail: String?, kind: ProviderErrorKind? = nil, retryAfterMs: Int? = nil
    ) -> ProviderError {
        let kind = kind ?? Self.kind(forStatus: response.status) ?? .badResponse
        let text = detail ?? "HTTP \(response.status) with a body that is not a \(provider) error object"
        let wait = Self.honoursRetryAfter(kind) ? (retryAfterMs ?? self.retryAfterMs(response)) : nil
        return error(kind, text, status: response.status, retryAfterMs: wait)
    }

    /// The error for a 2xx body that is not the expected answer.
    public func badResponse(_ what: String, status: Int? = nil) -> ProviderError {
        error(.badResponse, what, status: status)
    }
}
