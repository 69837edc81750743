import Foundation
import GRDB

extension SQLiteStore {
    public func upsertProviderPriority(_ rule: ProviderPriority, now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO provider_priorities (provider, model, priority, enabled, daily_cap_micros, weekly_cap_micros,
                        monthly_cap_micros, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (provider, model) DO UPDATE SET
                        priority = excluded.priority, enabled = excluded.enabled,
                        daily_cap_micros = excluded.daily_cap_micros, weekly_cap_micros = excluded.weekly_cap_micros,
                        monthly_cap_micros = excluded.monthly_cap_micros, updated_at = excluded.updated_at
                    """,
                arguments: [
                    rule.provider, rule.model, rule.priority, rule.enabled, rule.dailyCapMicros, rule.weeklyCapMicros,
                    rule.monthlyCapMicros, now.epochMillis,
                ])
        }
        prioritiesCache.withLock { $0 = nil }
        ledgerBook.limitsChanged()
    }

    public func providerSpend(at: Date) async throws -> [String: [PeriodSpend]] {
        let keys = UsagePeriod.allCases.map { ($0, $0.key(containing: at)) }
        return try await read { db in
            let tail = try SQLiteLedgerFold.tail(db)
            var out: [String: [PeriodSpend]] = [:]
            for (period, start) in keys {
                var costs: [String: Int64] = [:]
                let rows = try Row.fetchAll(
                    db, sql: "SELECT provider, cost_micros FROM provider_usage WHERE period = ? AND period_start = ?",
                    arguments: [period.rawValue, start])
                for row in rows { costs[try row.get("provider")] = try row.get("cost_micros") }
                for (provider, cost) in tail.providers(period: SQLiteLedgerBook.index(period), start: start) {
                    costs[provider] = Money.adding(costs[provider] ?? 0, cost)
                }
                for (provider, cost) in costs.sorted(by: { $0.key < $1.key }) {
                    out[provider, default: []].append(PeriodSpend(period: period, periodStart: start, costMicros: cost))
                }
            }
            return out
        }.addingLedgerFlight(ledgerBook, keys)
    }

    public func budgetSettings() async throws -> BudgetSettings {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM budget_settings WHERE id = 1") else {
                return BudgetSettings()
            }
            return BudgetSettings(
                weeklyBudgetMicros: try row.get("weekly_budget_micros"), monthlyBudgetMicros: try row.get("monthly_budget_micros"),
                alertThresholdPercent: try row.get("alert_threshold_percent"), autoDisable: try row.get("auto_disable"),
                updatedAt: try row.optionalDate("updated_at"))
        }
    }

    public func setBudgetSettings(_ settings: BudgetSettings, now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO budget_settings (id, weekly_budget_micros, monthly_budget_micros, alert_threshold_percent,
                        auto_disable, updated_at)
                    VALUES (1, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET
                        weekly_budget_micros = excluded.weekly_budget_micros,
                        monthly_budget_micros = excluded.monthly_budget_micros,
                        alert_threshold_percent = excluded.alert_threshold_percent,
                        auto_disable = excluded.auto_disable, updated_at = excluded.updated_at
                    """,
                arguments: [
                    settings.weeklyBudgetMicros, settings.monthlyBudgetMicros, settings.alertThresholdPercent,
                    settings.autoDisable, now.epochMillis,
                ])
        }
        ledgerBook.limitsChanged()
    }

    public func globalSpend(at: Date) async throws -> [PeriodSpend] {
        let keys = UsagePeriod.allCases.map { ($0, $0.key(containing: at)) }
        return try await read { db in
            let tail = try SQLiteLedgerFold.tail(db)
            return try keys.map { period, start in
                let cost = try Int64.fetchOne(
                    db, sql: "SELECT cost_micros FROM global_usage WHERE period = ? AND period_start = ?",
                    arguments: [period.rawValue, start])
                let unfolded = tail.global(period: SQLiteLedgerBook.index(period), start: start)
                return PeriodSpend(period: period, periodStart: start, costMicros: Money.adding(cost ?? 0, unfolded))
            }
        }.addingLedgerFlight(ledgerBook)
    }

    public func budgetEvents(limit: Int) async throws -> [BudgetEventRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM budget_events ORDER BY id DESC LIMIT ?", arguments: [max(0, limit)]
            ).map { row in
                BudgetEventRecord(
                    id: try row.get("id"), period: try row.get("period"), periodStart: try row.get("period_start"),
                    kind: try row.get("kind"),
                    spentMicros: try row.get("spent_micros"), budgetMicros: try row.get("budget_micros"),
                    createdAt: try row.date("created_at"))
            }
        }
    }

    public func usageBreakdown(since: Date) async throws -> UsageBreakdown {
        let totals = """
            SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS requests, COUNT(*) AS attempts,
            COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens, COALESCE(SUM(completion_tokens), 0) AS completion_tokens,
            COALESCE(SUM(cost_micros), 0) AS cost_micros
            """
        // The entries from `since` (two parameters, both `since`): by rowid past the time marks.
        let window = "id > \(SQLiteUsageTimeMarks.skippedThroughSQL) AND created_at >= ?"
        return try await read { db in
            func group(_ sql: String, key: (Row) throws -> String, provider: (Row) throws -> String?, model: (Row) throws -> String?) throws
                -> [UsageGroupTotals]
            {
                try Row.fetchAll(db, sql: sql, arguments: [since.epochMillis, since.epochMillis]).map { row in
                    UsageGroupTotals(
                        key: try key(row), provider: try provider(row), model: try model(row), requests: try row.get("requests") ?? 0,
                        attempts: try row.get("attempts"), promptTokens: try row.get("prompt_tokens"),
                        completionTokens: try row.get("completion_tokens"), costMicros: try row.get("cost_micros"))
                }
            }
            let byProvider = try group(
                "SELECT provider, \(totals) FROM ai_usage_logs WHERE \(window) GROUP BY provider ORDER BY cost_micros DESC, provider",
                key: { try $0.get("provider") }, provider: { try $0.get("provider") }, model: { _ in nil })
            let byModel = try group(
                """
                SELECT provider, model, \(totals) FROM ai_usage_logs WHERE \(window)
                GROUP BY provider, model ORDER BY cost_micros DESC, provider, model
                """,
                key: { "\(try $0.get("provider", as: String.self))/\(try $0.get("model", as: String.self))" },
                provider: { try $0.get("provider") },
                model: { try $0.get("model") })
            let byDay = try group(
                """
                SELECT strftime('%Y-%m-%d', \(UsageBreakdown.clampedMillis(atLeast: "MAX", atMost: "MIN")) / 1000, 'unixepoch') AS day, \(totals) FROM ai_usage_logs
                WHERE \(window) GROUP BY day ORDER BY day
                """,
                key: { try $0.get("day") }, provider: { _ in nil }, model: { _ in nil })
            return UsageBreakdown(byProvider: byProvider, byModel: byModel, byDay: byDay)
        }
    }
}
