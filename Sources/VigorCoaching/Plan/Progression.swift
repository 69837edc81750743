/// How to progress load over the plan and when to back off.
public struct Progression: Codable, Sendable, Equatable, Hashable {
    /// Rule name (`"double_progression"`).
    public var rule: String
    /// The rule in plain words.
    public var description: String
    /// Largest single load increase, in percent.
    public var incrementCapPercent: Int
    /// Failed sessions in a row before dropping the load.
    public var failedSessionsBeforeDeload: Int
    /// How much to drop the load after those failures, in percent.
    public var deloadDropPercent: Int

    /// Creates a progression rule.
    public init(
        rule: String, description: String, incrementCapPercent: Int,
        failedSessionsBeforeDeload: Int, deloadDropPercent: Int
    ) {
        self.rule = rule
        self.description = description
        self.incrementCapPercent = incrementCapPercent
        self.failedSessionsBeforeDeload = failedSessionsBeforeDeload
        self.deloadDropPercent = deloadDropPercent
    }

    /// Double progression: add reps within the range, then add load once every set reaches
    /// the top; each step at most 10 %; after three failed sessions drop the load 10 %.
    public static let doubleProgression = Progression(
        rule: "double_progression",
        description: "Work within the rep range. When every set reaches the top of the range, "
            + "add load next session (at most 10 %) and start again at the bottom. For timed "
            + "exercises add 5-10 seconds instead. After three sessions in a row that miss the "
            + "bottom of the range, drop the load by 10 % and build back up.",
        incrementCapPercent: 10,
        failedSessionsBeforeDeload: 3,
        deloadDropPercent: 10)

    enum CodingKeys: String, CodingKey {
        case rule, description
        case incrementCapPercent = "increment_cap_percent"
        case failedSessionsBeforeDeload = "failed_sessions_before_deload"
        case deloadDropPercent = "deload_drop_percent"
    }
}
