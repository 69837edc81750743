import Foundation
import GRDB

extension QuotaLimits {
    /// Reads every limit that applies to one attempt, inside the reservation transaction.
    static func load(_ db: Database, userID: Int64, provider: String, model: String) throws -> QuotaLimits {
        var tier: TierRecord?
        try LedgerStatement(
            db,
            """
            SELECT t.name, t.requests_per_day, t.requests_per_week, t.requests_per_month, t.monthly_budget_micros,
                t.price_micros
            FROM users u JOIN tiers t ON t.name = u.tier WHERE u.id = ?
            """
        ).run([.int(userID)]) { row in
            tier = TierRecord(
                name: row.text(0), requestsPerDay: Int(row.int(1)), requestsPerWeek: Int(row.int(2)),
                requestsPerMonth: Int(row.int(3)), monthlyBudgetMicros: row.int(4), priceMicros: row.int(5))
        }
        guard let tier else {
            throw QuotaRefusal(scope: .user, limit: "account", message: "no account or tier for this user", retryAfterSeconds: 3600)
        }
        var caps: [String: Int64] = [:]
        // A model-specific rule overrides the provider-wide one.
        try LedgerStatement(
            db,
            """
            SELECT daily_cap_micros, weekly_cap_micros, monthly_cap_micros FROM provider_priorities
            WHERE provider = ? AND (model = '' OR model = ?) ORDER BY model = '' DESC
            """
        ).run([.text(provider), .text(model)]) { row in
            if let v = row.optionalInt(0) { caps["day"] = v }
            if let v = row.optionalInt(1) { caps["week"] = v }
            if let v = row.optionalInt(2) { caps["month"] = v }
        }
        var budgets: [String: Int64] = [:]
        var alert = 80
        var autoDisable = true
        try LedgerStatement(
            db,
            """
            SELECT weekly_budget_micros, monthly_budget_micros, alert_threshold_percent, auto_disable
            FROM budget_settings WHERE id = 1
            """
        ).run([]) { row in
            if let v = row.optionalInt(0) { budgets["week"] = v }
            if let v = row.optionalInt(1) { budgets["month"] = v }
            alert = Int(row.int(2))
            autoDisable = row.int(3) != 0
        }
        return QuotaLimits(tier: tier, providerCaps: caps, globalBudgets: budgets, alertPercent: alert, autoDisable: autoDisable)
    }
}

