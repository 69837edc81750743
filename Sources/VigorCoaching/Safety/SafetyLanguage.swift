/// One language's rule table for the ``SafetyScreen``: how to normalise and split text,
/// which words negate, make a sentence hypothetical, name someone else or place it in time,
/// the synonym groups ("concepts") and the rules built from them.
///
/// Everything is data: an operator adds a language by building one of these (see
/// `SafetyLanguage+English.swift` and docs/coaching.md) and passing it to
/// ``SafetyScreen/init(languages:)``; a rule is one more entry in ``redFlagRules`` or
/// ``conditionRules``.
///
/// ## Term syntax
///
/// Rules and cue lists are made of *terms*. A term is either `@name` (any phrase of the
/// concept `name`) or a phrase of space-separated words, where a word ending in `*` matches
/// any word starting with it (`dizz*`), `#` matches a number (`3`, `2.5`, `three`) and `?`
/// matches any one word. Text is lower-cased and contractions expanded before matching, so
/// terms are written lower-case and without apostrophes (`cannot breathe`, `do not`).
public struct SafetyLanguage: Sendable {
    /// A short code (`en`), reported in ``SafetyAssessment/language``.
    public var code: String
    /// Whole-word replacements applied after lower-casing: `"cant": ["cannot"]`, `"im": ["i", "am"]`.
    public var wordReplacements: [String: [String]]
    /// Word endings replaced after lower-casing (`"n't": ["not"]` turns `didn't` into `did not`);
    /// the first matching suffix wins. An empty replacement drops the suffix (`'s`).
    public var suffixReplacements: [(suffix: String, replacement: [String])]
    /// Words that end a clause, like the sentence punctuation does: `but`, `however`.
    public var clauseBreaks: Set<String>
    /// Terms that negate what follows in the clause (`no`, `never`, `without`, `denies`).
    public var negationCues: [String]
    /// Terms that start with a negation word but do not negate (`not sure`, `no idea`).
    public var negationExceptions: [String]
    /// Terms that turn a clause's negations off: "I have never had chest pain like this" describes it now.
    public var negationCancellers: [String]
    /// Words that end the scope of a negation (`i`, `my`, `and`): "no chest pain and my arm is numb".
    public var negationScopeBreakers: Set<String>
    /// Terms that make a clause a question in general or a hypothetical (`signs of`, `what if`).
    public var hypotheticalCues: [String]
    /// Asking how to help (`how can i help`): a question only when nothing in the clause says it
    /// is happening now ("how can I help my dad, he's having chest pain right now" escalates).
    public var helpCues: [String]
    /// Clauses that are only a cry for help (`help`, `please help`, `sos`). Such a clause joins
    /// the clause before it (the one after, when it comes first), so "heart attack?? help" is
    /// read as one clause.
    public var cryClauses: Set<String>
    /// Words that name someone else as the subject (`friend`, `dad`, `she`).
    public var otherPersonWords: Set<String>
    /// Words that name the writer (`i`, `me`, `my`).
    public var firstPersonWords: Set<String>
    /// Terms that say "now" (for someone else's symptom to escalate): `right now`, `just`, `not breathing`.
    public var nowCues: [String]
    /// Terms that place a clause months or years back (`years ago`, `as a kid`, `used to`).
    public var remotePastCues: [String]
    /// Terms that bring a clause back to now even with a past cue (`again`, `today`, `still`).
    public var presentCues: [String]
    /// Terms that put a condition in the past (`was`, `were`) when right before it.
    public var pastStateWords: Set<String>
    /// Terms that put a condition in the future or as a wish (`planning`, `trying to`, `next week`).
    public var futureCues: [String]
    /// Words after a duration that mean "before now" (`ago`).
    public var agoWords: Set<String>
    /// Words for "the last one" before a unit (`last week`).
    public var lastWords: Set<String>
    /// Words before a year (`in 2015`, `back in 1999`) that place the clause a year or more back.
    public var yearWords: Set<String>
    /// Time words with their distance in days: `today: 0`, `yesterday: 1`.
    public var dayWords: [String: Int]
    /// Duration units in days: `day: 1`, `weeks: 7`, `month: 30`, `year: 365`.
    public var durationUnits: [String: Double]
    /// Number words: `one: 1`, `a: 1`, `couple: 2`, `twenty: 20`.
    public var numberWords: [String: Double]
    /// Synonym groups referenced as `@name` from rules and cues.
    public var concepts: [String: [String]]
    /// The red-flag rules.
    public var redFlagRules: [RedFlagRule]
    /// The condition rules.
    public var conditionRules: [ConditionRule]
    /// How ages are written (`i am #`, `# years old`) and which words after the number rule it out (`kg`).
    public var age: AgeVocabulary
    /// Weight-loss, intake and fasting vocabulary for unsafe goals.
    public var goals: GoalVocabulary
    /// The emergency answer, with `{signs}` and `{number}` placeholders.
    public var emergencyReply: String
    /// Extra first-aid lines for some red flags, appended to the emergency answer.
    public var redFlagAdvice: [RedFlag: String]
    /// Red-flag names in this language (English titles are the default).
    public var redFlagNames: [RedFlag: String]
    /// The answer to words of suicide or self-harm (``RedFlag/selfHarm``), with `{number}` and
    /// `{crisis_lines}` placeholders: crisis lines and the emergency number, never training
    /// advice. Empty: the English one.
    public var crisisReply: String
    /// The crisis lines this language's crisis answer names in `{crisis_lines}` (an operator's
    /// setting replaces them). Empty: the English ones.
    public var crisisLines: String
    /// The word that joins the last two red-flag names in the emergency answer ("and").
    public var listAnd: String
    /// Put for `{number}` in this language's answers when the operator has not set a number
    /// (the host passes ``SafetyLanguage/unsetEmergencyNumber``). Empty: that English phrase.
    public var unsetNumberPhrase: String

