import Foundation
import PostgresNIO

extension PostgresStore {
    public func upsertProviderPriority(_ rule: ProviderPriority, now: Date) async throws {
        try await execute(
            """
            INSERT INTO provider_priorities (provider, model, priority, enabled, daily_cap_micros, weekly_cap_micros,
                monthly_cap_micros, updated_at)
            VALUES (\(rule.provider), \(rule.model), \(Int64(rule.priority)), \(rule.enabled), \(rule.dailyCapMicros),
                \(rule.weeklyCapMicros), \(rule.monthlyCapMicros), \(now.epochMillis))
            ON CONFLICT (provider, model) DO UPDATE SET
                priority = EXCLUDED.priority, enabled = EXCLUDED.enabled,
                daily_cap_micros = EXCLUDED.daily_cap_micros, weekly_cap_micros = EXCLUDED.weekly_cap_micros,
                monthly_cap_micros = EXCLUDED.monthly_cap_micros, updated_at = EXCLUDED.updated_at
            """)
        invalidatePriorities()
    }

    public func providerSpend(at: Date) async throws -> [String: [PeriodSpend]] {
        let day = UsagePeriod.day.key(containing: at)
        let week = UsagePeriod.week.key(containing: at)
        let month = UsagePeriod.month.key(containing: at)
        let rows = try await readAll(
            """
            SELECT provider, period, period_start, cost_micros FROM provider_usage
            WHERE (period = 'day' AND period_start = \(day)) OR (period = 'week' AND period_start = \(week))
                OR (period = 'month' AND period_start = \(month))
            ORDER BY provider, CASE period WHEN 'day' THEN 0 WHEN 'week' THEN 1 ELSE 2 END
            """)
        var out: [String: [PeriodSpend]] = [:]
        for row in rows {
            guard let period = UsagePeriod(rawValue: try row.get("period")) else { continue }
            out[try row.get("provider"), default: []].append(
                PeriodSpend(period: period, periodStart: try row.get("period_start"), costMicros: try row.get("cost_micros")))
        }
        return out
    }

    public func budgetSettings() async throws -> BudgetSettings {
        guard let row = try await readOne("SELECT * FROM budget_settings WHERE id = 1") else { return BudgetSettings() }
        return BudgetSettings(
            weeklyBudgetMicros: try row.get("weekly_budget_micros"), monthlyBudgetMicros: try row.get("monthly_budget_micros"),
            alertThresholdPercent: try row.get("alert_threshold_percent"), autoDisable: try row.get("auto_disable"),
            updatedAt: try row.optionalDate("updated_at"))
    }

    public func setBudgetSettings(_ settings: BudgetSettings, now: Date) async throws {
        try await execute(
            """
            INSERT INTO budget_settings (id, weekly_budget_micros, monthly_budget_micros, alert_threshold_percent,
                auto_disable, updated_at)
            VALUES (1, \(settings.weeklyBudgetMicros), \(settings.monthlyBudgetMicros), \(Int64(settings.alertThresholdPercent)),
                \(settings.autoDisable), \(now.epochMillis))
            ON CONFLICT (id) DO UPDATE SET
                weekly_budget_micros = EXCLUDED.weekly_budget_micros,
                monthly_budget_micros = EXCLUDED.monthly_budget_micros,
                alert_threshold_percent = EXCLUDED.alert_threshold_percent,
                auto_disable = EXCLUDED.auto_disable, updated_at = EXCLUDED.updated_at
            """)
    }

    public func globalSpend(at: Date) async throws -> [PeriodSpend] {
        let keys = UsagePeriod.allCases.map { ($0, $0.key(containing: at)) }
        let rows = try await readAll(
            """
            SELECT period, period_start, cost_micros FROM global_usage
            WHERE (period = 'day' AND period_start = \(keys[0].1)) OR (period = 'week' AND period_start = \(keys[1].1))
                OR (period = 'month' AND period_start = \(keys[2].1))
            """)
        var costs: [String: Int64] = [:]
        for row in rows {
            costs[try row.get("period", as: String.self)] = try row.get("cost_micros", as: Int64.self)
        }
        return keys.map { period, start in PeriodSpend(period: period, periodStart: start, costMicros: costs[period.rawValue] ?? 0) }
    }

    public func budgetEvents(limit: Int) async throws -> [BudgetEventRecord] {
        try await readAll("SELECT * FROM budget_events ORDER BY id DESC LIMIT \(Int64(max(0, limit)))").map { row in
            BudgetEventRecord(
                id: try row.get("id"), period: try row.get("period"), periodStart: try row.get("period_start"),
                kind: try row.get("kind"), spentMicros: try row.get("spent_micros"), budgetMicros: try row.get("budget_micros"),
                createdAt: try row.date("created_at"))
        }
    }

    public func usageBreakdown(since: Date) async throws -> UsageBreakdown {
        let totals = """
            COALESCE(SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END), 0)::BIGINT AS requests, COUNT(*) AS attempts,
            COALESCE(SUM(prompt_tokens), 0)::BIGINT AS prompt_tokens,
            COALESCE(SUM(completion_tokens), 0)::BIGINT AS completion_tokens,
            COALESCE(SUM(cost_micros), 0)::BIGINT AS cost_micros
            """
        let from = since.epochMillis
        func totalsOf(_ row: PostgresRandomAccessRow, key: String, provider: String?, model: String?) throws -> UsageGroupTotals {
            UsageGroupTotals(
                key: key, provider: provider, model: model, requests: try row.get("requests"), attempts: try row.get("attempts"),
                promptTokens: try row.get("prompt_tokens"), completionTokens: try row.get("completion_tokens"),
                costMicros: try row.get("cost_micros"))
        }
        let byProvider = try await readAll(
            """
            SELECT provider, \(unescaped: totals) FROM ai_usage_logs WHERE created_at >= \(from)
            GROUP BY provider ORDER BY cost_micros DESC, provider
            """
        ).map { row in
            let provider: String = try row.get("provider")
            return try totalsOf(row, key: provider, provider: provider, model: nil)
        }
        let byModel = try await readAll(
            """
            SELECT provider, model, \(unescaped: totals) FROM ai_usage_logs WHERE created_at >= \(from)
            GROUP BY provider, model ORDER BY cost_micros DESC, provider, model
            """
        ).map { row in
            let provider: String = try row.get("provider")
            let model: String = try row.get("model")
            return try totalsOf(row, key: "\(provider)/\(model)", provider: provider, model: model)
        }
        let byDay = try await readAll(
            """
            SELECT to_char(to_timestamp(\(unescaped: UsageBreakdown.clampedMillis(atLeast: "GREATEST", atMost: "LEAST")) / 1000)
                AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, \(unescaped: totals)
            FROM ai_usage_logs WHERE created_at >= \(from) GROUP BY day ORDER BY day
            """
        ).map { row in try totalsOf(row, key: try row.get("day"), provider: nil, model: nil) }
        return UsageBreakdown(byProvider: byProvider, byModel: byModel, byDay: byDay)
    }
}
