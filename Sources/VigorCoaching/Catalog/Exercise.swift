/// One exercise in the catalogue.
public struct Exercise: Codable, Sendable, Equatable, Hashable, Identifiable {
    /// Unique snake_case id (`"goblet_squat"`).
    public var id: String
    /// Display name.
    public var name: String
    /// Muscle groups that do most of the work.
    public var primaryMuscles: [MuscleGroup]
    /// Muscle groups that assist.
    public var secondaryMuscles: [MuscleGroup]
    /// Everything needed, all of it required (`[.bodyOnly]` for none).
    public var equipment: [Equipment]
    /// The lowest level the exercise suits.
    public var level: FitnessLevel
    /// Movement pattern.
    public var pattern: MovementPattern
    /// Compound or isolation.
    public var mechanic: Mechanic
    /// Dosed by reps or by time.
    public var measure: ExerciseMeasure
    /// Kinds of stress it puts on the body, matched against injuries.
    public var tags: [ContraindicationTag]
    /// How to do it, in a sentence or two.
    public var instructions: String

    /// Creates an exercise.
    public init(
        id: String, name: String, primaryMuscles: [MuscleGroup], secondaryMuscles: [MuscleGroup],
        equipment: [Equipment], level: FitnessLevel, pattern: MovementPattern, mechanic: Mechanic,
        measure: ExerciseMeasure, tags: [ContraindicationTag], instructions: String
    ) {
        self.id = id
        self.name = name
        self.primaryMuscles = primaryMuscles
        self.secondaryMuscles = secondaryMuscles
        self.equipment = equipment
        self.level = level
        self.pattern = pattern
        self.mechanic = mechanic
        self.measure = measure
        self.tags = tags
        self.instructions = instructions
    }

    /// Whether everything it needs is in `available` (body weight always is).
    public func isDoable(with available: Set<Equipment>) -> Bool {
        equipment.allSatisfy { $0 == .bodyOnly || available.contains($0) }
    }

    /// Whether the load comes from weights, cables or a machine, so it scales to any level.
    public var isExternallyLoaded: Bool {
        equipment.contains { [.dumbbell, .barbell, .kettlebell, .cable, .machine].contains($0) }
    }

    /// The tags it carries that are in `avoided`.
    public func conflicts(with avoided: Set<ContraindicationTag>) -> [ContraindicationTag] {
        tags.filter { avoided.contains($0) }
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case primaryMuscles = "primary_muscles"
        case secondaryMuscles = "secondary_muscles"
        case equipment, level, pattern, mechanic, measure, tags, instructions
    }
}
