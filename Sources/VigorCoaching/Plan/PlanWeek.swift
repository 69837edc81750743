/// One week of a plan: seven days, Monday first.
public struct PlanWeek: Codable, Sendable, Equatable, Hashable {
    /// Week number, from 1.
    public var number: Int
    /// Whether this is a lighter (deload) week.
    public var deload: Bool
    /// The seven days, each numbered 1 (Monday) to 7 (Sunday).
    public var days: [PlanDay]

    /// Creates a week.
    public init(number: Int, deload: Bool, days: [PlanDay]) {
        self.number = number
        self.deload = deload
        self.days = days
    }

    /// The training days (those with a session), in day order.
    public var trainingDays: [PlanDay] {
        days.filter { !$0.rest && $0.session != nil }.sorted { $0.day < $1.day }
    }
}

/// One day of a week: either a rest day or a day with a session.
public struct PlanDay: Codable, Sendable, Equatable, Hashable {
    /// Day of the week, 1 (Monday) to 7 (Sunday).
    public var day: Int
    /// Whether this is a rest day (then `session` is `nil`).
    public var rest: Bool
    /// The session for a training day.
    public var session: Session?

    /// Creates a day.
    public init(day: Int, rest: Bool, session: Session?) {
        self.day = day
        self.rest = rest
        self.session = session
    }

    /// A rest day.
    public static func restDay(_ day: Int) -> PlanDay {
        PlanDay(day: day, rest: true, session: nil)
    }
}
