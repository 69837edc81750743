import Foundation

/// The parts of a fitness profile the offline coach uses, decoded leniently.
///
/// Unknown, missing or mistyped fields are ignored; only text that is not a JSON object
/// at all yields no profile. Both snake_case and camelCase keys are accepted.
struct CoachProfile: Sendable, Equatable {
    /// An injury as the profile states it.
    struct InjuryNote: Sendable, Equatable {
        /// The body area ("knee"), cleaned for quoting.
        var area: String
        /// `mild`, `moderate`, `severe`, or nil when absent.
        var severity: String?
        /// Contraindication tags in words ("deep knee flexion").
        var avoid: [String]
        /// The same tags as ids (`deep_knee_flexion`).
        var avoidIDs: [String] = []
    }

    /// `beginner`, `intermediate` or `advanced`; nil when absent or unknown.
    var level: String?
    /// Goal ids in the profile's order (`muscle_gain`); the first is the main one.
    var goals: [String] = []
    /// Equipment ids, lower-cased with underscores (`pullup_bar`).
    var equipment: [String] = []
    /// Training days a week, 1–7.
    var daysPerWeek: Int?
    /// Minutes per session, 5–300.
    var sessionMinutes: Int?
    var injuries: [InjuryNote] = []
    /// Why the health screen asks for medical clearance, or nil when it doesn't.
    var clearanceReason: String?
    /// The health screen's answers, as given (for the catalogue planner and the safety screen).
    var pregnant = false
    var parqAnyYes = false
    var age: Int?
    var inactive: Bool?

    /// Decodes profile JSON text; nil for nil, empty or non-object JSON.
    static func parse(_ json: String?) -> CoachProfile? {
        guard let json, let data = json.data(using: .utf8), !data.isEmpty,
            let object = try? JSONSerialization.jsonObject(with: data),
            var root = object as? [String: Any]
        else { return nil }
        if field(root, "fitness_level", "fitnessLevel", "level") == nil,
            let nested = field(root, "profile", "fitness_profile", "fitnessProfile") as? [String: Any]
        {
            root = nested
        }
        var profile = CoachProfile()
        if let level = string(field(root, "fitness_level", "fitnessLevel", "level"))?.lowercased() {
            switch level {
            case "beginner", "novice": profile.level = "beginner"
            case "intermediate": profile.level = "intermediate"
            case "advanced", "expert": profile.level = "advanced"
            default: break
            }
        }
        profile.goals = identifiers(field(root, "goals", "goal", "primary_goal"))
        profile.equipment = identifiers(field(root, "equipment", "available_equipment"))
        if let days = int(field(root, "days_per_week", "daysPerWeek")), (1...7).contains(days) {
            profile.daysPerWeek = days
        }
        if let minutes = int(field(root, "session_minutes", "sessionMinutes")), (5...300).contains(minutes) {
            profile.sessionMinutes = minutes
        }
        profile.injuries = injuries(field(root, "injuries", "injury"))
        let screen = field(root, "health_screen", "healthScreen") as? [String: Any] ?? [:]
        profile.clearanceReason = clearanceReason(screen, fallbackAge: int(root["age"]))
        profile.pregnant = bool(field(screen, "pregnant")) == true
        profile.parqAnyYes = bool(field(screen, "parq_any_yes", "parqAnyYes")) == true
        profile.age = (int(field(screen, "age")) ?? int(root["age"])).flatMap { (10...120).contains($0) ? $0 : nil }
        profile.inactive = bool(field(screen, "inactive"))
        return profile
    }

    /// Whether nothing useful was found.
    var isEmpty: Bool {
        level == nil && goals.isEmpty && equipment.isEmpty && daysPerWeek == nil && sessionMinutes == nil
            && injuries.isEmpty && clearanceReason == nil
    }

    // MARK: - Lenient field access

    private static func field(_ object: [String: Any], _ keys: String...) -> Any? {
        for key in keys {
            if let value = object[key], !(value is NSNull) { return value }
        }
        return nil
    }

    private static func string(_ value: Any?) -> String? {
        guard let text = value as? String else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// An integer from a JSON number or numeric string; nil for anything else or out of range.
    private static func int(_ value: Any?) -> Int? {
        if let number = value as? Int { return number }
        if let number = value as? Double, number.isFinite, abs(number) < 1_000_000 { return Int(number) }
        if let number = value as? NSNumber {
            let double = number.doubleValue
            return double.isFinite && abs(double) < 1_000_000 ? Int(double) : nil
        }
        if let text = string(value) { return Int(text) }
        return nil
    }

    private static func bool(_ value: Any?) -> Bool? {
        if let flag = value as? Bool { return flag }
        if let number = value as? NSNumber { return number.intValue != 0 }
        if let text = string(value)?.lowercased() {
            if ["true", "yes", "y", "1"].contains(text) { return true }
            if ["false", "no", "n", "0"].contains(text) { return false }
        }
        return nil
    }

    /// Ids from an array of strings or a comma-separated string: lower-cased, spaces and
    /// hyphens as underscores, duplicates removed, at most 20.
    private static func identifiers(_ value: Any?) -> [String] {
        var raw: [String] = []
        if let array = value as? [Any] {
            raw = array.compactMap { string($0) ?? string(($0 as? [String: Any])?["name"]) }
        } else if let text = string(value) {
            raw = text.split(separator: ",").map(String.init)
        }
        var out: [String] = []
        for item in raw {
            let id = CoachText.clean(item.lowercased()).replacingOccurrences(of: " ", with: "_")
                .replacingOccurrences(of: "-", with: "_")
            if !id.isEmpty, !out.contains(id), out.count < 20 { out.append(id) }
        }
        return out
    }

    private static func injuries(_ value: Any?) -> [InjuryNote] {
        let items: [Any] = (value as? [Any]) ?? (value.map { [$0] } ?? [])
        var out: [InjuryNote] = []
        for item in items.prefix(10) {
            if let area = string(item) {
                out.append(InjuryNote(area: CoachText.clean(area.lowercased()), severity: nil, avoid: []))
            } else if let object = item as? [String: Any],
                let area = string(field(object, "area", "body_part", "bodyPart", "name"))
            {
                let severity = string(object["severity"])?.lowercased()
                let ids = identifiers(object["avoid"])
                out.append(
                    InjuryNote(
                        area: CoachText.clean(area.lowercased()),
                        severity: ["mild", "moderate", "severe"].contains(severity ?? "") ? severity : nil,
                        avoid: ids.map { CoachText.clean($0) }, avoidIDs: ids))
            }
        }
        return out
    }

    /// The health-screen rule of the domain: a PAR-Q "yes", a pregnancy, or age 70 or over
    /// and not known to be active.
    private static func clearanceReason(_ screen: [String: Any], fallbackAge: Int?) -> String? {
        if bool(field(screen, "pregnant")) == true { return "your health screen notes a pregnancy" }
        if bool(field(screen, "parq_any_yes", "parqAnyYes")) == true {
            return "you answered yes on the health questionnaire"
        }
        if let age = int(field(screen, "age")) ?? fallbackAge, age >= 70,
            bool(field(screen, "inactive")) != false
        {
            return "your health screen gives your age as \(age)"
        }
        return nil
    }
}
