/// What the coach knows about a person: level, goals, equipment, limits and preferences.
///
/// Decoding is lenient for everything but `fitness_level`: a missing array decodes as empty
/// and a missing optional as `nil`. Unknown enum values (an unknown equipment name, say)
/// are decoding errors. Call ``validate()`` on anything a user sent.
public struct FitnessProfile: Codable, Sendable, Equatable, Hashable {
    /// Training level.
    public var fitnessLevel: FitnessLevel
    /// Goals, main goal first.
    public var goals: [Goal]
    /// Equipment the person can use; body weight is always available.
    public var equipment: [Equipment]
    /// Preferred training days a week (1–7), if given.
    public var daysPerWeek: Int?
    /// Preferred session length in minutes (15–120), if given.
    public var sessionMinutes: Int?
    /// Injuries and the exercise tags they rule out.
    public var injuries: [Injury]
    /// Pre-exercise health screen, if taken.
    public var healthScreen: HealthScreen?
    /// Personal preferences, if any.
    public var preferences: Preferences?

    /// Creates a profile; everything but the level has a default.
    public init(
        fitnessLevel: FitnessLevel,
        goals: [Goal] = [],
        equipment: [Equipment] = [],
        daysPerWeek: Int? = nil,
        sessionMinutes: Int? = nil,
        injuries: [Injury] = [],
        healthScreen: HealthScreen? = nil,
        preferences: Preferences? = nil
    ) {
        self.fitnessLevel = fitnessLevel
        self.goals = goals
        self.equipment = equipment
        self.daysPerWeek = daysPerWeek
        self.sessionMinutes = sessionMinutes
        self.injuries = injuries
        self.healthScreen = healthScreen
        self.preferences = preferences
    }

    /// A beginner aiming at general fitness with body weight only.
    public static let `default` = FitnessProfile(
        fitnessLevel: .beginner, goals: [.generalFitness], equipment: [.bodyOnly])

    /// The main goal: the first one listed, or general fitness when none is.
    public var primaryGoal: Goal { goals.first ?? .generalFitness }

    /// Equipment the person can use, body weight included.
    public var availableEquipment: Set<Equipment> {
        Set(equipment).union([.bodyOnly])
    }

    /// Every tag that some injury says to avoid.
    public var avoidedTags: Set<ContraindicationTag> {
        Set(injuries.flatMap(\.avoid))
    }

    /// Whether the health screen asks for medical clearance and low intensity.
    public var needsMedicalClearance: Bool {
        healthScreen?.needsMedicalClearance ?? false
    }

    enum CodingKeys: String, CodingKey {
        case fitnessLevel = "fitness_level"
        case goals, equipment
        case daysPerWeek = "days_per_week"
        case sessionMinutes = "session_minutes"
        case injuries
        case healthScreen = "health_screen"
        case preferences
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fitnessLevel = try container.decode(FitnessLevel.self, forKey: .fitnessLevel)
        goals = try container.decodeIfPresent([Goal].self, forKey: .goals) ?? []
        equipment = try container.decodeIfPresent([Equipment].self, forKey: .equipment) ?? []
        daysPerWeek = try container.decodeIfPresent(Int.self, forKey: .daysPerWeek)
        sessionMinutes = try container.decodeIfPresent(Int.self, forKey: .sessionMinutes)
        injuries = try container.decodeIfPresent([Injury].self, forKey: .injuries) ?? []
        healthScreen = try container.decodeIfPresent(HealthScreen.self, forKey: .healthScreen)
        preferences = try container.decodeIfPresent(Preferences.self, forKey: .preferences)
    }
}
