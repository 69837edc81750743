import VigorCoaching

/// A generated, validated plan and the generator that produced it.
public struct GeneratedPlan: Sendable {
    /// The plan, valid by the plan validator.
    public var plan: WorkoutPlan
    /// The id of the generator component that produced it, e.g. `dev.vigor.planner`.
    public var generator: String

    public init(plan: WorkoutPlan, generator: String) {
        self.plan = plan
        self.generator = generator
    }
}
