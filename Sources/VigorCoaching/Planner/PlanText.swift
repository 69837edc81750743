/// The words of a rule-based plan: title, summary, coaching cues and safety notes.
///
/// Nothing here makes a medical claim; ``PlanValidator`` checks that too.
enum PlanText {
    /// "4-week full body plan".
    static func title(weeks: Int, split: String) -> String {
        "\(weeks)-week \(split.underscoresAsSpaces) plan"
    }

    /// One or two sentences describing the plan.
    static func summary(settings: PlanSettings, deloadWeeks: [Int]) -> String {
        let goals = settings.goals.map { $0.rawValue.underscoresAsSpaces }
        let kit =
            settings.equipment.count == 1
            ? "body weight only"
            : Equipment.allCases.filter { settings.equipment.contains($0) && $0 != .bodyOnly }
                .map { $0.rawValue.underscoresAsSpaces }
                .joined(separator: ", ") + " and body weight"
        var text =
            "\(settings.days) sessions a week of up to \(settings.sessionMinutes) minutes "
            + "for \(settings.level == .beginner ? "a" : "an") \(settings.level.rawValue), aimed at \(goals.joined(separator: ", ")), "
            + "using \(kit)."
        if deloadWeeks.count == 1 {
            text += " Week \(deloadWeeks[0]) is a lighter deload week."
        } else if !deloadWeeks.isEmpty {
            text += " Weeks \(deloadWeeks.map(String.init).joined(separator: ", ")) are lighter deload weeks."
        }
        return text
    }

    /// The effort cue appended to an exercise's instructions.
    static func cue(for exercise: Exercise, prescription: Prescription) -> String {
        switch exercise.pattern {
        case .cardio:
            return "Work hard but stay able to speak a few words; ease off between rounds."
        case .mobility:
            return "Ease into the position, breathe slowly and never bounce."
        default:
            if exercise.measure == .time {
                return "Keep good form for the whole time and stop early if it slips."
            }
            let reserve = max(1, 10 - Int(prescription.rpe))
            return "Finish each set with about \(reserve) reps still in reserve."
        }
    }

    /// Safety notes for the profile: always general advice; professional advice for
    /// injuries; medical clearance and low intensity for a positive health screen.
    static func safetyNotes(profile: FitnessProfile, settings: PlanSettings) -> [String] {
        var notes = [
            "Warm up before every session and stop any exercise that causes sharp pain, dizziness or unusual shortness of breath."
        ]
        if settings.level == .beginner {
            notes.append("Learn each movement with light effort first; smooth, controlled form matters more than load.")
        }
        if !profile.injuries.isEmpty {
            let areas = profile.injuries.map(\.area).joined(separator: ", ")
            let tags = profile.avoidedTags.map { $0.rawValue.underscoresAsSpaces }.sorted()
            let left = tags.isEmpty ? "" : " Exercises involving \(tags.joined(separator: ", ")) were left out."
            notes.append(
                "You listed an injury (\(areas)).\(left) Seek professional advice from a doctor or physiotherapist before training it, and stop if pain increases."
            )
        }
        if settings.gentle {
            notes.append(
                "Your health screen suggests getting medical clearance from a doctor before starting. Until then keep the intensity low: RPE 6 or below, able to talk comfortably throughout."
            )
        }
        if profile.healthScreen?.pregnant == true {
            notes.append(
                "During pregnancy, jumping, lying flat on your back and heavy spinal loading were left out; follow the advice of your midwife or doctor."
            )
        }
        return notes
    }
}

extension String {
    /// "weight_loss" → "weight loss".
    var underscoresAsSpaces: String { String(map { $0 == "_" ? " " : $0 }) }
    /// "lower body" → "lower_body".
    var spacesAsUnderscores: String { String(map { $0 == " " ? "_" : $0 }) }
}
