/// Makes a week use every piece of equipment the person listed, when some exercise the
/// person may do with it fits a session.
///
/// The selector already prefers equipped exercises; this pass catches what slot order
/// leaves out (a bench, a cardio machine for a strength goal, a second kind of weight).
/// For each unused piece, scarcest first, it tries to swap an exercise of the same pattern
/// for one that uses the piece — never taking away the last use of another piece — and
/// otherwise to add one where the session has room and time. Sessions keep their focus,
/// so recovery between consecutive days is untouched.
struct EquipmentCoverage {
    let builder: SessionBuilder

    /// Most exercises a session may hold after an addition (the beginner limit of the domain).
    static let maxExercises = PlanValidator.beginnerMaxExercises

    /// Covers what it can, in place.
    func cover(_ drafts: inout [SessionDraft]) {
        let selector = builder.selector
        let wanted = Equipment.allCases.filter { $0 != .bodyOnly && builder.settings.equipment.contains($0) }
        let scarcestFirst = wanted.map { ($0, selector.candidates(using: $0).count) }
            .enumerated().sorted { lhs, rhs in
                lhs.element.1 != rhs.element.1 ? lhs.element.1 < rhs.element.1 : lhs.offset < rhs.offset
            }.map(\.element.0)
        var placed: Set<String> = []
        for piece in scarcestFirst where !Self.uses(piece, drafts) {
            let candidates = selector.candidates(using: piece)
            if let id = swapIn(candidates, &drafts, locked: placed) ?? addIn(candidates, &drafts, locked: nil)
                ?? addIn(candidates, &drafts, locked: placed)
            {
                placed.insert(id)
            }
        }
    }

    /// The listed equipment no exercise of `drafts` uses, in ``Equipment`` order.
    static func unused(_ equipment: Set<Equipment>, in drafts: [SessionDraft]) -> [Equipment] {
        Equipment.allCases.filter { $0 != .bodyOnly && equipment.contains($0) && !uses($0, drafts) }
    }

    static func uses(_ piece: Equipment, _ drafts: [SessionDraft]) -> Bool {
        drafts.contains { $0.picks.contains { $0.exercise.equipment.contains(piece) } }
    }

    /// How many picks in the week use each piece.
    private static func counts(_ drafts: [SessionDraft]) -> [Equipment: Int] {
        var counts: [Equipment: Int] = [:]
        for pick in drafts.flatMap(\.picks) {
            for piece in pick.exercise.equipment { counts[piece, default: 0] += 1 }
        }
        return counts
    }

    /// Replaces a same-pattern pick with the first candidate that fits; the new id, or nil.
    private func swapIn(_ candidates: [Exercise], _ drafts: inout [SessionDraft], locked: Set<String>) -> String? {
        let counts = Self.counts(drafts)
        for candidate in candidates {
            for d in drafts.indices where builder.selector.fits(candidate, focus: drafts[d].focus) {
                guard !drafts[d].picks.contains(where: { $0.exercise.id == candidate.id }) else { continue }
                for i in drafts[d].picks.indices {
                    let current = drafts[d].picks[i].exercise
                    guard current.pattern == candidate.pattern, !locked.contains(current.id),
                        current.equipment.allSatisfy({ $0 == .bodyOnly || counts[$0, default: 0] > 1 })
                    else { continue }
                    var trial = drafts[d]
                    trial.picks[i] = builder.pick(candidate, focus: trial.focus)
                    guard trial.seconds <= builder.budgetSeconds else { continue }
                    drafts[d] = trial
                    return candidate.id
                }
            }
        }
        return nil
    }

    /// Adds the first candidate that fits a session with room and time; the new id, or nil.
    ///
    /// With `locked` (ids placed for other pieces), a session short of time or room may
    /// give up its lowest-priority exercises to make space, as long as it keeps
    /// ``minimumKept`` of them and no piece loses its last use.
    private func addIn(_ candidates: [Exercise], _ drafts: inout [SessionDraft], locked: Set<String>?) -> String? {
        for candidate in candidates {
            for d in drafts.indices where builder.selector.fits(candidate, focus: drafts[d].focus) {
                var trial = drafts[d]
                guard !trial.picks.contains(where: { $0.exercise.id == candidate.id }) else { continue }
                let added = builder.pick(candidate, focus: trial.focus)
                func full() -> Bool {
                    trial.picks.count >= Self.maxExercises || trial.seconds + added.seconds > builder.budgetSeconds
                        || (candidate.pattern.isResistance && trial.resistanceCount >= builder.maxResistance)
                }
                if let locked {
                    while full(), trial.picks.count > Self.minimumKept {
                        let counts = Self.counts(drafts.enumerated().map { $0.offset == d ? trial : $0.element })
                        guard
                            let index = trial.picks.lastIndex(where: { pick in
                                !locked.contains(pick.exercise.id)
                                    && pick.exercise.equipment.allSatisfy { $0 == .bodyOnly || counts[$0, default: 0] > 1 }
                            })
                        else { break }
                        trial.picks.remove(at: index)
                        trial.trimmedExercises += 1
                    }
                }
                guard !full() else { continue }
                trial.picks.append(added)
                drafts[d] = trial
                return candidate.id
            }
        }
        return nil
    }

    /// Exercises a session keeps when making room for a piece of equipment.
    static let minimumKept = 2
}
