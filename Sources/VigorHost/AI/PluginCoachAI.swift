import Foundation
import Logging
import VigorCoaching
import VigorPluginLoader
import VigorPluginSDK

/// The plugin-backed ``CoachAI``: chat through the provider router, plans through a
/// generator plugin checked by the plan validator (retry once, then the rule-based planner).
public final class PluginCoachAI: CoachAI {
    public let registry: PluginRegistry
    let router: ProviderRouter
    let accounting: any AIAccounting
    let logger: Logger
    /// The generator asked first (an LLM-backed one when configured); the rule-based planner is the fallback.
    let preferredGenerator: String?
    /// The folder hot-add rescans (nil: no reloads).
    public let pluginDirectory: String?
    static let ruleBasedPlanner = "dev.vigor.planner"

    public init(
        registry: PluginRegistry, router: ProviderRouter, accounting: any AIAccounting, logger: Logger, preferredGenerator: String? = nil,
        pluginDirectory: String? = nil
    ) {
        self.pluginDirectory = pluginDirectory
        self.registry = registry
        self.router = router
        self.accounting = accounting
        self.logger = logger
        self.preferredGenerator = preferredGenerator
    }

    public var isReady: Bool {
        !registry.components(kind: .llmProvider).isEmpty && !registry.components(kind: .planGenerator).isEmpty
    }

    public func chat(_ request: ChatRequest, context: AIRequestContext) async throws -> CoachReply {
        try await router.complete(request, context: context)
    }

    public func chatStream(_ request: ChatRequest, context: AIRequestContext) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        router.stream(request, context: context)
    }

    public func generatePlan(profile: FitnessProfile, request: PlanRequest, context: AIRequestContext) async throws -> GeneratedPlan {
        var order: [PluginComponentHandle] = []
        if let preferredGenerator, let preferred = registry.component(id: preferredGenerator) { order.append(preferred) }
        if let planner = registry.component(id: Self.ruleBasedPlanner), !order.contains(where: { $0 === planner }) { order.append(planner) }
        if order.isEmpty, let any = registry.components(kind: .planGenerator).first { order.append(any) }
        guard !order.isEmpty else { throw AIError(.noProvider, "no workout-plan generator is loaded") }

        // The plan takes one of the user's requests, whichever generators run; their own LLM
        // completions are charged their cost through the router.
        let charge = AttemptCharge(
            userID: context.userID, requestID: context.requestID, kind: UsageKind.plan, provider: "generator",
            model: order[0].descriptor.id,
            estimatedCostMicros: 0)
        let reservation: Reservation
        do {
            reservation = try await accounting.reserve(charge)
        } catch let refusal as QuotaRefusal {
            await accounting.recordRefusal(charge, refusal)
            throw refusal.aiError
        }
        let started = router.clock.nowMs
        do {
            let generated = try await generate(order, profile: profile, request: request, context: context)
            try await accounting.settle(
                reservation,
                AttemptOutcome(
                    outcome: UsageOutcome.success, usage: TokenUsage(promptTokens: 0, completionTokens: 0), costMicros: 0,
                    latencyMs: router.clock.nowMs - started, countsAsRequest: true))
            return generated
        } catch {
            let code = (error as? AIError)?.code.rawValue ?? "error"
            try await accounting.settle(
                reservation,
                AttemptOutcome(
                    outcome: code, usage: TokenUsage(promptTokens: 0, completionTokens: 0), costMicros: 0,
                    latencyMs: router.clock.nowMs - started, countsAsRequest: false))
            throw error
        }
    }

    private func generate(
        _ order: [PluginComponentHandle], profile: FitnessProfile, request: PlanRequest, context: AIRequestContext
    ) async throws -> GeneratedPlan {
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
                        metadata: [
                            "generator": "\(generator.descriptor.id)", "attempt": "\(attempt)", "violations": "\(violations.count)",
                            "request_id": "\(context.requestID)",
                        ])
                } catch let error as AIError {
                    throw error
                } catch let error as PluginCallError where error.kind == .invalidInput {
                    throw AIError(.badRequest, error.message)
                } catch let error as PluginCallError where error.kind == .unsupported {
                    lastProblem = error.message
                    break
                } catch {
                    // An unusable answer counts as invalid output: retry once with the reason.
                    lastProblem = "\(error)"
                    feedback = ["the previous answer could not be used: \(error)"]
                    logger.warning(
                        "plan generator failed",
                        metadata: ["generator": "\(generator.descriptor.id)", "attempt": "\(attempt)", "error": "\(error)"])
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
        let deadline = context.deadlineMs ?? router.clock.nowMs + router.configuration.defaultTimeoutMs
        let info = CallInfo(userID: context.userID, requestID: context.requestID, deadlineMs: deadline)
        let flag = CancelFlag()
        let result: Result<[UInt8], PluginCallError>?
        if generator.runner != nil {
            // Isolated: the runner process holds the blocking thread; the host only awaits.
            do {
                result = .success(try await generator.invokeAsync(op: "generator.generate", input: input, deadlineMs: deadline, call: info))
            } catch {
                result = error.kind == .deadline ? nil : .failure(error)
            }
        } else {
            result = await BlockingBridge.offload(deadlineMs: deadline, clock: router.clock, cancelled: flag) {
                Result { () throws(PluginCallError) in
                    try generator.invoke(op: "generator.generate", input: input, deadlineMs: deadline, call: info, cancelled: flag)
                }
            }
        }
        guard let result else { throw AIError(.timeout, "plan generation did not finish before the deadline") }
        let bytes = try result.get()
        do {
            return try JSONDecoder().decode(GenerateOutput<WorkoutPlan>.self, from: Data(bytes)).plan
        } catch {
            throw PluginCallError(.internal, message: "generator returned an undecodable plan: \(error)")
        }
    }
}

