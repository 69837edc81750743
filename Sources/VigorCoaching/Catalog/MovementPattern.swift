/// The movement an exercise trains.
public enum MovementPattern: String, Codable, Sendable, CaseIterable {
    case squat, hinge, lunge
    case horizontalPush = "horizontal_push"
    case verticalPush = "vertical_push"
    case horizontalPull = "horizontal_pull"
    case verticalPull = "vertical_pull"
    /// Loaded carries and crawls.
    case carry
    /// Trunk stability and strength.
    case core
    /// Single-joint work (curls, raises, extensions).
    case isolation
    /// Conditioning intervals.
    case cardio
    /// Stretching and mobility drills.
    case mobility

    /// Whether the pattern counts as pushing for push/pull balance.
    public var isPush: Bool { self == .horizontalPush || self == .verticalPush }

    /// Whether the pattern counts as pulling for push/pull balance.
    public var isPull: Bool { self == .horizontalPull || self == .verticalPull }

    /// Whether the pattern is resistance training (not conditioning or mobility).
    /// Only resistance exercises count for muscle recovery, ordering and resistance days.
    public var isResistance: Bool { self != .cardio && self != .mobility }
}

/// Whether an exercise works several joints or one.
public enum Mechanic: String, Codable, Sendable, CaseIterable {
    case compound, isolation
}

/// How an exercise is dosed: by repetitions or by time.
public enum ExerciseMeasure: String, Codable, Sendable, CaseIterable {
    case reps
    /// Holds, carries, intervals and stretches.
    case time
}
