/// Picks exercises for session slots from the catalogue entries a person may do.
///
/// Eligible means: the equipment is available, the level is at most the person's
/// (exactly beginner for beginners), no tag is avoided, and the id is not disliked.
/// Among eligible exercises the selector prefers ones that challenge the person — loaded
/// exercises (they scale with the weight) or body-weight ones at their level — then
/// compound ones for the main movement patterns, then ones that use the equipment the
/// person listed (someone who lists bands wants band work, not only body-weight work),
/// then catalogue order; it rotates through the equally good ones so that repeated
/// sessions (Full body A, B, C) differ.
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
        let equipped = settings.equipment.contains { $0 != .bodyOnly }
        let entries = eligible.enumerated().map { index, exercise in
            Entry(
                index: index, id: exercise.id, primaryMask: MuscleGroup.mask(exercise.primaryMuscles),
                penalty: 2 * (2 * Self.penalty(exercise, for: level) + Self.mechanicPenalty(exercise))
                    + (equipped && Self.usesBodyOnly(exercise) ? 1 : 0))
        }
        let best = (0...7).flatMap { penalty in entries.filter { $0.penalty == penalty } }
        ranked = Dictionary(grouping: best) { eligible[$0.index].pattern }
        var penalties: [String: Int] = [:]
        for entry in entries { penalties[entry.id] = entry.penalty }
        self.penalties = penalties
    }

    /// Each eligible id's ranking penalty (lower is better).
    private let penalties: [String: Int]

    /// Whether the exercise needs nothing but body weight.
    static func usesBodyOnly(_ exercise: Exercise) -> Bool {
        exercise.equipment.allSatisfy { $0 == .bodyOnly }
    }

    /// Eligible exercises that use `piece`, best first (ranking penalty, then catalogue order).
    func candidates(using piece: Equipment) -> [Exercise] {
        let using = eligible.filter { $0.equipment.contains(piece) }
        return using.enumerated().sorted { lhs, rhs in
            let left = penalties[lhs.element.id] ?? 0
            let right = penalties[rhs.element.id] ?? 0
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Whether `exercise` may go into a session of `focus`: a resistance exercise only when
    /// the focus allows all of its primary muscles; conditioning and mobility always.
    func fits(_ exercise: Exercise, focus: SessionFocus) -> Bool {
        guard exercise.pattern.isResistance else { return true }
        return MuscleGroup.mask(exercise.primaryMuscles) & ~focus.allowedMask == 0
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

    /// Up to `limit` other eligible exercises that may replace `exercise` in a session of
    /// `focus`: first the catalogue's own substitutions of the same pattern that this person
    /// may do and that fit the focus, then others of the same pattern (and, for isolation work,
    /// sharing a primary muscle).
    func substitutions(for exercise: Exercise, focus: SessionFocus, limit: Int = 2) -> [String] {
        var ids: [String] = []
        for id in exercise.substitutions where ids.count < limit && id != exercise.id {
            guard penalties[id] != nil, let other = eligible.first(where: { $0.id == id }),
                other.pattern == exercise.pattern, fits(other, focus: focus)
            else { continue }
            ids.append(id)
        }
        let slot = Slot(exercise.pattern, exercise.pattern == .isolation ? exercise.primaryMuscles.first : nil)
        for entry in entries(for: slot, focus: focus, excluding: Set([exercise.id] + ids)) where ids.count < limit {
            ids.append(entry.id)
        }
        return ids
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