    /// The words a host passes as the emergency number when none is configured.
    public static let unsetEmergencyNumber = "your local emergency number (112 / 911)"

    /// Creates a rule table; see `SafetyLanguage.english` for a complete one.
    public init(
        code: String, wordReplacements: [String: [String]] = [:], suffixReplacements: [(suffix: String, replacement: [String])] = [],
        clauseBreaks: Set<String> = [], negationCues: [String] = [], negationExceptions: [String] = [],
        negationCancellers: [String] = [],
        negationScopeBreakers: Set<String> = [], hypotheticalCues: [String] = [], helpCues: [String] = [],
        cryClauses: Set<String> = [],
        otherPersonWords: Set<String> = [],
        firstPersonWords: Set<String> = [], nowCues: [String] = [], remotePastCues: [String] = [], presentCues: [String] = [],
        pastStateWords: Set<String> = [], futureCues: [String] = [], agoWords: Set<String> = [], lastWords: Set<String> = [],
        yearWords: Set<String> = [], dayWords: [String: Int] = [:], durationUnits: [String: Double] = [:],
        numberWords: [String: Double] = [:],
        concepts: [String: [String]] = [:], redFlagRules: [RedFlagRule] = [], conditionRules: [ConditionRule] = [],
        age: AgeVocabulary = AgeVocabulary(), goals: GoalVocabulary = GoalVocabulary(), emergencyReply: String,
        redFlagAdvice: [RedFlag: String] = [:], redFlagNames: [RedFlag: String] = [:], crisisReply: String = "",
        crisisLines: String = "", listAnd: String = "and",
        unsetNumberPhrase: String = ""
    ) {
        self.code = code
        self.wordReplacements = wordReplacements
        self.suffixReplacements = suffixReplacements
        self.clauseBreaks = clauseBreaks
        self.negationCues = negationCues
        self.negationExceptions = negationExceptions
        self.negationCancellers = negationCancellers
        self.negationScopeBreakers = negationScopeBreakers
        self.hypotheticalCues = hypotheticalCues
        self.helpCues = helpCues
        self.cryClauses = cryClauses
        self.otherPersonWords = otherPersonWords
        self.firstPersonWords = firstPersonWords
        self.nowCues = nowCues
        self.remotePastCues = remotePastCues
        self.presentCues = presentCues
        self.pastStateWords = pastStateWords
        self.futureCues = futureCues
        self.agoWords = agoWords
        self.lastWords = lastWords
        self.yearWords = yearWords
        self.dayWords = dayWords
        self.durationUnits = durationUnits
        self.numberWords = numberWords
        self.concepts = concepts
        self.redFlagRules = redFlagRules
        self.conditionRules = conditionRules
        self.age = age
        self.goals = goals
        self.emergencyReply = emergencyReply
        self.redFlagAdvice = redFlagAdvice
        self.redFlagNames = redFlagNames
        self.crisisReply = crisisReply
        self.crisisLines = crisisLines
        self.listAnd = listAnd
        self.unsetNumberPhrase = unsetNumberPhrase
    }
}

