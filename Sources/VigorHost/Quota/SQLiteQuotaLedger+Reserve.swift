import Foundation
import GRDB

extension SQLiteQuotaLedger {
    typealias Book = SQLiteLedgerBook

    /// The period names, by the index ``SQLiteLedgerBook/CounterKey/period`` uses.
    static let periodNames = ["day", "week", "month"]
    static let periods: [UsagePeriod] = [.day, .week, .month]
    /// The rate-limit names of the user's request limits, by period index.
    static let limitNames = ["requests_per_day", "requests_per_week", "requests_per_month"]

    /// What a reservation must read from the database before memory can decide it.
    struct Need: Sendable {
        var limits: Bool
        var counters: Bool
        var generation: UInt64
        var epoch: UInt64
    }

    /// What was read for a ``Need``.
    struct Loaded: Sendable {
        var need: Need
        var tier: TierRecord?
        var caps: [String: Int64] = [:]
        var budget = Book.Budget(budgets: [:], alertPercent: 80, autoDisable: true)
        /// Settled requests and cost by counter index (0–2 user, 3–5 provider, 6–8 global); absent rows are 0.
        var counters: [Int: (requests: Int64, cost: Int64)] = [:]
    }

    /// A reservation decided in memory, or what to read first.
    enum Step: Sendable {
        case reserved(Reservation, [BudgetAlert])
        case load(Need)
    }

    /// The nine counters an attempt is charged on: the user's (0–2), the provider's (3–5) and
    /// the global ones (6–8), for day, week and month.
    static func counterKeys(_ charge: AttemptCharge, _ keys: PeriodKeys) -> [Book.CounterKey] {
        let starts = [keys.day, keys.week, keys.month]
        var out: [Book.CounterKey] = []
        out.reserveCapacity(9)
        for scope in [Book.Scope.user(charge.userID), .provider(charge.provider), .global] {
            for period in 0..<3 { out.append(Book.CounterKey(scope: scope, period: period, start: starts[period])) }
        }
        return out
    }

    /// Decides one reservation under the book's lock: installs `loaded` first (if given), then
    /// either asks for what is missing or stale, refuses (throws ``QuotaRefusal``), or moves the
    /// attempt's request and estimate into flight on all nine counters.
    func decide(_ charge: AttemptCharge, _ keys: PeriodKeys, _ counters: [Book.CounterKey], _ now: Date, loaded: Loaded?) throws -> Step {
        let capsKey = charge.provider + "\u{0}" + charge.model
        let ledgerID = self.ledgerID
        return try book.state.withLock { s throws -> Step in
            if let loaded { Self.install(loaded, &s, charge.userID, capsKey, counters, now) }
            let tierEntry = s.tiers[charge.userID]
            let capsEntry = s.caps[capsKey]
            let limitsFresh = s.fresh(tierEntry, now) && s.fresh(capsEntry, now) && s.fresh(s.budget, now)
            // Each counter is looked up once: its index serves the check and the update below
            // (nothing is added to or removed from the table in between).
            var slots: [Dictionary<Book.CounterKey, Book.Counter>.Index] = []
            slots.reserveCapacity(counters.count)
            for key in counters {
                guard let slot = s.counters.index(forKey: key), !Book.State.stale(s.counters.values[slot], now) else { break }
                slots.append(slot)
            }
            let countersFresh = slots.count == counters.count
            guard limitsFresh, countersFresh, let tierEntry, let capsEntry, let budget = s.budget?.value else {
                return .load(Need(limits: !limitsFresh, counters: !countersFresh, generation: s.generation, epoch: s.epoch))
            }
            guard let tier = tierEntry.value else { throw QuotaRefusal.noAccount }
            let limits = QuotaLimits(
                tier: tier, providerCaps: capsEntry.value, globalBudgets: budget.budgets, alertPercent: budget.alertPercent,
                autoDisable: budget.autoDisable)
            let current = slots.map { s.counters.values[$0] }
            let (status, alerts) = try Self.check(charge, limits, current, keys, now)
            let n: Int64 = charge.countsRequest ? 1 : 0
            let cost = charge.reservedMicros
            for (index, slot) in slots.enumerated() {
                var counter = current[index]
                if index < 3 { counter.flightRequests = Money.adding(counter.flightRequests, n) }
                counter.flightCost = Money.adding(counter.flightCost, cost)
                counter.holds += 1
                counter.touched = now
                s.counters.values[slot] = counter
            }
            let id = s.nextID
            s.nextID += 1
            s.flights[id] = Book.InFlight(ledger: ledgerID, keys: counters, requests: n, cost: cost)
            s.sinceSweep += 1
            if s.sinceSweep >= Book.sweepEvery { s.sweep(now, current: [keys.day, keys.week, keys.month]) }
            var reservation = Reservation(charge: charge, periods: keys.all, reservedAtMs: now.epochMillis, rateLimit: status)
            reservation.pendingID = id
            return .reserved(reservation, alerts)
        }
    }

