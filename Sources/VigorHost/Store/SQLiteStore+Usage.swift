import Foundation
import GRDB

extension SQLiteStore {
    static func tierRecord(_ row: Row) throws -> TierRecord {
        TierRecord(
            name: try row.get("name"), requestsPerDay: try row.get("requests_per_day"), requestsPerWeek: try row.get("requests_per_week"),
            requestsPerMonth: try row.get("requests_per_month"), monthlyBudgetMicros: try row.get("monthly_budget_micros"),
            priceMicros: try row.get("price_micros"))
    }

    public func tiers() async throws -> [TierRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tiers ORDER BY price_micros, requests_per_month, name")
                .map(Self.tierRecord)
        }
    }

    public func tier(named name: String) async throws -> TierRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tiers WHERE name = ?", arguments: [name]).map(Self.tierRecord)
        }
    }

    public func upsertTier(_ tier: TierRecord, now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO tiers (name, requests_per_day, requests_per_week, requests_per_month,
                        monthly_budget_micros, price_micros, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET
                        requests_per_day = excluded.requests_per_day,
                        requests_per_week = excluded.requests_per_week,
                        requests_per_month = excluded.requests_per_month,
                        monthly_budget_micros = excluded.monthly_budget_micros,
                        price_micros = excluded.price_micros,
                        updated_at = excluded.updated_at
                    """,
                arguments: [
                    tier.name, tier.requestsPerDay, tier.requestsPerWeek, tier.requestsPerMonth,
                    tier.monthlyBudgetMicros, tier.priceMicros, now.epochMillis, now.epochMillis,
                ])
        }
        ledgerBook.limitsChanged()
    }

    public func usageCounters(userID: Int64, at: Date) async throws -> [UsageCounter] {
        let keys = UsagePeriod.allCases.map { ($0, $0.key(containing: at)) }
        return try await read { db in
            let tail = try SQLiteLedgerFold.tail(db)
            return try keys.map { period, start in
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT requests, cost_micros FROM usage_counters WHERE user_id = ? AND period = ? AND period_start = ?",
                    arguments: [userID, period.rawValue, start])
                let unfolded = tail.user(userID, period: SQLiteLedgerBook.index(period), start: start)
                return UsageCounter(
                    period: period, periodStart: start,
                    requests: Int(clamping: Money.adding(try row?.get("requests", as: Int64.self) ?? 0, unfolded.requests)),
                    costMicros: Money.adding(try row?.get("cost_micros", as: Int64.self) ?? 0, unfolded.cost))
            }
        }.addingLedgerFlight(ledgerBook, userID: userID)
    }

    public func usageByUser(since: Date) async throws -> [UserUsageSummary] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT u.id, u.username, u.tier, COUNT(l.id) AS requests,
                        COALESCE(SUM(l.prompt_tokens), 0) AS prompt_tokens,
                        COALESCE(SUM(l.completion_tokens), 0) AS completion_tokens,
                        COALESCE(SUM(l.cost_micros), 0) AS cost_micros
                    FROM ai_usage_logs l JOIN users u ON u.id = l.user_id
                    WHERE l.id > \(SQLiteUsageTimeMarks.skippedThroughSQL) AND l.created_at >= ?
                    GROUP BY u.id ORDER BY cost_micros DESC, requests DESC
                    """,
                arguments: [since.epochMillis, since.epochMillis]
            ).map { row in
                UserUsageSummary(
                    userID: try row.get("id"), username: try row.get("username"), tier: try row.get("tier"),
                    requests: try row.get("requests"),
                    promptTokens: try row.get("prompt_tokens"), completionTokens: try row.get("completion_tokens"),
                    costMicros: try row.get("cost_micros"))
            }
        }
    }
}
