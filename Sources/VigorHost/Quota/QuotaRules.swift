import Foundation
import GRDB

/// The period keys an attempt is counted under, fixed when it is reserved, so a request
/// that straddles midnight is settled against the periods it was reserved in.
struct PeriodKeys: Sendable {
    var day: String
    var week: String
    var month: String
    var ends: [String: Date]

    init(_ now: Date) {
        day = UsagePeriod.day.key(containing: now)
        week = UsagePeriod.week.key(containing: now)
        month = UsagePeriod.month.key(containing: now)
        ends = Dictionary(uniqueKeysWithValues: UsagePeriod.allCases.map { ($0.rawValue, $0.end(containing: now)) })
    }

    init?(stored: [String]) {
        guard stored.count == 3 else { return nil }
        day = stored[0]
        week = stored[1]
        month = stored[2]
        ends = [:]
    }

    var all: [String] { [day, week, month] }
    var userPeriods: [(String, String)] { [("day", day), ("week", week), ("month", month)] }

    func secondsToEnd(_ period: String, from now: Date) -> Int {
        max(1, Int((ends[period] ?? now).timeIntervalSince(now).rounded(.up)))
    }
}

/// Every limit that applies to one attempt, read inside the reservation transaction.
struct QuotaLimits: Sendable {
    var tier: TierRecord
    var providerCaps: [String: Int64]  // period → cap in micro-dollars
    var globalBudgets: [String: Int64]  // "week"/"month" → budget
    var alertPercent: Int
    var autoDisable: Bool

    static func load(_ db: Database, userID: Int64, provider: String, model: String) throws -> QuotaLimits {
        guard
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT t.name, t.requests_per_day, t.requests_per_week, t.requests_per_month, t.monthly_budget_micros,
                        t.price_micros
                    FROM users u JOIN tiers t ON t.name = u.tier WHERE u.id = ?
                    """), arguments: [userID])
        else {
            throw QuotaRefusal(scope: .user, limit: "account", message: "no account or tier for this user", retryAfterSeconds: 3600)
        }
        let tier = TierRecord(
            name: row["name"], requestsPerDay: row["requests_per_day"], requestsPerWeek: row["requests_per_week"],
            requestsPerMonth: row["requests_per_month"], monthlyBudgetMicros: row["monthly_budget_micros"],
            priceMicros: row["price_micros"])
        var caps: [String: Int64] = [:]
        // A model-specific rule overrides the provider-wide one.
        let capRows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT model, daily_cap_micros, weekly_cap_micros, monthly_cap_micros FROM provider_priorities
                WHERE provider = ? AND (model = '' OR model = ?) ORDER BY model = '' DESC
                """), arguments: [provider, model])
        for capRow in capRows {
            if let v: Int64 = capRow["daily_cap_micros"] { caps["day"] = v }
            if let v: Int64 = capRow["weekly_cap_micros"] { caps["week"] = v }
            if let v: Int64 = capRow["monthly_cap_micros"] { caps["month"] = v }
        }
        var budgets: [String: Int64] = [:]
        var alert = 80
        var autoDisable = true
        if let budget = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM budget_settings WHERE id = 1")) {
            if let v: Int64 = budget["weekly_budget_micros"] { budgets["week"] = v }
            if let v: Int64 = budget["monthly_budget_micros"] { budgets["month"] = v }
            alert = budget["alert_threshold_percent"]
            autoDisable = budget["auto_disable"]
        }
        return QuotaLimits(tier: tier, providerCaps: caps, globalBudgets: budgets, alertPercent: alert, autoDisable: autoDisable)
    }
}

/// A global budget crossing its alert threshold.
struct BudgetAlert: Sendable {
    var period: String
    var spentMicros: Int64
    var budgetMicros: Int64
}

/// The tightest of the user's limits after a reservation, for `X-RateLimit-*` headers.
public struct RateLimitStatus: Sendable, Hashable {
    /// e.g. `requests_per_day`.
    public var name: String
    public var limit: Int
    public var remaining: Int
    /// Seconds until the period resets.
    public var resetSeconds: Int

    public init(name: String, limit: Int, remaining: Int, resetSeconds: Int) {
        self.name = name
        self.limit = limit
        self.remaining = remaining
        self.resetSeconds = resetSeconds
    }
}

