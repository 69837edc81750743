import Foundation
import NIOCore
import Synchronization
import VigorPluginLoader
import VigorPluginSDK

/// How one attempt ended, as the code that ran it (plain or streaming) reports it to the
/// router's attempt loop, with what the usage log records and the ledger charges.
struct AttemptReport<Value: Sendable>: Sendable {
    enum End: Sendable {
        /// The provider answered.
        case answered(Value)
        /// The attempt failed before any of the answer reached the caller: the router may
        /// retry or fail over.
        case failed(ProviderError)
        /// The attempt failed after part of the answer reached the caller: no retry or
        /// failover is possible, the caller gets ``StreamCutError``.
        case cut(ProviderError)
        /// The caller went away (client disconnect).
        case cancelled
    }

    var end: End
    var usage = TokenUsage(promptTokens: 0, completionTokens: 0)
    /// What to charge: the actual cost when the upstream billed the attempt, else 0.
    var costMicros: Int64 = 0
    /// Whether the attempt takes one of the user's requests (see ``AttemptOutcome/countsAsRequest``).
    var countsAsRequest = false

    /// The usage log's and the metrics' outcome: `success`, `client_disconnected`, or the
    /// failure's kind.
    var outcome: UsageOutcome {
        switch end {
        case .answered: .success
        case .cancelled: .clientDisconnected
        case .failed(let error), .cut(let error): UsageOutcome(error.kind)
        }
    }
}

extension ProviderRouter {
    /// The router's one attempt loop, shared by ``complete(_:context:kind:countsRequest:)`` and
    /// ``stream(_:context:kind:)``: for each planned candidate (``plan(for:)``) that is not
    /// skipped, up to ``Configuration/attemptsPerProvider`` attempts, each reserved before
    /// `attempt` runs it and settled after, then decided on by one policy
    /// (``disposition(of:provider:model:alias:)``): answer, retry after a backoff, fail over,
    /// or end with the client's error. The request's deadline is read on the injected clock.
    func route<Value: Sendable>(
        _ request: ChatRequest, context: AIRequestContext, kind: String, countsRequest: Bool, streaming: Bool,
        attempt run: (Candidate, ChatRequest, Reservation, _ deadlineMs: Int64) async -> AttemptReport<Value>
    ) async throws -> Value {
        let deadline = context.deadlineMs ?? clock.nowMs + configuration.defaultTimeoutMs
        let alias = ModelCatalog.isAlias(request.model)
        var failures: [String] = []
        candidates: for candidate in try await plan(for: request) {
            let name = candidate.provider.providerName
            if let reason = skipReason(candidate) {
                failures.append("\(name): \(reason)")
                continue
            }
            var upstream = request
            upstream.model = candidate.modelID
            upstream.maxTokens = candidate.maxTokens
            if streaming { upstream.stream = true }
            for attempt in 1...max(1, configuration.attemptsPerProvider) {
                guard clock.nowMs < deadline else { break candidates }
                let charge = AttemptCharge(
                    userID: context.userID, requestID: context.requestID, kind: kind, provider: name, model: candidate.modelID,
                    estimatedCostMicros: estimate(upstream, candidate), countsRequest: countsRequest, requestedModel: request.model)
                guard let reservation = try await reserve(charge, failures: &failures) else { continue candidates }
                context.rateLimitNote?.record(reservation.rateLimit)
                let started = clock.nowMs
                let report = await run(candidate, upstream, reservation, deadline)
                metrics?.recordProviderAttempt(provider: name, outcome: report.outcome.rawValue)
                try await settle(reservation, report, latencyMs: clock.nowMs - started)
                let error: ProviderError
                switch report.end {
                case .answered(let value):
                    breakers.recordSuccess(name)
                    return value
                case .cancelled:
                    throw CancellationError()
                case .failed(let failure), .cut(let failure):
                    error = failure
                }
                let disposition = Self.disposition(of: error, provider: name, model: candidate.modelID, alias: alias)
                if case .providerFault = disposition { breakers.recordFailure(name, nowMs: clock.nowMs) }
                logger.warning(
                    "provider attempt failed",
                    metadata: [
                        "provider": "\(name)", "kind": "\(error.kind.rawValue)", "attempt": "\(attempt)",
                        "request_id": "\(context.requestID)", "message": "\(error.message.prefix(300))",
                    ])
                if case .cut = report.end { throw StreamCutError(provider: name, message: "\(error.kind.rawValue): \(error.message)") }
                failures.append("\(name): \(error.kind.rawValue): \(error.message)")
                switch disposition {
                case .clientError(let clientError):
                    throw clientError
                case .nextProvider, .providerFault(retry: false):
                    continue candidates
                case .providerFault(retry: true):
                    guard attempt < configuration.attemptsPerProvider,
                        let wait = retryDelayMs(provider: name, attempt: attempt, error: error, deadline: deadline)
                    else { continue candidates }
                    try await clock.sleep(for: .milliseconds(wait))
                }
            }
        }
        if clock.nowMs >= deadline {
            throw AIError(.timeout, "no provider answered before the deadline: \(failures.joined(separator: "; "))")
        }
        throw AIError(
            .noProvider, failures.isEmpty ? "no LLM provider is loaded" : "no provider could answer: \(failures.joined(separator: "; "))")
    }

