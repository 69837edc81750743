import VigorCoaching

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
    /// The catalogue exercise named, when its name is longer than any ``CoachExercise``
    /// keyword matched ("kettlebell swing", "band pull-apart", "goblet squat" stays a squat).
    let catalogExercise: Exercise?
    /// Minutes asked for ("a 20 minute workout", "half an hour"), if any.
    let minutes: Int?
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
        let named = CoachCatalog.detect(in: padded)
        let coachLength = exercise?.keywords.filter { CoachText.contains(padded, $0) }.map(\.count).max() ?? 0
        catalogExercise = named.flatMap { $0.length > coachLength ? $0.exercise : nil }
        minutes = Self.minutes(in: words)
        asksAboutForm = CoachTopic.form.score(in: padded) > 0
        isGreeting = CoachTopic.greeting.score(in: padded) > 0
        isThanks = CoachTopic.thanksKeywords.contains { CoachText.contains(padded, $0) }
        areas = Self.areas(in: padded)
        followUp = Self.followUp(padded: padded, wordCount: words.count)

        let timed: [CoachTopic] = [.preWorkoutNutrition, .postWorkoutNutrition]
        var best: (topic: CoachTopic, score: Int)?
        for topic in CoachTopic.allCases where topic != .greeting && topic != .general && !timed.contains(topic) {
            var score = topic.score(in: padded)
            if topic == .form, exercise != nil || catalogExercise != nil { score += 1 }
            if score > (best?.score ?? 0) { best = (topic, score) }
        }
        topic = Self.refine(best?.topic, padded: padded, minutes: minutes)
    }

    /// Topics that keywords alone get wrong: food before or after training is pre- or
    /// post-workout nutrition (without food it is the warm-up or cool-down); a workout for
    /// today, now or a number of minutes is today's workout, not a weekly plan.
    private static func refine(_ topic: CoachTopic?, padded: String, minutes: Int?) -> CoachTopic? {
        func mentions(_ words: [String]) -> Bool { words.contains { CoachText.contains(padded, $0) } }
        let safetyFirst: [CoachTopic] = [.unsafeGoal, .pregnancy, .olderAdults, .injury]
        if let topic, safetyFirst.contains(topic) { return topic }
        let food = mentions(CoachTopic.foodWords)
        if CoachTopic.preWorkoutNutrition.score(in: padded) > 0 || (food && mentions(["before"])) {
            if food { return .preWorkoutNutrition }
            if topic == nil || topic == .warmUp { return .warmUp }
        }
        if CoachTopic.postWorkoutNutrition.score(in: padded) > 0 || (food && mentions(["after"])) {
            if food { return .postWorkoutNutrition }
            if topic == nil || topic == .coolDown || topic == .warmUp { return .coolDown }
        }
        let program = mentions(CoachTopic.programWords)
        if CoachTopic.todayWorkout.score(in: padded) > 0, !program || mentions(["today", "tonight", "now"]) {
            return .todayWorkout
        }
        if mentions(CoachTopic.sessionWords), !program, minutes != nil || mentions(CoachTopic.nowWords),
            topic == nil || topic == .plan || topic == .cardio || topic == .beginner || topic == .general
        {
            return .todayWorkout
        }
        // "I only have 15 minutes, what can I do?"
        if topic == nil, minutes != nil, !program { return .todayWorkout }
        return topic
    }

    /// Minutes named in the words: "20 minutes", "20 min", "20-minute", "half an hour",
    /// "an hour", "1 hour"; nil when none (or a number outside 1–300).
    static func minutes(in words: [String]) -> Int? {
        let units = ["minute", "minutes", "min", "mins", "m"]
        for (index, word) in words.enumerated() {
            if let value = Int(word), index + 1 < words.count {
                let next = words[index + 1]
                if units.contains(next), (1...300).contains(value) { return value }
                if ["hour", "hours", "hr", "hrs"].contains(next), (1...5).contains(value) { return value * 60 }
            }
            if word.hasSuffix("min"), let value = Int(word.dropLast(3)), (1...300).contains(value) { return value }
        }
        let text = " " + words.joined(separator: " ") + " "
        if text.contains(" half an hour ") || text.contains(" half hour ") { return 30 }
        if text.contains(" an hour ") || text.contains(" one hour ") { return 60 }
        return nil
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
