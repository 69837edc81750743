/// Brings a week's pushing and pulling sets into the balance ``PlanValidator`` requires,
/// by taking sets (then whole exercises) away from the heavier side.
enum WeekBalancer {
    /// Balances the week in place. It never removes a session's last resistance exercise;
    /// if that is all it could do, it stops and leaves the week as it is.
    static func balance(_ drafts: inout [SessionDraft]) {
        while true {
            let push = sets(drafts) { $0.isPush }
            let pull = sets(drafts) { $0.isPull }
            if PlanValidator.isBalanced(push: push, pull: pull) { return }
            let heavy: (MovementPattern) -> Bool = push > pull ? { $0.isPush } : { $0.isPull }
            guard let (day, index) = heaviest(drafts, where: heavy) else { return }
            if drafts[day].picks[index].prescription.sets > 1 {
                drafts[day].picks[index].prescription.sets -= 1
            } else if drafts[day].resistanceCount > 1 {
                drafts[day].picks.remove(at: index)
            } else {
                return
            }
        }
    }

    private static func sets(_ drafts: [SessionDraft], where side: (MovementPattern) -> Bool) -> Int {
        drafts.reduce(0) { total, draft in
            total + draft.picks.filter { side($0.exercise.pattern) }.reduce(0) { $0 + $1.prescription.sets }
        }
    }

    /// The last pick on the given side with the most sets.
    private static func heaviest(
        _ drafts: [SessionDraft], where side: (MovementPattern) -> Bool
    ) -> (Int, Int)? {
        var best: (Int, Int)?
        var bestSets = 0
        for (day, draft) in drafts.enumerated() {
            for (index, pick) in draft.picks.enumerated() where side(pick.exercise.pattern) {
                if pick.prescription.sets >= bestSets {
                    best = (day, index)
                    bestSets = pick.prescription.sets
                }
            }
        }
        return best
    }
}
