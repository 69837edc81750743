/// The entries of ``ExerciseCatalog/standard``, written for Vigor.
///
/// Entries are grouped by region in `StandardCatalog+*.swift`, with the equipment kinds a
/// person may own alone (bands, kettlebells, a suspension trainer, cardio machines) in
/// files of their own; within a pattern the most generally useful variant comes first,
/// because planners prefer earlier entries. Entries may list their own form cues and
/// substitutions (`cues:`, `subs:`); the others get cues derived from their pattern.
enum StandardCatalog {
    /// Every entry, in preference order.
    static let all: [Exercise] =
        lowerBody + pushing + pulling + armsAndShoulders + trunk
        + conditioning + bands + kettlebells + suspension + cardioMachines

    /// A rep-dosed entry.
    static func reps(
        _ id: String, _ name: String, _ level: FitnessLevel, _ pattern: MovementPattern,
        _ mechanic: Mechanic, _ primary: [MuscleGroup], _ secondary: [MuscleGroup],
        _ equipment: [Equipment], _ tags: [ContraindicationTag], _ instructions: String,
        cues: [String] = [], subs: [String] = []
    ) -> Exercise {
        Exercise(
            id: id, name: name, primaryMuscles: primary, secondaryMuscles: secondary,
            equipment: equipment, level: level, pattern: pattern, mechanic: mechanic,
            measure: .reps, tags: tags, instructions: instructions, formCues: cues, substitutions: subs)
    }

    /// A time-dosed entry (holds, carries, intervals, stretches).
    static func timed(
        _ id: String, _ name: String, _ level: FitnessLevel, _ pattern: MovementPattern,
        _ mechanic: Mechanic, _ primary: [MuscleGroup], _ secondary: [MuscleGroup],
        _ equipment: [Equipment], _ tags: [ContraindicationTag], _ instructions: String,
        cues: [String] = [], subs: [String] = []
    ) -> Exercise {
        Exercise(
            id: id, name: name, primaryMuscles: primary, secondaryMuscles: secondary,
            equipment: equipment, level: level, pattern: pattern, mechanic: mechanic,
            measure: .time, tags: tags, instructions: instructions, formCues: cues, substitutions: subs)
    }
}
