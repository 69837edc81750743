/// A model name that routes, for `GET /v1/models`.
public struct ModelListing: Sendable, Hashable {
    /// The model name a client sends (`vigor-coach`, `gpt-4o-mini`, ...).
    public var id: String
    /// The provider's short name (`openai`, `fallback`, ...), or `vigor` for an alias; reported as `owned_by`.
    public var provider: String
    /// Unix seconds (when the serving plugin was loaded).
    public var created: Int

    public init(id: String, provider: String, created: Int) {
        self.id = id
        self.provider = provider
        self.created = created
    }
}
