import Foundation
import PostgresNIO

extension PostgresStore {
    /// The admin-managed provider priorities, lowest priority number first.
    public func providerPriorities() async throws -> [ProviderPriority] {
        try await readAll("SELECT * FROM provider_priorities ORDER BY priority, provider, model").map { row in
            ProviderPriority(
                provider: try row.get("provider"), model: try row.get("model"), priority: try row.get("priority"),
                enabled: try row.get("enabled"), dailyCapMicros: try row.get("daily_cap_micros"),
                weeklyCapMicros: try row.get("weekly_cap_micros"), monthlyCapMicros: try row.get("monthly_cap_micros"))
        }
    }

    /// The priorities as the router reads them (cached for at most
    /// ``PostgresProviderPriorities/maxAgeNs``).
    public var priorities: any ProviderPriorities { PostgresProviderPriorities(store: self) }
}

/// The router's provider priorities from the database, cached for half a second: a change
/// made through any host sharing the database is seen by every host within that time (and
/// at once on the host that made it). Routing order only: caps are enforced from the
/// database inside each reservation.
struct PostgresProviderPriorities: ProviderPriorities {
    let store: PostgresStore
    static let maxAgeNs: UInt64 = 500_000_000

    func providerPriorities() async throws -> [ProviderPriority] {
        let now = DispatchTime.now().uptimeNanoseconds
        let (cached, generation) = store.prioritiesCache.withLock { state in
            (state.rules.flatMap { now &- state.readAt < Self.maxAgeNs ? $0 : nil }, state.generation)
        }
        if let cached { return cached }
        let rules = try await store.providerPriorities()
        // A change made through this host while reading wins: keep only a read started after it.
        store.prioritiesCache.withLock { state in
            guard state.generation == generation else { return }
            state.rules = rules
            state.readAt = now
        }
        return rules
    }
}

/// The cached priorities, the monotonic time they were read, and a counter of local changes.
struct PrioritiesCacheState: Sendable {
    var rules: [ProviderPriority]?
    var readAt: UInt64 = 0
    var generation: UInt64 = 0
}

extension PostgresStore {
    /// Forgets the cached priorities (after a change through this host).
    func invalidatePriorities() {
        prioritiesCache.withLock { state in
            state.rules = nil
            state.generation &+= 1
        }
    }
}
