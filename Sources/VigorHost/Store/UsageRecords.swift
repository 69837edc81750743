import Foundation
import VigorPluginSDK

/// A tier: request limits per UTC calendar period and a monthly AI budget.
public struct TierRecord: Sendable, Hashable, Codable {
    /// Stable key, e.g. `free`.
    public var name: String
    public var requestsPerDay: Int
    public var requestsPerWeek: Int
    public var requestsPerMonth: Int
    /// Monthly AI budget in integer micro-dollars (1 USD = 1 000 000).
    public var monthlyBudgetMicros: Int64
    /// Monthly price in integer micro-dollars.
    public var priceMicros: Int64

    public init(
        name: String, requestsPerDay: Int, requestsPerWeek: Int, requestsPerMonth: Int, monthlyBudgetMicros: Int64,
        priceMicros: Int64
    ) {
        self.name = name
        self.requestsPerDay = requestsPerDay
        self.requestsPerWeek = requestsPerWeek
        self.requestsPerMonth = requestsPerMonth
        self.monthlyBudgetMicros = monthlyBudgetMicros
        self.priceMicros = priceMicros
    }

    /// The request limit of one period.
    public func requestLimit(for period: UsagePeriod) -> Int {
        switch period {
        case .day: requestsPerDay
        case .week: requestsPerWeek
        case .month: requestsPerMonth
        }
    }

    /// The tiers DOMAIN.md names, seeded by the first migration.
    public static let defaults: [TierRecord] = [
        TierRecord(
            name: "free", requestsPerDay: 10, requestsPerWeek: 50, requestsPerMonth: 200,
            monthlyBudgetMicros: 5_000_000, priceMicros: 0),
        TierRecord(
            name: "premium", requestsPerDay: 50, requestsPerWeek: 300, requestsPerMonth: 1000,
            monthlyBudgetMicros: 25_000_000, priceMicros: 9_990_000),
        TierRecord(
            name: "unlimited", requestsPerDay: 1000, requestsPerWeek: 5000, requestsPerMonth: 20000,
            monthlyBudgetMicros: 100_000_000, priceMicros: 29_990_000),
    ]
}

/// One user's counters for one period.
public struct UsageCounter: Sendable, Hashable {
    public var period: UsagePeriod
    /// `YYYY-MM-DD` of the period's first day (UTC).
    public var periodStart: String
    public var requests: Int
    public var costMicros: Int64

    public init(period: UsagePeriod, periodStart: String, requests: Int, costMicros: Int64) {
        self.period = period
        self.periodStart = periodStart
        self.requests = requests
        self.costMicros = costMicros
    }
}

/// One AI attempt for the usage log.
public struct AIUsageEntry: Sendable, Hashable {
    public var userID: Int64?
    public var requestID: String
    /// `chat`, `plan`, `analysis`, ...
    public var kind: String
    public var provider: String
    public var model: String
    public var promptTokens: Int
    public var completionTokens: Int
    public var costMicros: Int64
    public var latencyMs: Int64
    /// `success`, or the error code of the failure.
    public var outcome: String

    public init(
        userID: Int64?, requestID: String, kind: String, provider: String, model: String, promptTokens: Int,
        completionTokens: Int, costMicros: Int64, latencyMs: Int64, outcome: String
    ) {
        self.userID = userID
        self.requestID = requestID
        self.kind = kind
        self.provider = provider
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costMicros = costMicros
        self.latencyMs = latencyMs
        self.outcome = outcome
    }
}

/// Totals of the usage log for one user (admin report).
public struct UserUsageSummary: Sendable, Hashable {
    public var userID: Int64
    public var username: String
    public var tier: String
    public var requests: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var costMicros: Int64

    public init(
        userID: Int64, username: String, tier: String, requests: Int, promptTokens: Int, completionTokens: Int,
        costMicros: Int64
    ) {
        self.userID = userID
        self.username = username
        self.tier = tier
        self.requests = requests
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costMicros = costMicros
    }
}

/// The usage log's `kind`: what an AI attempt was for. The raw values are the stored strings.
public enum UsageKind: String, Sendable, Hashable, CaseIterable {
    /// `POST /api/v1/ai/chat`.
    case chat
    /// A workout plan, and the completions its generator asks for.
    case plan
    /// `POST /api/v1/ai/analyze-workout/{log_id}`.
    case analysis
    /// `POST /v1/chat/completions`.
    case openAIChat = "openai_chat"
}

/// The usage log's `outcome`: `success`, `client_disconnected`, or the code of the failure (a
/// provider error kind such as `rate_limited`, an AI error code such as `invalid_plan`). An
/// open set, so a struct over the stored string with the fixed outcomes as constants.
public struct UsageOutcome: RawRepresentable, Sendable, Hashable {
    /// The stored string.
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The attempt was answered.
    public static let success = UsageOutcome(rawValue: "success")
    /// The client went away during the attempt.
    public static let clientDisconnected = UsageOutcome(rawValue: "client_disconnected")
    /// A failure whose cause has no code.
    public static let error = UsageOutcome(rawValue: "error")

    /// A provider's failure, by its kind (`rate_limited`, `network`, ...).
    public init(_ kind: ProviderErrorKind) {
        self.init(rawValue: kind.rawValue)
    }

    /// An AI-layer failure, by its code (`invalid_plan`, `upstream_timeout`, ...).
    public init(_ code: AIError.Code) {
        self.init(rawValue: code.rawValue)
    }
}
