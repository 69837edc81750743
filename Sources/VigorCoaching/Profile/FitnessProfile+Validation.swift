extension FitnessProfile {
    /// Accepted training days a week.
    public static let daysPerWeekRange = 1...7
    /// Accepted session length in minutes.
    public static let sessionMinutesRange = 15...120
    /// Accepted age in years.
    public static let ageRange = 13...120
    /// Most injuries a profile may list.
    public static let maxInjuries = 20
    /// Most focus areas a profile or request may list.
    public static let maxFocusAreas = 20
    /// Most disliked exercises a profile may list.
    public static let maxDislikedExercises = 200

    /// Checks every field against its bounds; an empty array means the profile is valid.
    ///
    /// Each error names the field by its JSON path, such as `"health_screen.age"`.
    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        if let error = FieldCheck.range(daysPerWeek, Self.daysPerWeekRange, field: "days_per_week") {
            errors.append(error)
        }
        if let error = FieldCheck.range(
            sessionMinutes, Self.sessionMinutesRange, field: "session_minutes")
        {
            errors.append(error)
        }
        if Set(goals).count != goals.count {
            errors.append(FieldError(field: "goals", message: "must not repeat a goal"))
        }
        if injuries.count > Self.maxInjuries {
            errors.append(FieldError(field: "injuries", message: "at most \(Self.maxInjuries) items"))
        }
        for (index, injury) in injuries.enumerated() {
            if let error = FieldCheck.text(injury.area, field: "injuries[\(index)].area") {
                errors.append(error)
            }
        }
        if let age = healthScreen?.age,
            let error = FieldCheck.range(age, Self.ageRange, field: "health_screen.age")
        {
            errors.append(error)
        }
        if let preferences {
            errors += FieldCheck.strings(
                preferences.focusAreas, maxCount: Self.maxFocusAreas,
                field: "preferences.focus_areas")
            errors += FieldCheck.strings(
                preferences.dislikedExerciseIDs, maxCount: Self.maxDislikedExercises,
                field: "preferences.disliked_exercise_ids")
        }
        return errors
    }
}
