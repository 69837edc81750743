/// A muscle group (or, for `full_body` and `cardio`, a kind of whole-body work).
public enum MuscleGroup: String, Codable, Sendable, CaseIterable {
    case chest, back, shoulders, biceps, triceps, forearms, core
    case quads, hamstrings, glutes, calves
    /// Hip flexors, adductors and abductors.
    case hips
    /// Whole-body lifts and complexes.
    case fullBody = "full_body"
    /// The heart and lungs: conditioning work.
    case cardio

    /// Whether the 48-hour recovery rule applies: conditioning is not a muscle, so
    /// `cardio` is left out of it.
    var isRecoveryTracked: Bool { self != .cardio }
}
