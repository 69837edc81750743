import Foundation
import Logging
import VigorCoaching
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

/// The plugin-backed ``CoachAI``: chat through the provider router, plans through a
/// generator plugin checked by the plan validator (retry once, then the rule-based planner).
public final class PluginCoachAI: CoachAI {
    public let registry: PluginRegistry
    let router: ProviderRouter
    let logger: Logger
    /// The generator asked first (an LLM-backed one when configured); the rule-based planner is the fallback.
    let preferredGenerator: String?
    static let ruleBasedPlanner = "dev.vigor.planner"

    public init(registry: PluginRegistry, router: ProviderRouter, logger: Logger, preferredGenerator: String? = nil) {
        self.registry = registry
        self.router = router
        self.logger = logger
        self.preferredGenerator = preferredGenerator
    }

    public var isReady: Bool {
        !registry.components(kind: .llmProvider).isEmpty && !registry.components(kind: .planGenerator).isEmpty
    }

    public func chat(_ request: ChatRequest, context: AIRequestContext) async throws -> CoachReply {
        try await router.complete(request, context: context)
    }

    public func generatePlan(profile: FitnessProfile, request: PlanRequest, context: AIRequestContext) async throws -> GeneratedPlan {
        var order: [PluginComponentHandle] = []
        if let preferredGenerator, let preferred = registry.component(id: preferredGenerator) { order.append(preferred) }
        if let planner = registry.component(id: Self.ruleBasedPlanner), !order.contains(where: { $0 === planner }) { order.append(planner) }
        if order.isEmpty, let any = registry.components(kind: .planGenerator).first { order.append(any) }
        guard !order.isEmpty else { throw AIError(.noProvider, "no workout-plan generator is loaded") }

        var lastProblem = ""
        for generator in order {
            // Each generator gets two attempts: the second carries the validator's findings.
            var feedback: [String] = []
            for attempt in 1...2 {
                do {
                    let plan = try await run(generator, profile: profile, request: request, feedback: feedback, context: context)
                    let violations = PlanValidator.validate(plan, profile: profile, catalog: .standard)
                    if violations.isEmpty { return GeneratedPlan(plan: plan, generator: generator.descriptor.id) }
                    feedback = violations.map { "rule \($0.rule) (\($0.code)): \($0.message)" }
                    lastProblem = feedback.joined(separator: "; ")
                    logger.warning(
                        "generated plan failed validation",
                        metadata: ["generator": "\(generator.descriptor.id)", "attempt": "\(attempt)", "violations": "\(violations.count)",
                                   "request_id": "\(context.requestID)"])
                } catch let error as AIError {
                    throw error
                } catch let error as PluginCallError where error.status == VIGOR_ERR_INVALID_INPUT {
                    throw AIError(.badRequest, error.message)
                } catch {
                    lastProblem = "\(error)"
                    logger.warning("plan generator failed", metadata: ["generator": "\(generator.descriptor.id)", "error": "\(error)"])
                    break
                }
            }
        }
        throw AIError(.invalidPlan, "no generator produced a valid plan: \(lastProblem)")
    }

    /// Runs a generator on its own thread (it may block on `vigor.llm/1`), bounded by the deadline.
    private func run(
        _ generator: PluginComponentHandle, profile: FitnessProfile, request: PlanRequest, feedback: [String], context: AIRequestContext
    ) async throws -> WorkoutPlan {
        let input = try WireJSON.encode(GenerateInput(profile: profile, request: request, feedback: feedback))
        let deadline = context.deadlineMs ?? Int64(Date().timeIntervalSince1970 * 1000) + 60_000
        let info = CallInfo(userID: context.userID, requestID: context.requestID, deadlineMs: deadline)
        let flag = CancelFlag()
        let result: Result<[UInt8], PluginCallError>? = await BlockingBridge.offload(deadlineMs: deadline, cancelled: flag) {
            Result { () throws(PluginCallError) in
                try generator.invoke(op: "generator.generate", input: input, deadlineMs: deadline, call: info, cancelled: flag)
            }
        }
        guard let result else { throw AIError(.timeout, "plan generation did not finish before the deadline") }
        let bytes = try result.get()
        do {
            return try JSONDecoder().decode(GenerateOutput<WorkoutPlan>.self, from: Data(bytes)).plan
        } catch {
            throw PluginCallError(status: VIGOR_ERR_INTERNAL, message: "generator returned an undecodable plan: \(error)")
        }
    }
}
