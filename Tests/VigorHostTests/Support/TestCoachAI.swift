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
        var ledger: (any QuotaLedger)?
    }

    init(chatError: AIError? = nil, planError: AIError? = nil, ready: Bool = true) {
        state.withLock {
            $0.chatError = chatError
            $0.planError = planError
            $0.ready = ready
        }
    }

    /// Charges successful chats through `store`'s quota ledger (reserve, then settle), as the
    /// real AI layer does.
    func attach(_ store: any Store, clock: VigorClock) {
        let ledger = store.quotaLedger(logger: TestHost.logger, clock: clock.now)
        state.withLock { $0.ledger = ledger }
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
        if let ledger = state.withLock({ $0.ledger }) {
            let charge = AttemptCharge(
                userID: context.userID, requestID: context.requestID, kind: "chat", provider: reply.provider, model: reply.model,
                estimatedCostMicros: reply.costMicros)
            let reservation: Reservation
            do {
                reservation = try await ledger.reserve(charge)
            } catch let refusal as QuotaRefusal {
                throw refusal.aiError
            }
            try await ledger.settle(
                reservation,
                AttemptOutcome(outcome: "success", usage: reply.usage, costMicros: reply.costMicros, latencyMs: 1, countsAsRequest: true))
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
