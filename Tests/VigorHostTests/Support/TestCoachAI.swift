import Foundation
import Hummingbird
import Synchronization
import VigorCoaching
import VigorPluginLoader
import VigorPluginSDK

@testable import VigorHost

/// A deterministic, offline ``CoachAI`` for route tests: it echoes the turn, records every
/// request it receives, and generates plans with the rule-based planner.
final class TestCoachAI: CoachAI {
    private let state = Mutex(State())

    struct State {
        var requests: [ChatRequest] = []
        var chatError: AIError?
        var planError: AIError?
        var ready = true
        var store: (any Store)?
        var now: @Sendable () -> Date = { Date() }
    }

    init(chatError: AIError? = nil, planError: AIError? = nil, ready: Bool = true) {
        state.withLock {
            $0.chatError = chatError
            $0.planError = planError
            $0.ready = ready
        }
    }

    /// Records successful chats in `store` (as the real AI layer's ledger does).
    func attach(_ store: any Store, clock: VigorClock) {
        state.withLock {
            $0.store = store
            $0.now = clock.now
        }
    }

    /// Every chat request received, in order.
    var requests: [ChatRequest] { state.withLock { $0.requests } }

    var isReady: Bool { state.withLock { $0.ready } }

    func chat(_ request: ChatRequest, context: AIRequestContext) async throws -> CoachReply {
        let error = state.withLock { state -> AIError? in
            state.requests.append(request)
            return state.chatError
        }
        if let error { throw error }
        let last = request.messages.last?.content ?? ""
        let reply = CoachReply(
            text: "Coach: noted '\(last.prefix(40))'. Keep going!", provider: "test", model: "test-coach-1",
            usage: TokenUsage(promptTokens: request.messages.count * 10, completionTokens: 12), costMicros: 1_500)
        let (store, now) = state.withLock { ($0.store, $0.now) }
        if let store {
            try await store.recordAIUsage(
                AIUsageEntry(
                    userID: context.userID, requestID: context.requestID, kind: "chat", provider: reply.provider,
                    model: reply.model, promptTokens: reply.usage.promptTokens,
                    completionTokens: reply.usage.completionTokens, costMicros: reply.costMicros, latencyMs: 1,
                    outcome: "success"),
                at: now())
        }
        return reply
    }

    func generatePlan(profile: FitnessProfile, request: PlanRequest, context: AIRequestContext) async throws
        -> GeneratedPlan
    {
        if let error = state.withLock({ $0.planError }) { throw error }
        let plan = RuleBasedPlanner.generate(profile: profile, request: request, catalog: .standard)
        return GeneratedPlan(plan: plan, generator: RuleBasedPlanner.generatorID)
    }
}
