/// An immutable set of exercises with O(1) lookup by id.
///
/// Order matters: planners prefer earlier entries, so the catalogue lists the most
/// broadly useful variant of each movement first. Encodes as `{"exercises": [...]}`.
public struct ExerciseCatalog: Codable, Sendable, Equatable {
    /// The exercises, in preference order, ids unique.
    public let exercises: [Exercise]
    private let positions: [String: Int]
    /// Bit-mask traits, parallel to ``exercises``.
    let traits: [ExerciseTraits]

    /// Creates a catalogue. When two exercises share an id, the first one is kept.
    public init(exercises: [Exercise]) {
        var kept: [Exercise] = []
        var positions: [String: Int] = [:]
        for exercise in exercises where positions[exercise.id] == nil {
            positions[exercise.id] = kept.count
            kept.append(exercise)
        }
        self.exercises = kept
        self.positions = positions
        self.traits = kept.map(ExerciseTraits.init)
    }

    /// Number of exercises.
    public var count: Int { exercises.count }

    /// The exercise with this id, if any.
    public func exercise(id: String) -> Exercise? {
        positions[id].map { exercises[$0] }
    }

    /// The exercise with this id, if any.
    public subscript(id: String) -> Exercise? { exercise(id: id) }

    /// Whether an exercise has this id.
    public func contains(id: String) -> Bool { positions[id] != nil }

    /// The project's own catalogue: well over a hundred exercises covering every piece of
    /// equipment, muscle group and movement pattern, with body-weight options for beginners.
    public static let standard = ExerciseCatalog(exercises: StandardCatalog.all)

    enum CodingKeys: String, CodingKey {
        case exercises
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(exercises: try container.decode([Exercise].self, forKey: .exercises))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(exercises, forKey: .exercises)
    }

    public static func == (lhs: ExerciseCatalog, rhs: ExerciseCatalog) -> Bool {
        lhs.exercises == rhs.exercises
    }
}
