import VigorCoaching
import VigorPluginSDK

/// Who is asking, for routing, quotas and the usage log.
public struct AIRequestContext: Sendable {
    public var userID: Int64
    public var requestID: String
    /// Wall-clock deadline (Unix epoch ms); nil = the host default.
    public var deadlineMs: Int64?

    public init(userID: Int64, requestID: String, deadlineMs: Int64? = nil) {
        self.userID = userID
        self.requestID = requestID
        self.deadlineMs = deadlineMs
    }
}

/// A coaching answer with who served it and what it cost.
public struct CoachReply: Sendable, Hashable {
    public var text: String
    /// Provider short name, e.g. `fallback`, `openai`.
    public var provider: String
    public var model: String
    public var usage: TokenUsage
    /// Cost in integer micro-dollars.
    public var costMicros: Int64
    public var citations: [String]
    /// The user's tightest request limit after this call (for `X-RateLimit-*`).
    public var rateLimit: RateLimitStatus?

    public init(
        text: String, provider: String, model: String, usage: TokenUsage, costMicros: Int64, citations: [String] = [],
        rateLimit: RateLimitStatus? = nil
    ) {
        self.text = text
        self.provider = provider
        self.model = model
        self.usage = usage
        self.costMicros = costMicros
        self.citations = citations
        self.rateLimit = rateLimit
    }
}

/// A generated, validated plan and the generator that produced it.
public struct GeneratedPlan: Sendable {
    public var plan: WorkoutPlan
    public var generator: String
}

/// Failures of the AI layer, each with a stable code and an HTTP status.
public struct AIError: Error, Sendable, Hashable {
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
        /// The generated plan failed validation even after the fallback (502).
        case invalidPlan = "invalid_plan"
    }

    public var code: Code
    public var message: String
    /// Seconds until a retry can succeed (429).
    public var retryAfterSeconds: Int?
    /// The limit that was hit, e.g. `requests_per_day` (429/503 from quotas).
    public var limit: String?

    public init(_ code: Code, _ message: String, retryAfterSeconds: Int? = nil, limit: String? = nil) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.limit = limit
    }

    public var httpStatus: Int {
        switch code {
        case .noProvider, .budgetExhausted: 503
        case .quotaExceeded: 429
        case .timeout: 504
        case .badRequest: 400
        case .invalidPlan: 502
        }
    }
}

/// The host's AI entry points used by the HTTP routes: chat through the router,
/// plan generation through a generator plugin plus the plan validator.
public protocol CoachAI: Sendable {
    /// One chat completion. `messages` already hold the system prompt, the history and the new turn.
    func chat(_ request: ChatRequest, context: AIRequestContext) async throws -> CoachReply
    /// Generates and validates a plan; falls back to the rule-based planner; throws ``AIError``.
    func generatePlan(profile: FitnessProfile, request: PlanRequest, context: AIRequestContext) async throws -> GeneratedPlan
    /// Whether at least one provider and one generator are loaded (for `/ready`).
    var isReady: Bool { get }
}
