import Foundation
import VigorCoaching
import VigorPluginSDK

/// An LLM-backed workout-plan generator. It starts from the rule-based skeleton (split,
/// days, volume, progression, safety notes: the parts rules must decide) and asks the host's
/// LLM (`vigor.llm/1`, so routing, quotas and cost accounting apply) to personalise it:
/// a title, a summary and exercise swaps chosen ONLY among each exercise's catalogue
/// substitutions. An answer that is not JSON, or names an id outside the allowed list, is an
/// error: the host then retries once with feedback and falls back to the rule-based planner.
struct LLMPlannerComponent: GeneratorPlugin {
    typealias Profile = FitnessProfile
    typealias Request = PlanRequest
    typealias Plan = WorkoutPlan

    static let id = "dev.vigor.llm-planner"
    let host: HostServices

    let descriptor = ComponentDescriptor(
        id: LLMPlannerComponent.id, name: "LLM-personalised planner", version: "1.0.0", kind: .planGenerator,
        capabilities: Capabilities(jsonMode: true, usesLLM: true))

    func generate(_ input: GenerateInput<FitnessProfile, PlanRequest>, context: CallContext) throws -> WorkoutPlan {
        let problems = input.profile.validate() + input.request.validate()
        guard problems.isEmpty else {
            throw PluginError.invalidInput(problems.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
        }
        guard host.hasLLM else { throw PluginError.unsupported("the host offers no vigor.llm/1 service") }
        var plan = RuleBasedPlanner.generate(profile: input.profile, request: input.request, catalog: .standard)
        let prompt = PlannerPrompt(plan: plan, profile: input.profile, feedback: input.feedback)
        let answer = try host.complete(
            ChatRequest(
                messages: [ChatMessage(role: "system", content: prompt.system), ChatMessage(role: "user", content: prompt.user)],
                temperature: 0.2, maxTokens: 800, jsonMode: true),
            context: context)
        let personalisation = try Personalisation.parse(answer.text)
        try personalisation.apply(to: &plan, catalog: .standard)
        plan.generator = Self.id
        host.log(.info, "personalised plan: \(personalisation.swaps.count) swaps")
        return plan
    }
}

@_cdecl("vigor_plugin_entry")
public func vigorPluginEntry() -> UnsafeRawPointer {
    PluginExport.table { host in [LLMPlannerComponent(host: host)] }
}
