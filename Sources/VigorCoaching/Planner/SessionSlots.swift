/// One place in a session template: a movement pattern, optionally for one muscle group
/// (an exercise fits when its pattern matches and the muscle is among its primary ones).
struct Slot: Equatable {
    let pattern: MovementPattern
    let muscle: MuscleGroup?

    init(_ pattern: MovementPattern, _ muscle: MuscleGroup? = nil) {
        self.pattern = pattern
        self.muscle = muscle
    }

    /// An extra slot for a muscle the person wants to emphasise.
    static func emphasis(_ muscle: MuscleGroup) -> Slot {
        muscle == .core ? Slot(.core) : Slot(.isolation, muscle)
    }
}

extension SessionFocus {
    /// The session template in priority order: earlier slots are filled first and trimmed last.
    var slots: [Slot] {
        switch self {
        case .fullBody:
            [
                Slot(.squat), Slot(.horizontalPush), Slot(.hinge), Slot(.horizontalPull), Slot(.core),
                Slot(.verticalPull), Slot(.verticalPush), Slot(.lunge), Slot(.carry),
                Slot(.isolation, .calves), Slot(.isolation, .biceps), Slot(.isolation, .triceps),
            ]
        case .upper:
            [
                Slot(.horizontalPush), Slot(.horizontalPull), Slot(.verticalPull), Slot(.verticalPush),
                Slot(.horizontalPull), Slot(.horizontalPush), Slot(.isolation, .shoulders),
                Slot(.isolation, .biceps), Slot(.isolation, .triceps), Slot(.isolation, .chest),
            ]
        case .lower, .legs:
            [
                Slot(.squat), Slot(.hinge), Slot(.lunge), Slot(.core), Slot(.isolation, .hamstrings),
                Slot(.isolation, .quads), Slot(.isolation, .calves), Slot(.isolation, .glutes),
                Slot(.core), Slot(.isolation, .hips),
            ]
        case .push:
            [
                Slot(.horizontalPush), Slot(.verticalPush), Slot(.horizontalPush),
                Slot(.isolation, .shoulders), Slot(.isolation, .triceps), Slot(.isolation, .chest),
                Slot(.verticalPush),
            ]
        case .pull:
            [
                Slot(.verticalPull), Slot(.horizontalPull), Slot(.horizontalPull), Slot(.verticalPull),
                Slot(.isolation, .biceps), Slot(.isolation, .back), Slot(.isolation, .forearms),
            ]
        }
    }
}
