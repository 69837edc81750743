/// What one user message asks: its topic, the exercise and body areas it names, and
/// whether it is a short follow-up ("why?", "more", "what about …").
struct CoachQuery: Sendable {
    /// How a short message refers back to the conversation.
    enum FollowUp: Sendable {
        /// "why?", "how come?" — explain the reasoning.
        case why
        /// "more", "and?", "go on" — add another point.
        case more
        /// "what about deadlifts?" — same kind of answer, possibly a new subject.
        case whatAbout
    }

    /// The best-scoring topic other than greeting, or nil when no keyword matched.
    let topic: CoachTopic?
    /// Whether the message greets the coach (only meaningful when `topic` is nil).
    let isGreeting: Bool
    /// Whether the message thanks the coach.
    let isThanks: Bool
    let exercise: CoachExercise?
    /// Body areas named, in the order they appear ("knee", "lower back").
    let areas: [String]
    let followUp: FollowUp?
    /// Whether technique words ("form", "technique", …) appear, not just an exercise name.
    let asksAboutForm: Bool
    let wordCount: Int
    let endsWithQuestionMark: Bool
    /// The message, normalised (see ``CoachText/normalize(_:)``).
    let text: String

    init(_ message: String) {
        let padded = CoachText.normalize(message)
        let words = CoachText.words(ofNormalized: padded)
        text = padded
        wordCount = words.count
        endsWithQuestionMark = message.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("?")
        exercise = CoachExercise.detect(in: padded)
        asksAboutForm = CoachTopic.form.score(in: padded) > 0
        isGreeting = CoachTopic.greeting.score(in: padded) > 0
        isThanks = CoachTopic.thanksKeywords.contains { CoachText.contains(padded, $0) }
        areas = Self.areas(in: padded)
        followUp = Self.followUp(padded: padded, wordCount: words.count)

        var best: (topic: CoachTopic, score: Int)?
        for topic in CoachTopic.allCases where topic != .greeting && topic != .general {
            var score = topic.score(in: padded)
            if topic == .form, exercise != nil { score += 1 }
            if score > (best?.score ?? 0) { best = (topic, score) }
        }
        topic = best?.topic
    }

    /// Body areas people mention when something hurts; longer names first so
    /// "lower back" is not also reported as "back".
    private static let areaNames = [
        "lower back", "upper back", "rotator cuff", "knee", "shoulder", "back", "neck", "elbow", "wrist",
        "hip", "ankle", "hamstring", "groin", "achilles", "calf", "foot", "hand", "chest", "quad",
    ]

    private static func areas(in padded: String) -> [String] {
        // "back squat" names an exercise, not a sore back.
        var text = padded.replacingOccurrences(of: " back squat", with: " squat")
        var found: [(position: Int, name: String)] = []
        for name in areaNames {
            guard let range = CoachText.range(of: name, in: text) else { continue }
            let start = text.distance(from: text.startIndex, to: range.lowerBound)
            let length = text.distance(from: range.lowerBound, to: range.upperBound)
            found.append((start, name))
            // Blank the match (same length) so "back" can't match inside "lower back".
            text.replaceSubrange(range, with: String(repeating: " ", count: length))
        }
        return found.sorted { $0.position < $1.position }.prefix(2).map(\.name)
    }

    private static func followUp(padded: String, wordCount: Int) -> FollowUp? {
        guard wordCount > 0, wordCount <= 6 else { return nil }
        let whatAbout = [" what about ", " how about ", " and what about ", " what if ", " and for "]
        if whatAbout.contains(where: { padded.hasPrefix($0) }) { return .whatAbout }
        let why = [" why ", " but why ", " and why ", " how come ", " how so ", " reason ", " what for "]
        if why.contains(where: { padded.hasPrefix($0) }) { return .why }
        guard wordCount <= 4 else { return nil }
        let more = [
            " more ", " tell me more ", " go on ", " continue ", " explain ", " elaborate ", " details ",
            " anything else ", " what else ", " and ", " and then ", " ok and ", " okay and ", " such as ",
            " like what ", " for example ", " example ", " examples ", " really ", " go deeper ", " keep going ",
            " more please ", " more info ", " say more ",
        ]
        return more.contains(where: { padded.hasPrefix($0) }) ? .more : nil
    }
}
