import VigorCoaching

/// The domain rules applied to a plan a client uploads (the same validator the AI layer
/// runs on generated plans).
enum PlanChecks {
    /// Each violation as a field error: field `plan.<code>`, message `rule N: ...`.
    static func violations(of plan: WorkoutPlan, profile: FitnessProfile) -> [FieldError] {
        PlanValidator.validate(plan, profile: profile, catalog: .standard).map {
            FieldError(field: "plan.\($0.code)", message: "rule \($0.rule): \($0.message)")
        }
    }
}
