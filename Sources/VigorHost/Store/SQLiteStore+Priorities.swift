import Foundation
import GRDB

extension SQLiteStore {
    /// The admin-managed provider priorities, lowest priority number first.
    public func providerPriorities() async throws -> [ProviderPriority] {
        try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM provider_priorities ORDER BY priority, provider, model")).map { row in
                ProviderPriority(
                    provider: try row.get("provider"), model: try row.get("model"), priority: try row.get("priority"),
                    enabled: try row.get("enabled"),
                    dailyCapMicros: try row.get("daily_cap_micros"), weeklyCapMicros: try row.get("weekly_cap_micros"),
                    monthlyCapMicros: try row.get("monthly_cap_micros"))
            }
        }
    }

    /// The priorities as the router reads them.
    public var priorities: any ProviderPriorities { StoreProviderPriorities(store: self) }
}

/// The router's provider priorities from the store, cached for up to a second (admins
/// change them live; a change made through this host is seen at once).
struct StoreProviderPriorities: ProviderPriorities {
    let store: SQLiteStore
    static let maxAgeNs: UInt64 = 1_000_000_000

    func providerPriorities() async throws -> [ProviderPriority] {
        let now = DispatchTime.now().uptimeNanoseconds
        if let cached = store.prioritiesCache.withLock({ $0 }), now &- cached.readAt < Self.maxAgeNs { return cached.rules }
        let rules = try await store.providerPriorities()
        store.prioritiesCache.withLock { $0 = (rules, now) }
        return rules
    }
}
