/// How trained a person is; for an exercise, the lowest level it suits.
///
/// Levels are ordered: `beginner < intermediate < advanced`.
public enum FitnessLevel: String, Codable, Sendable, CaseIterable, Comparable {
    /// New to structured training, or returning after a long break.
    case beginner
    /// Trains regularly and knows the main lifts.
    case intermediate
    /// Years of consistent training; handles high volume and complex lifts.
    case advanced

    /// Position in the ordering, 0 for beginner.
    var rank: Int {
        switch self {
        case .beginner: 0
        case .intermediate: 1
        case .advanced: 2
        }
    }

    public static func < (lhs: FitnessLevel, rhs: FitnessLevel) -> Bool {
        lhs.rank < rhs.rank
    }
}
