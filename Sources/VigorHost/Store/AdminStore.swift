import Foundation

/// The global AI budget settings (one row). Money in integer micro-dollars.
public struct BudgetSettings: Sendable, Hashable {
    /// `nil` = no weekly budget.
    public var weeklyBudgetMicros: Int64?
    /// `nil` = no monthly budget.
    public var monthlyBudgetMicros: Int64?
    /// A `budget_events` alert is recorded when spend crosses this share of a budget.
    public var alertThresholdPercent: Int
    /// Refuse AI requests (503 `budget_exhausted`) once a budget is exceeded.
    public var autoDisable: Bool
    public var updatedAt: Date?

    public init(
        weeklyBudgetMicros: Int64? = nil, monthlyBudgetMicros: Int64? = nil, alertThresholdPercent: Int = 80,
        autoDisable: Bool = true, updatedAt: Date? = nil
    ) {
        self.weeklyBudgetMicros = weeklyBudgetMicros
        self.monthlyBudgetMicros = monthlyBudgetMicros
        self.alertThresholdPercent = alertThresholdPercent
        self.autoDisable = autoDisable
        self.updatedAt = updatedAt
    }
}

/// One recorded budget event (an alert threshold crossed, ...).
public struct BudgetEventRecord: Sendable, Hashable {
    public var id: Int64
    public var period: String
    public var periodStart: String
    /// `alert`, ...
    public var kind: String
    public var spentMicros: Int64
    public var budgetMicros: Int64
    public var createdAt: Date
}

/// Spend of one period (the period containing "now").
public struct PeriodSpend: Sendable, Hashable {
    public var period: UsagePeriod
    public var periodStart: String
    public var costMicros: Int64
}

/// Usage-log totals for one group (a provider, a model or a day).
public struct UsageGroupTotals: Sendable, Hashable {
    /// The provider name, `provider/model`, or `YYYY-MM-DD`.
    public var key: String
    public var provider: String?
    public var model: String?
    /// Successful requests.
    public var requests: Int
    /// Every logged attempt (successes, failures, refusals).
    public var attempts: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var costMicros: Int64
}

/// The usage log grouped three ways.
public struct UsageBreakdown: Sendable, Hashable {
    public var byProvider: [UsageGroupTotals]
    public var byModel: [UsageGroupTotals]
    public var byDay: [UsageGroupTotals]

    /// The times `byDay` can name, in epoch milliseconds: 0001-01-01 to 9999-12-31 (UTC), the
    /// days both backends spell. An entry stamped outside them (an operator's row, a clock set
    /// wildly) is counted on the nearest of the two: SQLite's `strftime` gives NULL past them,
    /// which failed the report, and PostgreSQL's `to_timestamp` an error.
    static let namedDays: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    /// SQL for an entry's `created_at` clamped to ``namedDays``, the time its day is named by.
    /// `atLeast` and `atMost` are the backend's two-argument maximum and minimum (`MAX` and
    /// `MIN` in SQLite, `GREATEST` and `LEAST` in PostgreSQL).
    static func clampedMillis(atLeast: String, atMost: String) -> String {
        "\(atMost)(\(atLeast)(created_at, \(namedDays.lowerBound)), \(namedDays.upperBound))"
    }
}

/// What the admin routes read and change beyond tiers: provider priorities and caps, the
/// global budget and its events, and usage reports.
public protocol AdminStore: ProviderPriorities {
    /// Creates or replaces the rule for `(provider, model)`.
    func upsertProviderPriority(_ rule: ProviderPriority, now: Date) async throws
    /// Cost charged per provider in the day, week and month containing `at`.
    func providerSpend(at: Date) async throws -> [String: [PeriodSpend]]
    /// The global budget: weekly and monthly caps, alert threshold, auto-disable.
    func budgetSettings() async throws -> BudgetSettings
    /// Replaces the global budget settings.
    func setBudgetSettings(_ settings: BudgetSettings, now: Date) async throws
    /// Global spend in the day, week and month containing `at`.
    func globalSpend(at: Date) async throws -> [PeriodSpend]
    /// The most recent budget events, newest first.
    func budgetEvents(limit: Int) async throws -> [BudgetEventRecord]
    /// Usage-log totals since `since`, by provider, by provider+model and by UTC day.
    func usageBreakdown(since: Date) async throws -> UsageBreakdown
}
