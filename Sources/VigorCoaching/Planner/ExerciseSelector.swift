/// Picks exercises for session slots from the catalogue entries a person may do.
///
/// Eligible means: the equipment is available, the level is at most the person's
/// (exactly beginner for beginners), no tag is avoided, and the id is not disliked.
/// Among eligible exercises the selector prefers ones that challenge the person — loaded
/// exercises (they scale with the weight) or body-weight ones at their level — then
/// compound ones for the main movement patterns, then catalogue order; it rotates through
/// the equally good ones so that repeated sessions (Full body A, B, C) differ.
struct ExerciseSelector {
    /// An eligible exercise with what the filters need, precomputed.
    private struct Entry {
        /// Position in ``eligible``.
        let index: Int
        let id: String
        let primaryMask: UInt16
        let penalty: Int
    }

    let level: FitnessLevel
    /// Eligible exercises in catalogue order.
    let eligible: [Exercise]
    /// Eligible exercises by pattern, best first (level match, then catalogue order).
    private let ranked: [MovementPattern: [Entry]]

    init(catalog: ExerciseCatalog, settings: PlanSettings) {
        let level = settings.level
        self.level = level
        let equipment = Equipment.mask(settings.equipment)
        let avoided = ContraindicationTag.mask(settings.avoided)
        var eligible: [Exercise] = []
        for (index, traits) in catalog.traits.enumerated()
        where traits.equipment & ~equipment == 0 && traits.tags & avoided == 0 {
            let exercise = catalog.exercises[index]
            if exercise.level <= level && !settings.disliked.contains(exercise.id) {
                eligible.append(exercise)
            }
        }
        self.eligible = eligible
        let entries = eligible.enumerated().map { index, exercise in
            Entry(
                index: index, id: exercise.id, primaryMask: MuscleGroup.mask(exercise.primaryMuscles),
                penalty: 2 * Self.penalty(exercise, for: level) + Self.mechanicPenalty(exercise))
        }
        let best = (0...3).flatMap { penalty in entries.filter { $0.penalty == penalty } }
        ranked = Dictionary(grouping: best) { eligible[$0.index].pattern }
    }

    /// 1 for an unloaded exercise clearly below the person's level, else 0. Loaded exercises
    /// always suit (the weight scales), and advanced people are matched by intermediate and
    /// advanced exercises alike.
    static func penalty(_ exercise: Exercise, for level: FitnessLevel) -> Int {
        if exercise.isExternallyLoaded { return 0 }
        return level.rank - exercise.level.rank >= max(1, level.rank) ? 1 : 0
    }

    /// 1 for an isolation exercise (a wall sit, say) in a main compound pattern, else 0.
    static func mechanicPenalty(_ exercise: Exercise) -> Int {
        let main: [MovementPattern] = [.squat, .hinge, .lunge, .horizontalPush, .verticalPush, .horizontalPull, .verticalPull]
        return exercise.mechanic == .isolation && main.contains(exercise.pattern) ? 1 : 0
    }

    /// Entries that fit `slot` in a session of `focus`, best first, minus `excluded` ids.
    ///
    /// Resistance slots only take exercises whose primary muscles the focus allows;
    /// conditioning and mobility slots take any.
    private func entries(for slot: Slot, focus: SessionFocus, excluding excluded: Set<String>) -> [Entry] {
        let allowed = slot.pattern.isResistance ? focus.allowedMask : UInt16.max
        let required = slot.muscle.map { MuscleGroup.mask([$0]) } ?? 0
        var fitting: [Entry] = []
        for entry in ranked[slot.pattern] ?? [] {
            if entry.primaryMask & ~allowed == 0 && entry.primaryMask & required == required
                && !excluded.contains(entry.id)
            {
                fitting.append(entry)
            }
        }
        return fitting
    }

    /// The exercise for `slot` in the `variant`-th session of this focus, if any fits.
    func pick(
        _ slot: Slot, focus: SessionFocus, variant: Int, excluding excluded: Set<String>
    ) -> Exercise? {
        let ranked = entries(for: slot, focus: focus, excluding: excluded)
        guard let best = ranked.first else { return nil }
        let top = ranked.prefix { $0.penalty == best.penalty }
        let pool = top.count >= 2 ? Array(top) : Array(ranked.prefix(2))
        return eligible[pool[variant % pool.count].index]
    }

    /// Up to `limit` other eligible exercises of the same pattern (and, for isolation work,
    /// sharing a primary muscle) that may replace `exercise` in a session of `focus`.
    func substitutions(for exercise: Exercise, focus: SessionFocus, limit: Int = 2) -> [String] {
        let slot = Slot(exercise.pattern, exercise.pattern == .isolation ? exercise.primaryMuscles.first : nil)
        return entries(for: slot, focus: focus, excluding: [exercise.id]).prefix(limit).map(\.id)
    }
}

extension MuscleGroup {
    /// One bit per group, for fast set tests.
    var bit: UInt16 {
        switch self {
        case .chest: 1 << 0
        case .back: 1 << 1
        case .shoulders: 1 << 2
        case .biceps: 1 << 3
        case .triceps: 1 << 4
        case .forearms: 1 << 5
        case .core: 1 << 6
        case .quads: 1 << 7
        case .hamstrings: 1 << 8
        case .glutes: 1 << 9
        case .calves: 1 << 10
        case .hips: 1 << 11
        case .fullBody: 1 << 12
        case .cardio: 1 << 13
        }
    }

    /// The bits of several groups together.
    static func mask(_ groups: [MuscleGroup]) -> UInt16 {
        groups.reduce(0) { $0 | $1.bit }
    }
}

extension SessionFocus {
    /// ``allowedMuscles`` as a bit mask.
    var allowedMask: UInt16 {
        switch self {
        case .fullBody: UInt16.max
        case .upper: 0b0000_0000_0011_1111
        case .lower, .legs: 0b0000_1111_1100_0000
        case .push: 0b0000_0000_0001_0101
        case .pull: 0b0000_0000_0010_1010
        }
    }
}
