/// A piece of equipment an exercise needs or a person has.
///
/// Decoding an unknown name is an error, so a typo never silently drops equipment.
/// Body weight (`body_only`) is always available, whether or not a profile lists it.
public enum Equipment: String, Codable, Sendable, CaseIterable {
    /// Nothing but the body (a floor, a wall, a sturdy chair or table).
    case bodyOnly = "body_only"
    case dumbbell
    case barbell
    /// A flat or adjustable bench.
    case bench
    /// A squat rack or power rack.
    case rack
    case pullupBar = "pullup_bar"
    case kettlebell
    /// A cable station.
    case cable
    /// A selectorised or plate-loaded machine.
    case machine
    /// Resistance bands.
    case bands
    case medicineBall = "medicine_ball"
    case foamRoll = "foam_roll"
    /// A stability (Swiss) ball.
    case exerciseBall = "exercise_ball"
    /// A treadmill, bike, rower or elliptical.
    case cardioMachine = "cardio_machine"
    /// A suspension trainer (straps with handles hung from a door or a beam).
    case suspension
}
