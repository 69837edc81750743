import Foundation
import GRDB
import VigorCoaching

/// One red-flag escalation, as the operator's report sees it: the type, never the message text.
public struct SafetyEscalation: Sendable, Hashable {
    public var userID: Int64
    public var requestID: String
    public var flag: RedFlag
    /// Whether the writer or someone with them had the symptom.
    public var subject: SafetySubject
    /// The id of the rule that matched (`en.chest.discomfort`).
    public var rule: String

    public init(userID: Int64, requestID: String, flag: RedFlag, subject: SafetySubject, rule: String) {
        self.userID = userID
        self.requestID = requestID
        self.flag = flag
        self.subject = subject
        self.rule = rule
    }
}

/// Escalations counted by UTC day and type.
public struct SafetyEscalationCount: Sendable, Hashable {
    /// `YYYY-MM-DD` (UTC).
    public var day: String
    /// A ``RedFlag`` raw value.
    public var type: String
    public var count: Int
}

/// Where the safety screen records escalations and the admin report reads them.
public protocol SafetyEscalationLog: Sendable {
    /// Records the escalations of one request.
    func recordSafetyEscalations(_ escalations: [SafetyEscalation], at date: Date) async throws
    /// Counts by day and type from `since` (inclusive), oldest day first.
    func safetyEscalationCounts(since: Date) async throws -> [SafetyEscalationCount]
}

/// Migration `v9-safety-escalations`: the `safety_escalations` table. It holds the red-flag type,
/// the user, the time and the request id; never the message. Deleting the user keeps the count
/// and drops the link (`ON DELETE SET NULL`).
enum SafetyEscalationMigration {
    static let name = "v9-safety-escalations"

    static func apply(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE safety_escalations (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
                    request_id TEXT NOT NULL,
                    red_flag TEXT NOT NULL,
                    subject TEXT NOT NULL CHECK (subject IN ('user', 'other')),
                    rule TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX safety_escalations_time ON safety_escalations(created_at);
                """)
    }
}

extension SQLiteStore: SafetyEscalationLog {
    public func recordSafetyEscalations(_ escalations: [SafetyEscalation], at date: Date) async throws {
        guard !escalations.isEmpty else { return }
        let millis = date.epochMillis
        try await write { db in
            for escalation in escalations {
                try db.execute(
                    sql: """
                        INSERT INTO safety_escalations (user_id, request_id, red_flag, subject, rule, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        escalation.userID, escalation.requestID, escalation.flag.rawValue, escalation.subject.rawValue,
                        escalation.rule, millis,
                    ])
            }
        }
    }

    public func safetyEscalationCounts(since: Date) async throws -> [SafetyEscalationCount] {
        let rows = try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT created_at / 86400000 AS day, red_flag, COUNT(*) AS n
                    FROM safety_escalations WHERE created_at >= ?
                    GROUP BY day, red_flag ORDER BY day, red_flag
                    """,
                arguments: [since.epochMillis]
            ).map { row -> (Int64, String, Int) in (try row.get("day"), try row.get("red_flag"), try row.get("n")) }
        }
        return rows.map { day, flag, count in
            SafetyEscalationCount(
                day: UsagePeriod.dayString(Date(timeIntervalSince1970: TimeInterval(day) * 86_400)), type: flag, count: count)
        }
    }
}
