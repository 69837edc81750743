/// One training session: warm-up, exercises in order, cool-down.
public struct Session: Codable, Sendable, Equatable, Hashable {
    /// Display name ("Full body A").
    public var name: String
    /// What the session trains: `"full_body"`, `"upper"`, `"lower"`, `"push"`, `"pull"`, `"legs"`.
    public var focus: String
    /// Muscle groups the exercises mainly work.
    public var muscleGroups: [MuscleGroup]
    /// Warm-up activities.
    public var warmup: [Activity]
    /// The exercises, in the order to do them.
    public var exercises: [PlannedExercise]
    /// Cool-down activities.
    public var cooldown: [Activity]
    /// Expected length in minutes, as ``SessionTiming`` computes it.
    public var estimatedMinutes: Int

    /// Creates a session.
    public init(
        name: String, focus: String, muscleGroups: [MuscleGroup], warmup: [Activity],
        exercises: [PlannedExercise], cooldown: [Activity], estimatedMinutes: Int
    ) {
        self.name = name
        self.focus = focus
        self.muscleGroups = muscleGroups
        self.warmup = warmup
        self.exercises = exercises
        self.cooldown = cooldown
        self.estimatedMinutes = estimatedMinutes
    }

    /// The session's length in seconds by the shared formula (``SessionTiming``).
    public var estimatedSeconds: Int {
        SessionTiming.seconds(warmup: warmup, exercises: exercises, cooldown: cooldown)
    }

    /// The session's length in whole minutes, rounded up, by the shared formula.
    public func computedMinutes() -> Int {
        SessionTiming.minutes(seconds: estimatedSeconds)
    }

    enum CodingKeys: String, CodingKey {
        case name, focus
        case muscleGroups = "muscle_groups"
        case warmup, exercises, cooldown
        case estimatedMinutes = "estimated_minutes"
    }
}

/// A warm-up or cool-down activity done for a number of minutes.
public struct Activity: Codable, Sendable, Equatable, Hashable {
    /// What to do ("Brisk march in place").
    public var name: String
    /// How long, in minutes.
    public var minutes: Int

    /// Creates an activity.
    public init(name: String, minutes: Int) {
        self.name = name
        self.minutes = minutes
    }
}
