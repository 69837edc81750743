/// Personal preferences that shape a plan without affecting safety.
public struct Preferences: Codable, Sendable, Equatable, Hashable {
    /// Units for loads.
    public enum Units: String, Codable, Sendable, CaseIterable {
        case kg, lb
    }

    /// Units for loads; `kg` when left out.
    public var units: Units
    /// Areas to emphasise: a muscle group (`"glutes"`), or `"arms"`, `"legs"`,
    /// `"upper_body"`, `"lower_body"`, `"full_body"`.
    public var focusAreas: [String]
    /// Catalogue ids the person does not want in a plan.
    public var dislikedExerciseIDs: [String]

    /// Creates preferences.
    public init(units: Units = .kg, focusAreas: [String] = [], dislikedExerciseIDs: [String] = []) {
        self.units = units
        self.focusAreas = focusAreas
        self.dislikedExerciseIDs = dislikedExerciseIDs
    }

    enum CodingKeys: String, CodingKey {
        case units
        case focusAreas = "focus_areas"
        case dislikedExerciseIDs = "disliked_exercise_ids"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        units = try container.decodeIfPresent(Units.self, forKey: .units) ?? .kg
        focusAreas = try container.decodeIfPresent([String].self, forKey: .focusAreas) ?? []
        dislikedExerciseIDs =
            try container.decodeIfPresent([String].self, forKey: .dislikedExerciseIDs) ?? []
    }
}
