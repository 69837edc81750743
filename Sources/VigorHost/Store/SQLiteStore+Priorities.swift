import GRDB

extension SQLiteStore {
    /// The admin-managed provider priorities, lowest priority number first.
    public func providerPriorities() async throws -> [ProviderPriority] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM provider_priorities ORDER BY priority, provider, model").map { row in
                ProviderPriority(
                    provider: row["provider"], model: row["model"], priority: row["priority"], enabled: row["enabled"],
                    dailyCapMicros: row["daily_cap_micros"], weeklyCapMicros: row["weekly_cap_micros"],
                    monthlyCapMicros: row["monthly_cap_micros"])
            }
        }
    }

    /// The priorities as the router reads them.
    public var priorities: any ProviderPriorities { StoreProviderPriorities(store: self) }
}

/// Reads the router's provider priorities from the store on each request (admins change them live).
struct StoreProviderPriorities: ProviderPriorities {
    let store: SQLiteStore
    func providerPriorities() async throws -> [ProviderPriority] { try await store.providerPriorities() }
}
