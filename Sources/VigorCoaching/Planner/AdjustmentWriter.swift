/// Writes a rule-based plan's ``PlanAdjustment``s: every place where the plan differs from
/// what was asked, and why.
///
/// - days: the days asked (request, else profile) differ from the plan's; beginners get
///   2–3 resistance days, everyone at least one rest day.
/// - minutes: the minutes asked were out of range; sessions were cut to fit the time;
///   or the longest session ends well short of the time allowed (more than 10 minutes and
///   more than a quarter of it), because a session holds at most 6 (beginner) or 7
///   strength exercises.
/// - equipment: a listed piece no exercise uses, with the reason.
/// - injury, health_screen, preference: exercises left out, with examples the person could
///   otherwise have done.
struct AdjustmentWriter {
    let profile: FitnessProfile
    let settings: PlanSettings
    let catalog: ExerciseCatalog

    /// Minutes by which the longest session may fall short of the time allowed without an
    /// adjustment: the larger of 10 minutes and a quarter of the time.
    static func shortfallAllowance(minutes: Int) -> Int { max(10, minutes / 4) }

    func adjustments(drafts: [SessionDraft], planDays: Int) -> [PlanAdjustment] {
        var out: [PlanAdjustment] = []
        if let days = daysAdjustment(planDays: planDays) { out.append(days) }
        out += minutesAdjustments(drafts)
        out += equipmentAdjustments(drafts)
        out += injuryAdjustments()
        out += healthAdjustments()
        if let disliked = preferenceAdjustment() { out.append(disliked) }
        return out
    }

    private func daysAdjustment(planDays: Int) -> PlanAdjustment? {
        guard let asked = settings.askedDays, asked != planDays else { return nil }
        let what = "\(planDays) training \(planDays == 1 ? "day" : "days") a week instead of the \(asked) you asked for."
        let why: String
        if settings.level == .beginner && asked > planDays {
            why =
                "Beginners progress best on 2–3 full-body strength days with a rest day between them, so muscles get "
                + "48 hours to recover; use the other days for walking, easy cycling or mobility work."
        } else if settings.level == .beginner {
            why =
                "Two full-body sessions a week is the least that lets a beginner learn the movements and keep progressing; "
                + "they are spread out (Monday and Thursday) so each can be short."
        } else if asked > planDays {
            why = "Every plan keeps at least one full rest day a week for recovery; on the rest day an easy walk is fine."
        } else {
            why = "Plans hold 1–7 training days a week."
        }
        return PlanAdjustment(kind: .days, what: what, why: why)
    }

    private func minutesAdjustments(_ drafts: [SessionDraft]) -> [PlanAdjustment] {
        var out: [PlanAdjustment] = []
        let minutes = settings.sessionMinutes
        if let asked = settings.askedMinutes, asked != minutes {
            out.append(
                PlanAdjustment(
                    kind: .minutes, what: "Sessions are planned for \(minutes) minutes instead of the \(asked) you asked for.",
                    why: "Plans hold sessions of 15 to 120 minutes, warm-up and cool-down included."))
        }
        let dropped = drafts.reduce(0) { $0 + $1.trimmedExercises }
        let fewerSets = drafts.reduce(0) { $0 + $1.trimmedSets }
        if dropped > 0 || fewerSets > 0 {
            let cut =
                dropped > 0
                ? "\(dropped) lower-priority \(dropped == 1 ? "exercise was" : "exercises were") left out"
                : "\(fewerSets) \(fewerSets == 1 ? "set was" : "sets were") taken away"
            out.append(
                PlanAdjustment(
                    kind: .minutes, what: "To fit \(minutes)-minute sessions, \(cut) across the week.",
                    why: "Each session must fit your time with its warm-up and cool-down, so the main movements were kept "
                        + "and the extras trimmed; allow more minutes for the full session."))
        }
        let allowance = ActivityLibrary.allowance(sessionMinutes: minutes)
        let longest = drafts.map { SessionTiming.minutes(seconds: $0.seconds) + allowance.warmup + allowance.cooldown }.max() ?? 0
        if minutes - longest > Self.shortfallAllowance(minutes: minutes) {
            let cap = settings.level == .beginner ? SessionBuilder.beginnerMaxResistance : SessionBuilder.otherMaxResistance
            let who = settings.level == .beginner ? "a beginner's session" : "a session"
            out.append(
                PlanAdjustment(
                    kind: .minutes, what: "Sessions take about \(longest) minutes, less than the \(minutes) you have.",
                    why: "\(CoachWords.capitalized(who)) holds at most \(cap) strength exercises: more work in one session adds "
                        + "fatigue faster than progress. Use the spare time for a walk, easy cardio or mobility work."))
        }
        return out
    }

    private func equipmentAdjustments(_ drafts: [SessionDraft]) -> [PlanAdjustment] {
        EquipmentCoverage.unused(settings.equipment, in: drafts).map { piece in
            PlanAdjustment(
                kind: .equipment,
                what: "Your \(CoachWords.equipment(piece)) \([.dumbbell, .bands].contains(piece) ? "are" : "is") not used in this plan.",
                why: unusedReason(piece))
        }
    }

