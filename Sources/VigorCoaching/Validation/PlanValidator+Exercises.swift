extension PlanValidator {
    /// Rule 2: every exercise and substitution id is in the catalogue.
    static func checkCatalogue(
        _ uses: [ExerciseUse], catalog: ExerciseCatalog, into report: inout ViolationReport
    ) {
        for use in uses where !catalog.contains(id: use.id) {
            report.add(
                2, PlanViolation.Code.unknownExercise,
                "'\(use.id)' (\(use.place)) is not in the exercise catalogue", key: use.id)
        }
    }

    /// Rule 3: everything an exercise needs is in the person's equipment
    /// (body weight is always available).
    static func checkEquipment(
        _ uses: [ExerciseUse], profile: FitnessProfile, catalog: ExerciseCatalog,
        into report: inout ViolationReport
    ) {
        let available = profile.availableEquipment
        for use in uses {
            guard let exercise = catalog[use.id], !exercise.isDoable(with: available) else { continue }
            let missing = exercise.equipment.filter { $0 != .bodyOnly && !available.contains($0) }
            report.add(
                3, PlanViolation.Code.equipmentMissing,
                "'\(use.id)' (\(use.place)) needs \(names(missing)), which the profile does not list",
                key: use.id)
        }
    }

    /// Rule 4: no exercise carries a tag an injury says to avoid, and a profile with
    /// injuries gets a safety note about seeking professional advice.
    static func checkInjuries(
        _ plan: WorkoutPlan, _ uses: [ExerciseUse], profile: FitnessProfile, catalog: ExerciseCatalog,
        into report: inout ViolationReport
    ) {
        guard !profile.injuries.isEmpty else { return }
        let avoided = profile.avoidedTags
        for use in uses {
            guard let exercise = catalog[use.id] else { continue }
            let conflicts = exercise.conflicts(with: avoided)
            guard !conflicts.isEmpty else { continue }
            report.add(
                4, PlanViolation.Code.contraindicated,
                "'\(use.id)' (\(use.place)) involves \(names(conflicts)), which an injury says to avoid",
                key: use.id)
        }
        if !plan.safetyNotes.contains(where: { $0.lowercased().contains("professional") }) {
            report.add(
                4, PlanViolation.Code.professionalAdviceNote,
                "the profile lists injuries but no safety note advises seeking professional advice")
        }
    }

    /// Rule 5: for a beginner (by profile or by the plan's level) — beginner exercises only,
    /// 2–3 resistance days and at least one rest day a week, 1–3 sets per exercise,
    /// at most 10 exercises a session, RPE at most 8 and no sets to failure.
    static func checkBeginnerLimits(
        _ plan: WorkoutPlan, uses: [ExerciseUse], distinct: [ExerciseUse], words: [String: [String]],
        profile: FitnessProfile, catalog: ExerciseCatalog, into report: inout ViolationReport
    ) {
        guard profile.fitnessLevel == .beginner || plan.level == .beginner else { return }
        for use in distinct {
            guard let exercise = catalog[use.id], exercise.level > .beginner else { continue }
            report.add(
                5, PlanViolation.Code.beginnerLevel,
                "'\(use.id)' (\(use.place)) is an \(exercise.level.rawValue) exercise", key: use.id)
        }
        let volume = PlanViolation.Code.beginnerVolume
        for week in plan.weeks {
            let resistanceDays = week.trainingDays.filter { day in
                day.session?.exercises.contains { isResistance($0.exerciseID, catalog) } ?? false
            }.count
            if !beginnerResistanceDays.contains(resistanceDays) {
                report.add(5, volume, "week \(week.number) has \(resistanceDays) resistance days; beginners get 2–3")
            }
            if !week.days.contains(where: \.rest) {
                report.add(5, volume, "week \(week.number) has no rest day")
            }
            for day in week.days {
                guard let session = day.session, session.exercises.count > beginnerMaxExercises else { continue }
                report.add(
                    5, volume,
                    "week \(week.number), day \(day.day) has \(session.exercises.count) exercises; beginners get at most \(beginnerMaxExercises)"
                )
            }
        }
        var failureByText: [String: Bool] = [:]
        for use in uses {
            let text = use.exercise.instructions
            let failure =
                failureByText[text]
                ?? TextScan.asksForFailure(words: words[text] ?? TextScan.words(in: text))
            failureByText[text] = failure
            checkBeginnerDose(use, asksForFailure: failure, into: &report)
        }
    }

    private static func checkBeginnerDose(
        _ use: ExerciseUse, asksForFailure: Bool, into report: inout ViolationReport
    ) {
        let exercise = use.exercise
        let id = exercise.exerciseID
        if exercise.sets > beginnerMaxSets {
            report.add(
                5, PlanViolation.Code.beginnerVolume,
                "'\(id)' (\(use.place)) has \(exercise.sets) sets; beginners get 1–3", key: "sets|\(id)")
        }
        if exercise.load.type == .rpe, let rpe = exercise.load.value, rpe > beginnerMaxRPE {
            report.add(
                5, PlanViolation.Code.beginnerIntensity,
                "'\(id)' (\(use.place)) targets RPE \(rpe); beginners stay at 8 or below", key: "rpe|\(id)")
        }
        if asksForFailure {
            report.add(
                5, PlanViolation.Code.beginnerIntensity,
                "'\(id)' (\(use.place)) asks for sets to failure", key: "failure|\(id)")
        }
    }

    /// Whether an id names resistance work; unknown ids count as resistance (the safe side).
    static func isResistance(_ id: String, _ catalog: ExerciseCatalog) -> Bool {
        catalog[id]?.pattern.isResistance ?? true
    }

    /// Raw values joined for a message ("barbell, rack").
    static func names<T: RawRepresentable>(_ values: [T]) -> String where T.RawValue == String {
        values.map(\.rawValue).joined(separator: ", ")
    }
}
