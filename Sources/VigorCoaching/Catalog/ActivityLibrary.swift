/// Warm-up and cool-down activities, picked by what a session trains.
///
/// All are low-impact and need no equipment, so they suit every profile; the
/// `gentle` variants leave out anything brisk for people asked to keep intensity low.
public enum ActivityLibrary {
    /// How long warm-up and cool-down last for a session of `sessionMinutes`.
    public static func allowance(sessionMinutes: Int) -> (warmup: Int, cooldown: Int) {
        switch sessionMinutes {
        case ..<21: (4, 2)
        case ..<31: (5, 3)
        case ..<61: (8, 5)
        default: (10, 5)
        }
    }

    /// A warm-up of `minutes` in total: easy cardio, then movement prep for the focus.
    ///
    /// With a cardio machine among `equipment` the easy cardio is on the machine; with
    /// `deep_knee_flexion` avoided, sit-to-stands replace the squats, and with jumping or
    /// impact avoided, the pulse raiser is a march or easy cycling.
    public static func warmUp(
        focus: SessionFocus, minutes: Int, gentle: Bool, equipment: Set<Equipment> = [],
        avoided: Set<ContraindicationTag> = []
    ) -> [Activity] {
        let pulse: String
        if equipment.contains(.cardioMachine) {
            pulse = "Easy pace on your bike, rower, treadmill or elliptical"
        } else if gentle {
            pulse = "Easy walk or march in place"
        } else if avoided.contains(.highImpact) || avoided.contains(.plyometric) {
            pulse = "Brisk march or easy cycling"
        } else {
            pulse = "Brisk march, easy cycling or light skipping without jumps"
        }
        let squats = avoided.contains(.deepKneeFlexion) ? "sit-to-stands from a chair" : "shallow bodyweight squats"
        let prep: String
        switch focus {
        case .upper, .push, .pull:
            prep = "Arm circles, shoulder rolls and wall push-outs"
        case .lower, .legs:
            prep = "Leg swings, hip circles and \(squats)"
        case .fullBody:
            prep = "Arm circles, hip circles, leg swings and \(squats)"
        }
        return split(minutes, first: pulse, second: prep)
    }

    /// A cool-down of `minutes` in total: easy movement, then stretches for the focus.
    public static func coolDown(focus: SessionFocus, minutes: Int) -> [Activity] {
        let stretch: String
        switch focus {
        case .upper, .push, .pull:
            stretch = "Chest, upper-back and arm stretches, 30 seconds each"
        case .lower, .legs:
            stretch = "Hamstring, hip flexor and calf stretches, 30 seconds each"
        case .fullBody:
            stretch = "Whole-body stretches: hamstrings, hips, chest and upper back"
        }
        return split(minutes, first: "Slow walk with relaxed breathing", second: stretch)
    }

    /// Two activities sharing `minutes`, the second getting the larger half.
    private static func split(_ minutes: Int, first: String, second: String) -> [Activity] {
        guard minutes > 1 else { return [Activity(name: second, minutes: max(minutes, 0))] }
        let firstMinutes = minutes / 2
        return [
            Activity(name: first, minutes: firstMinutes),
            Activity(name: second, minutes: minutes - firstMinutes),
        ]
    }
}
