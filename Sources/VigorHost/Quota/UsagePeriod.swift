import Foundation

/// A quota period on UTC calendar boundaries. Weeks start on Monday (ISO 8601).
public enum UsagePeriod: String, Sendable, Codable, CaseIterable {
    case day
    case week
    case month

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        return calendar
    }()

    /// The first instant of the period containing `date`.
    public func start(containing date: Date) -> Date {
        let calendar = Self.calendar
        let dayStart = calendar.startOfDay(for: date)
        switch self {
        case .day:
            return dayStart
        case .week:
            // weekday: 1 = Sunday ... 7 = Saturday; days since Monday:
            let weekday = calendar.component(.weekday, from: dayStart)
            let sinceMonday = (weekday + 5) % 7
            return calendar.date(byAdding: .day, value: -sinceMonday, to: dayStart) ?? dayStart
        case .month:
            let parts = calendar.dateComponents([.year, .month], from: dayStart)
            return calendar.date(from: parts) ?? dayStart
        }
    }

    /// The first instant after the period containing `date` (when its counters reset).
    public func end(containing date: Date) -> Date {
        let start = start(containing: date)
        let calendar = Self.calendar
        let next: Date? =
            switch self {
            case .day: calendar.date(byAdding: .day, value: 1, to: start)
            case .week: calendar.date(byAdding: .day, value: 7, to: start)
            case .month: calendar.date(byAdding: .month, value: 1, to: start)
            }
        return next ?? start.addingTimeInterval(86_400)
    }

    /// The period's key in the store: its first day as `YYYY-MM-DD`.
    public func key(containing date: Date) -> String {
        Self.dayString(start(containing: date))
    }

    /// `YYYY-MM-DD` of a date in UTC.
    public static func dayString(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let year = parts.year ?? 1970
        let month = parts.month ?? 1
        let day = parts.day ?? 1
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// Parses a strict `YYYY-MM-DD` day (UTC); `nil` if malformed or not a real day.
    public static func parseDay(_ text: String) -> Date? {
        let fields = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, fields.count == 3, fields[0].count == 4, fields[1].count == 2, fields[2].count == 2,
            let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2])
        else { return nil }
        let parts = DateComponents(year: year, month: month, day: day)
        guard parts.isValidDate(in: calendar), let date = calendar.date(from: parts) else { return nil }
        return date
    }
}
