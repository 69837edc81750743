/// What a person asks for when generating a plan; each field overrides the profile.
public struct PlanRequest: Codable, Sendable, Equatable, Hashable {
    /// Training days a week (1–7); the profile's value when `nil`.
    public var daysPerWeek: Int?
    /// Session length in minutes (15–120); the profile's value when `nil`.
    public var sessionMinutes: Int?
    /// Plan length in weeks (1–16); 4 when `nil`.
    public var weeks: Int?
    /// Areas to emphasise; the profile's preferences when `nil`.
    public var focusAreas: [String]?

    /// Accepted plan lengths in weeks.
    public static let weeksRange = 1...16

    /// Creates a request; every field is optional.
    public init(
        daysPerWeek: Int? = nil, sessionMinutes: Int? = nil, weeks: Int? = nil,
        focusAreas: [String]? = nil
    ) {
        self.daysPerWeek = daysPerWeek
        self.sessionMinutes = sessionMinutes
        self.weeks = weeks
        self.focusAreas = focusAreas
    }

    /// Checks every field against its bounds; an empty array means the request is valid.
    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        let checks: [FieldError?] = [
            FieldCheck.range(daysPerWeek, FitnessProfile.daysPerWeekRange, field: "days_per_week"),
            FieldCheck.range(
                sessionMinutes, FitnessProfile.sessionMinutesRange, field: "session_minutes"),
            FieldCheck.range(weeks, Self.weeksRange, field: "weeks"),
        ]
        errors += checks.compactMap { $0 }
        if let focusAreas {
            errors += FieldCheck.strings(
                focusAreas, maxCount: FitnessProfile.maxFocusAreas, field: "focus_areas")
        }
        return errors
    }

    enum CodingKeys: String, CodingKey {
        case daysPerWeek = "days_per_week"
        case sessionMinutes = "session_minutes"
        case weeks
        case focusAreas = "focus_areas"
    }
}
