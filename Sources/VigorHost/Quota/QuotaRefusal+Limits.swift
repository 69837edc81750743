import Foundation

// The refusals of the limits other than the user's request counts (those are
// `QuotaLimits.userRefusal`), worded once for every ledger.
extension QuotaRefusal {
    /// The user has no account or no tier.
    static let noAccount = QuotaRefusal(
        scope: .user, limit: "account", message: "no account or tier for this user", retryAfterSeconds: 3600)

    /// `provider` reached its cost cap for `period` (`day`, `week`, `month`): the router moves on to the next provider.
    static func providerCap(_ provider: String, period: String, cap: Int64, _ keys: PeriodKeys, _ now: Date) -> QuotaRefusal {
        QuotaRefusal(
            scope: .provider, limit: "provider_\(period)_cap",
            message: "\(provider) reached its \(period) cost cap of $\(Money.dollars(cap))",
            retryAfterSeconds: keys.secondsToEnd(period, from: now))
    }

    /// The global budget of `period` (`week`, `month`) is exhausted: AI is disabled until it resets.
    static func globalBudget(period: String, budget: Int64, _ keys: PeriodKeys, _ now: Date) -> QuotaRefusal {
        QuotaRefusal(
            scope: .global, limit: "global_\(period)ly_budget",
            message: "the global \(period)ly AI budget of $\(Money.dollars(budget)) is exhausted; AI is disabled until it resets",
            retryAfterSeconds: keys.secondsToEnd(period, from: now))
    }
}
