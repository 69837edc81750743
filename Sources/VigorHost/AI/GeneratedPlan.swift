import VigorCoaching

/// A generated, validated plan and the generator that produced it.
public struct GeneratedPlan: Sendable {
    public var plan: WorkoutPlan
    public var generator: String

    public init(plan: WorkoutPlan, generator: String) {
        self.plan = plan
        self.generator = generator
    }
}