extension SQLiteQuotaLedger {
    /// Reserves one request in each period and the estimated cost in the monthly budget.
    static func reserveUser(_ db: Database, _ charge: AttemptCharge, _ limits: QuotaLimits, _ keys: PeriodKeys, _ now: Date) throws -> RateLimitStatus {
        var tightest: RateLimitStatus?
        for (period, start) in keys.userPeriods {
            let requestLimit = limits.tier.requestLimit(for: UsagePeriod(rawValue: period) ?? .day)
            let budget: Int64 = period == "month" ? limits.tier.monthlyBudgetMicros : Int64.max
            try db.cachedStatement(sql: """
                    INSERT INTO usage_counters (user_id, period, period_start, requests, cost_micros) VALUES (?, ?, ?, 0, 0)
                    ON CONFLICT (user_id, period, period_start) DO NOTHING
                    """).execute(arguments: [charge.userID, period, start])
            let n = charge.countsRequest ? 1 : 0
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                    UPDATE usage_counters SET requests = requests + ?, cost_micros = cost_micros + ?
                    WHERE user_id = ? AND period = ? AND period_start = ? AND requests + ? <= ? AND cost_micros + ? <= ?
                    RETURNING requests, cost_micros
                    """), arguments: [n, charge.estimatedCostMicros, charge.userID, period, start, n, requestLimit, charge.estimatedCostMicros, budget])
            guard let row else {
                let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT requests FROM usage_counters WHERE user_id = ? AND period = ? AND period_start = ?"), arguments: [charge.userID, period, start])
                let used: Int = current?["requests"] ?? 0
                let wait = keys.secondsToEnd(period, from: now)
                if used + n > requestLimit {
                    throw QuotaRefusal(
                        scope: .user, limit: "requests_per_\(period)",
                        message: "the \(limits.tier.name) tier allows \(requestLimit) AI requests per \(period); resets in \(wait) s",
                        retryAfterSeconds: wait)
                }
                throw QuotaRefusal(
                    scope: .user, limit: "monthly_budget",
                    message: "the \(limits.tier.name) tier's monthly AI budget of $\(Money.dollars(budget)) is used up; resets in \(wait) s",
                    retryAfterSeconds: wait)
            }
            let used: Int = row["requests"]
            let status = RateLimitStatus(
                name: "requests_per_\(period)", limit: requestLimit, remaining: max(0, requestLimit - used),
                resetSeconds: keys.secondsToEnd(period, from: now))
            if tightest == nil || status.remaining < tightest!.remaining { tightest = status }
        }
        return tightest ?? RateLimitStatus(name: "requests_per_day", limit: 0, remaining: 0, resetSeconds: 0)
    }

    /// Reserves the estimated cost under the provider's caps (a refusal moves on to the next provider).
    static func reserveProvider(_ db: Database, _ charge: AttemptCharge, _ limits: QuotaLimits, _ keys: PeriodKeys, _ now: Date) throws {
        for (period, start) in keys.userPeriods {
            try db.cachedStatement(sql: """
                    INSERT INTO provider_usage (provider, period, period_start, cost_micros) VALUES (?, ?, ?, ?)
                    ON CONFLICT (provider, period, period_start) DO UPDATE SET cost_micros = cost_micros + excluded.cost_micros
                    """).execute(arguments: [charge.provider, period, start, charge.estimatedCostMicros])
            guard let cap = limits.providerCaps[period] else { continue }
            let spent = try Int64.fetchOne(db.cachedStatement(sql: "SELECT cost_micros FROM provider_usage WHERE provider = ? AND period = ? AND period_start = ?"), arguments: [charge.provider, period, start]) ?? 0
            if spent > cap {
                throw QuotaRefusal(
                    scope: .provider, limit: "provider_\(period)_cap",
                    message: "\(charge.provider) reached its \(period) cost cap of $\(Money.dollars(cap))",
                    retryAfterSeconds: keys.secondsToEnd(period, from: now))
            }
        }
    }

    /// Reserves the estimated cost in the global budgets; returns alerts for thresholds crossed.
    static func reserveGlobal(_ db: Database, _ charge: AttemptCharge, _ limits: QuotaLimits, _ keys: PeriodKeys, _ now: Date) throws -> [BudgetAlert] {
        var alerts: [BudgetAlert] = []
        for (period, start) in keys.userPeriods {
            let before = try Int64.fetchOne(db.cachedStatement(sql: "SELECT cost_micros FROM global_usage WHERE period = ? AND period_start = ?"), arguments: [period, start]) ?? 0
            let after = before + charge.estimatedCostMicros
            try db.cachedStatement(sql: """
                    INSERT INTO global_usage (period, period_start, cost_micros) VALUES (?, ?, ?)
                    ON CONFLICT (period, period_start) DO UPDATE SET cost_micros = excluded.cost_micros
                    """).execute(arguments: [period, start, after])
            guard let budget = limits.globalBudgets[period] else { continue }
            if limits.autoDisable, after > budget {
                throw QuotaRefusal(
                    scope: .global, limit: "global_\(period)ly_budget",
                    message: "the global \(period)ly AI budget of $\(Money.dollars(budget)) is exhausted; AI is disabled until it resets",
                    retryAfterSeconds: keys.secondsToEnd(period, from: now))
            }
            let threshold = budget * Int64(limits.alertPercent) / 100
            if before < threshold, after >= threshold {
                alerts.append(BudgetAlert(period: period, spentMicros: after, budgetMicros: budget))
                try db.cachedStatement(sql: "INSERT INTO budget_events (period, period_start, kind, spent_micros, budget_micros, created_at) VALUES (?, ?, 'alert', ?, ?, ?)").execute(arguments: [period, start, after, budget, now.epochMillis])
            }
        }
        return alerts
    }
}

/// Formatting of integer micro-dollars.
public enum Money {
    /// `1234567` → `"1.23"` (rounded to cents for messages).
    public static func dollars(_ micros: Int64) -> String {
        String(format: "%.2f", Double(micros) / 1_000_000)
    }
}

/// The tables the ledger needs beyond the usage counters (migration `v2-quota-ledger`).
enum QuotaMigration {
    static let name = "v2-quota-ledger"

    static func apply(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE provider_usage (
                    provider TEXT NOT NULL,
                    period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
                    period_start TEXT NOT NULL,
                    cost_micros INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (provider, period, period_start)
                );
                CREATE TABLE global_usage (
                    period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
                    period_start TEXT NOT NULL,
                    cost_micros INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (period, period_start)
                );
                CREATE TABLE budget_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    period TEXT NOT NULL,
                    period_start TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    spent_micros INTEGER NOT NULL,
                    budget_micros INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX ai_usage_logs_request ON ai_usage_logs(request_id);
                """)
    }

    static let pendingName = "v4-quota-pending-reservations"

    /// Reservations in flight, written and deleted in the same transactions as the counters,
    /// so a host that dies mid-request leaves a record the next start releases.
    static func applyPending(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE quota_reservations (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    instance TEXT NOT NULL,
                    user_id INTEGER NOT NULL,
                    request_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL,
                    periods TEXT NOT NULL,
                    estimated_cost_micros INTEGER NOT NULL,
                    counts_request INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                );
                """)
    }
}
