import Foundation

/// Tiers, usage counters and the AI usage log, as read by the routes.
///
/// The counters and the log are written only by the quota ledger (``Store/quotaLedger(logger:clock:)``):
/// a conditional upsert per reservation (`… WHERE requests + n <= limit`), atomic in the
/// database, and a settle that appends the usage-log entry in the same transaction.
public protocol UsageStore: Sendable {
    /// Every tier, cheapest first.
    func tiers() async throws -> [TierRecord]
    /// The tier with this name, or nil.
    func tier(named name: String) async throws -> TierRecord?
    /// Creates or replaces a tier.
    func upsertTier(_ tier: TierRecord, now: Date) async throws

    /// The user's counters for the periods containing `at` (zero when none yet).
    func usageCounters(userID: Int64, at: Date) async throws -> [UsageCounter]
    /// Totals of the usage log since `since`, per user.
    func usageByUser(since: Date) async throws -> [UserUsageSummary]
}
