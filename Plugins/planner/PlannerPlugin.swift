import VigorCoaching
import VigorPluginSDK

/// The rule-based workout-plan generator: offline, deterministic, catalogue-only.
struct RuleBasedPlannerComponent: GeneratorPlugin {
    typealias Profile = FitnessProfile
    typealias Request = PlanRequest
    typealias Plan = WorkoutPlan

    let descriptor = ComponentDescriptor(
        id: "dev.vigor.planner",
        name: "Rule-based planner",
        version: "1.0.0",
        kind: .planGenerator,
        capabilities: Capabilities(offline: true)
    )

    func generate(_ input: GenerateInput<FitnessProfile, PlanRequest>, context: CallContext) throws -> WorkoutPlan {
        let problems = input.profile.validate() + input.request.validate()
        guard problems.isEmpty else {
            throw PluginError.invalidInput(problems.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
        }
        return RuleBasedPlanner.generate(profile: input.profile, request: input.request, catalog: .standard)
    }
}

@_cdecl("vigor_plugin_entry")
public func vigorPluginEntry() -> UnsafeRawPointer {
    PluginExport.table { _ in [RuleBasedPlannerComponent()] }
}
