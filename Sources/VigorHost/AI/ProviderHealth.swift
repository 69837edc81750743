/// One loaded provider's health: secrets present (a boolean only) and its circuit breaker.
public struct ProviderHealth: Sendable, Hashable {
    /// The provider's short name, e.g. `openai`.
    public var provider: String
    /// The component's id, e.g. `dev.vigor.openai`.
    public var componentID: String
    /// The component's display name.
    public var name: String
    /// Whether it answers without the network.
    public var offline: Bool
    /// Whether it can stream answers.
    public var streaming: Bool
    /// Whether every secret the provider needs is configured. Never the values.
    public var hasSecret: Bool
    /// The model ids it serves.
    public var models: [String]
    /// Its circuit breaker: closed, open (skipped until the cool-down ends) or half-open.
    public var circuit: CircuitBreakers.Status

    public init(
        provider: String, componentID: String, name: String, offline: Bool, streaming: Bool, hasSecret: Bool, models: [String],
        circuit: CircuitBreakers.Status
    ) {
        self.provider = provider
        self.componentID = componentID
        self.name = name
        self.offline = offline
        self.streaming = streaming
        self.hasSecret = hasSecret
        self.models = models
        self.circuit = circuit
    }
}
