import Foundation

/// Tiers, usage counters and the AI usage log.
///
/// The quota reservation of the next stage is a store operation here: one conditional
/// `UPDATE usage_counters SET requests = requests + n WHERE ... AND requests + n <= limit`,
/// atomic in SQLite (single writer) and in PostgreSQL (row locks).
public protocol UsageStore: Sendable {
    func tiers() async throws -> [TierRecord]
    func tier(named name: String) async throws -> TierRecord?
    /// Creates or replaces a tier.
    func upsertTier(_ tier: TierRecord, now: Date) async throws

    /// The user's counters for the periods containing `at` (zero when none yet).
    func usageCounters(userID: Int64, at: Date) async throws -> [UsageCounter]
    /// Records a completed AI call without a prior reservation: appends `entry` to the usage
    /// log and, when it succeeded, adds one request and its cost to the user's day, week and
    /// month counters — one transaction. (The quota ledger reserves and reconciles instead;
    /// an AI layer uses one or the other, never both.)
    func recordAIUsage(_ entry: AIUsageEntry, at: Date) async throws
    /// Totals of the usage log since `since`, per user.
    func usageByUser(since: Date) async throws -> [UserUsageSummary]
}
