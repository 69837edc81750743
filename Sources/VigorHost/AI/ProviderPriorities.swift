/// An admin-managed routing rule for one provider (and optionally one model).
public struct ProviderPriority: Sendable, Hashable, Codable {
    public var provider: String
    /// Empty = the request's model or the provider's default.
    public var model: String
    /// Lower is tried first.
    public var priority: Int
    public var enabled: Bool
    public var dailyCapMicros: Int64?
    public var weeklyCapMicros: Int64?
    public var monthlyCapMicros: Int64?

    public init(
        provider: String, model: String = "", priority: Int, enabled: Bool = true, dailyCapMicros: Int64? = nil,
        weeklyCapMicros: Int64? = nil, monthlyCapMicros: Int64? = nil
    ) {
        self.provider = provider
        self.model = model
        self.priority = priority
        self.enabled = enabled
        self.dailyCapMicros = dailyCapMicros
        self.weeklyCapMicros = weeklyCapMicros
        self.monthlyCapMicros = monthlyCapMicros
    }
}

/// Where the router reads the current priorities (the store, in the server).
public protocol ProviderPriorities: Sendable {
    func providerPriorities() async throws -> [ProviderPriority]
}

/// A fixed list, for tools and tests that run without a store.
public struct StaticProviderPriorities: ProviderPriorities {
    public var rules: [ProviderPriority]
    public init(_ rules: [ProviderPriority]) { self.rules = rules }
    public func providerPriorities() async throws -> [ProviderPriority] { rules }
}
