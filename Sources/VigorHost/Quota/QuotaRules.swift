import Foundation
import GRDB
import Synchronization

/// The period keys an attempt is counted under, fixed when it is reserved, so a request
/// that straddles midnight is settled against the periods it was reserved in.
struct PeriodKeys: Sendable {
    var day: String
    var week: String
    var month: String
    var ends: [String: Date]

    /// The keys of the current UTC day, which are those of every instant in it (weeks and
    /// months start on day boundaries): computed once a day instead of six calendar
    /// computations per reservation.
    private static let today = Mutex<(from: Date, until: Date, keys: PeriodKeys)?>(nil)

    init(_ now: Date) {
        if let keys = Self.today.withLock({ cached in cached.flatMap { now >= $0.from && now < $0.until ? $0.keys : nil } }) {
            self = keys
            return
        }
        self.init(computing: now)
        let day = (from: UsagePeriod.day.start(containing: now), until: UsagePeriod.day.end(containing: now), keys: self)
        Self.today.withLock { $0 = day }
    }

    private init(computing now: Date) {
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
            throw refusal(period, used: 0, n: n, limits, keys, now)
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
                throw refusal(period, used: current ?? 0, n: n, limits, keys, now)
            }
            let status = RateLimitStatus(
                name: "requests_per_\(period)", limit: limit(period), remaining: max(0, limit(period) - count),
                resetSeconds: keys.secondsToEnd(period, from: now))
            if tightest == nil || status.remaining < tightest!.remaining { tightest = status }
        }
        return tightest ?? RateLimitStatus(name: "requests_per_day", limit: 0, remaining: 0, resetSeconds: 0)
    }

    /// Why `period` refused the attempt: its request count, else the monthly budget.
    private static func refusal(_ period: String, used: Int, n: Int, _ limits: QuotaLimits, _ keys: PeriodKeys, _ now: Date) -> QuotaRefusal
    {
        let tier = limits.tier
        let requestLimit = tier.requestLimit(for: UsagePeriod(rawValue: period) ?? .day)
        let wait = keys.secondsToEnd(period, from: now)
        if Money.adding(Int64(used), Int64(n)) > Int64(requestLimit) {
            return QuotaRefusal(
                scope: .user, limit: "requests_per_\(period)",
                message: "the \(tier.name) tier allows \(requestLimit) AI requests per \(period); resets in \(wait) s",
                retryAfterSeconds: wait)
        }
        return QuotaRefusal(
            scope: .user, limit: "monthly_budget",
            message:
                "the \(tier.name) tier's monthly AI budget of $\(Money.dollars(tier.monthlyBudgetMicros)) is used up; resets in \(wait) s",
            retryAfterSeconds: wait)
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

/// Integer micro-dollars: formatting, and the checked arithmetic every cost, budget and
/// limit computation uses (an amount an admin or a plugin sent can be any `Int64`; none of
/// these trap).
public enum Money {
    /// The largest amount a budget, cap, price or single charge may hold: 10^12 micro-dollars
    /// (USD 1 000 000). Inputs above it are refused with 422; a charge above it is clamped.
    public static let maxMicros: Int64 = 1_000_000_000_000

    /// `micros` within `0...maxMicros`.
    public static func clamp(_ micros: Int64) -> Int64 { min(max(micros, 0), maxMicros) }

    /// `percent`% of `micros`, rounded toward zero, for any `Int64` (percent clamped to 0...100).
    public static func share(_ percent: Int, of micros: Int64) -> Int64 {
        let p = Int64(min(max(percent, 0), 100))
        return micros / 100 * p + (micros % 100) * p / 100
    }

    /// `a + b`, saturating at `Int64.min`/`Int64.max`.
    public static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// `a - b`, saturating at `Int64.min`/`Int64.max`.
    public static func subtracting(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b < 0 ? .max : .min) : difference
    }

    /// The saturating sum of `values`.
    public static func sum(_ values: some Sequence<Int64>) -> Int64 { values.reduce(0, adding) }

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

    static let dropRequestIndexName = "v6-drop-usage-log-request-index"

    /// No query reads the usage log by request id, and the index on it cost every settle a
    /// B-tree insert at a random place (request ids are random): 15–25 µs per commit on a
    /// 200 000-row log in a Python sqlite3 measurement, growing with the log.
    static func dropRequestIndex(_ db: Database) throws {
        try db.execute(sql: "DROP INDEX IF EXISTS ai_usage_logs_request")
    }

    static let reservationRowidName = "v5-quota-reservations-rowid"

    /// `quota_reservations` without `AUTOINCREMENT`: its rows live for one request, so ids
    /// never need to stay unique across deletions, and `AUTOINCREMENT` cost every reservation
    /// an extra `sqlite_sequence` page write.
    static func applyReservationRowid(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE quota_reservations_next (
                    id INTEGER PRIMARY KEY,
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
                INSERT INTO quota_reservations_next SELECT * FROM quota_reservations;
                DROP TABLE quota_reservations;
                ALTER TABLE quota_reservations_next RENAME TO quota_reservations;
                DELETE FROM sqlite_sequence WHERE name = 'quota_reservations';
                """)
    }
}

extension AttemptCharge {
    /// The estimate the ledger reserves and later reconciles: ``estimatedCostMicros`` within
    /// `0...Money.maxMicros`, so no counter arithmetic can overflow.
    var reservedMicros: Int64 { Money.clamp(estimatedCostMicros) }
}

extension AttemptOutcome {
    /// The cost the ledger charges: ``costMicros`` within `0...Money.maxMicros`.
    var chargedMicros: Int64 { Money.clamp(costMicros) }
}
