import Foundation
import Logging
import NIOCore
import Synchronization
import VigorPluginAPI
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
    /// The admin's model overrides (nil: the descriptors only).
    let modelOverrides: (any ModelOverrideStore)?
    let catalogCache = Mutex<CatalogCache?>(nil)

    public init(
        registry: PluginRegistry, egress: Egress?, accounting: any AIAccounting, priorities: any ProviderPriorities,
        breakers: CircuitBreakers = CircuitBreakers(), configuration: Configuration = Configuration(), metrics: HostMetrics? = nil,
        modelOverrides: (any ModelOverrideStore)? = nil, logger: Logger
    ) {
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
    struct Candidate {
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
        let deadline = context.deadlineMs ?? nowMs() + configuration.defaultTimeoutMs
        let kind = kind ?? context.kind
        let alias = ModelCatalog.isAlias(request.model)
        var failures: [String] = []
        for candidate in try await plan(for: request) {
            let name = candidate.provider.providerName
            if let reason = skipReason(candidate) {
                failures.append("\(name): \(reason)")
                continue
            }
            var attempt = 0
            while attempt < configuration.attemptsPerProvider, nowMs() < deadline {
                attempt += 1
                var upstream = request
                upstream.model = candidate.modelID
                upstream.maxTokens = candidate.maxTokens
                let charge = AttemptCharge(
                    userID: context.userID, requestID: context.requestID, kind: kind, provider: name, model: candidate.modelID,
                    estimatedCostMicros: estimate(upstream, candidate), countsRequest: countsRequest, requestedModel: request.model)
                guard let reservation = try await reserve(charge, failures: &failures) else {
                    attempt = Int.max - 1
                    continue
                }
                let started = nowMs()
                let result = await call(candidate, upstream, deadline: deadline)
                let latency = nowMs() - started
                metrics?.recordProviderAttempt(provider: name, outcome: (try? result.get()).map { _ in "success" } ?? result.errorKind)
                switch result {
                case .success(let response):
                    let usage = response.usage.bounded
                    let cost = Pricing.costMicros(usage: usage, model: candidate.model)
                    try await accounting.settle(
                        reservation,
                        AttemptOutcome(outcome: "success", usage: usage, costMicros: cost, latencyMs: latency, countsAsRequest: true))
                    breakers.recordSuccess(name)
                    return CoachReply(
                        text: response.text, provider: name, model: response.model.isEmpty ? candidate.modelID : response.model,
                        usage: usage, costMicros: cost, citations: response.citations, rateLimit: reservation.rateLimit)
                case .failure(let error):
                    try await accounting.settle(
                        reservation,
                        AttemptOutcome(
                            outcome: error.kind.rawValue, usage: TokenUsage(promptTokens: 0, completionTokens: 0), costMicros: 0,
                            latencyMs: latency, countsAsRequest: false))
                    failures.append("\(name): \(error.kind.rawValue): \(error.message)")
                    logger.warning(
                        "provider attempt failed",
                        metadata: [
                            "provider": "\(name)", "kind": "\(error.kind.rawValue)", "attempt": "\(attempt)",
                            "request_id": "\(context.requestID)",
                            "message": "\(error.message.prefix(300))",
                        ])
                    switch Self.disposition(of: error, provider: name, model: candidate.modelID, alias: alias) {
                    case .clientError(let clientError):
                        throw clientError
                    case .nextProvider:
                        attempt = Int.max - 1
                    case .providerFault(retry: false):
                        breakers.recordFailure(name, nowMs: nowMs())
                        attempt = Int.max - 1
                    case .providerFault(retry: true):
                        breakers.recordFailure(name, nowMs: nowMs())
                        guard breakers.allow(name, nowMs: nowMs()) else {
                            attempt = Int.max - 1
                            break
                        }
                        let wait = backoffMs(attempt: attempt, retryAfterMs: error.retryAfterMs)
                        if nowMs() + wait >= deadline || wait > 2_000 {
                            attempt = Int.max - 1
                            break
                        }
                        try? await Task.sleep(nanoseconds: UInt64(wait) * 1_000_000)
                    }
                }
            }
        }
        if nowMs() >= deadline { throw AIError(.timeout, "no provider answered before the deadline: \(failures.joined(separator: "; "))") }
        throw AIError(
            .noProvider, failures.isEmpty ? "no LLM provider is loaded" : "no provider could answer: \(failures.joined(separator: "; "))")
    }

    /// Why a candidate cannot be tried now (its secret is missing, its circuit is open), or nil.
    func skipReason(_ candidate: Candidate) -> String? {
        if let missing = candidate.provider.descriptor.secrets.first(where: { !(egress?.secrets.has($0) ?? false) }) {
            return "secret \(missing) not configured"
        }
        return breakers.allow(candidate.provider.providerName, nowMs: nowMs()) ? nil : "circuit open"
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
            let base = configuration.baseURLs[provider.providerName] ?? provider.descriptor.defaultBaseURL ?? ""
            let upstream = try await provider.invokeAsync(
                "provider.build_request", BuildRequestInput(request: request, baseURL: base), as: UpstreamRequest.self, deadlineMs: deadline
            )
            var allowed = provider.descriptor.allowedHosts
            if let override = configuration.baseURLs[provider.providerName], let host = URL(string: override)?.host { allowed.append(host) }
            var response = try await egress.send(
                upstream, allowedHosts: allowed, declaredSecrets: provider.descriptor.secrets,
                deadline: .now() + .milliseconds(max(0, deadline - nowMs())))
            response.request = request
            return Self.unwrap(
                try await provider.invokeAsync("provider.parse_response", response, as: ProviderResult.self, deadlineMs: deadline))
        } catch let error as ProviderError {
            return .failure(error)
        } catch let error as PluginCallError where error.status == VIGOR_ERR_INVALID_INPUT {
            return .failure(ProviderError(kind: .badRequest, message: error.message))
        } catch let error as PluginCallError {
            return .failure(ProviderError.pluginFault(error))
        } catch {
            return .failure(ProviderError(kind: .badResponse, message: "\(error)"))
        }
    }

    static func unwrap(_ result: ProviderResult) -> Result<ChatResponse, ProviderError> {
        if let response = result.response { return .success(response) }
        return .failure(result.error ?? ProviderError(kind: .badResponse, message: "provider returned neither response nor error"))
    }

    /// The most an attempt can cost: prompt estimated at 4 bytes a token, answer at the
    /// candidate's `max_tokens` (at most the served model's maximum output, so at most
    /// ``ModelCatalog/maxTokensCeiling``). Saturating: never more than ``Pricing/maxCostMicros``.
    func estimate(_ request: ChatRequest, _ candidate: Candidate) -> Int64 {
        let promptTokens = request.messages.reduce(0) { Pricing.addTokens($0, $1.content.utf8.count / 4 + 4) }
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

extension ProviderError {
    static let pluginFaultPrefix = "plugin fault: "

    /// A provider plugin that failed its own call (crashed in its runner, missed the
    /// deadline, returned garbage) rather than relaying an upstream's error.
    static func pluginFault(_ error: PluginCallError) -> ProviderError {
        ProviderError(kind: .badResponse, message: pluginFaultPrefix + error.description)
    }

    var isPluginFault: Bool { status == nil && kind == .badResponse && message.hasPrefix(Self.pluginFaultPrefix) }
}

extension Result where Success == ChatResponse, Failure == ProviderError {
    /// The failure's kind, for metrics.
    var errorKind: String {
        if case .failure(let error) = self { return error.kind.rawValue }
        return "success"
    }
}

func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
