import Foundation
import PostgresNIO

/// Tiers, usage counters and usage by user on PostgreSQL, with the numbers and order of
/// ``SQLiteStore``: sums are cast back to `BIGINT` (PostgreSQL sums a `BIGINT` column as
/// `NUMERIC`), names sort byte-wise (`COLLATE "C"`, SQLite's `BINARY`), and ties that SQLite
/// leaves to its grouping order sort by id.
extension PostgresStore {
    /// What a method not yet implemented on PostgreSQL throws.
    static var notYet: StoreError { StoreError(.unavailable, "not yet on PostgreSQL") }

    static func tierRecord(_ row: PostgresRandomAccessRow) throws -> TierRecord {
        TierRecord(
            name: try row.get("name"), requestsPerDay: try row.get("requests_per_day"),
            requestsPerWeek: try row.get("requests_per_week"), requestsPerMonth: try row.get("requests_per_month"),
            monthlyBudgetMicros: try row.get("monthly_budget_micros"), priceMicros: try row.get("price_micros"))
    }

    public func tiers() async throws -> [TierRecord] {
        try await fetchAll(
            """
            SELECT name, requests_per_day, requests_per_week, requests_per_month, monthly_budget_micros, price_micros
            FROM tiers ORDER BY price_micros, requests_per_month, name COLLATE "C"
            """
        ).map(Self.tierRecord)
    }

    public func tier(named name: String) async throws -> TierRecord? {
        try await fetchOne(
            """
            SELECT name, requests_per_day, requests_per_week, requests_per_month, monthly_budget_micros, price_micros
            FROM tiers WHERE name = \(name)
            """
        ).map(Self.tierRecord)
    }

    public func upsertTier(_ tier: TierRecord, now: Date) async throws {
        try Self.refuseNUL(["name": tier.name])
        let millis = now.epochMillis
        try await execute(
            """
            INSERT INTO tiers (name, requests_per_day, requests_per_week, requests_per_month,
                monthly_budget_micros, price_micros, created_at, updated_at)
            VALUES (\(tier.name), \(Int64(tier.requestsPerDay)), \(Int64(tier.requestsPerWeek)),
                \(Int64(tier.requestsPerMonth)), \(tier.monthlyBudgetMicros), \(tier.priceMicros), \(millis), \(millis))
            ON CONFLICT (name) DO UPDATE SET
                requests_per_day = excluded.requests_per_day,
                requests_per_week = excluded.requests_per_week,
                requests_per_month = excluded.requests_per_month,
                monthly_budget_micros = excluded.monthly_budget_micros,
                price_micros = excluded.price_micros,
                updated_at = excluded.updated_at
            """)
    }

    /// One round trip for the three periods.
    public func usageCounters(userID: Int64, at: Date) async throws -> [UsageCounter] {
        let day = UsagePeriod.day.key(containing: at)
        let week = UsagePeriod.week.key(containing: at)
        let month = UsagePeriod.month.key(containing: at)
        let rows = try await fetchAll(
            """
            SELECT period, period_start, requests, cost_micros FROM usage_counters
            WHERE user_id = \(userID) AND ((period = 'day' AND period_start = \(day))
                OR (period = 'week' AND period_start = \(week)) OR (period = 'month' AND period_start = \(month)))
            """)
        var found: [String: (requests: Int, cost: Int64)] = [:]
        for row in rows {
            found[try row.get("period", as: String.self)] = (try row.get("requests"), try row.get("cost_micros"))
        }
        return [(UsagePeriod.day, day), (.week, week), (.month, month)].map { period, start in
            let counts = found[period.rawValue]
            return UsageCounter(
                period: period, periodStart: start, requests: counts?.requests ?? 0, costMicros: counts?.cost ?? 0)
        }
    }

    /// Entries whose user was deleted (`user_id` NULL) are left out, as the join does in SQLite.
    public func usageByUser(since: Date) async throws -> [UserUsageSummary] {
        try await fetchAll(
            """
            SELECT u.id, u.username, u.tier, COUNT(l.id) AS requests,
                COALESCE(SUM(l.prompt_tokens), 0)::BIGINT AS prompt_tokens,
                COALESCE(SUM(l.completion_tokens), 0)::BIGINT AS completion_tokens,
                COALESCE(SUM(l.cost_micros), 0)::BIGINT AS cost_micros
            FROM ai_usage_logs l JOIN users u ON u.id = l.user_id
            WHERE l.created_at >= \(since.epochMillis)
            GROUP BY u.id ORDER BY cost_micros DESC, requests DESC, u.id
            """
        ).map { row in
            UserUsageSummary(
                userID: try row.get("id"), username: try row.get("username"), tier: try row.get("tier"),
                requests: try row.get("requests"), promptTokens: try row.get("prompt_tokens"),
                completionTokens: try row.get("completion_tokens"), costMicros: try row.get("cost_micros"))
        }
    }
}
