extension PlanValidator {
    /// Rule 6: no muscle group on two consecutive days, across week boundaries too.
    ///
    /// Compares the primary muscles of the resistance exercises of sessions one day apart;
    /// conditioning and mobility work is exempt, and so is the `cardio` group.
    static func checkRecovery(
        _ plan: WorkoutPlan, catalog: ExerciseCatalog, into report: inout ViolationReport
    ) {
        var timeline: [(index: Int, week: Int, day: Int, muscles: Set<MuscleGroup>)] = []
        for (weekIndex, week) in plan.weeks.enumerated() {
            for day in week.trainingDays {
                guard let session = day.session else { continue }
                timeline.append(
                    (weekIndex * 7 + day.day, week.number, day.day, loadedMuscles(session, catalog)))
            }
        }
        timeline.sort { $0.index < $1.index }
        for (earlier, later) in zip(timeline, timeline.dropFirst()) where later.index - earlier.index == 1 {
            let shared = earlier.muscles.intersection(later.muscles)
            guard !shared.isEmpty else { continue }
            let muscles = shared.sorted { $0.rawValue < $1.rawValue }
            report.add(
                6, PlanViolation.Code.consecutiveMuscle,
                "week \(earlier.week) day \(earlier.day) and week \(later.week) day \(later.day) both train \(names(muscles))")
        }
    }

    /// Primary muscles loaded by a session's resistance exercises.
    static func loadedMuscles(_ session: Session, _ catalog: ExerciseCatalog) -> Set<MuscleGroup> {
        var muscles: Set<MuscleGroup> = []
        for planned in session.exercises {
            guard let exercise = catalog[planned.exerciseID], exercise.pattern.isResistance else { continue }
            muscles.formUnion(exercise.primaryMuscles.filter(\.isRecoveryTracked))
        }
        return muscles
    }

    /// Rule 7: each session fits `session_minutes` by the shared ``SessionTiming`` formula.
    static func checkDuration(_ plan: WorkoutPlan, into report: inout ViolationReport) {
        for week in plan.weeks {
            for day in week.days {
                guard let session = day.session else { continue }
                let seconds = session.estimatedSeconds
                guard seconds > plan.sessionMinutes * 60 else { continue }
                report.add(
                    7, PlanViolation.Code.sessionTooLong,
                    "week \(week.number), day \(day.day) takes about \(SessionTiming.minutes(seconds: seconds)) minutes; the limit is \(plan.sessionMinutes)"
                )
            }
        }
    }

    /// Rule 8: compound before isolation in each session (conditioning and mobility
    /// work may go anywhere), and pushing and pulling balanced over each week.
    static func checkOrderAndBalance(
        _ plan: WorkoutPlan, catalog: ExerciseCatalog, into report: inout ViolationReport
    ) {
        for week in plan.weeks {
            for day in week.days {
                guard let session = day.session,
                    let late = firstCompoundAfterIsolation(session, catalog)
                else { continue }
                report.add(
                    8, PlanViolation.Code.compoundOrder,
                    "week \(week.number), day \(day.day): compound '\(late)' comes after an isolation exercise")
            }
            let balance = pushPullSets(week, catalog)
            if !isBalanced(push: balance.push, pull: balance.pull) {
                report.add(
                    8, PlanViolation.Code.pushPullBalance,
                    "week \(week.number) has \(balance.push) pushing sets and \(balance.pull) pulling sets; neither may exceed twice the other"
                )
            }
        }
    }

    /// The id of the first compound resistance exercise that follows an isolation one.
    static func firstCompoundAfterIsolation(_ session: Session, _ catalog: ExerciseCatalog) -> String? {
        var seenIsolation = false
        for planned in session.exercises {
            guard let exercise = catalog[planned.exerciseID], exercise.pattern.isResistance else { continue }
            switch exercise.mechanic {
            case .isolation: seenIsolation = true
            case .compound where seenIsolation: return planned.exerciseID
            case .compound: break
            }
        }
        return nil
    }

    /// Working sets of pushing and of pulling patterns in a week.
    static func pushPullSets(_ week: PlanWeek, _ catalog: ExerciseCatalog) -> (push: Int, pull: Int) {
        var push = 0
        var pull = 0
        for day in week.days {
            for planned in day.session?.exercises ?? [] {
                guard let pattern = catalog[planned.exerciseID]?.pattern else { continue }
                if pattern.isPush { push += planned.sets }
                if pattern.isPull { pull += planned.sets }
            }
        }
        return (push, pull)
    }

    /// The balance rule: below ``balanceMinimumSets`` in total anything goes; otherwise
    /// neither side may exceed ``balanceMaxRatio`` times the other.
    public static func isBalanced(push: Int, pull: Int) -> Bool {
        push + pull < balanceMinimumSets
            || (push <= balanceMaxRatio * pull && pull <= balanceMaxRatio * push)
    }
}
