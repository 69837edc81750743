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
    /// Technique cues written for this exercise, most important first; empty when the
    /// catalogue derives them (see ``cues``). Encoded as `form_cues`, absent when empty.
    public var formCues: [String]
    /// Catalogue ids that train the same pattern or muscles and may replace it, best first;
    /// empty when none are listed. The validator checks that every one exists.
    public var substitutions: [String]

    /// Creates an exercise.
    public init(
        id: String, name: String, primaryMuscles: [MuscleGroup], secondaryMuscles: [MuscleGroup],
        equipment: [Equipment], level: FitnessLevel, pattern: MovementPattern, mechanic: Mechanic,
        measure: ExerciseMeasure, tags: [ContraindicationTag], instructions: String,
        formCues: [String] = [], substitutions: [String] = []
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
        self.formCues = formCues
        self.substitutions = substitutions
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
        case formCues = "form_cues"
        case substitutions
    }

    /// Decodes an exercise; `form_cues` and `substitutions` may be absent (empty).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        primaryMuscles = try container.decode([MuscleGroup].self, forKey: .primaryMuscles)
        secondaryMuscles = try container.decode([MuscleGroup].self, forKey: .secondaryMuscles)
        equipment = try container.decode([Equipment].self, forKey: .equipment)
        level = try container.decode(FitnessLevel.self, forKey: .level)
        pattern = try container.decode(MovementPattern.self, forKey: .pattern)
        mechanic = try container.decode(Mechanic.self, forKey: .mechanic)
        measure = try container.decode(ExerciseMeasure.self, forKey: .measure)
        tags = try container.decode([ContraindicationTag].self, forKey: .tags)
        instructions = try container.decode(String.self, forKey: .instructions)
        formCues = try container.decodeIfPresent([String].self, forKey: .formCues) ?? []
        substitutions = try container.decodeIfPresent([String].self, forKey: .substitutions) ?? []
    }

    /// Encodes an exercise, leaving out `form_cues` and `substitutions` when they are empty.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(primaryMuscles, forKey: .primaryMuscles)
        try container.encode(secondaryMuscles, forKey: .secondaryMuscles)
        try container.encode(equipment, forKey: .equipment)
        try container.encode(level, forKey: .level)
        try container.encode(pattern, forKey: .pattern)
        try container.encode(mechanic, forKey: .mechanic)
        try container.encode(measure, forKey: .measure)
        try container.encode(tags, forKey: .tags)
        try container.encode(instructions, forKey: .instructions)
        if !formCues.isEmpty { try container.encode(formCues, forKey: .formCues) }
        if !substitutions.isEmpty { try container.encode(substitutions, forKey: .substitutions) }
    }
}