/// A rule that escalates: any trigger, all of whose terms appear within ``window`` words of
/// each other in one clause, not negated, not hypothetical, not in the remote past.
public struct RedFlagRule: Sendable {
    /// A stable id (`en.chest.discomfort`), reported in ``RedFlagFinding/rule``.
    public var id: String
    /// The red flag this rule finds.
    public var flag: RedFlag
    /// Alternatives; each is a list of terms that must all appear (in any order).
    public var triggers: [[String]]
    /// The largest distance, in words, from the first to the last term of a trigger.
    public var window: Int
    /// Terms that, anywhere in the clause, stop the rule (`@muscle_cause` for a sore chest after bench press).
    public var unless: [String]
    /// A condition the person must have (from the profile or the message) for the rule to apply.
    public var requires: HealthCondition?

    /// Creates a rule.
    public init(
        _ id: String, _ flag: RedFlag, triggers: [[String]], window: Int = 8, unless: [String] = [],
        requires: HealthCondition? = nil
    ) {
        self.id = id
        self.flag = flag
        self.triggers = triggers
        self.window = window
        self.unless = unless
        self.requires = requires
    }
}

/// A rule that finds a condition.
public struct ConditionRule: Sendable {
    /// How time changes whether the condition counts.
    public enum Timing: Sendable, Hashable {
        /// Counts whenever mentioned as the writer's (a heart attack 10 years ago is still heart disease).
        case chronic
        /// Counts only now: not after `was`, not in the remote past, not as a plan (pregnancy).
        case current
        /// Counts when it was at most this many days ago, or when no time is given (surgery: 84).
        case withinDays(Int)
    }

    /// A stable id (`en.surgery`).
    public var id: String
    /// The condition this rule finds.
    public var condition: HealthCondition
    /// Alternatives; each is a list of terms that must all appear (in any order).
    public var triggers: [[String]]
    /// The largest distance, in words, from the first to the last term of a trigger.
    public var window: Int
    /// Terms that, anywhere in the clause, stop the rule.
    public var unless: [String]
    /// How time changes whether the condition counts.
    public var timing: Timing

    /// Creates a rule.
    public init(
        _ id: String, _ condition: HealthCondition, triggers: [[String]], window: Int = 6, unless: [String] = [],
        timing: Timing = .chronic
    ) {
        self.id = id
        self.condition = condition
        self.triggers = triggers
        self.window = window
        self.unless = unless
        self.timing = timing
    }
}

/// How a language writes an age.
public struct AgeVocabulary: Sendable {
    /// Terms with one `#` for the age (`i am #`, `# years old`, `aged #`).
    public var patterns: [String]
    /// Decade words with the age they stand for (`seventies: 75`), used after ``decadePrefix``.
    public var decades: [String: Int]
    /// The term before a decade word (`in my`).
    public var decadePrefix: String
    /// Words right after the number that make it something else (`kg`, `weeks`, `percent`).
    public var notAgeWords: Set<String>
    /// The age from which ``HealthCondition/olderAdult`` applies.
    public var olderAdultAge: Int
    /// Possessive words before an age that make it someone else's ("my 80 year old mother").
    public var possessives: Set<String>

