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
    /// The store's quota ledger (``Store/quotaLedger(logger:clock:)``), the router's accounting.
    public let ledger: any QuotaLedger
    public let pluginDirectory: String

    /// The clock every part of this assembly reads.
    public let clock: VigorClock

    /// The hot-add service for this assembly's plugin folder, on the assembly's clock.
    public func watcher(
        metrics: HostMetrics? = nil, logger: Logger, interval: Duration? = .seconds(2),
        onScan: (@Sendable (PluginScanReport) -> Void)? = nil
    ) -> PluginWatcher {
        PluginWatcher(
            registry: registry, directory: pluginDirectory, interval: interval, metrics: metrics, logger: logger, clock: clock,
            onScan: onScan)
    }

    /// Builds everything and scans `pluginDirectory` once. ``HostAssembly`` calls this; it
    /// runs the egress client and the registry as services and shuts them down.
    ///
    /// - Parameter clock: the host's clock, read by the loader, the ledger, the router and the watcher.
    public static func make(
        store: any Store, pluginDirectory: String, environment: [String: String], logger: Logger,
        metrics: HostMetrics? = nil, shadowDirectory: String? = nil, clock: VigorClock = .system,
        runnerExecutable: String? = nil, allowInsecurePlugins: Bool? = nil
    ) -> AIAssembly {
        let bridge = HostServiceBridge(clock: clock)
        let isolation = isolation(environment, runnerExecutable: runnerExecutable, metrics: metrics, clock: clock)
        let registry = PluginRegistry(
            loader: PluginLoader(
                logger: logger, handler: bridge, clock: clock.now, shadowDirectory: shadowDirectory, isolation: isolation,
                probe: PluginProbe.automatic(environment: environment),
                allowInsecureFiles: allowInsecurePlugins ?? PluginFileCheck.allowInsecure(environment: environment)))
        let report = registry.scan(directory: pluginDirectory)
        for rejected in report.rejected { metrics?.recordPluginLoadFailure(reason: rejected.code) }
        let egress = Egress(secrets: .fromEnvironment(environment))
        var configuration = ProviderRouter.Configuration()
        configuration.baseURLs = baseURLOverrides(environment)
        let breakers = CircuitBreakers()
        let ledger = store.quotaLedger(logger: logger, clock: clock.now)
        let router = ProviderRouter(
            registry: registry, egress: egress, accounting: ledger, priorities: store.priorities, breakers: breakers,
            configuration: configuration, metrics: metrics, modelOverrides: store, clock: clock, logger: logger)
        bridge.bind(router: router, egress: egress)
        let coachAI = PluginCoachAI(
            registry: registry, router: router, accounting: ledger, logger: logger, preferredGenerator: environment["VIGOR_PLAN_GENERATOR"],
            pluginDirectory: pluginDirectory)
        return AIAssembly(
            registry: registry, router: router, coachAI: coachAI, egress: egress, breakers: breakers, ledger: ledger,
            pluginDirectory: pluginDirectory, clock: clock)
    }

    /// Crash isolation from `VIGOR_ISOLATE_PLUGINS`: a comma-separated list of plugin file
    /// names (`libVigorGemini.so`), or `*` for all. Those plugins run in `vigor plugin-runner`
    /// child processes started from this executable (or `VIGOR_RUNNER_EXECUTABLE`).
    static func isolation(
        _ environment: [String: String], runnerExecutable: String?, metrics: HostMetrics?, clock: VigorClock = .system
    ) -> PluginLoader.Isolation? {
        let names = (environment["VIGOR_ISOLATE_PLUGINS"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !names.isEmpty else { return nil }
        let executable =
            runnerExecutable ?? environment["VIGOR_RUNNER_EXECUTABLE"] ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        return PluginLoader.Isolation(
            runnerExecutable: executable, isolates: PluginLoader.Isolation.fileNames(names),
            onCrash: { [metrics] plugin, _ in metrics?.recordPluginCrash(plugin: (plugin as NSString).lastPathComponent) }, clock: clock)
    }

    /// Refuses a `VIGOR_<PROVIDER>_BASE_URL` that is not an absolute http(s) URL with a host.
    /// Otherwise every request to that provider failed as the client's fault (400 from the
    /// plugin's check), and the router did not fail over.
    static func checkBaseURLOverrides(_ environment: [String: String]) throws {
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where !value.isEmpty && provider(ofBaseURLKey: key) != nil {
            guard let url = URLComponents(string: value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = url.host, !host.isEmpty
            else {
                throw ConfigurationError("\(key) must be an absolute http(s) URL with a host, not '\(value)'")
            }
        }
    }

    /// The provider short name a `VIGOR_<PROVIDER>_BASE_URL` variable names, lower-cased; nil
    /// for any other variable (`VIGOR_BASE_URL` itself names none).
    static func provider(ofBaseURLKey key: String) -> String? {
        guard key.hasPrefix("VIGOR_"), key.hasSuffix("_BASE_URL"), key.count > "VIGOR__BASE_URL".count else { return nil }
        return key.dropFirst("VIGOR_".count).dropLast("_BASE_URL".count).lowercased()
    }

    /// `VIGOR_<PROVIDER>_BASE_URL` → provider short name → base URL (trailing slash dropped).
    static func baseURLOverrides(_ environment: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in environment where !value.isEmpty {
            guard let name = provider(ofBaseURLKey: key) else { continue }
            out[name] = value.hasSuffix("/") ? String(value.dropLast()) : value
        }
        return out
    }
}
