/// Failures of the AI layer, each with a stable code and an HTTP status.
public struct AIError: Error, Sendable, Hashable {
    /// What failed; the raw value is the `code` of the JSON error.
    public enum Code: String, Sendable {
        /// No provider or generator could serve (503).
        case noProvider = "no_provider"
        /// A tier or budget limit was hit (429).
        case quotaExceeded = "quota_exceeded"
        /// The global budget is exhausted and AI is disabled (503).
        case budgetExhausted = "budget_exhausted"
        /// The request deadline passed (504).
        case timeout = "upstream_timeout"
        /// The request itself was rejected by the upstream (400).
        case badRequest = "bad_request"
        /// No usable provider lists the requested model, or its upstream does not know it (404).
        case modelNotFound = "model_not_found"
        /// A number above its documented range or the served model's limit, e.g. `max_tokens` (400).
        case integerAboveMaxValue = "integer_above_max_value"
        /// A number below its documented range (400).
        case integerBelowMinValue = "integer_below_min_value"
        /// The generated plan failed validation even after the fallback (502).
        case invalidPlan = "invalid_plan"
    }

    /// What failed.
    public var code: Code
    /// A sentence for the client, naming what to do or wait for.
    public var message: String
    /// Seconds until a retry can succeed (429).
    public var retryAfterSeconds: Int?
    /// The limit that was hit, e.g. `requests_per_day` (429/503 from quotas).
    public var limit: String?
    /// The request parameter at fault (`max_tokens`), for OpenAI's `param`.
    public var param: String?

    public init(_ code: Code, _ message: String, retryAfterSeconds: Int? = nil, limit: String? = nil, param: String? = nil) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.limit = limit
        self.param = param
    }

    /// The HTTP status the client receives for ``code``.
    public var httpStatus: Int {
        switch code {
        case .noProvider, .budgetExhausted: 503
        case .quotaExceeded: 429
        case .timeout: 504
        case .badRequest, .integerAboveMaxValue, .integerBelowMinValue: 400
        case .modelNotFound: 404
        case .invalidPlan: 502
        }
    }
}
