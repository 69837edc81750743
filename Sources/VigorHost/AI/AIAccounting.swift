import VigorPluginSDK

/// What one provider attempt is charged against: the user's limits, the provider's caps
/// and the global budget. Made by ``AIAccounting/reserve(_:)`` before the call.
public struct AttemptCharge: Sendable, Hashable {
    public var userID: Int64
    public var requestID: String
    /// `chat`, `plan`, `analysis`, `openai_chat` (`POST /v1/chat/completions`), ...
    public var kind: String
    public var provider: String
    /// The model served (the one sent upstream and priced).
    public var model: String
    /// The model the client asked for (an alias such as `vigor-coach`, empty for none, or a
    /// concrete id equal to ``model``).
    public var requestedModel: String
    /// The most the attempt can cost (from `max_tokens` and the price table).
    public var estimatedCostMicros: Int64
    /// Whether the attempt takes one of the user's requests. A completion a generator asks
    /// for inside a plan request is charged its cost only: the plan already took the request.
    public var countsRequest: Bool

    public init(
        userID: Int64, requestID: String, kind: String, provider: String, model: String, estimatedCostMicros: Int64,
        countsRequest: Bool = true, requestedModel: String? = nil
    ) {
        self.requestedModel = requestedModel ?? model
        self.userID = userID
        self.requestID = requestID
        self.kind = kind
        self.provider = provider
        self.model = model
        self.estimatedCostMicros = estimatedCostMicros
        self.countsRequest = countsRequest
    }
}

extension AttemptCharge {
    /// A charge for an attempt of `kind` (the usage log's typed kind).
    public init(
        userID: Int64, requestID: String, kind: UsageKind, provider: String, model: String, estimatedCostMicros: Int64,
        countsRequest: Bool = true, requestedModel: String? = nil
    ) {
        self.init(
            userID: userID, requestID: requestID, kind: kind.rawValue, provider: provider, model: model,
            estimatedCostMicros: estimatedCostMicros, countsRequest: countsRequest, requestedModel: requestedModel)
    }
}

/// A held reservation; settle it exactly once.
public struct Reservation: Sendable, Hashable {
    public var charge: AttemptCharge
    /// Store-specific token identifying what was reserved (period keys), opaque to callers.
    public var periods: [String]
    public var reservedAtMs: Int64
    /// The user's tightest request limit after this reservation.
    public var rateLimit: RateLimitStatus?
    /// The ledger's record of the reservation in flight (0 when none).
    public var pendingID: Int64 = 0

    public init(charge: AttemptCharge, periods: [String], reservedAtMs: Int64, rateLimit: RateLimitStatus? = nil) {
        self.charge = charge
        self.periods = periods
        self.reservedAtMs = reservedAtMs
        self.rateLimit = rateLimit
    }
}

/// How an attempt ended, for the usage log and the counters.
public struct AttemptOutcome: Sendable, Hashable {
    /// `success`, or the failure's code (`rate_limited`, `network`, `cancelled`, ...).
    public var outcome: String
    public var usage: TokenUsage
    /// What to charge: the actual cost on success; what the upstream billed (often 0) on failure.
    public var costMicros: Int64
    public var latencyMs: Int64
    /// The request counts against the user's request limits (successes, and failures the
    /// upstream billed); a released attempt gives the request back.
    public var countsAsRequest: Bool

    public init(outcome: String, usage: TokenUsage, costMicros: Int64, latencyMs: Int64, countsAsRequest: Bool) {
        self.outcome = outcome
        self.usage = usage
        self.costMicros = costMicros
        self.latencyMs = latencyMs
        self.countsAsRequest = countsAsRequest
    }
}

extension AttemptOutcome {
    /// An attempt that ended with `outcome` (the usage log's typed outcome).
    public init(outcome: UsageOutcome, usage: TokenUsage, costMicros: Int64, latencyMs: Int64, countsAsRequest: Bool) {
        self.init(outcome: outcome.rawValue, usage: usage, costMicros: costMicros, latencyMs: latencyMs, countsAsRequest: countsAsRequest)
    }
}

/// A refused reservation: which limit, and when it resets.
public struct QuotaRefusal: Error, Sendable, Hashable {
    public enum Scope: String, Sendable {
        /// The user's tier limits: stop, answer 429.
        case user
        /// This provider's cost cap: try the next provider.
        case provider
        /// The global budget: AI is disabled, answer 503.
        case global
    }

    public var scope: Scope
    /// e.g. `requests_per_day`, `monthly_budget`, `provider_daily_cap`, `global_weekly_budget`.
    public var limit: String
    public var message: String
    public var retryAfterSeconds: Int

    public init(scope: Scope, limit: String, message: String, retryAfterSeconds: Int) {
        self.scope = scope
        self.limit = limit
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// The quota ledger seen by the router: reserve before each attempt, settle after it.
/// Implementations are atomic in the store, so limits hold across threads and hosts.
public protocol AIAccounting: Sendable {
    func reserve(_ charge: AttemptCharge) async throws -> Reservation
    /// Reconciles to the actual cost (or releases) and appends the usage-log entry, in one
    /// transaction committed before the caller answers the client.
    ///
    /// It must run to the end even when the calling task is cancelled: the router settles in
    /// the request's task, which a client that disconnects cancels. Implementations wait on
    /// continuations and work that cancellation does not stop (never `Task.checkCancellation`
    /// or a cancellable wait); the conformance suite settles from a cancelled task.
    func settle(_ reservation: Reservation, _ outcome: AttemptOutcome) async throws
    /// Records an attempt that never reserved (e.g. skipped for a missing secret is not logged;
    /// a refused reservation is).
    func recordRefusal(_ charge: AttemptCharge, _ refusal: QuotaRefusal) async
}

extension QuotaRefusal {
    /// The client-facing error for a refusal that stops the request (user or global scope).
    var aiError: AIError {
        AIError(scope == .global ? .budgetExhausted : .quotaExceeded, message, retryAfterSeconds: retryAfterSeconds, limit: limit)
    }
}
