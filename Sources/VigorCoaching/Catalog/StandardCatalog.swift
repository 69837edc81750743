/// The entries of ``ExerciseCatalog/standard``, written for Vigor.
///
/// Entries are grouped by region in `StandardCatalog+*.swift`; within a pattern the
/// most generally useful variant comes first, because planners prefer earlier entries.
enum StandardCatalog {
    /// Every entry, in preference order.
    static let all: [Exercise] = lowerBody + pushing + pulling + armsAndShoulders + trunk
        + conditioning

    /// A rep-dosed entry.
    static func reps(
        _ id: String, _ name: String, _ level: FitnessLevel, _ pattern: MovementPattern,
        _ mechanic: Mechanic, _ primary: [MuscleGroup], _ secondary: [MuscleGroup],
        _ equipment: [Equipment], _ tags: [ContraindicationTag], _ instructions: String
    ) -> Exercise {
        Exercise(
            id: id, name: name, primaryMuscles: primary, secondaryMuscles: secondary,
            equipment: equipment, level: level, pattern: pattern, mechanic: mechanic,
            measure: .reps, tags: tags, instructions: instructions)
    }

    /// A time-dosed entry (holds, carries, intervals, stretches).
    static func timed(
        _ id: String, _ name: String, _ level: FitnessLevel, _ pattern: MovementPattern,
        _ mechanic: Mechanic, _ primary: [MuscleGroup], _ secondary: [MuscleGroup],
        _ equipment: [Equipment], _ tags: [ContraindicationTag], _ instructions: String
    ) -> Exercise {
        Exercise(
            id: id, name: name, primaryMuscles: primary, secondaryMuscles: secondary,
            equipment: equipment, level: level, pattern: pattern, mechanic: mechanic,
            measure: .time, tags: tags, instructions: instructions)
    }
}
