import VigorCoaching

/// "Give me a workout for today": a real session from the catalogue, built by the
/// rule-based planner for the profile's equipment, time and injuries.
extension OfflineCoach {
    /// Minutes when neither the question nor the profile says.
    static let defaultWorkoutMinutes = 30

    func todayWorkout(_ context: CoachContext) -> CoachAnswer {
        var domain =
            context.profile?.fitnessProfile
            ?? FitnessProfile(fitnessLevel: .beginner, goals: [.generalFitness], equipment: [.bodyOnly])
        let named = Self.equipmentNamed(in: context.text)
        if !named.isEmpty { domain.equipment = named }
        let asked = context.minutes ?? context.profile?.sessionMinutes ?? Self.defaultWorkoutMinutes
        let minutes = min(max(asked, FitnessProfile.sessionMinutesRange.lowerBound), FitnessProfile.sessionMinutesRange.upperBound)
        let (focus, areas) = Self.workoutFocus(context.text)
        let session = RuleBasedPlanner.session(
            profile: domain, minutes: minutes, focus: focus, focusAreas: areas, catalog: CoachCatalog.catalog)
        var kit = context.profile.map(\.equipmentPhrase) ?? "body weight only"
        if !named.isEmpty {
            let words = named.filter { $0 != .bodyOnly }.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }
            kit = words.isEmpty ? "body weight only" : CoachText.list(words)
        }
        var lines = ["Here's a \(minutes)-minute \(focus.displayName.lowercased()) session for today (\(kit)):"]
        let warm = session.warmup.reduce(0) { $0 + $1.minutes }
        lines.append("Warm-up (\(warm) min): \(session.warmup.map { CoachText.lowerFirst($0.name) }.joined(separator: ", then ")).")
        for (index, exercise) in session.exercises.enumerated() {
            lines.append("\(index + 1)) \(exercise.name): \(Self.dose(exercise)).")
        }
        let cool = session.cooldown.reduce(0) { $0 + $1.minutes }
        lines.append("Cool-down (\(cool) min): \(session.cooldown.map { CoachText.lowerFirst($0.name) }.joined(separator: ", then ")).")
        let rpe = session.exercises.compactMap { $0.load.type == .rpe ? $0.load.value : nil }.max() ?? 7
        let reserve = max(1, 10 - Int(rpe))
        var answer = CoachAnswer(
            core: [
                (lines + [
                    "Keep every set smooth, finishing with about \(reserve) reps still in reserve (RPE \(Int(rpe))). Ask me for form cues on any of these."
                ])
                .joined(separator: "\n")
            ],
            summary: "warm up, do the \(session.exercises.count) exercises with the rests given, and cool down",
            why:
                "The session trains each main movement once — legs, hips, pushing, pulling and trunk — so it works the whole body in little time. Compound exercises come first while you're fresh, and the rests match your goal.",
            more:
                "If it feels easy, add a round or a few reps next time; if you're short of time, do the first three exercises only. For a week-by-week program, use the plan generator.",
            coversInjuries: true
        )
        if asked != minutes {
            answer.personal.insert(
                "Sessions I build run \(FitnessProfile.sessionMinutesRange.lowerBound)–\(FitnessProfile.sessionMinutesRange.upperBound) minutes, so this one takes \(minutes).",
                at: 0)
        }
        let tags = (context.profile?.avoidedTags ?? []).union(domain.healthScreen?.pregnant == true ? [.supine, .spinalLoading] : [])
        if !tags.isEmpty {
            let names = ContraindicationTag.allCases.filter(tags.contains).map(Self.tagWords)
            answer.notes.append(
                "Chosen around your profile: nothing here involves \(CoachText.list(names, conjunction: "or")); stop anything that hurts.")
        }
        return answer
    }

    /// Equipment the question itself names ("with my bands", "no equipment"), which
    /// replaces the profile's for this one session; empty when it names none.
    static func equipmentNamed(in padded: String) -> [Equipment] {
        if ["no equipment", "without equipment", "body weight only", "bodyweight only", "just body weight", "just bodyweight"]
            .contains(where: { CoachText.contains(padded, $0) })
        {
            return [.bodyOnly]
        }
        // "cardio machine" is not a weight machine; "gym" says where, not what (the profile knows its gym).
        let text = padded.replacingOccurrences(of: " cardio machines ", with: " treadmill ")
            .replacingOccurrences(of: " cardio machine ", with: " treadmill ")
        var found: [Equipment] = []
        for alias in CoachProfile.equipmentAliases where alias.equipment != [.bodyOnly] && alias.equipment.count == 1 {
            let hit = alias.names.contains { CoachText.contains(text, $0.replacingOccurrences(of: "_", with: " ")) }
            if hit { for piece in alias.equipment where !found.contains(piece) { found.append(piece) } }
        }
        return found
    }

    /// A contraindication tag in everyday words ("lying on your back").
    static func tagWords(_ tag: ContraindicationTag) -> String {
        switch tag {
        case .supine: "lying on your back"
        case .inverted: "head-down positions"
        case .plyometric: "jumping"
        case .highImpact: "high impact"
        case .overhead: "pressing overhead"
        case .wristExtension: "weight on bent-back wrists"
        default: tag.rawValue.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// "3 × 10–15, rest 45 s" or "3 × 30 s, rest 30 s".
    static func dose(_ exercise: PlannedExercise) -> String {
        let work: String
        if let reps = exercise.reps {
            work = reps.min == reps.max ? "\(reps.min)" : "\(reps.min)–\(reps.max)"
        } else {
            work = "\(exercise.durationSeconds ?? 30) s"
        }
        return "\(exercise.sets) × \(work), rest \(exercise.restSeconds) s"
    }

    /// The session focus and emphasis areas a question names ("legs", "upper body", "abs").
    static func workoutFocus(_ padded: String) -> (SessionFocus, [String]) {
        func has(_ words: [String]) -> Bool { words.contains { CoachText.contains(padded, $0) } }
        if has(["upper body", "upper", "chest and back", "arms and shoulders"]) { return (.upper, has(["arms"]) ? ["arms"] : []) }
        if has(["lower body", "leg day", "legs", "glutes", "leg"]) { return (.lower, has(["glutes"]) ? ["glutes"] : []) }
        if has(["abs", "core"]) { return (.fullBody, ["core"]) }
        if has(["arms"]) { return (.upper, ["arms"]) }
        return (.fullBody, [])
    }
}
