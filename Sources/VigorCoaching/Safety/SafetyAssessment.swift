/// Who a finding is about.
public enum SafetySubject: String, Sendable, Hashable, Codable {
    /// The person writing.
    case user
    /// Someone else (a friend, a client, a parent).
    case other
}

/// A red flag the message describes as happening (now or just now), so the answer is "get emergency help".
public struct RedFlagFinding: Sendable, Hashable {
    /// The kind of red flag.
    public var flag: RedFlag
    /// The id of the rule that matched (e.g. `en.chest.discomfort`), for tests and the docs.
    public var rule: String
    /// Whether the person writing or someone with them has the symptom.
    public var subject: SafetySubject

    /// Creates a finding.
    public init(flag: RedFlag, rule: String, subject: SafetySubject = .user) {
        self.flag = flag
        self.rule = rule
        self.subject = subject
    }
}

/// A red-flag topic the message mentions without describing it as happening now: a question
/// ("what are the signs of a heart attack?"), a hypothetical ("what if a friend faints?"),
/// or a remote past episode. No escalation, but the answer should say what to do if it happens.
public struct RedFlagMention: Sendable, Hashable {
    /// Why the mention does not escalate.
    public enum Reason: String, Sendable, Hashable, Codable {
        /// A question about the symptom in general, or a hypothetical.
        case hypothetical
        /// About someone else, not described as happening now.
        case otherPerson = "other_person"
        /// In the past (months or years ago).
        case past
    }

    /// The red flag mentioned.
    public var flag: RedFlag
    /// Why it does not escalate.
    public var reason: Reason

    /// Creates a mention.
    public init(flag: RedFlag, reason: Reason) {
        self.flag = flag
        self.reason = reason
    }
}

/// A condition found in the profile or the message.
public struct ConditionFinding: Sendable, Hashable {
    /// Where the condition was found.
    public enum Origin: String, Sendable, Hashable, Codable {
        case profile
        case message
    }

    /// The condition.
    public var condition: HealthCondition
    /// Where it was found.
    public var origin: Origin
    /// How many days ago the event was (surgery, birth, heart attack), when the message says.
    public var daysAgo: Int?
    /// The id of the rule that matched (`profile.age` for the profile).
    public var rule: String

    /// Creates a finding.
    public init(condition: HealthCondition, origin: Origin, daysAgo: Int? = nil, rule: String) {
        self.condition = condition
        self.origin = origin
        self.daysAgo = daysAgo
        self.rule = rule
    }

    /// Whether a professional must clear training first (``HealthCondition/requiresReferral``).
    public var requiresReferral: Bool { condition.requiresReferral }
}

/// What the safety screen found in one message.
public struct SafetyAssessment: Sendable, Hashable {
    /// Red flags happening now: the answer is "stop and get emergency care" (``escalates``).
    public var redFlags: [RedFlagFinding]
    /// Red-flag topics mentioned as a question, a hypothetical, about someone else or in the past.
    public var mentions: [RedFlagMention]
    /// Conditions that change what is safe (from the message and the profile).
    public var conditions: [ConditionFinding]
    /// Goals that are unsafe as stated, each with a safe alternative.
    public var unsafeGoals: [UnsafeGoal]
    /// The code of the rule table that matched (`en`), `nil` when nothing matched.
    public var language: String?

    /// Creates an assessment.
    public init(
        redFlags: [RedFlagFinding] = [], mentions: [RedFlagMention] = [], conditions: [ConditionFinding] = [],
        unsafeGoals: [UnsafeGoal] = [], language: String? = nil
    ) {
        self.redFlags = redFlags
        self.mentions = mentions
        self.conditions = conditions
        self.unsafeGoals = unsafeGoals
        self.language = language
    }

    /// Whether the message must get the emergency answer instead of coaching.
    public var escalates: Bool { !redFlags.isEmpty }

    /// The first red flag found (the one recorded and named in the reply).
    public var primaryRedFlag: RedFlag? { redFlags.first?.flag }

    /// Whether nothing at all was found.
    public var isClear: Bool { redFlags.isEmpty && mentions.isEmpty && conditions.isEmpty && unsafeGoals.isEmpty }

    /// The conditions found, without duplicates, in order.
    public var conditionSet: [HealthCondition] {
        var seen = Set<HealthCondition>()
        return conditions.map(\.condition).filter { seen.insert($0).inserted }
    }

    /// Whether the assessment found `condition`.
    public func has(_ condition: HealthCondition) -> Bool { conditions.contains { $0.condition == condition } }
}