    /// Why no exercise with `piece` made it into the plan.
    private func unusedReason(_ piece: Equipment) -> String {
        let withPiece = catalog.exercises.filter { $0.equipment.contains(piece) }
        let doable = withPiece.filter { $0.isDoable(with: settings.equipment) }
        if doable.isEmpty {
            let needs = Set(withPiece.flatMap(\.equipment)).subtracting(settings.equipment).subtracting([.bodyOnly])
            let names = Equipment.allCases.filter(needs.contains).map(CoachWords.equipment)
            let needed = CoachWords.list(names, conjunction: "or")
            return "Every catalogue exercise with it also needs \(needed), which your profile does not list."
        }
        let atLevel = doable.filter { $0.level <= settings.level }
        if atLevel.isEmpty {
            return "The catalogue's exercises with it are above \(settings.level.rawValue) level; they will come as you progress."
        }
        let safe = atLevel.filter { $0.conflicts(with: settings.avoided).isEmpty }
        if safe.isEmpty {
            let reason = profile.injuries.isEmpty ? "your health screen" : "your injuries"
            return "Every exercise with it at your level involves movements \(reason) rule out."
        }
        if safe.allSatisfy({ settings.disliked.contains($0.id) }) {
            return "The exercises with it are ones you asked to leave out."
        }
        return "There is no room for one of its exercises beside the main movements in sessions of this length and number; "
            + "with more minutes or days it will be used."
    }

    private func injuryAdjustments() -> [PlanAdjustment] {
        profile.injuries.compactMap { injury in
            let tags = Set(injury.avoid)
            guard !tags.isEmpty else { return nil }
            let names = ContraindicationTag.allCases.filter(tags.contains).map(CoachWords.tag)
            let area = injury.area.trimmingWhitespace
            return PlanAdjustment(
                kind: .injury,
                what: "Left out for your \(area): exercises involving \(CoachWords.list(names))\(examples(tags)).",
                why: "Your profile says to avoid these movements for your \(area); the plan trains the same muscles with "
                    + "exercises that don't load it that way. Seek professional advice before bringing them back.")
        }
    }

    private func healthAdjustments() -> [PlanAdjustment] {
        var out: [PlanAdjustment] = []
        if profile.healthScreen?.pregnant == true {
            out.append(
                PlanAdjustment(
                    kind: .healthScreen,
                    what: "Left out for your pregnancy: lying flat on your back and heavy spinal loading"
                        + "\(examples([.supine, .spinalLoading])).",
                    why: "After the first trimester, lying flat on the back can press on a large vein and reduce blood flow, "
                        + "and heavy loads on the spine add strain; follow your midwife's or doctor's advice."))
        }
        if settings.gentle {
            out.append(
                PlanAdjustment(
                    kind: .healthScreen,
                    what: "Effort is capped at RPE 6, and jumping, high-impact and head-down exercises are left out"
                        + "\(examples([.plyometric, .highImpact, .inverted])).",
                    why: "Your health screen suggests getting medical clearance from a doctor first; until then, keep to low "
                        + "intensity where you can talk comfortably."))
        }
        return out
    }

    private func preferenceAdjustment() -> PlanAdjustment? {
        let named = catalog.exercises.filter { settings.disliked.contains($0.id) && $0.isDoable(with: settings.equipment) }
        guard !named.isEmpty else { return nil }
        let listed = CoachWords.list(named.prefix(3).map(\.name)) + (named.count > 3 ? " and others" : "")
        return PlanAdjustment(
            kind: .preference, what: "Left out at your request: \(listed).",
            why: "Your profile lists them as exercises you don't want; others of the same movement replace them.")
    }

    /// " (such as Bodyweight squat, Jump squat and Reverse lunge)": up to three exercises
    /// the person could otherwise do that carry one of `tags`, or "" when there are none.
    private func examples(_ tags: Set<ContraindicationTag>) -> String {
        let left = catalog.exercises.filter { exercise in
            exercise.isDoable(with: settings.equipment) && exercise.level <= settings.level
                && exercise.pattern.isResistance && exercise.tags.contains(where: tags.contains)
        }
        guard !left.isEmpty else { return "" }
        return " (such as \(CoachWords.list(left.prefix(3).map(\.name))))"
    }
}

/// Small wording helpers for plan texts.
enum CoachWords {
    /// `["a"]` → `"a"`, `["a", "b", "c"]` → `"a, b and c"`.
    static func list(_ items: [String], conjunction: String = "and") -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
        }
    }

    static func capitalized(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }

    /// "resistance bands", "suspension trainer", "cardio machine".
    static func equipment(_ piece: Equipment) -> String {
        switch piece {
        case .bodyOnly: "body weight"
        case .dumbbell: "dumbbells"
        case .pullupBar: "pull-up bar"
        case .bands: "resistance bands"
        case .foamRoll: "foam roller"
        case .exerciseBall: "exercise ball"
        case .cardioMachine: "cardio machine"
        case .medicineBall: "medicine ball"
        case .suspension: "suspension trainer"
        case .kettlebell: "kettlebell"
        default: piece.rawValue.underscoresAsSpaces
        }
    }

    /// "deep knee flexion", "lying on your back".
    static func tag(_ tag: ContraindicationTag) -> String {
        switch tag {
        case .supine: "lying on your back"
        case .inverted: "head-down positions"
        case .overhead: "overhead movements"
        case .plyometric: "jumping"
        default: tag.rawValue.underscoresAsSpaces
        }
    }
}

extension String {
    /// The text without leading and trailing spaces and newlines.
    var trimmingWhitespace: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
