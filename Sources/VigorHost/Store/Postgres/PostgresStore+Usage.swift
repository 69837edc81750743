import Foundation
import PostgresNIO

/// Tiers, usage counters and usage by user (placeholder until implemented on PostgreSQL).
extension PostgresStore {
    /// What a method not yet implemented on PostgreSQL throws.
    static var notYet: StoreError { StoreError(.unavailable, "not yet on PostgreSQL") }

    public func tiers() async throws -> [TierRecord] {
        throw Self.notYet
    }

    public func tier(named name: String) async throws -> TierRecord? {
        throw Self.notYet
    }

    public func upsertTier(_ tier: TierRecord, now: Date) async throws {
        throw Self.notYet
    }

    public func usageCounters(userID: Int64, at: Date) async throws -> [UsageCounter] {
        throw Self.notYet
    }

    public func usageByUser(since: Date) async throws -> [UserUsageSummary] {
        throw Self.notYet
    }
}
