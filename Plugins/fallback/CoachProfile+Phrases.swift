/// Sentence fragments built from a profile, for personalised replies.
extension CoachProfile {
    /// The main goal in words ("muscle gain"), if any.
    var mainGoal: String? { goals.first.map(Self.goalName) }

    /// `muscle_gain` → `"muscle gain"`, `general_fitness` → `"general fitness"`.
    static func goalName(_ id: String) -> String {
        id.replacingOccurrences(of: "_", with: " ")
    }

    /// "a beginner", "an intermediate lifter", "an advanced lifter".
    var levelNoun: String? {
        switch level {
        case "beginner": "a beginner"
        case "intermediate": "an intermediate lifter"
        case "advanced": "an advanced lifter"
        default: nil
        }
    }

    /// "As a beginner aiming for muscle gain" / "With muscle gain as your goal", or nil.
    var intro: String? {
        switch (levelNoun, mainGoal) {
        case (let level?, let goal?): "As \(level) aiming for \(goal)"
        case (let level?, nil): "As \(level)"
        case (nil, let goal?): "With \(goal) as your goal"
        default: nil
        }
    }

    /// "a beginner aiming for muscle gain, training 3 days a week, with dumbbells and a bench".
    var descriptor: String {
        var text = levelNoun ?? "someone"
        if let goal = mainGoal { text += " aiming for \(goal)" }
        if let days = daysPerWeek { text += ", training \(CoachText.days(days)) a week" }
        if !equipment.isEmpty { text += ", with \(equipmentPhrase)" }
        return text
    }

    private static let bodyOnlyIds = ["body_only", "bodyweight", "body_weight", "none", "no_equipment"]
    private static let gymIds = ["gym", "full_gym", "commercial_gym", "home_gym"]

    private func has(_ fragment: String) -> Bool {
        equipment.contains { $0.contains(fragment) } || equipment.contains { Self.gymIds.contains($0) }
    }

    var hasDumbbells: Bool { has("dumbbell") }
    var hasBarbell: Bool { has("barbell") }
    var hasKettlebell: Bool { has("kettlebell") }
    var hasBands: Bool { has("band") }
    var hasFoamRoller: Bool { has("foam") }
    var hasCardioMachine: Bool {
        has("cardio") || has("treadmill") || has("bike") || has("rower") || has("elliptical")
    }

    /// Whether the profile lists only body weight (or nothing at all).
    var bodyweightOnly: Bool {
        equipment.allSatisfy { Self.bodyOnlyIds.contains($0) }
    }

    /// "dumbbells, a bench and a pull-up bar", or "body weight only".
    var equipmentPhrase: String {
        let names = equipment.filter { !Self.bodyOnlyIds.contains($0) }.map(Self.equipmentName)
        if names.isEmpty { return "body weight only" }
        if names.count > 3 { return CoachText.list(Array(names.prefix(3)) + ["more"]) }
        return CoachText.list(names)
    }

    private static func equipmentName(_ id: String) -> String {
        switch id {
        case "dumbbell", "dumbbells": "dumbbells"
        case "barbell": "a barbell"
        case "bench": "a bench"
        case "rack", "squat_rack", "power_rack": "a rack"
        case "pullup_bar", "pull_up_bar": "a pull-up bar"
        case "kettlebell", "kettlebells": "kettlebells"
        case "cable": "a cable station"
        case "machine", "machines": "machines"
        case "bands", "band", "resistance_bands": "resistance bands"
        case "medicine_ball": "a medicine ball"
        case "foam_roll", "foam_roller": "a foam roller"
        case "exercise_ball": "an exercise ball"
        case "cardio_machine": "a cardio machine"
        default: id.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// A spread-out week for `days` sessions ("Monday, Wednesday and Friday").
    static func schedule(_ days: Int) -> String {
        switch days {
        case 1: "Wednesday"
        case 2: "Monday and Thursday"
        case 3: "Monday, Wednesday and Friday"
        case 4: "Monday, Tuesday, Thursday and Friday"
        case 5: "Monday, Tuesday, Thursday, Friday and Saturday"
        case 6: "Monday to Saturday"
        default: "every day, with one kept easy"
        }
    }

    /// "Caution: your profile lists a mild knee injury — avoid deep knee flexion and
    /// plyometric movements, and stop anything that causes pain.", or nil without injuries.
    var injuryCaution: String? {
        guard !injuries.isEmpty else { return nil }
        let shown = Array(injuries.prefix(2))
        var text = "Caution: your profile lists \(CoachText.list(shown.map(Self.injuryName)))"
        var avoid: [String] = []
        for tag in shown.flatMap(\.avoid) where !avoid.contains(tag) && avoid.count < 3 { avoid.append(tag) }
        if avoid.isEmpty {
            text += " — keep every movement pain-free around it and stop anything that hurts."
        } else {
            text += " — avoid \(CoachText.list(avoid)) movements, and stop anything that causes pain."
        }
        return text
    }

    /// "a mild knee injury", "a lower back injury".
    static func injuryName(_ injury: InjuryNote) -> String {
        let area = injury.area
        let noun = area.contains("injur") || area.contains("pain") ? area : "\(area) injury"
        if let severity = injury.severity { return "a \(severity) \(noun)" }
        let article = ["a", "e", "i", "o", "u"].contains(noun.prefix(1)) ? "an" : "a"
        return "\(article) \(noun)"
    }

    /// The medical-clearance note, or nil when the health screen doesn't call for one.
    var clearanceNote: String? {
        clearanceReason.map {
            "Because \($0), please get medical clearance from a doctor before training hard, and keep the intensity low until then."
        }
    }
}
