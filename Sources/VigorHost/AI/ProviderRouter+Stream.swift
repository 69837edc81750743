import AsyncHTTPClient
import Foundation
import NIOCore
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

/// What a streamed chat delivers to a route: text as it arrives, then one final summary.
public enum ChatStreamEvent: Sendable, Hashable {
    case delta(String)
    /// The end: the whole answer with who served it, its usage and cost.
    case done(CoachReply)
}

/// A stream that failed after text was already sent (no failover is possible then).
public struct StreamCutError: Error, Sendable, Hashable {
    public var provider: String
    public var message: String
}

extension ProviderRouter {
    /// Streams one chat completion. Failover happens only before the first text is sent;
    /// after that an error ends the stream with ``StreamCutError``. Every attempt is reserved
    /// and settled: on completion, on upstream failure and when the consumer goes away
    /// (client disconnect), with the tokens actually produced.
    public func stream(_ request: ChatRequest, context: AIRequestContext, kind: String? = nil) -> AsyncThrowingStream<
        ChatStreamEvent, any Error
    > {
        let kind = kind ?? context.kind
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.runStream(request, context: context, kind: kind) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func runStream(
        _ request: ChatRequest, context: AIRequestContext, kind: String, emit: @escaping @Sendable (ChatStreamEvent) -> Void
    ) async throws {
        let deadline = context.deadlineMs ?? nowMs() + configuration.defaultTimeoutMs
        let alias = ModelCatalog.isAlias(request.model)
        var failures: [String] = []
        for candidate in try await plan(for: request) {
            let name = candidate.provider.providerName
            if let reason = skipReason(candidate) {
                failures.append("\(name): \(reason)")
                continue
            }
            var upstream = request
            upstream.model = candidate.modelID
            upstream.maxTokens = candidate.maxTokens
            upstream.stream = true
            let charge = AttemptCharge(
                userID: context.userID, requestID: context.requestID, kind: kind, provider: name, model: candidate.modelID,
                estimatedCostMicros: estimate(upstream, candidate), requestedModel: request.model)
            guard let reservation = try await reserve(charge, failures: &failures) else { continue }
            context.rateLimitNote?.record(reservation.rateLimit)
            let attempt = StreamAttempt(candidate: candidate, reservation: reservation, started: nowMs())
            let outcome = await streamOnce(attempt, upstream, deadline: deadline, emit: emit)
            let usage = attempt.finalUsage(request: upstream)
            let cost = Pricing.costMicros(usage: usage, model: candidate.model)
            metrics?.recordProviderAttempt(provider: name, outcome: outcome.label)
            // A completed attempt is billed even without text (hidden reasoning tokens, an empty
            // answer): the upstream charged for it, as the plain path does.
            let billed: Bool
            if case .completed = outcome { billed = true } else { billed = attempt.sentText }
            // Settle even if this task was cancelled (client gone): the tokens were produced.
            try await Task.detached { [accounting] in
                try await accounting.settle(
                    reservation,
                    AttemptOutcome(
                        outcome: outcome.label, usage: usage, costMicros: billed ? cost : 0, latencyMs: nowMs() - attempt.started,
                        countsAsRequest: billed))
            }.value
            switch outcome {
            case .completed:
                breakers.recordSuccess(name)
                emit(
                    .done(
                        CoachReply(
                            text: attempt.text, provider: name, model: attempt.model ?? candidate.modelID, usage: usage, costMicros: cost,
                            citations: attempt.citations, rateLimit: reservation.rateLimit)))
                return
            case .cancelled:
                throw CancellationError()
            case .failed(let error):
                if attempt.sentText { throw StreamCutError(provider: name, message: "\(error.kind.rawValue): \(error.message)") }
                failures.append("\(name): \(error.kind.rawValue): \(error.message)")
                switch Self.disposition(of: error, provider: name, model: candidate.modelID, alias: alias) {
                case .clientError(let clientError): throw clientError
                case .nextProvider: break
                case .providerFault: breakers.recordFailure(name, nowMs: nowMs())
                }
            }
        }
        if nowMs() >= deadline { throw AIError(.timeout, "no provider answered before the deadline: \(failures.joined(separator: "; "))") }
        throw AIError(
            .noProvider, failures.isEmpty ? "no LLM provider is loaded" : "no provider could answer: \(failures.joined(separator: "; "))")
    }

    enum StreamOutcome {
        case completed
        case cancelled
        case failed(ProviderError)

        var label: String {
            switch self {
            case .completed: "success"
            case .cancelled: "client_disconnected"
            case .failed(let error): error.kind.rawValue
            }
        }
    }

    /// One streamed attempt: offline providers answer whole and are sent in word chunks;
    /// upstream providers' SSE bodies go through the plugin's stream parser.
    func streamOnce(
        _ attempt: StreamAttempt, _ request: ChatRequest, deadline: Int64, emit: @escaping @Sendable (ChatStreamEvent) -> Void
    ) async -> StreamOutcome {
        let provider = attempt.candidate.provider
        if provider.descriptor.capabilities.offline || !provider.descriptor.capabilities.streaming {
            switch await call(attempt.candidate, request, deadline: deadline) {
            case .failure(let error): return .failed(error)
            case .success(let response):
                attempt.model = response.model
                attempt.usage = response.usage
                attempt.citations = response.citations
                for piece in Self.chunks(response.text) {
                    if Task.isCancelled { return .cancelled }
                    attempt.append(piece)
                    emit(.delta(piece))
                }
                return .completed
            }
        }
        guard let egress else { return .failed(ProviderError(kind: .network, message: "host egress is not configured")) }
        do {
            let base = configuration.baseURLs[provider.providerName] ?? provider.descriptor.defaultBaseURL ?? ""
            let built = try await provider.invokeAsync(
                "provider.build_request", BuildRequestInput(request: request, baseURL: base), as: UpstreamRequest.self, deadlineMs: deadline
            )
            var allowed = provider.descriptor.allowedHosts
            if let override = configuration.baseURLs[provider.providerName], let host = URL(string: override)?.host { allowed.append(host) }
            let response = try await egress.open(
                built, allowedHosts: allowed, declaredSecrets: provider.descriptor.secrets,
                deadline: .now() + .milliseconds(max(0, deadline - nowMs())))
            guard response.status.code == 200 else {
                let body = (try? await response.body.collect(upTo: egress.configuration.maxResponseBytes)).map { String(buffer: $0) } ?? ""
                let parsed = try await provider.invokeAsync(
                    "provider.parse_response",
                    UpstreamResponse(
                        status: Int(response.status.code), headers: response.headers.map { [$0.name, $0.value] }, body: body,
                        request: request),
                    as: ProviderResult.self, deadlineMs: deadline)
                return .failed(parsed.error ?? ProviderError(kind: .badResponse, message: "upstream status \(response.status.code)"))
            }
            let parser = try provider.openStream(op: "provider.stream", input: WireJSON.encode(request))
            for try await buffer in response.body {
                if Task.isCancelled || nowMs() >= deadline {
                    await parser.closeAsync(status: VIGOR_ERR_CANCELLED, message: "stopped")
                    return Task.isCancelled ? .cancelled : .failed(ProviderError(kind: .network, message: "deadline passed mid-stream"))
                }
                if let failure = attempt.apply(await parser.feedAsync(Array(buffer.readableBytesView)), emit: emit) {
                    await parser.closeAsync()
                    return .failed(failure)
                }
            }
            if let failure = attempt.apply(await parser.closeAsync(), emit: emit) { return .failed(failure) }
            if let status = parser.doneStatus, status != VIGOR_OK {
                return .failed(ProviderError(kind: .badResponse, message: parser.doneMessage))
            }
            return .completed
        } catch is CancellationError {
            return .cancelled
        } catch let error as ProviderError {
            return Task.isCancelled ? .cancelled : .failed(error)
        } catch let error as PluginCallError {
            return Task.isCancelled ? .cancelled : .failed(.pluginFault(error))
        } catch {
            return Task.isCancelled ? .cancelled : .failed(Egress.classify(error))
        }
    }

    /// Splits a whole answer into small pieces (a few words each) for streaming.
    static func chunks(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var words = 0
        for character in text {
            current.append(character)
            if character == " " || character == "\n" {
                words += 1
                if words == 4 {
                    pieces.append(current)
                    current = ""
                    words = 0
                }
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}

/// The running state of one streamed attempt. Used by one task at a time.
final class StreamAttempt: @unchecked Sendable {
    let candidate: ProviderRouter.Candidate
    let reservation: Reservation
    let started: Int64
    var text = ""
    var usage: TokenUsage?
    var model: String?
    var citations: [String] = []
    var sentText = false

    init(candidate: ProviderRouter.Candidate, reservation: Reservation, started: Int64) {
        self.candidate = candidate
        self.reservation = reservation
        self.started = started
    }

    func append(_ piece: String) {
        text += piece
        sentText = true
    }

    /// Forwards text, records usage and metadata; returns the first error event, if any.
    func apply(_ events: [StreamEvent], emit: (ChatStreamEvent) -> Void) -> ProviderError? {
        for event in events {
            switch event {
            case .delta(let piece):
                guard !piece.isEmpty else { continue }
                append(piece)
                emit(.delta(piece))
            case .usage(let value): usage = value
            case .model(let value): model = value
            case .citations(let value): citations = value
            case .finish: break
            case .error(let error): return error
            }
        }
        return nil
    }

    /// The upstream's usage when it reported one (bounded, see ``TokenUsage/bounded``);
    /// otherwise an estimate (4 bytes a token).
    func finalUsage(request: ChatRequest) -> TokenUsage {
        if let usage { return usage.bounded }
        let prompt = request.messages.reduce(0) { Pricing.addTokens($0, $1.content.utf8.count / 4 + 4) }
        return TokenUsage(promptTokens: prompt, completionTokens: (text.utf8.count + 3) / 4).bounded
    }
}
