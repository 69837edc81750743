/// One way a plan breaks a rule of the coaching domain.
///
/// `rule` is the number of the rule in the domain's list ("Rules every generated plan
/// must satisfy", 1–10); `code` is a stable machine-readable name from ``Code``.
public struct PlanViolation: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Domain rule number, 1–10.
    public var rule: Int
    /// Stable code, one of the ``Code`` constants.
    public var code: String
    /// What is wrong and where, for a person to read.
    public var message: String

    /// Creates a violation.
    public init(rule: Int, code: String, message: String) {
        self.rule = rule
        self.code = code
        self.message = message
    }

    public var description: String { "rule \(rule) [\(code)]: \(message)" }

    /// The stable violation codes, grouped by rule.
    public enum Code {
        /// Rule 1: the plan's structure is not a valid plan.
        public static let schema = "schema"
        /// Rule 2: an exercise or substitution id is not in the catalogue.
        public static let unknownExercise = "unknown_exercise"
        /// Rule 3: an exercise needs equipment the person does not have.
        public static let equipmentMissing = "equipment_missing"
        /// Rule 4: an exercise carries a tag an injury says to avoid.
        public static let contraindicated = "contraindicated"
        /// Rule 4: the person has injuries but no note says to seek professional advice.
        public static let professionalAdviceNote = "professional_advice_note"
        /// Rule 5: a beginner gets an exercise above beginner level.
        public static let beginnerLevel = "beginner_level"
        /// Rule 5: a beginner gets too many days, sets or exercises, or no rest day.
        public static let beginnerVolume = "beginner_volume"
        /// Rule 5: a beginner gets RPE above 8 or sets to failure.
        public static let beginnerIntensity = "beginner_intensity"
        /// Rule 6: a muscle group is trained on two consecutive days.
        public static let consecutiveMuscle = "consecutive_muscle"
        /// Rule 7: a session takes longer than the plan's session length.
        public static let sessionTooLong = "session_too_long"
        /// Rule 8: a compound exercise comes after an isolation exercise.
        public static let compoundOrder = "compound_order"
        /// Rule 8: pushing and pulling are out of balance over a week.
        public static let pushPullBalance = "push_pull_balance"
        /// Rule 9: a number is out of bounds (sets, reps, rest, weeks, ...).
        public static let bounds = "bounds"
        /// Rule 10: the health screen asks for clearance but no note says so.
        public static let medicalClearanceNote = "medical_clearance_note"
        /// Rule 10: the health screen asks for low intensity but a load is higher.
        public static let highIntensity = "high_intensity"
        /// Rule 10: the disclaimer is missing or does not say "not medical advice".
        public static let missingDisclaimer = "missing_disclaimer"
        /// Rule 10: the plan's text makes a medical claim.
        public static let medicalClaim = "medical_claim"
    }
}
