import Foundation
import Logging
import VigorPluginLoader

/// Wires the AI layer of a running host: the plugin registry (loaded from the plugin
/// folder), host services for plugins, egress with the host's secrets, the quota ledger,
/// the router and the ``PluginCoachAI`` the routes use.
public struct AIAssembly: Sendable {
    public let registry: PluginRegistry
    public let router: ProviderRouter
    public let coachAI: PluginCoachAI
    public let egress: Egress
    public let breakers: CircuitBreakers
    public let pluginDirectory: String

    /// Builds everything and scans `pluginDirectory` once.
    public static func make(
        store: SQLiteStore, pluginDirectory: String, environment: [String: String], logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) -> AIAssembly {
        let bridge = HostServiceBridge()
        let registry = PluginRegistry(loader: PluginLoader(logger: logger, handler: bridge, clock: clock))
        registry.scan(directory: pluginDirectory)
        let egress = Egress(secrets: .fromEnvironment(environment))
        var configuration = ProviderRouter.Configuration()
        configuration.baseURLs = baseURLOverrides(environment)
        let breakers = CircuitBreakers()
        let router = ProviderRouter(
            registry: registry, egress: egress, accounting: SQLiteQuotaLedger(store: store, logger: logger, clock: clock),
            priorities: store, breakers: breakers, configuration: configuration, logger: logger)
        bridge.bind(router: router, egress: egress)
        let coachAI = PluginCoachAI(
            registry: registry, router: router, logger: logger, preferredGenerator: environment["VIGOR_PLAN_GENERATOR"])
        return AIAssembly(
            registry: registry, router: router, coachAI: coachAI, egress: egress, breakers: breakers, pluginDirectory: pluginDirectory)
    }

    /// `VIGOR_<PROVIDER>_BASE_URL` → provider short name → base URL (trailing slash dropped).
    static func baseURLOverrides(_ environment: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in environment where key.hasPrefix("VIGOR_") && key.hasSuffix("_BASE_URL") && !value.isEmpty {
            let name = key.dropFirst("VIGOR_".count).dropLast("_BASE_URL".count).lowercased()
            out[String(name)] = value.hasSuffix("/") ? String(value.dropLast()) : value
        }
        return out
    }
}
