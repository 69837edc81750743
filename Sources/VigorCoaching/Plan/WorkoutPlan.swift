/// A multi-week training plan: weeks of training and rest days, how to progress,
/// deload weeks, safety notes and a disclaimer.
///
/// Any generator may produce one; ``PlanValidator`` checks it against the domain rules
/// before the host accepts it.
public struct WorkoutPlan: Codable, Sendable, Equatable, Hashable {
    /// Short title ("4-week full body plan").
    public var title: String
    /// One or two sentences on what the plan is.
    public var summary: String
    /// The level the plan is written for.
    public var level: FitnessLevel
    /// The goals the plan serves, main goal first.
    public var goals: [Goal]
    /// How sessions divide the body: `"full_body"`, `"upper_lower"`, `"push_pull_legs"`, ...
    public var split: String
    /// Training (non-rest) days in each week.
    public var daysPerWeek: Int
    /// The longest a session may take, in minutes.
    public var sessionMinutes: Int
    /// The weeks, in order, numbered from 1.
    public var weeks: [PlanWeek]
    /// How to progress from session to session.
    public var progression: Progression
    /// Numbers of the lighter (deload) weeks.
    public var deloadWeeks: [Int]
    /// Safety notes to show with the plan.
    public var safetyNotes: [String]
    /// The disclaimer every plan carries; see ``standardDisclaimer``.
    public var disclaimer: String
    /// Which generator made the plan (`"dev.vigor.planner"` for the rule-based one).
    public var generator: String
    /// Where the plan differs from what was asked (days, minutes, equipment, exercises left
    /// out for an injury or the health screen) and why; empty when it does not.
    public var adjustments: [PlanAdjustment]

    /// Creates a plan.
    public init(
        title: String, summary: String, level: FitnessLevel, goals: [Goal], split: String,
        daysPerWeek: Int, sessionMinutes: Int, weeks: [PlanWeek], progression: Progression,
        deloadWeeks: [Int], safetyNotes: [String], disclaimer: String, generator: String,
        adjustments: [PlanAdjustment] = []
    ) {
        self.title = title
        self.summary = summary
        self.level = level
        self.goals = goals
        self.split = split
        self.daysPerWeek = daysPerWeek
        self.sessionMinutes = sessionMinutes
        self.weeks = weeks
        self.progression = progression
        self.deloadWeeks = deloadWeeks
        self.safetyNotes = safetyNotes
        self.disclaimer = disclaimer
        self.generator = generator
        self.adjustments = adjustments
    }

    /// The disclaimer the rule-based planner uses; other generators may reuse it.
    public static let standardDisclaimer =
        "This plan is general fitness guidance, not medical advice. "
        + "Talk to a qualified health professional before starting if you have any health "
        + "concern, and stop any exercise that causes pain, dizziness or chest discomfort."

    /// Every session in the plan, in week and day order.
    public var allSessions: [Session] {
        weeks.flatMap { week in week.days.compactMap(\.session) }
    }

    enum CodingKeys: String, CodingKey {
        case title, summary, level, goals, split
        case daysPerWeek = "days_per_week"
        case sessionMinutes = "session_minutes"
        case weeks, progression
        case deloadWeeks = "deload_weeks"
        case safetyNotes = "safety_notes"
        case disclaimer, generator, adjustments
    }

    /// Decodes a plan; `adjustments` may be absent (plans stored before it existed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        summary = try container.decode(String.self, forKey: .summary)
        level = try container.decode(FitnessLevel.self, forKey: .level)
        goals = try container.decode([Goal].self, forKey: .goals)
        split = try container.decode(String.self, forKey: .split)
        daysPerWeek = try container.decode(Int.self, forKey: .daysPerWeek)
        sessionMinutes = try container.decode(Int.self, forKey: .sessionMinutes)
        weeks = try container.decode([PlanWeek].self, forKey: .weeks)
        progression = try container.decode(Progression.self, forKey: .progression)
        deloadWeeks = try container.decode([Int].self, forKey: .deloadWeeks)
        safetyNotes = try container.decode([String].self, forKey: .safetyNotes)
        disclaimer = try container.decode(String.self, forKey: .disclaimer)
        generator = try container.decode(String.self, forKey: .generator)
        adjustments = try container.decodeIfPresent([PlanAdjustment].self, forKey: .adjustments) ?? []
    }
}
