import Foundation
import Logging
import NIOCore
import Synchronization
import VigorPluginLoader
import VigorPluginSDK

/// Chooses providers for a chat request through the model catalogue and fails over between them.
///
/// An alias (`vigor-coach`, `vigor-coach-1`, or no model) follows the admin-managed
/// priorities (enabled providers only), then any other upstream provider, then offline
/// providers (the fallback coach) last, so the product always answers; each provider serves
/// its own default model. A concrete model goes only to the providers that list it (see
/// ``plan(for:)``); a model nobody lists is `404 model_not_found`, never sent upstream and
/// never billed. A provider whose secret is missing or whose circuit is open is skipped.
/// Every attempt reserves quota first and is settled (reconciled or released) and logged
/// after, priced at the model actually served.
public final class ProviderRouter: Sendable {
    public struct Configuration: Sendable {
        /// Attempts per provider for retryable failures (1 = no retry).
        public var attemptsPerProvider = 2
        /// Base of the jittered exponential backoff between attempts.
        public var backoffBaseMs = 100
        /// Tokens assumed for the answer when the request gives no `max_tokens`.
        public var defaultMaxTokens = 1024
        /// Default deadline for a request without one.
        public var defaultTimeoutMs: Int64 = 60_000
        /// Base-URL overrides by provider short name (`VIGOR_OPENAI_BASE_URL`, ...).
        public var baseURLs: [String: String] = [:]
        public init() {}
    }

    let registry: PluginRegistry
    let egress: Egress?
    let accounting: any AIAccounting
    let priorities: any ProviderPriorities
    let breakers: CircuitBreakers
    let configuration: Configuration
    let metrics: HostMetrics?
    let logger: Logger
    /// The clock every deadline, backoff and breaker cool-down is read from.
    let clock: VigorClock
    /// The admin's model overrides (nil: the descriptors only).
    let modelOverrides: (any ModelOverrideStore)?
    let catalogCache = Mutex<CatalogCache?>(nil)
    /// Scheme and host of the upstream URLs checked before egress (the same few on every request).
    let urlParts = URLPartsCache()
    /// The attempts' deadlines, watched by one task (see ``bounded(by:onDeadline:_:)``).
    let deadlines: DeadlineWatch

    public init(
        registry: PluginRegistry, egress: Egress?, accounting: any AIAccounting, priorities: any ProviderPriorities,
        breakers: CircuitBreakers = CircuitBreakers(), configuration: Configuration = Configuration(), metrics: HostMetrics? = nil,
        modelOverrides: (any ModelOverrideStore)? = nil, clock: VigorClock = .system, logger: Logger
    ) {
        self.clock = clock
        self.deadlines = DeadlineWatch(clock: clock)
        self.modelOverrides = modelOverrides
        self.metrics = metrics
        self.registry = registry
        self.egress = egress
        self.accounting = accounting
        self.priorities = priorities
        self.breakers = breakers
        self.configuration = configuration
        self.logger = logger
    }

    /// One planned attempt: a provider, the model to ask and its price.
    struct Candidate: Sendable {
        var provider: PluginComponentHandle
        /// The served model's id and prices (nil: an offline provider that lists no model).
        var model: ModelInfo?
        var modelID: String
        /// `max_tokens` as sent upstream (clamped to the model's maximum output for an alias).
        var maxTokens: Int?
        /// The answer tokens the reservation assumes.
        var estimateTokens: Int
    }

    /// Routes one chat completion; throws ``AIError`` when nothing can answer.
    /// - Parameter countsRequest: false for completions a generator asks for inside a plan
    ///   request (which already took the user's request); their cost is still charged.
    /// - Parameter kind: the usage log's `kind`; nil takes the context's.
    public func complete(
        _ request: ChatRequest, context: AIRequestContext, kind: String? = nil, countsRequest: Bool = true
    ) async throws -> CoachReply {
        try await route(request, context: context, kind: kind ?? context.kind, countsRequest: countsRequest, streaming: false) {
            candidate, upstream, reservation, deadline in
            let result = await self.bounded(by: deadline, onDeadline: .failure(Self.deadlinePassed)) {
                await self.call(candidate, upstream, deadline: deadline)
            }
            switch result {
            case .success(let response):
                let usage = response.usage.bounded
                let cost = Pricing.costMicros(usage: usage, model: candidate.model)
                let reply = CoachReply(
                    text: response.text, provider: candidate.provider.providerName,
                    model: response.model.isEmpty ? candidate.modelID : response.model, usage: usage, costMicros: cost,
                    citations: response.citations, rateLimit: reservation.rateLimit)
                return AttemptReport(end: .answered(reply), usage: usage, costMicros: cost, countsAsRequest: true)
            case .failure where Task.isCancelled:
                return AttemptReport(end: .cancelled)
            case .failure(let error):
                return AttemptReport(end: .failed(error))
            }
        }
    }

