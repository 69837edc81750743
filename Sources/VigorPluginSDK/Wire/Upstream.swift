/// Upstream HTTP exchanges as provider plugins describe them: the plugin builds an
/// ``UpstreamRequest``, the host performs it, the plugin parses the ``UpstreamResponse``.

/// A secret the host injects into a header; the plugin never sees the value.
public struct SecretHeader: Codable, Sendable, Hashable {
    /// Header name, e.g. `Authorization` or `x-goog-api-key`.
    public var name: String
    /// Secret name the host resolves from its environment or config, e.g. `OPENAI_API_KEY`.
    public var secret: String
    /// Text put before the secret value, e.g. `Bearer `.
    public var prefix: String

    public init(name: String, secret: String, prefix: String = "") {
        self.name = name
        self.secret = secret
        self.prefix = prefix
    }
}

/// Input of `provider.build_request`.
public struct BuildRequestInput: Codable, Sendable {
    public var schema: Int
    public var request: ChatRequest
    /// The base URL the operator configured (or the descriptor's default), without a trailing slash.
    public var baseURL: String

    enum CodingKeys: String, CodingKey {
        case schema, request
        case baseURL = "base_url"
    }

    public init(request: ChatRequest, baseURL: String) {
        self.schema = 1
        self.request = request
        self.baseURL = baseURL
    }
}

/// Output of `provider.build_request`, and the input of the `vigor.http/1` host service.
public struct UpstreamRequest: Codable, Sendable, Hashable {
    public var schema: Int
    public var method: String
    public var url: String
    /// Ordered header pairs.
    public var headers: [[String]]
    public var body: String
    /// Headers whose values the host fills from secrets.
    public var secretHeaders: [SecretHeader]

    enum CodingKeys: String, CodingKey {
        case schema, method, url, headers, body
        case secretHeaders = "secret_headers"
    }

    public init(method: String = "POST", url: String, headers: [[String]] = [], body: String, secretHeaders: [SecretHeader] = []) {
        self.schema = 1
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.secretHeaders = secretHeaders
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decodeIfPresent(Int.self, forKey: .schema) ?? 1
        method = try c.decodeIfPresent(String.self, forKey: .method) ?? "POST"
        url = try c.decode(String.self, forKey: .url)
        headers = try c.decodeIfPresent([[String]].self, forKey: .headers) ?? []
        body = try c.decodeIfPresent(String.self, forKey: .body) ?? ""
        secretHeaders = try c.decodeIfPresent([SecretHeader].self, forKey: .secretHeaders) ?? []
    }
}

/// Input of `provider.parse_response`, and the output of the `vigor.http/1` host service.
public struct UpstreamResponse: Codable, Sendable, Hashable {
    public var schema: Int
    public var status: Int
    public var headers: [[String]]
    public var body: String
    /// The request this answers (absent when it came back from the HTTP service).
    public var request: ChatRequest?

    public init(status: Int, headers: [[String]] = [], body: String, request: ChatRequest? = nil) {
        self.schema = 1
        self.status = status
        self.headers = headers
        self.body = body
        self.request = request
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.count == 2 && $0[0].lowercased() == lower }?[1]
    }
}

/// How a provider failure should be treated by the router.
public enum ProviderErrorKind: String, Codable, Sendable, CaseIterable {
    /// Bad or missing credentials (401/403): do not retry, skip the provider.
    case auth
    /// Too many requests (429): fail over, honour `retry_after_ms`.
    case rateLimited = "rate_limited"
    /// The upstream is overloaded or down (5xx, 503, 529): fail over.
    case overloaded
    /// The prompt or answer was blocked by the provider's safety system.
    case contentBlocked = "content_blocked"
    /// The prompt is longer than the model's context window.
    case contextLength = "context_length"
    /// The request itself was invalid (400, 404 model): do not retry.
    case badRequest = "bad_request"
    /// The upstream answered something that could not be understood.
    case badResponse = "bad_response"
    /// Timeout or connection failure (set by the host, not by plugins).
    case network
}

/// A typed provider failure.
public struct ProviderError: Codable, Sendable, Hashable, Error {
    public var kind: ProviderErrorKind
    public var message: String
    /// How long the upstream asked us to wait, when it said.
    public var retryAfterMs: Int?
    /// The upstream HTTP status, when there was one.
    public var status: Int?

    enum CodingKeys: String, CodingKey {
        case kind, message, status
        case retryAfterMs = "retry_after_ms"
    }

    public init(kind: ProviderErrorKind, message: String, retryAfterMs: Int? = nil, status: Int? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfterMs = retryAfterMs
        self.status = status
    }

    /// Whether the router should try another provider (or this one later).
    public var isRetryable: Bool {
        switch kind {
        case .rateLimited, .overloaded, .network, .badResponse: true
        case .auth, .contentBlocked, .contextLength, .badRequest: false
        }
    }
}

/// Output of `provider.parse_response` and `provider.complete`: an answer or a typed error.
public struct ProviderResult: Codable, Sendable, Hashable {
    public var schema: Int
    public var response: ChatResponse?
    public var error: ProviderError?

    public static func success(_ response: ChatResponse) -> ProviderResult {
        ProviderResult(schema: 1, response: response, error: nil)
    }

    public static func failure(_ error: ProviderError) -> ProviderResult {
        ProviderResult(schema: 1, response: nil, error: error)
    }
}
