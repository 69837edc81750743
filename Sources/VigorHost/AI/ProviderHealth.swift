/// One loaded provider's health: secrets present (a boolean only) and its circuit breaker.
public struct ProviderHealth: Sendable, Hashable {
    public var provider: String
    public var componentID: String
    public var name: String
    public var offline: Bool
    public var streaming: Bool
    /// Whether every secret the provider needs is configured. Never the values.
    public var hasSecret: Bool
    public var models: [String]
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