    /// Why a candidate cannot be tried now (its secret is missing, its circuit is open), or nil.
    func skipReason(_ candidate: Candidate) -> String? {
        if let missing = candidate.provider.descriptor.secrets.first(where: { !(egress?.secrets.has($0) ?? false) }) {
            return "secret \(missing) not configured"
        }
        return breakers.allow(candidate.provider.providerName, nowMs: clock.nowMs) ? nil : "circuit open"
    }

    /// Reserves one attempt. A user or global refusal ends the request (as an ``AIError``);
    /// a provider-cap refusal returns nil so the caller tries the next provider.
    func reserve(_ charge: AttemptCharge, failures: inout [String]) async throws -> Reservation? {
        do {
            return try await accounting.reserve(charge)
        } catch let refusal as QuotaRefusal {
            await accounting.recordRefusal(charge, refusal)
            metrics?.recordQuotaRefusal(limit: refusal.limit)
            guard refusal.scope == .provider else { throw refusal.aiError }
            failures.append("\(charge.provider): \(refusal.message)")
            return nil
        }
    }

    /// One attempt against one provider: offline `complete`, or build → egress → parse.
    func call(_ candidate: Candidate, _ request: ChatRequest, deadline: Int64) async -> Result<ChatResponse, ProviderError> {
        let provider = candidate.provider
        do {
            if provider.descriptor.capabilities.offline {
                let result = try await provider.invokeAsync("provider.complete", request, as: ProviderResult.self, deadlineMs: deadline)
                return Self.unwrap(result)
            }
            guard let egress else { return .failure(ProviderError(kind: .network, message: "host egress is not configured")) }
            let built = try await provider.invokeAsync(
                "provider.build_request", BuildRequestInput(request: request, baseURL: baseURL(provider)), as: UpstreamRequest.self,
                deadlineMs: deadline)
            let allowed = allowedHosts(provider)
            try checkEgress(built, provider: provider, allowed: allowed)
            var response = try await egress.send(
                built, allowedHosts: allowed, declaredSecrets: provider.descriptor.secrets,
                deadline: egressDeadline(deadline))
            response.request = request
            return Self.unwrap(
                try await provider.invokeAsync(
                    "provider.parse_response", ParseResponseInput(response, jsonBody: provider.descriptor.capabilities.jsonBody),
                    as: ProviderResult.self, deadlineMs: deadline))
        } catch {
            return .failure(Self.attemptFailure(error))
        }
    }

    static func unwrap(_ result: ProviderResult) -> Result<ChatResponse, ProviderError> {
        if let response = result.response { return .success(response) }
        return .failure(result.error ?? ProviderError(kind: .badResponse, message: "provider returned neither response nor error"))
    }

    /// The most an attempt can cost, reserved before the call: the prompt at one token per
    /// UTF-8 byte (a byte-level tokenizer never makes a token of less than a byte) plus 4 per
    /// message for the role framing, the answer at the candidate's `max_tokens` (at most the
    /// served model's maximum output, so at most ``ModelCatalog/maxTokensCeiling``).
    /// Saturating: never more than ``Pricing/maxCostMicros``.
    ///
    /// It must be a bound, not a guess: an answer that costs more than its reservation is
    /// charged in full after the fact, so with a typical 4 bytes a token, N reservations in
    /// flight near a budget could all be admitted and all overrun it.
    func estimate(_ request: ChatRequest, _ candidate: Candidate) -> Int64 {
        let promptTokens = request.messages.reduce(0) { Pricing.addTokens($0, $1.content.utf8.count + 4) }
        let usage = TokenUsage(promptTokens: promptTokens, completionTokens: candidate.estimateTokens)
        return Pricing.costMicros(usage: usage, model: candidate.model)
    }

    /// The wait before a retry: the upstream's `retry-after` (clamped to `0...3_600_000`, as a
    /// plugin may report any Int), else jittered exponential backoff.
    func backoffMs(attempt: Int, retryAfterMs: Int?) -> Int64 {
        if let retryAfterMs { return Int64(min(max(0, retryAfterMs), 3_600_000)) }
        let ceiling = configuration.backoffBaseMs << min(attempt, 6)
        return Int64(Int.random(in: ceiling / 2...ceiling))
    }
}