    /// Every limit against the counters as they stand (settled + in flight), in the order the
    /// refusals are named: the user's periods (requests, then the monthly budget), the
    /// provider's caps, the global budgets. Returns the tightest request limit after this
    /// attempt and the global-budget alert thresholds it crosses.
    static func check(_ charge: AttemptCharge, _ limits: QuotaLimits, _ c: [Book.Counter], _ keys: PeriodKeys, _ now: Date) throws
        -> (RateLimitStatus, [BudgetAlert])
    {
        let n: Int64 = charge.countsRequest ? 1 : 0
        let cost = charge.reservedMicros
        var tightest: RateLimitStatus?
        for period in 0..<3 {
            let limit = limits.tier.requestLimit(for: periods[period])
            let after = Money.adding(c[period].requests, n)
            if after > Int64(limit) || (period == 2 && Money.adding(c[period].cost, cost) > limits.tier.monthlyBudgetMicros) {
                throw limits.userRefusal(periodNames[period], used: Int(clamping: c[period].requests), n: Int(n), keys, now)
            }
            let status = RateLimitStatus(
                name: limitNames[period], limit: limit, remaining: Int(clamping: max(0, Int64(limit) - after)),
                resetSeconds: keys.secondsToEnd(periodNames[period], from: now))
            if tightest.map({ status.remaining < $0.remaining }) ?? true { tightest = status }
        }
        // Most providers have no caps and most hosts no global budget: no lookups then.
        for period in 0..<3 where !limits.providerCaps.isEmpty {
            guard let cap = limits.providerCaps[periodNames[period]], Money.adding(c[3 + period].cost, cost) > cap else { continue }
            throw QuotaRefusal.providerCap(charge.provider, period: periodNames[period], cap: cap, keys, now)
        }
        var alerts: [BudgetAlert] = []
        for period in 0..<3 where !limits.globalBudgets.isEmpty {
            guard let budget = limits.globalBudgets[periodNames[period]] else { continue }
            let before = c[6 + period].cost
            let after = Money.adding(before, cost)
            if limits.autoDisable, after > budget {
                throw QuotaRefusal.globalBudget(period: periodNames[period], budget: budget, keys, now)
            }
            let threshold = Money.share(limits.alertPercent, of: budget)
            if before < threshold, after >= threshold {
                alerts.append(BudgetAlert(period: periodNames[period], spentMicros: after, budgetMicros: budget))
            }
        }
        return (tightest ?? RateLimitStatus(name: "requests_per_day", limit: 0, remaining: 0, resetSeconds: 0), alerts)
    }

    /// Puts what was read into the book: limits stamped with the generation they were read
    /// under (stale at once if a change came meanwhile), counters only where memory still needs
    /// them and no entry was dropped since the read began.
    static func install(
        _ loaded: Loaded, _ s: inout Book.State, _ userID: Int64, _ capsKey: String, _ counters: [Book.CounterKey], _ now: Date
    ) {
        let need = loaded.need
        if need.limits {
            s.tiers[userID] = Book.Cached(value: loaded.tier, loadedAt: now, generation: need.generation)
            s.caps[capsKey] = Book.Cached(value: loaded.caps, loadedAt: now, generation: need.generation)
            s.budget = Book.Cached(value: loaded.budget, loadedAt: now, generation: need.generation)
        }
        guard need.counters, need.epoch == s.epoch else { return }
        for (index, key) in counters.enumerated() where s.needsLoad(key, now) {
            let row = loaded.counters[index] ?? (0, 0)
            s.counters[key] = Book.Counter(settledRequests: row.requests, settledCost: row.cost, touched: now)
        }
    }

    /// Reads what `need` asks for, in one read transaction.
    static func load(_ db: Database, _ need: Need, _ charge: AttemptCharge, _ keys: PeriodKeys) throws -> Loaded {
        var loaded = Loaded(need: need)
        if need.limits { try loadLimits(db, charge, &loaded) }
        if need.counters { try loadCounters(db, charge, keys, &loaded) }
        return loaded
    }

