import Foundation
import PostgresNIO

/// Red-flag escalations on PostgreSQL (the table of migration `pg1-models-logins-safety`):
/// the type, user, time and request id; never the message.
extension PostgresStore: SafetyEscalationLog {
    /// One statement for the whole request's escalations (`unnest` of parallel arrays), so
    /// they are stored together or not at all, in one round trip.
    public func recordSafetyEscalations(_ escalations: [SafetyEscalation], at date: Date) async throws {
        guard !escalations.isEmpty else { return }
        for escalation in escalations {
            try Self.refuseNUL(["request_id": escalation.requestID, "rule": escalation.rule])
        }
        let users = escalations.map(\.userID)
        let requests = escalations.map(\.requestID)
        let flags = escalations.map(\.flag.rawValue)
        let subjects = escalations.map(\.subject.rawValue)
        let rules = escalations.map(\.rule)
        try await execute(
            """
            INSERT INTO safety_escalations (user_id, request_id, red_flag, subject, rule, created_at)
            SELECT e.user_id, e.request_id, e.red_flag, e.subject, e.rule, \(date.epochMillis)
            FROM unnest(\(users)::BIGINT[], \(requests)::TEXT[], \(flags)::TEXT[], \(subjects)::TEXT[], \(rules)::TEXT[])
                WITH ORDINALITY AS e(user_id, request_id, red_flag, subject, rule, position)
            ORDER BY e.position
            """)
    }

    /// Days are whole UTC days of epoch milliseconds, divided as SQLite divides integers
    /// (toward zero); flags sort byte-wise, as SQLite's `BINARY`.
    public func safetyEscalationCounts(since: Date) async throws -> [SafetyEscalationCount] {
        let rows = try await fetchAll(
            """
            SELECT created_at / 86400000 AS day, red_flag, COUNT(*) AS n
            FROM safety_escalations WHERE created_at >= \(since.epochMillis)
            GROUP BY 1, 2 ORDER BY 1, red_flag COLLATE "C"
            """)
        return try rows.map { row in
            let day = try row.get("day", as: Int64.self)
            return SafetyEscalationCount(
                day: UsagePeriod.dayString(Date(timeIntervalSince1970: TimeInterval(day) * 86_400)),
                type: try row.get("red_flag"), count: try row.get("n"))
        }
    }
}
