import VigorCoaching

/// The offline coach: answers fitness questions with no network and no model, from
/// keyword topics, the user's fitness profile and a little conversation context.
///
/// Replies are plain text of 60–200 words, deterministic (same input, same output), and
/// end with a line saying they come from the offline coach and are not medical advice.
struct OfflineCoach: Sendable {
    /// The last line of every reply.
    static let closingLine = "(Offline coach — general guidance, not medical advice.)"
    static let minimumWords = 60
    static let maximumWords = 200

    /// How many earlier user messages are searched for the subject of a follow-up.
    private static let contextDepth = 6

    /// How a reply presents its topic.
    private enum Mode {
        case answer, why, more
    }

    /// Answers the last user message.
    ///
    /// - Parameters:
    ///   - messages: the conversation as `(role, content)`; role is `system`, `user` or
    ///     `assistant` (case-insensitive). The last user message is the question; earlier
    ///     user messages give the subject of short follow-ups ("why?", "more", "what about …").
    ///   - profileJSON: the user's fitness profile as JSON text, or nil. Text that is not a
    ///     JSON object counts as no profile.
    /// - Returns: plain text, 60–200 words.
    func reply(messages: [(role: String, content: String)], profileJSON: String?) -> String {
        let profile = CoachProfile.parse(profileJSON)
        let userMessages = messages.filter { $0.role.lowercased() == "user" }.map(\.content)
        let question = CoachQuery(userMessages.last ?? "")
        let earlier = userMessages.dropLast().suffix(Self.contextDepth).reversed().map(CoachQuery.init)
        let previous = earlier.first { $0.topic != nil }

        let assessment = SafetyScreen.standard.assess(userMessages.last ?? "", profile: profile?.fitnessProfile)
        var topic = Self.safetyTopic(question.topic, assessment: assessment)
        var exercise = question.exercise
        var catalogExercise = question.catalogExercise
        var areas = question.areas
        var mode = Mode.answer
        switch question.followUp {
        case .why?, .more?:
            mode = question.followUp == .why ? .why : .more
            if topic == nil, let previous { topic = previous.topic }
        case .whatAbout?:
            // "what about deadlifts?" after a progression question is still about progression.
            if let previous, topic == nil || (topic == .form && !question.asksAboutForm && previous.topic != .form) {
                topic = previous.topic
            }
        case nil:
            if topic == nil, previous != nil, question.endsWithQuestionMark, question.wordCount <= 4,
                !question.isGreeting, !question.isThanks
            {
                topic = previous?.topic
            }
        }
        var text = question.text
        if topic == previous?.topic, let previous {
            exercise = exercise ?? previous.exercise
            if exercise == nil { catalogExercise = catalogExercise ?? previous.catalogExercise }
            if areas.isEmpty { areas = previous.areas }
            text += previous.text
        }
        if topic == nil, question.isGreeting || question.isThanks || userMessages.isEmpty {
            topic = .greeting
        }
        let resolved = topic ?? .general
        let context = CoachContext(
            profile: profile, exercise: exercise, catalogExercise: catalogExercise, minutes: question.minutes,
            assessment: assessment, areas: areas, isThanks: question.isThanks, text: text)
        var answer = answer(for: resolved, context)
        answer.notes += Self.conditionNotes(assessment, topic: resolved)
        if let emergency = Self.mentionNote(assessment) {
            // A question about a red flag (a friend who collapsed, "what if I get chest pain?")
            // is answered with what to do, first; with no other topic it is the whole answer.
            if resolved == .general { answer.core = [emergency] } else { answer.notes.insert(emergency, at: 0) }
        }
        return Self.assemble(answer, topic: resolved, mode: mode, profile: profile)
    }

