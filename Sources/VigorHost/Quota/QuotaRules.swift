import Foundation
import Synchronization

// The quota rules, free of SQL: the periods an attempt counts under, the limits that apply
// to it, why a limit refuses it, and the amounts the ledger reserves and charges. The
// ledger's statements are in SQLiteQuotaLedger+Reserve.swift and SQLiteQuotaLedger.swift.

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

/// Every limit that applies to one attempt (read by the ledger inside its reservation transaction).
struct QuotaLimits: Sendable {
    var tier: TierRecord
    var providerCaps: [String: Int64]  // period → cap in micro-dollars
    var globalBudgets: [String: Int64]  // "week"/"month" → budget
    var alertPercent: Int
    var autoDisable: Bool
}

extension QuotaLimits {
    /// Why `period` refused the attempt: its request count, else the monthly budget.
    func userRefusal(_ period: String, used: Int, n: Int, _ keys: PeriodKeys, _ now: Date) -> QuotaRefusal {
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
    /// The limit's size (requests in the period).
    public var limit: Int
    /// Requests left in the period after this one.
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

extension AttemptCharge {
    /// The estimate the ledger reserves and later reconciles: ``estimatedCostMicros`` within
    /// `0...Money.maxMicros`, so no counter arithmetic can overflow.
    var reservedMicros: Int64 { Money.clamp(estimatedCostMicros) }
}

extension AttemptOutcome {
    /// The cost the ledger charges: ``costMicros`` within `0...Money.maxMicros`.
    var chargedMicros: Int64 { Money.clamp(costMicros) }
}