// MARK: - Listings for the HTTP layer (`/v1/models`, `/api/v1/admin/models`, `/api/v1/admin/plugins`, `/api/v1/ai/provider-status`)

extension PluginCoachAI {
    public func listModels() async -> [ModelListing] {
        await router.listModels(loadedAt: Self.loadedAt)
    }

    public var modelAdmin: (any ModelAdministration)? { router.modelOverrides == nil ? nil : router }

    public var pluginInventory: PluginInventory? {
        let loaded = registry.components.map { component in
            let d = component.descriptor
            return PluginInventory.Component(
                id: d.id, name: d.name, version: d.version, kind: d.kind.rawValue, path: component.path,
                provider: d.kind == .llmProvider ? component.providerName : nil, models: d.models.map(\.id),
                streaming: d.capabilities.streaming, offline: d.capabilities.offline, jsonMode: d.capabilities.jsonMode,
                usesLLM: d.capabilities.usesLLM, runner: component.runner?.status)
        }
        let rejected = registry.rejected.map { PluginInventory.Rejected(path: $0.path, code: $0.code, reason: $0.reason) }
        let directory = pluginDirectory ?? (loaded.first?.path ?? rejected.first?.path).map { ($0 as NSString).deletingLastPathComponent }
        return PluginInventory(directory: directory, loaded: loaded, rejected: rejected)
    }

    public func reloadPlugins() -> (inventory: PluginInventory, changed: [String])? {
        guard let pluginDirectory, let before = pluginInventory else { return nil }
        _ = before
        let report = registry.scan(directory: pluginDirectory)
        logger.info("plugins reloaded", metadata: ["reason": "admin request", "changed": "\(report.changed.joined(separator: ", "))"])
        guard let after = pluginInventory else { return nil }
        return (after, report.changed)
    }

    public func providerHealth(nowMs: Int64) -> [ProviderHealth] {
        registry.components(kind: .llmProvider).map { provider in
            let d = provider.descriptor
            let hasSecret = d.secrets.allSatisfy { router.egress?.secrets.has($0) ?? false }
            return ProviderHealth(
                provider: provider.providerName, componentID: d.id, name: d.name, offline: d.capabilities.offline,
                streaming: d.capabilities.streaming, hasSecret: hasSecret, models: d.models.map(\.id),
                circuit: router.breakers.status(provider.providerName, nowMs: nowMs))
        }
    }

    /// The plugin file's modification time in Unix seconds (0 when unknown).
    static func loadedAt(_ path: String) -> Int {
        let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        return Int(date?.timeIntervalSince1970 ?? 0)
    }
}