    /// The topic once the safety screen has spoken: an unsafe goal comes first; pregnancy
    /// or older age named in the message takes over general questions about training.
    static func safetyTopic(_ topic: CoachTopic?, assessment: SafetyAssessment) -> CoachTopic? {
        if !assessment.unsafeGoals.isEmpty { return .unsafeGoal }
        let said = assessment.conditions.filter { $0.origin == .message }.map(\.condition)
        let general: [CoachTopic?] = [nil, .general, .beginner, .motivation, .cardio, .plan, .form, .todayWorkout, .rest]
        if said.contains(.pregnancy) || said.contains(.postpartum), topic != .preWorkoutNutrition,
            topic != .postWorkoutNutrition, topic != .nutrition
        {
            return .pregnancy
        }
        if said.contains(.olderAdult), general.contains(topic) { return .olderAdults }
        return topic
    }

    /// What to do if a red flag the message only mentions (a question, someone else, the past)
    /// happens: stop and call for help. The host answers red flags happening now before the
    /// coach is asked; it never sees them. Suicide or self-harm mentioned this way gets where to
    /// find help instead of "stop exercising".
    static func mentionNote(_ assessment: SafetyAssessment) -> String? {
        var flags: [RedFlag] = []
        for mention in assessment.mentions where !flags.contains(mention.flag) { flags.append(mention.flag) }
        var lines: [String] = []
        if flags.contains(.selfHarm) {
            lines.append(
                "If you, or someone you know, have thoughts of suicide or self-harm, talk to someone now: "
                    + "\(SafetyLanguage.englishCrisisLines); call your local emergency number (112 / 911) if anyone is in danger.")
            flags.removeAll { $0 == .selfHarm }
        }
        guard !flags.isEmpty else { return lines.isEmpty ? nil : lines.joined(separator: " ") }
        let titles = flags.prefix(2).map(\.title).joined(separator: " or ")
        lines.append(
            "If \(titles) happens — to you or to someone with you — stop exercising and call your local emergency "
                + "number (112 / 911) straight away; don't wait to see if it passes, and don't drive yourself.")
        if flags.contains(.fainting) || flags.contains(.chestPain) {
            lines.append("If someone collapses and isn't breathing normally, call for help, start CPR and send someone for the gym's AED.")
        }
        if assessment.mentions.contains(where: { $0.reason == .past && $0.flag != .selfHarm }) {
            lines.append("As it has happened before, get a doctor's clearance before you train hard again.")
        }
        return lines.joined(separator: " ")
    }

    /// One short note for each condition the question mentions that a professional should
    /// clear, except the one the answer is about.
    static func conditionNotes(_ assessment: SafetyAssessment, topic: CoachTopic) -> [String] {
        var notes: [String] = []
        var seen: [HealthCondition] = []
        for finding in assessment.conditions where finding.origin == .message && !seen.contains(finding.condition) {
            seen.append(finding.condition)
            if topic == .pregnancy && [.pregnancy, .postpartum].contains(finding.condition) { continue }
            if topic == .olderAdults && finding.condition == .olderAdult { continue }
            if let note = conditionNote(finding.condition) { notes.append(note) }
        }
        return Array(notes.prefix(2))
    }

