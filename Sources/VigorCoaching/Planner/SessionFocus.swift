/// What one session of a split trains, and so which muscle groups it may load.
///
/// Sessions on consecutive days always have disjoint muscle sets, which is how the
/// planner keeps 48 hours between sessions for the same muscles.
public enum SessionFocus: String, Codable, Sendable, CaseIterable {
    case fullBody = "full_body"
    case upper, lower, push, pull, legs

    /// Muscle groups whose exercises may appear as main work in this session.
    public var allowedMuscles: Set<MuscleGroup> {
        switch self {
        case .fullBody: Set(MuscleGroup.allCases)
        case .upper: [.chest, .back, .shoulders, .biceps, .triceps, .forearms]
        case .lower, .legs: [.quads, .hamstrings, .glutes, .calves, .hips, .core]
        case .push: [.chest, .shoulders, .triceps]
        case .pull: [.back, .biceps, .forearms]
        }
    }

    /// Display name ("Full body").
    public var displayName: String {
        switch self {
        case .fullBody: "Full body"
        case .upper: "Upper body"
        case .lower: "Lower body"
        case .push: "Push"
        case .pull: "Pull"
        case .legs: "Legs"
        }
    }
}
