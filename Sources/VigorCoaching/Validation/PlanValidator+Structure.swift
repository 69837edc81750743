extension PlanValidator {
    /// Rule 1: the plan is a well-formed plan.
    ///
    /// Title and generator present; at least one week, numbered 1, 2, 3, ... in order;
    /// seven days per week numbered 1–7 once each; a session on every training day and none
    /// on rest days; every session with exercises; each exercise dosed by reps or by time
    /// (exactly one); RPE and kg loads with a value; `days_per_week` matching each week;
    /// `deload_weeks` matching the weeks marked as deloads; every adjustment saying what and why.
    static func checkStructure(
        _ plan: WorkoutPlan, uses: [ExerciseUse], into report: inout ViolationReport
    ) {
        let schema = PlanViolation.Code.schema
        func fail(_ message: String, key: String? = nil) { report.add(1, schema, message, key: key) }

        if plan.title.allSatisfy(\.isWhitespace) { fail("the plan has no title") }
        if plan.generator.allSatisfy(\.isWhitespace) { fail("the plan does not name its generator") }
        if plan.weeks.isEmpty { fail("the plan has no weeks") }

        for (index, week) in plan.weeks.enumerated() {
            if week.number != index + 1 {
                fail("week \(index + 1) is numbered \(week.number); weeks must be numbered 1, 2, 3, ... in order")
            }
            checkDays(of: week, plan: plan, fail: fail)
        }

        let marked = plan.weeks.filter(\.deload).map(\.number).sorted()
        if Set(plan.deloadWeeks).sorted() != marked {
            fail("deload_weeks \(plan.deloadWeeks) does not match the weeks marked as deloads \(marked)")
        }

        for use in uses {
            checkDose(use, fail: fail)
        }
        for (index, adjustment) in plan.adjustments.enumerated()
        where adjustment.what.allSatisfy(\.isWhitespace) || adjustment.why.allSatisfy(\.isWhitespace) {
            fail("adjustments[\(index)] must say what differs and why", key: "adjustment|\(index)")
        }
    }

    private static func checkDays(
        of week: PlanWeek, plan: WorkoutPlan, fail: (String, String?) -> Void
    ) {
        let numbers = week.days.map(\.day)
        if week.days.count != 7 || Set(numbers) != Set(1...7) {
            fail("week \(week.number) must list days 1 to 7 exactly once each, got \(numbers)", nil)
        }
        for day in week.days {
            let place = "week \(week.number), day \(day.day)"
            switch (day.rest, day.session) {
            case (true, .some):
                fail("\(place) is a rest day but has a session", nil)
            case (false, .none):
                fail("\(place) is a training day without a session", nil)
            case (false, .some(let session)) where session.exercises.isEmpty:
                fail("\(place) has a session with no exercises", nil)
            default:
                break
            }
        }
        let training = week.trainingDays.count
        if training != plan.daysPerWeek {
            fail("week \(week.number) has \(training) training days but days_per_week is \(plan.daysPerWeek)", nil)
        }
    }

    private static func checkDose(_ use: ExerciseUse, fail: (String, String?) -> Void) {
        let exercise = use.exercise
        let key = exercise.exerciseID
        switch (exercise.reps, exercise.durationSeconds) {
        case (nil, nil):
            fail("'\(key)' (\(use.place)) has neither reps nor duration_seconds", "dose|\(key)")
        case (.some, .some):
            fail("'\(key)' (\(use.place)) has both reps and duration_seconds", "dose|\(key)")
        default:
            break
        }
        if exercise.load.type != .bodyweight, exercise.load.value == nil {
            fail("'\(key)' (\(use.place)) has a \(exercise.load.type.rawValue) load without a value", "load|\(key)")
        }
    }
}