extension SQLiteQuotaLedger {
    /// Reserves one request in each period and the estimated cost in the monthly budget:
    /// one conditional upsert for the three periods. A period whose limit would be passed
    /// is not updated and so not returned; the caller's savepoint then undoes the others.
    static func reserveUser(_ db: Database, _ charge: AttemptCharge, _ limits: QuotaLimits, _ keys: PeriodKeys, _ now: Date) throws
        -> RateLimitStatus
    {
        let n = charge.countsRequest ? 1 : 0
        let cost = charge.reservedMicros
        let tier = limits.tier
        let limit = { (period: String) in tier.requestLimit(for: UsagePeriod(rawValue: period) ?? .day) }
        let monthBudget = tier.monthlyBudgetMicros
        // A first row is inserted without the update's check, so an attempt that could never
        // fit (a zero limit) is refused before any write.
        for (period, _) in keys.userPeriods where n > limit(period) || (period == "month" && cost > monthBudget) {
            throw limits.userRefusal(period, used: 0, n: n, keys, now)
        }
        var used: [String: Int] = [:]
        try LedgerStatement(
            db,
            """
            INSERT INTO usage_counters (user_id, period, period_start, requests, cost_micros)
            VALUES (?, 'day', ?, ?, ?), (?, 'week', ?, ?, ?), (?, 'month', ?, ?, ?)
            ON CONFLICT (user_id, period, period_start) DO UPDATE
            SET requests = requests + excluded.requests,
                cost_micros = MIN(cost_micros + excluded.cost_micros, 9223372036854775807)
            WHERE requests + excluded.requests <= (CASE excluded.period WHEN 'day' THEN ? WHEN 'week' THEN ? ELSE ? END)
                AND cost_micros + excluded.cost_micros <= (CASE excluded.period WHEN 'month' THEN ? ELSE 9223372036854775807 END)
            RETURNING period, requests
            """
        ).run([
            .int(charge.userID), .text(keys.day), .int(n), .int(cost), .int(charge.userID), .text(keys.week), .int(n), .int(cost),
            .int(charge.userID), .text(keys.month), .int(n), .int(cost),
            .int(limit("day")), .int(limit("week")), .int(limit("month")), .int(monthBudget),
        ]) { row in used[row.text(0)] = Int(row.int(1)) }
        var tightest: RateLimitStatus?
        for (period, start) in keys.userPeriods {
            guard let count = used[period] else {
                let current = try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT requests FROM usage_counters WHERE user_id = ? AND period = ? AND period_start = ?"),
                    arguments: [charge.userID, period, start])
                throw limits.userRefusal(period, used: current ?? 0, n: n, keys, now)
            }
            let status = RateLimitStatus(
                name: "requests_per_\(period)", limit: limit(period), remaining: max(0, limit(period) - count),
                resetSeconds: keys.secondsToEnd(period, from: now))
            if tightest == nil || status.remaining < tightest!.remaining { tightest = status }
        }
        return tightest ?? RateLimitStatus(name: "requests_per_day", limit: 0, remaining: 0, resetSeconds: 0)
    }

    /// Reserves the estimated cost under the provider's caps (a refusal moves on to the next provider).
    static func reserveProvider(_ db: Database, _ charge: AttemptCharge, _ limits: QuotaLimits, _ keys: PeriodKeys, _ now: Date) throws {
        let cost = charge.reservedMicros
        var spent: [String: Int64] = [:]
        try LedgerStatement(
            db,
            """
            INSERT INTO provider_usage (provider, period, period_start, cost_micros)
            VALUES (?, 'day', ?, ?), (?, 'week', ?, ?), (?, 'month', ?, ?)
            ON CONFLICT (provider, period, period_start) DO UPDATE
            SET cost_micros = MIN(cost_micros + excluded.cost_micros, 9223372036854775807)
            RETURNING period, cost_micros
            """
        ).run([
            .text(charge.provider), .text(keys.day), .int(cost), .text(charge.provider), .text(keys.week), .int(cost),
            .text(charge.provider), .text(keys.month), .int(cost),
        ]) { row in spent[row.text(0)] = row.int(1) }
        for (period, _) in keys.userPeriods {
            guard let cap = limits.providerCaps[period], let total = spent[period], total > cap else { continue }
            throw QuotaRefusal(
                scope: .provider, limit: "provider_\(period)_cap",
                message: "\(charge.provider) reached its \(period) cost cap of $\(Money.dollars(cap))",
                retryAfterSeconds: keys.secondsToEnd(period, from: now))
        }
    }

    /// Reserves the estimated cost in the global budgets; returns alerts for thresholds crossed.
    static func reserveGlobal(_ db: Database, _ charge: AttemptCharge, _ limits: QuotaLimits, _ keys: PeriodKeys, _ now: Date) throws
        -> [BudgetAlert]
    {
        let cost = charge.reservedMicros
        var spent: [String: Int64] = [:]
        try LedgerStatement(
            db,
            """
            INSERT INTO global_usage (period, period_start, cost_micros) VALUES ('day', ?, ?), ('week', ?, ?), ('month', ?, ?)
            ON CONFLICT (period, period_start) DO UPDATE
            SET cost_micros = MIN(cost_micros + excluded.cost_micros, 9223372036854775807)
            RETURNING period, cost_micros
            """
        ).run([.text(keys.day), .int(cost), .text(keys.week), .int(cost), .text(keys.month), .int(cost)]) { row in
            spent[row.text(0)] = row.int(1)
        }
        var alerts: [BudgetAlert] = []
        for (period, start) in keys.userPeriods {
            guard let budget = limits.globalBudgets[period], let after = spent[period] else { continue }
            let before = Money.subtracting(after, cost)
            if limits.autoDisable, after > budget {
                throw QuotaRefusal(
                    scope: .global, limit: "global_\(period)ly_budget",
                    message: "the global \(period)ly AI budget of $\(Money.dollars(budget)) is exhausted; AI is disabled until it resets",
                    retryAfterSeconds: keys.secondsToEnd(period, from: now))
            }
            let threshold = Money.share(limits.alertPercent, of: budget)
            if before < threshold, after >= threshold {
                alerts.append(BudgetAlert(period: period, spentMicros: after, budgetMicros: budget))
                try db.cachedStatement(
                    sql:
                        "INSERT INTO budget_events (period, period_start, kind, spent_micros, budget_micros, created_at) VALUES (?, ?, 'alert', ?, ?, ?)"
                ).execute(arguments: [period, start, after, budget, now.epochMillis])
            }
        }
        return alerts
    }
}
