extension PlanValidator {
    /// Sets per exercise.
    public static let setsRange = 1...10
    /// Reps per set.
    public static let repsRange = 1...30
    /// Rest between sets, in seconds.
    public static let restRange = 15...300
    /// Plan length in weeks.
    public static let weeksRange = 1...16
    /// Seconds of work in one timed set.
    public static let durationRange = 5...600
    /// RPE targets.
    public static let rpeRange = 1.0...10.0
    /// Kilogram targets.
    public static let kilogramRange = 0.5...500.0
    /// Minutes of a single warm-up or cool-down activity.
    public static let activityMinutesRange = 0...30

    /// Rule 9: every number within bounds — sets 1–10, reps 1–30 with min ≤ max, rest
    /// 15–300 s, 1–16 weeks, plus the plan's days (1–7) and session length (15–120),
    /// timed sets (5–600 s), RPE (1–10), kg (0.5–500) and activity minutes (0–30).
    static func checkBounds(
        _ plan: WorkoutPlan, uses: [ExerciseUse], into report: inout ViolationReport
    ) {
        let code = PlanViolation.Code.bounds
        func fail(_ message: String, key: String? = nil) { report.add(9, code, message, key: key) }

        if !weeksRange.contains(plan.weeks.count) {
            fail("the plan has \(plan.weeks.count) weeks; allowed \(weeksRange.lowerBound)–\(weeksRange.upperBound)")
        }
        if !FitnessProfile.daysPerWeekRange.contains(plan.daysPerWeek) {
            fail("days_per_week is \(plan.daysPerWeek); allowed 1–7")
        }
        if !FitnessProfile.sessionMinutesRange.contains(plan.sessionMinutes) {
            fail("session_minutes is \(plan.sessionMinutes); allowed 15–120")
        }
        for session in plan.allSessions {
            for activity in session.warmup + session.cooldown
            where !activityMinutesRange.contains(activity.minutes) {
                fail(
                    "activity '\(activity.name)' lasts \(activity.minutes) minutes; allowed 0–30",
                    key: "activity|\(activity.name)")
            }
        }
        for use in uses {
            for problem in problems(in: use.exercise) {
                fail(
                    "'\(use.exercise.exerciseID)' (\(use.place)): \(problem)",
                    key: "\(use.exercise.exerciseID)|\(problem)")
            }
        }
    }

    /// Out-of-bounds numbers in one planned exercise, described.
    private static func problems(in exercise: PlannedExercise) -> [String] {
        var problems: [String] = []
        if !setsRange.contains(exercise.sets) {
            problems.append("\(exercise.sets) sets; allowed 1–10")
        }
        if let reps = exercise.reps {
            if !repsRange.contains(reps.min) || !repsRange.contains(reps.max) {
                problems.append("reps \(reps.min)–\(reps.max); allowed 1–30")
            }
            if reps.min > reps.max {
                problems.append("rep range \(reps.min)–\(reps.max) has min above max")
            }
        }
        if let duration = exercise.durationSeconds, !durationRange.contains(duration) {
            problems.append("duration \(duration) s; allowed 5–600")
        }
        if !restRange.contains(exercise.restSeconds) {
            problems.append("rest \(exercise.restSeconds) s; allowed 15–300")
        }
        if let value = exercise.load.value {
            switch exercise.load.type {
            case .rpe where !rpeRange.contains(value):
                problems.append("RPE \(value); allowed 1–10")
            case .kg where !kilogramRange.contains(value):
                problems.append("load \(value) kg; allowed 0.5–500")
            default:
                break
            }
        }
        return problems
    }
}
