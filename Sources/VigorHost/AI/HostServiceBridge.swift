import Foundation
import NIOCore
import Synchronization
import VigorPluginLoader
import VigorPluginSDK

/// Answers plugins' `vigor.llm/1` and `vigor.http/1` calls with the host's own router and
/// egress, so a generator's completions go through the same routing, quotas and usage log
/// as a client's. Bound after the router exists (the loader needs it first).
public final class HostServiceBridge: HostServiceHandler {
    struct Bound {
        var router: ProviderRouter?
        var egress: Egress?
    }

    private let bound = Mutex(Bound())
    /// The clock a call without a deadline gets its default deadline from.
    let clock: VigorClock

    public init(clock: VigorClock = .system) {
        self.clock = clock
    }

    public func bind(router: ProviderRouter, egress: Egress?) {
        bound.withLock { $0 = Bound(router: router, egress: egress) }
    }

    public func complete(_ request: ChatRequest, call: CallInfo?, plugin: String) async throws -> ChatResponse {
        guard let router = bound.withLock({ $0.router }) else { throw PluginError.unavailable("the host router is not ready") }
        guard let call else { throw PluginError.invalidInput("vigor.llm/1 needs the vigor_call of the running operation") }
        let context = AIRequestContext(userID: call.userID, requestID: call.requestID, deadlineMs: call.deadlineMs)
        do {
            let reply = try await router.complete(request, context: context, kind: UsageKind.plan.rawValue, countsRequest: false)
            return ChatResponse(text: reply.text, model: reply.model, usage: reply.usage, citations: reply.citations)
        } catch let error as AIError {
            switch error.code {
            case .timeout: throw PluginError.deadline(error.message)
            case .badRequest, .modelNotFound, .integerAboveMaxValue, .integerBelowMinValue: throw PluginError.invalidInput(error.message)
            default: throw PluginError.unavailable("\(error.code.rawValue): \(error.message)")
            }
        }
    }

    public func http(_ request: UpstreamRequest, call: CallInfo?, plugin: String, allowedHosts: [String]) async throws -> UpstreamResponse {
        guard let egress = bound.withLock({ $0.egress }) else { throw PluginError.unavailable("host egress is not configured") }
        let deadlineMs = call?.deadlineMs ?? clock.nowMs + 30_000
        do {
            // A real (NIO) deadline for the socket: the time left on the injected clock.
            return try await egress.send(
                request, allowedHosts: allowedHosts, deadline: .now() + .milliseconds(max(0, deadlineMs - clock.nowMs)))
        } catch {
            throw PluginError.unavailable("\(error.kind.rawValue): \(error.message)")
        }
    }
}
