/// Fills a session template with exercises, doses them, and trims the result to time.
struct SessionBuilder {
    /// Most resistance exercises in a beginner's session.
    static let beginnerMaxResistance = 6
    /// Most resistance exercises in anyone else's session.
    static let otherMaxResistance = 7
    /// Where finishers and emphasis slots go in the priority order.
    static let accessoryPosition = 4

    let settings: PlanSettings
    let selector: ExerciseSelector

    /// A draft for the `variant`-th session of `focus` in the week, already fitted to time.
    func draft(day: Int, focus: SessionFocus, variant: Int, name: String) -> SessionDraft {
        var picks = selectPicks(focus: focus, variant: variant)
        let before = (exercises: picks.count, sets: picks.reduce(0) { $0 + $1.prescription.sets })
        Self.trim(&picks, toSeconds: budgetSeconds)
        let setsLeft = picks.reduce(0) { $0 + $1.prescription.sets }
        let dropped = before.exercises - picks.count
        return SessionDraft(
            day: day, focus: focus, name: name, picks: picks, trimmedExercises: dropped,
            trimmedSets: dropped == 0 ? before.sets - setsLeft : 0)
    }

    /// Seconds a session's exercises may take: the session length minus warm-up and cool-down.
    var budgetSeconds: Int {
        let allowance = ActivityLibrary.allowance(sessionMinutes: settings.sessionMinutes)
        return (settings.sessionMinutes - allowance.warmup - allowance.cooldown) * 60
    }

    /// Most resistance exercises in one session for this person.
    var maxResistance: Int {
        settings.level == .beginner ? Self.beginnerMaxResistance : Self.otherMaxResistance
    }

    /// `exercise` dosed for this person, with substitutions for a session of `focus`.
    func pick(_ exercise: Exercise, focus: SessionFocus) -> Pick {
        Pick(
            exercise: exercise, prescription: Prescription.make(for: exercise, settings: settings),
            substitutions: selector.substitutions(for: exercise, focus: focus))
    }

    /// The template's slots plus emphasis and finisher slots, in priority order.
    func slots(for focus: SessionFocus) -> [Slot] {
        var slots = focus.slots
        var extra: [Slot] = settings.focusMuscles
            .filter { focus.allowedMuscles.contains($0) }
            .map(Slot.emphasis)
        if settings.goals.contains(.weightLoss) || settings.goals.contains(.endurance) {
            extra.append(Slot(.cardio))
        }
        if settings.goals.contains(.flexibility) {
            extra.append(Slot(.mobility))
            if settings.goal == .flexibility { extra.append(Slot(.mobility)) }
        }
        slots.insert(contentsOf: extra, at: min(Self.accessoryPosition, slots.count))
        return slots
    }

    private func selectPicks(focus: SessionFocus, variant: Int) -> [Pick] {
        var chosen: [Exercise] = []
        var used: Set<String> = []
        for slot in slots(for: focus) {
            let resistance = chosen.filter { $0.pattern.isResistance }.count
            if slot.pattern.isResistance && resistance >= maxResistance { continue }
            guard let exercise = selector.pick(slot, focus: focus, variant: variant, excluding: used) else {
                continue
            }
            chosen.append(exercise)
            used.insert(exercise.id)
        }
        if chosen.isEmpty, let fallback = fallbackExercise(focus: focus) {
            chosen = [fallback]
        }
        return chosen.map { pick($0, focus: focus) }
    }

    /// Any eligible exercise for the focus when no slot could be filled.
    private func fallbackExercise(focus: SessionFocus) -> Exercise? {
        let allowed = focus.allowedMuscles
        return selector.eligible.first { exercise in
            exercise.pattern.isResistance && exercise.primaryMuscles.allSatisfy(allowed.contains)
        } ?? selector.eligible.first { !$0.pattern.isResistance }
    }

    /// Trimming stages: drop the lowest-priority exercises down to `exercises`, then take
    /// sets from the heaviest exercise down to `sets`, then go on to the next stage.
    static let trimStages: [(exercises: Int, sets: Int)] = [(4, 3), (3, 2), (1, 1)]

    /// Cuts picks until they fit in `budget` seconds (see ``trimStages``).
    static func trim(_ picks: inout [Pick], toSeconds budget: Int) {
        func over() -> Bool { picks.reduce(0) { $0 + $1.seconds } > budget }
        for stage in trimStages {
            while over() && picks.count > stage.exercises { picks.removeLast() }
            while over(), let index = heaviest(picks, above: stage.sets) {
                picks[index].prescription.sets -= 1
            }
        }
    }

    /// The last pick with the most sets, if it has more than `floor`.
    private static func heaviest(_ picks: [Pick], above floor: Int) -> Int? {
        var best: Int?
        for (index, pick) in picks.enumerated() where pick.prescription.sets > floor {
            if let current = best, picks[current].prescription.sets > pick.prescription.sets { continue }
            best = index
        }
        return best
    }
}
