/// An exercise chosen for a session, with its dose and substitutions.
struct Pick: Equatable {
    let exercise: Exercise
    var prescription: Prescription
    let substitutions: [String]

    /// The pick as it appears in a plan.
    func planned() -> PlannedExercise {
        PlannedExercise(
            exerciseID: exercise.id, name: exercise.name, sets: prescription.sets,
            reps: prescription.reps, durationSeconds: prescription.durationSeconds,
            load: .rpe(prescription.rpe), restSeconds: prescription.restSeconds,
            instructions: exercise.instructions + " " + PlanText.cue(for: exercise, prescription: prescription),
            substitutions: substitutions)
    }

    /// Seconds the pick takes by the shared timing formula.
    var seconds: Int {
        SessionTiming.seconds(
            sets: prescription.sets, reps: prescription.reps,
            durationSeconds: prescription.durationSeconds, restSeconds: prescription.restSeconds)
    }

    /// Execution order: compound resistance, then isolation resistance, then conditioning
    /// and mobility.
    var orderGroup: Int {
        guard exercise.pattern.isResistance else { return 2 }
        return exercise.mechanic == .compound ? 0 : 1
    }
}

/// A session being planned: its day, focus and picks in priority order
/// (the first pick matters most and is trimmed last).
struct SessionDraft: Equatable {
    let day: Int
    let focus: SessionFocus
    let name: String
    var picks: [Pick]
    /// Exercises dropped to fit the session into its time.
    var trimmedExercises = 0
    /// Sets taken away to fit the session into its time.
    var trimmedSets = 0

    /// Seconds the picks take by the shared timing formula (warm-up and cool-down aside).
    var seconds: Int { picks.reduce(0) { $0 + $1.seconds } }

    /// The same session for a deload week.
    func deloaded() -> SessionDraft {
        var copy = self
        for index in copy.picks.indices {
            copy.picks[index].prescription = picks[index].prescription.deloaded()
        }
        return copy
    }

    /// Number of resistance picks.
    var resistanceCount: Int { picks.filter { $0.exercise.pattern.isResistance }.count }

    /// The session as it appears in a plan, exercises in execution order.
    func session(
        sessionMinutes: Int, gentle: Bool, equipment: Set<Equipment> = [], avoided: Set<ContraindicationTag> = []
    ) -> Session {
        let allowance = ActivityLibrary.allowance(sessionMinutes: sessionMinutes)
        let ordered = picks.enumerated().sorted { lhs, rhs in
            lhs.element.orderGroup != rhs.element.orderGroup
                ? lhs.element.orderGroup < rhs.element.orderGroup : lhs.offset < rhs.offset
        }.map(\.element)
        let exercises = ordered.map { $0.planned() }
        let warmup = ActivityLibrary.warmUp(
            focus: focus, minutes: allowance.warmup, gentle: gentle, equipment: equipment, avoided: avoided)
        let cooldown = ActivityLibrary.coolDown(focus: focus, minutes: allowance.cooldown)
        let worked = Set(picks.flatMap(\.exercise.primaryMuscles))
        let seconds = SessionTiming.seconds(warmup: warmup, exercises: exercises, cooldown: cooldown)
        return Session(
            name: name, focus: focus.rawValue,
            muscleGroups: MuscleGroup.allCases.filter(worked.contains),
            warmup: warmup, exercises: exercises, cooldown: cooldown,
            estimatedMinutes: SessionTiming.minutes(seconds: seconds))
    }
}
