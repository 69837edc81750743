import Synchronization
import VigorCoaching
import VigorPluginLoader
import VigorPluginSDK

/// Who is asking, for routing, quotas and the usage log.
public struct AIRequestContext: Sendable {
    public var userID: Int64
    public var requestID: String
    /// Wall-clock deadline (Unix epoch ms); nil = the host default.
    public var deadlineMs: Int64?
    /// Filled with the caller's rate-limit status when an attempt reserves quota, so a
    /// streaming route can send `X-RateLimit-*` without reading the counters again.
    public var rateLimitNote: RateLimitNote?
    /// The usage log's `kind` for this call: `chat` (the default), `openai_chat` for
    /// `POST /v1/chat/completions`, `plan` for a generator's completions.
    public var kind: String

    public init(
        userID: Int64, requestID: String, deadlineMs: Int64? = nil, rateLimitNote: RateLimitNote? = nil, kind: String = "chat"
    ) {
        self.userID = userID
        self.requestID = requestID
        self.deadlineMs = deadlineMs
        self.rateLimitNote = rateLimitNote
        self.kind = kind
    }
}

/// The rate-limit status of the latest reservation made for one request.
public final class RateLimitNote: Sendable {
    private let status = Mutex<RateLimitStatus?>(nil)

    public init() {}

    public var current: RateLimitStatus? { status.withLock { $0 } }

    func record(_ value: RateLimitStatus?) {
        guard let value else { return }
        status.withLock { $0 = value }
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

    public init(plan: WorkoutPlan, generator: String) {
        self.plan = plan
        self.generator = generator
    }
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
        /// No usable provider lists the requested model, or its upstream does not know it (404).
        case modelNotFound = "model_not_found"
        /// A number above its documented range or the served model's limit, e.g. `max_tokens` (400).
        case integerAboveMaxValue = "integer_above_max_value"
        /// A number below its documented range (400).
        case integerBelowMinValue = "integer_below_min_value"
        /// The generated plan failed validation even after the fallback (502).
        case invalidPlan = "invalid_plan"
    }

    public var code: Code
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

/// The host's AI entry points used by the HTTP routes: chat through the router,
/// plan generation through a generator plugin plus the plan validator.
public protocol CoachAI: Sendable {
    /// One chat completion. `messages` already hold the system prompt, the history and the new turn.
    func chat(_ request: ChatRequest, context: AIRequestContext) async throws -> CoachReply
    /// Generates and validates a plan; falls back to the rule-based planner; throws ``AIError``.
    func generatePlan(profile: FitnessProfile, request: PlanRequest, context: AIRequestContext) async throws -> GeneratedPlan
    /// Streams one chat completion: text as it arrives, then ``ChatStreamEvent/done(_:)``.
    /// Errors before any text are ``AIError``s; after text, ``StreamCutError``.
    func chatStream(_ request: ChatRequest, context: AIRequestContext) -> AsyncThrowingStream<ChatStreamEvent, any Error>
    /// Whether at least one provider and one generator are loaded (for `/ready`).
    var isReady: Bool { get }
    /// What `GET /v1/models` lists: exactly the model names that route now (the aliases and
    /// every model of a usable provider). Default: none.
    func listModels() async -> [ModelListing]
    /// The admin's model table (`/api/v1/admin/models`). Default: `nil` (no model catalogue).
    var modelAdmin: (any ModelAdministration)? { get }
    /// Loaded and rejected plugins (`GET /api/v1/admin/plugins`). Default: `nil` (no plugin layer).
    var pluginInventory: PluginInventory? { get }
    /// Each loaded provider's health (`GET /api/v1/ai/provider-status`). Default: none.
    /// Says only WHETHER a provider's secrets are configured, never their values.
    func providerHealth(nowMs: Int64) -> [ProviderHealth]
    /// Rescans the plugin folder now (`POST /api/v1/admin/plugins/reload`, hot-add); returns the
    /// inventory after the scan and the ids that were added or replaced. Default: `nil`.
    func reloadPlugins() -> (inventory: PluginInventory, changed: [String])?
}

/// A model name that routes, for `GET /v1/models`.
public struct ModelListing: Sendable, Hashable {
    public var id: String
    /// The provider's short name (`openai`, `fallback`, ...), or `vigor` for an alias; reported as `owned_by`.
    public var provider: String
    /// Unix seconds (when the serving plugin was loaded).
    public var created: Int

    public init(id: String, provider: String, created: Int) {
        self.id = id
        self.provider = provider
        self.created = created
    }
}

/// The plugin folder as the AI layer sees it.
public struct PluginInventory: Sendable, Hashable {
    public struct Component: Sendable, Hashable {
        public var id: String
        public var name: String
        public var version: String
        /// `llm-provider` or `plan-generator`.
        public var kind: String
        public var path: String
        public var provider: String?
        public var models: [String]
        public var streaming: Bool
        public var offline: Bool
        public var jsonMode: Bool
        public var usesLLM: Bool
        /// Set when the component runs isolated, in a `vigor plugin-runner` process.
        public var runner: RunnerStatus?

        public init(
            id: String, name: String, version: String, kind: String, path: String, provider: String?, models: [String],
            streaming: Bool, offline: Bool, jsonMode: Bool, usesLLM: Bool, runner: RunnerStatus? = nil
        ) {
            self.runner = runner
            self.id = id
            self.name = name
            self.version = version
            self.kind = kind
            self.path = path
            self.provider = provider
            self.models = models
            self.streaming = streaming
            self.offline = offline
            self.jsonMode = jsonMode
            self.usesLLM = usesLLM
        }
    }

    public struct Rejected: Sendable, Hashable {
        public var path: String
        public var code: String
        public var reason: String

        public init(path: String, code: String, reason: String) {
            self.path = path
            self.code = code
            self.reason = reason
        }
    }

    public var directory: String?
    public var loaded: [Component]
    public var rejected: [Rejected]

    public init(directory: String?, loaded: [Component], rejected: [Rejected]) {
        self.directory = directory
        self.loaded = loaded
        self.rejected = rejected
    }
}

/// One loaded provider's health: secrets present (a boolean only) and its circuit breaker.
public struct ProviderHealth: Sendable, Hashable {
    public var provider: String
    public var componentID: String
    public var name: String
    public var offline: Bool
    public var streaming: Bool
    /// Whether every secret the provider needs is configured. Never the values.
    public var hasSecret: Bool
    public var models: [String]
    public var circuit: CircuitBreakers.Status

    public init(
        provider: String, componentID: String, name: String, offline: Bool, streaming: Bool, hasSecret: Bool, models: [String],
        circuit: CircuitBreakers.Status
    ) {
        self.provider = provider
        self.componentID = componentID
        self.name = name
        self.offline = offline
        self.streaming = streaming
        self.hasSecret = hasSecret
        self.models = models
        self.circuit = circuit
    }
}

extension CoachAI {
    public func listModels() async -> [ModelListing] { [] }
    public var modelAdmin: (any ModelAdministration)? { nil }
    public var pluginInventory: PluginInventory? { nil }
    public func providerHealth(nowMs: Int64) -> [ProviderHealth] { [] }
    public func reloadPlugins() -> (inventory: PluginInventory, changed: [String])? { nil }
}

extension CoachAI {
    /// A non-streaming layer streams its whole answer as one piece.
    public func chatStream(_ request: ChatRequest, context: AIRequestContext) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let reply = try await chat(request, context: context)
                    continuation.yield(.delta(reply.text))
                    continuation.yield(.done(reply))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
