import AsyncHTTPClient
import Foundation
import NIOCore
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
        let reply = try await route(request, context: context, kind: kind, countsRequest: true, streaming: true) {
            candidate, upstream, reservation, deadline in
            let attempt = StreamAttempt(candidate: candidate, reservation: reservation)
            let outcome = await self.bounded(by: deadline, onDeadline: .failed(Self.deadlinePassed)) {
                await self.streamOnce(attempt, upstream, deadline: deadline, emit: emit)
            }
            let usage = attempt.finalUsage(request: upstream)
            let cost = Pricing.costMicros(usage: usage, model: candidate.model)
            // Text that reached the client is billed; so is a completed attempt without text
            // (hidden reasoning tokens, an empty answer): the upstream charged for it.
            let billed = attempt.sentText
            switch outcome {
            case .completed:
                let reply = CoachReply(
                    text: attempt.text, provider: candidate.provider.providerName, model: attempt.model ?? candidate.modelID,
                    usage: usage, costMicros: cost, citations: attempt.citations, rateLimit: reservation.rateLimit)
                return AttemptReport(end: .answered(reply), usage: usage, costMicros: cost, countsAsRequest: true)
            case .cancelled:
                return AttemptReport(end: .cancelled, usage: usage, costMicros: billed ? cost : 0, countsAsRequest: billed)
            case .failed(let error):
                return AttemptReport(
                    end: billed ? .cut(error) : .failed(error), usage: usage, costMicros: billed ? cost : 0, countsAsRequest: billed)
            }
        }
        emit(.done(reply))
    }

    /// The ABI's success status (`VIGOR_OK` is 0), as a finished stream handle reports it.
    static let streamOK: Int32 = 0

    /// How one streamed attempt ended.
    enum StreamOutcome: Sendable {
        case completed
        case cancelled
        case failed(ProviderError)
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
            let built = try await provider.invokeAsync(
                "provider.build_request", BuildRequestInput(request: request, baseURL: baseURL(provider)), as: UpstreamRequest.self,
                deadlineMs: deadline)
            let allowed = allowedHosts(provider)
            try checkEgress(built, provider: provider, allowed: allowed)
            let response = try await egress.open(
                built, allowedHosts: allowed, declaredSecrets: provider.descriptor.secrets,
                deadline: egressDeadline(deadline))
            guard response.status.code == 200 else {
                let body = (try? await response.body.collect(upTo: egress.configuration.maxResponseBytes)).map { String(buffer: $0) } ?? ""
                let parsed = try await provider.invokeAsync(
                    "provider.parse_response",
                    ParseResponseInput(
                        UpstreamResponse(
                            status: Int(response.status.code), headers: response.headers.map { [$0.name, $0.value] }, body: body,
                            request: request),
                        jsonBody: provider.descriptor.capabilities.jsonBody),
                    as: ProviderResult.self, deadlineMs: deadline)
                return .failed(parsed.error ?? ProviderError(kind: .badResponse, message: "upstream status \(response.status.code)"))
            }
            let parser = try await provider.openStreamAsync(op: "provider.stream", input: WireJSON.encode(request), deadlineMs: deadline)
            for try await buffer in response.body {
                if Task.isCancelled {
                    await parser.closeAsync(status: PluginCallError.Kind.cancelled.status, message: "stopped")
                    return .cancelled
                }
                if let failure = attempt.apply(await parser.feedAsync(Array(buffer.readableBytesView)), emit: emit) {
                    await parser.closeAsync()
                    return .failed(failure)
                }
            }
            if let failure = attempt.apply(await parser.closeAsync(), emit: emit) { return .failed(failure) }
            if let status = parser.doneStatus, status != Self.streamOK {
                return .failed(ProviderError(kind: .badResponse, message: parser.doneMessage))
            }
            return .completed
        } catch {
            return Task.isCancelled ? .cancelled : .failed(Self.attemptFailure(error))
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
    var text = ""
    var usage: TokenUsage?
    var model: String?
    var citations: [String] = []
    var sentText = false

    init(candidate: ProviderRouter.Candidate, reservation: Reservation) {
        self.candidate = candidate
        self.reservation = reservation
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