    /// The user's tier (nil without an account or tier), the provider's caps (a model-specific
    /// rule overrides the provider-wide one, cap by cap) and the global budget settings.
    static func loadLimits(_ db: Database, _ charge: AttemptCharge, _ loaded: inout Loaded) throws {
        try LedgerStatement(
            db,
            """
            SELECT t.name, t.requests_per_day, t.requests_per_week, t.requests_per_month, t.monthly_budget_micros,
                t.price_micros
            FROM users u JOIN tiers t ON t.name = u.tier WHERE u.id = ?
            """
        ).run([.int(charge.userID)]) { row in
            loaded.tier = TierRecord(
                name: row.text(0), requestsPerDay: Int(clamping: row.int(1)), requestsPerWeek: Int(clamping: row.int(2)),
                requestsPerMonth: Int(clamping: row.int(3)), monthlyBudgetMicros: row.int(4), priceMicros: row.int(5))
        }
        try LedgerStatement(
            db,
            """
            SELECT daily_cap_micros, weekly_cap_micros, monthly_cap_micros FROM provider_priorities
            WHERE provider = ? AND (model = '' OR model = ?) ORDER BY model = '' DESC
            """
        ).run([.text(charge.provider), .text(charge.model)]) { row in
            if let v = row.optionalInt(0) { loaded.caps["day"] = v }
            if let v = row.optionalInt(1) { loaded.caps["week"] = v }
            if let v = row.optionalInt(2) { loaded.caps["month"] = v }
        }
        try LedgerStatement(
            db,
            """
            SELECT weekly_budget_micros, monthly_budget_micros, alert_threshold_percent, auto_disable
            FROM budget_settings WHERE id = 1
            """
        ).run([]) { row in
            if let v = row.optionalInt(0) { loaded.budget.budgets["week"] = v }
            if let v = row.optionalInt(1) { loaded.budget.budgets["month"] = v }
            loaded.budget.alertPercent = Int(clamping: row.int(2))
            loaded.budget.autoDisable = row.int(3) != 0
        }
    }

    /// The settled counters of the nine rows an attempt is charged on.
    static func loadCounters(_ db: Database, _ charge: AttemptCharge, _ keys: PeriodKeys, _ loaded: inout Loaded) throws {
        let periods: [LedgerStatement.Value] = [.text(keys.day), .text(keys.week), .text(keys.month)]
        try LedgerStatement(
            db,
            """
            SELECT k.column1, c.requests, c.cost_micros FROM (VALUES (0, 'day', ?), (1, 'week', ?), (2, 'month', ?)) AS k
            JOIN usage_counters c ON c.user_id = ? AND c.period = k.column2 AND c.period_start = k.column3
            """
        ).run(periods + [.int(charge.userID)]) { row in loaded.counters[Int(row.int(0))] = (row.int(1), row.int(2)) }
        try LedgerStatement(
            db,
            """
            SELECT k.column1, c.cost_micros FROM (VALUES (3, 'day', ?), (4, 'week', ?), (5, 'month', ?)) AS k
            JOIN provider_usage c ON c.provider = ? AND c.period = k.column2 AND c.period_start = k.column3
            """
        ).run(periods + [.text(charge.provider)]) { row in loaded.counters[Int(row.int(0))] = (0, row.int(1)) }
        try LedgerStatement(
            db,
            """
            SELECT k.column1, c.cost_micros FROM (VALUES (6, 'day', ?), (7, 'week', ?), (8, 'month', ?)) AS k
            JOIN global_usage c ON c.period = k.column2 AND c.period_start = k.column3
            """
        ).run(periods) { row in loaded.counters[Int(row.int(0))] = (0, row.int(1)) }
        // The usage-log entries not yet folded into those rows, read in the same transaction.
        let tail = try SQLiteLedgerFold.tail(db)
        guard !tail.isEmpty else { return }
        let starts = [keys.day, keys.week, keys.month]
        func add(_ index: Int, requests: Int64, cost: Int64) {
            guard requests != 0 || cost != 0 else { return }
            let row = loaded.counters[index] ?? (0, 0)
            loaded.counters[index] = (Money.adding(row.requests, requests), Money.adding(row.cost, cost))
        }
        for period in 0..<3 {
            let user = tail.user(charge.userID, period: period, start: starts[period])
            add(period, requests: user.requests, cost: user.cost)
            add(3 + period, requests: 0, cost: tail.provider(charge.provider, period: period, start: starts[period]))
            add(6 + period, requests: 0, cost: tail.global(period: period, start: starts[period]))
        }
    }
}
