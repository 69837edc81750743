import VigorCoaching

/// The raw material of one reply, before ``OfflineCoach`` assembles it.
struct CoachAnswer: Sendable {
    /// The main answer, used for a fresh question.
    var core: [String]
    /// One clause giving the gist ("keep the load until …"), used after "why" and "more".
    var summary: String
    /// The reasoning, for "why?".
    var why: String
    /// An extra point, for "more".
    var more: String
    /// Profile-based tips, most important first; the last ones are dropped if a reply runs long.
    var personal: [String] = []
    /// Notes that must appear in every form of the answer (e.g. a dietetic disclaimer).
    var notes: [String] = []
    /// Whether the answer already deals with the profile's injuries itself.
    var coversInjuries = false
}

/// What an answer is built from: the profile and what the conversation named.
struct CoachContext: Sendable {
    var profile: CoachProfile?
    var exercise: CoachExercise?
    /// A catalogue exercise named more precisely than any ``CoachExercise``.
    var catalogExercise: Exercise?
    /// Minutes asked for in the question, if any.
    var minutes: Int?
    /// What the safety screen found in the question and the profile.
    var assessment: SafetyAssessment = SafetyAssessment()
    /// Body areas named in the conversation.
    var areas: [String]
    var isThanks: Bool
    /// The question (and, for a follow-up, the message it follows up), normalised.
    var text: String

    /// Whether any of `keywords` (normalised) occurs in the question.
    func mentions(_ keywords: [String]) -> Bool {
        keywords.contains { CoachText.contains(text, $0) }
    }
}