    /// Creates an age vocabulary.
    public init(
        patterns: [String] = [], decades: [String: Int] = [:], decadePrefix: String = "", notAgeWords: Set<String> = [],
        olderAdultAge: Int = 65, possessives: Set<String> = []
    ) {
        self.patterns = patterns
        self.decades = decades
        self.decadePrefix = decadePrefix
        self.notAgeWords = notAgeWords
        self.olderAdultAge = olderAdultAge
        self.possessives = possessives
    }
}

/// The vocabulary of weight-loss rates, intake and fasting.
public struct GoalVocabulary: Sendable {
    /// Terms that say "lose" before an amount (`lose`, `drop`, `shed`).
    public var lossWords: [String]
    /// Words right after an amount that say "lose" (`off`).
    public var lossAfterWords: Set<String>
    /// Weight units in kg (`kg: 1`, `lbs: 0.4536`, `stone: 6.35`).
    public var weightUnits: [String: Double]
    /// Words before a unit that make a rate (`a`, `per`, `each`, `every`): "1 kg a week".
    public var rateWords: Set<String>
    /// Adverbs that are a rate in days (`weekly: 7`, `daily: 1`).
    public var rateAdverbs: [String: Double]
    /// Words that say "next" before a unit (`next week` = one week).
    public var nextWords: Set<String>
    /// Terms with one `#` for the body weight (`i weigh #`, `my weight is #`).
    public var bodyWeightPatterns: [String]
    /// Energy units (`kcal`, `calories`).
    public var energyUnits: Set<String>
    /// Terms that say the energy is eaten (`eat`, `diet`, `intake`, `only`).
    public var intakeWords: [String]
    /// Terms that say the energy is burnt instead (`burn`): such amounts are not intake.
    public var burnWords: [String]
    /// Terms after the amount that say "per day" (`a day`, `daily`, `diet`).
    public var dailyWords: [String]
    /// Words right after the amount that make it one meal (`snack`, `meal`): not a daily intake.
    public var mealWords: Set<String>
    /// Terms that say "deficit".
    public var deficitWords: [String]
    /// Terms that say "fast" (`fast`, `fasting`, `stop eating`, `not eat`).
    public var fastWords: [String]
    /// Terms that say "fast for days" with no number (`for days`).
    public var fastForDaysWords: [String]
    /// Terms that name starving (`starve`): always unsafe.
    public var starveWords: [String]

    /// Creates a goal vocabulary.
    public init(
        lossWords: [String] = [], lossAfterWords: Set<String> = [], weightUnits: [String: Double] = [:], rateWords: Set<String> = [],
        rateAdverbs: [String: Double] = [:], nextWords: Set<String> = [], bodyWeightPatterns: [String] = [],
        energyUnits: Set<String> = [], intakeWords: [String] = [], burnWords: [String] = [], dailyWords: [String] = [],
        mealWords: Set<String> = [], deficitWords: [String] = [], fastWords: [String] = [], fastForDaysWords: [String] = [],
        starveWords: [String] = []
    ) {
        self.lossWords = lossWords
        self.lossAfterWords = lossAfterWords
        self.weightUnits = weightUnits
        self.rateWords = rateWords
        self.rateAdverbs = rateAdverbs
        self.nextWords = nextWords
        self.bodyWeightPatterns = bodyWeightPatterns
        self.energyUnits = energyUnits
        self.intakeWords = intakeWords
        self.burnWords = burnWords
        self.dailyWords = dailyWords
        self.mealWords = mealWords
        self.deficitWords = deficitWords
        self.fastWords = fastWords
        self.fastForDaysWords = fastForDaysWords
        self.starveWords = starveWords
    }
}