    /// How long to wait before retrying `provider`, or nil when a retry is not worth it: its
    /// circuit just opened, or the wait would pass the deadline or is longer than 2 s (another
    /// provider is the better bet then).
    func retryDelayMs(provider: String, attempt: Int, error: ProviderError, deadline: Int64) -> Int64? {
        guard breakers.allow(provider, nowMs: clock.nowMs) else { return nil }
        let wait = backoffMs(attempt: attempt, retryAfterMs: error.retryAfterMs)
        guard clock.nowMs + wait < deadline, wait <= 2_000 else { return nil }
        return wait
    }

    /// Settles one attempt: reconciles (or releases) its reservation and logs it, in the
    /// request's own task. When the client has left, that task is cancelled; the settle still
    /// completes, because ``AIAccounting/settle(_:_:)`` does not answer cancellation (the
    /// upstream's tokens were produced, and the reservation must leave flight).
    func settle<Value>(_ reservation: Reservation, _ report: AttemptReport<Value>, latencyMs: Int64) async throws {
        let outcome = AttemptOutcome(
            outcome: report.outcome, usage: report.usage, costMicros: report.costMicros, latencyMs: latencyMs,
            countsAsRequest: report.countsAsRequest)
        try await accounting.settle(reservation, outcome)
    }

    /// The failure an attempt reports when the request's deadline passes on the injected clock.
    static let deadlinePassed = ProviderError(kind: .network, message: "the request's deadline passed")

    /// Runs one attempt's `work` until the injected clock reaches `deadlineMs`; then cancels
    /// it and returns `onDeadline`. Cancelling the caller cancels the work.
    func bounded<T: Sendable>(by deadlineMs: Int64, onDeadline: T, _ work: @escaping @Sendable () async -> T) async -> T {
        // Compared first: a deadline far in the past cannot overflow the subtraction.
        let now = clock.nowMs
        guard deadlineMs > now else { return onDeadline }
        let passed = DeadlineFlag()
        let task = Task { await work() }
        let watch = deadlines.register(deadlineMs: deadlineMs) {
            passed.set()
            task.cancel()
        }
        let value = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        deadlines.cancel(watch)
        return passed.isSet ? onDeadline : value
    }

    /// The transport deadline egress gets: the time left before `deadlineMs` on the injected
    /// clock, as a real (NIO) deadline for the socket.
    func egressDeadline(_ deadlineMs: Int64) -> NIODeadline {
        let now = clock.nowMs
        return .now() + .milliseconds(deadlineMs > now ? deadlineMs &- now : 0)
    }

    /// The base URL a provider's requests are built on: the operator's override, else the plugin's default.
    func baseURL(_ provider: PluginComponentHandle) -> String {
        configuration.baseURLs[provider.providerName] ?? provider.descriptor.defaultBaseURL ?? ""
    }
}

/// Set once when an attempt's deadline passes (read after the attempt's task has ended).
final class DeadlineFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .sequentiallyConsistent) }

    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}