    /// The offline coach's note for a condition named in a question.
    static func conditionNote(_ condition: HealthCondition) -> String? {
        switch condition {
        case .pregnancy:
            "As you're pregnant: keep to a pace where you can talk, avoid lying flat on your back after the first trimester, and check with your midwife or doctor."
        case .postpartum:
            "After giving birth, start with pelvic-floor and gentle core work and get your midwife's or doctor's OK before impact or heavy lifting."
        case .olderAdult:
            "At your age, include balance and strength work at least twice a week and progress slowly."
        case .heartDisease:
            "With a heart condition, train only with your cardiologist's clearance — cardiac rehabilitation is the best start — and stop at chest pain, unusual breathlessness or dizziness."
        case .lungDisease:
            "With asthma or another lung condition, keep your reliever inhaler at hand, warm up longer, and have your doctor agree the plan."
        case .diabetes:
            "With diabetes, check your blood glucose before and after exercise, carry fast-acting sugar, and let your doctor agree any change in medication."
        case .highBloodPressure:
            "With high blood pressure, avoid holding your breath and maximal lifts, and have your doctor check it before hard training."
        case .recentSurgery:
            "After recent surgery, follow your surgeon's or physiotherapist's limits and don't load the operated area until they clear it."
        case .osteoporosis:
            "With osteoporosis, strength and balance work help, but avoid jumps and loaded twisting or rounding of the spine; let a doctor or physiotherapist agree the plan."
        case .epilepsy:
            "With epilepsy, don't train alone in water or at heights, and let your doctor agree the plan."
        case .symptomHistory:
            "Because you've had a warning symptom before, get a doctor's check before hard training, and stop and call for help at once if it comes back."
        case .parqPositive:
            nil
        }
    }

    /// A rough token count for `text`, as a BPE tokenizer would give for English prose:
    /// one token per 4 bytes of UTF-8, rounded up; 0 for empty text, otherwise at least 1.
    static func estimateTokens(_ text: String) -> Int {
        let bytes = text.utf8.count
        return bytes == 0 ? 0 : max(1, (bytes + 3) / 4)
    }

    private func answer(for topic: CoachTopic, _ context: CoachContext) -> CoachAnswer {
        switch topic {
        case .unsafeGoal: unsafeGoal(context)
        case .pregnancy: pregnancy(context)
        case .olderAdults: olderAdults(context)
        case .todayWorkout: todayWorkout(context)
        case .preWorkoutNutrition: preWorkoutNutrition(context)
        case .postWorkoutNutrition: postWorkoutNutrition(context)
        case .coolDown: coolDown(context)
        case .plateau: plateau(context)
        case .form: form(context)
        case .progression: progression(context)
        case .muscleGain: muscleGain(context)
        case .warmUp: warmUp(context)
        case .plan: plan(context)
        case .beginner: beginner(context)
        case .rest: rest(context)
        case .soreness: soreness(context)
        case .injury: injury(context)
        case .nutrition: nutrition(context)
        case .sleep: sleep(context)
        case .cardio: cardio(context)
        case .motivation: motivation(context)
        case .greeting: greeting(context)
        case .general: general(context)
        }
    }

    /// Joins the parts into paragraphs, dropping optional tips beyond 200 words and adding
    /// a neutral invitation below 60.
    private static func assemble(_ answer: CoachAnswer, topic: CoachTopic, mode: Mode, profile: CoachProfile?) -> String {
        var lead: [String]
        switch mode {
        case .answer: lead = answer.core
        case .why: lead = ["Here's the reasoning: \(answer.why)", "In short: \(answer.summary)."]
        case .more: lead = ["One more point on \(topic.label): \(answer.more)", "In short: \(answer.summary)."]
        }
        var personal = answer.personal
        if profile?.isEmpty ?? true, topic != .greeting {
            personal.append("Fill in your fitness profile (level, goals, equipment, days per week) and I can tailor this to you.")
        }
        var safety = answer.notes
        if !answer.coversInjuries, let caution = profile?.injuryCaution { safety.append(caution) }
        if let clearance = profile?.clearanceNote { safety.append(clearance) }

        func text() -> String {
            [lead, personal, safety].filter { !$0.isEmpty }.map { $0.joined(separator: " ") }
                .joined(separator: "\n\n") + "\n\n" + closingLine
        }
        while CoachText.wordCount(text()) > maximumWords, !personal.isEmpty { personal.removeLast() }
        let padding = [
            "If you tell me more — what you tried, how it felt and what equipment you have — I can be more specific.",
            "For a complete week-by-week program, the plan generator builds one from your profile.",
        ]
        for line in padding where CoachText.wordCount(text()) < minimumWords { personal.append(line) }
        return text()
    }
}
