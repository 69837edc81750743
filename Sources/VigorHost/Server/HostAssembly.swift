import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import VigorPluginLoader

/// The composition root: the one place that builds a whole host — the store, the AI layer
/// (egress client, plugin registry, folder watch, runners, router), the routes and the HTTP
/// application — and runs it. `vigor serve` and the tests' hosts are built here.
///
/// Every long-lived part is a `Service` in the application's service group, started in the
/// order of ``services`` and then the HTTP server; on SIGTERM or SIGINT the server stops first
/// (in-flight requests finish), then the rest in reverse: the folder watch, the plugins (runner
/// processes exit), the egress client, and last the store.
///
/// One ``clock`` reaches every part that reads time: accounts and tokens, the API-key cache,
/// the safety log, the ledger, the router and its breakers, the loader and the folder watch.
public struct HostAssembly: Sendable {
    /// Where the host's AI answers come from.
    public enum AILayer: Sendable {
        /// The plugin-backed layer over ``VigorConfiguration/pluginDirectory``.
        case plugins(PluginSettings)
        /// A given AI layer (tests, embedders), built once the store is open.
        case custom(@Sendable (any Store) async throws -> any CoachAI)
    }

    /// How the plugin-backed AI layer is set up, beyond ``VigorConfiguration``.
    public struct PluginSettings: Sendable {
        /// Provider keys, base-URL overrides, isolation and probe settings (`VIGOR_*`, `*_API_KEY`).
        public var environment: [String: String]
        /// The `vigor` executable that runs isolated plugins (default: this process's executable).
        public var runnerExecutable: String?
        /// Time between folder scans; nil leaves reloads to SIGHUP and the admin route.
        public var pollInterval: Duration?
        /// Told of every scan the folder watch runs.
        public var onScan: (@Sendable (PluginScanReport) -> Void)?

        public init(
            environment: [String: String], runnerExecutable: String? = nil, pollInterval: Duration? = .seconds(2),
            onScan: (@Sendable (PluginScanReport) -> Void)? = nil
        ) {
            self.environment = environment
            self.runnerExecutable = runnerExecutable
            self.pollInterval = pollInterval
            self.onScan = onScan
        }
    }

    public let configuration: VigorConfiguration
    /// The host's store: SQLite or PostgreSQL, as ``VigorConfiguration/database`` says.
    public let store: any Store
    /// The AI layer the routes use (the safety screen is put in front of it by the router build).
    public let coachAI: any CoachAI
    /// The plugin-backed AI layer, when the host runs plugins.
    public let ai: AIAssembly?
    public let metrics: HostMetrics
    public let clock: VigorClock
    public let logger: Logger
    let pluginSettings: PluginSettings?
    /// On SQLite, this host's hold on the database file (released after the store closes).
    let hostLock: SingleHostLock?
    /// How long streams in flight may run on once a graceful shutdown begins; past it each
    /// ends with an error event (settled for what it produced). `vigor serve --drain-seconds`,
    /// `VIGOR_DRAIN_SECONDS`. The service group's grace period is kept at least 5 s above it,
    /// for the settles and the services' own shutdown.
    public var drainDeadline: Duration = Self.defaultDrainDeadline

    /// The default ``drainDeadline``: 25 s, within the 30 s grace period.
    public static let defaultDrainDeadline: Duration = .seconds(25)

    /// Opens (and migrates) the store, then builds the AI layer over it. A plugin-backed layer
    /// scans the plugin folder once and releases quota reservations a stopped host left behind;
    /// on PostgreSQL a host named by `VIGOR_HOST_ID` in the plugin settings' environment first
    /// retires its own previous run's registration (``PostgresQuotaLedger/identify(as:)``).
    ///
    /// On SQLite the host first takes the database's ``SingleHostLock``: a second host on the
    /// same file is refused with ``DatabaseInUseError`` before it opens anything. On PostgreSQL
    /// the JWT secret must be configured (``VigorConfiguration/checkServing()``).
    public static func build(
        configuration: VigorConfiguration, ai layer: AILayer, logger: Logger, metrics: HostMetrics = HostMetrics(),
        clock: VigorClock = .system
    ) async throws -> HostAssembly {
        try configuration.checkServing()
        if case .plugins(let settings) = layer { try AIAssembly.checkBaseURLOverrides(settings.environment) }
        var hostLock: SingleHostLock?
        if case .sqlite(let path) = configuration.database { hostLock = try SingleHostLock.acquire(database: path) }
        let store: any Store
        do {
            store = try await VigorServer.openStore(configuration: configuration, logger: logger, clock: clock)
        } catch {
            hostLock?.release()
            throw error
        }
        logger.info("store ready", metadata: ["database": "\(configuration.database)"])
        do {
            switch layer {
            case .custom(let make):
                return HostAssembly(
                    configuration: configuration, store: store, coachAI: try await make(store), ai: nil, pluginSettings: nil,
                    hostLock: hostLock, logger: logger, metrics: metrics, clock: clock)
            case .plugins(let settings):
                let ai = AIAssembly.make(
                    store: store, pluginDirectory: configuration.pluginDirectory, environment: settings.environment, logger: logger,
                    metrics: metrics, shadowDirectory: (configuration.dataDirectory as NSString).appendingPathComponent("plugin-cache"),
                    clock: clock, runnerExecutable: settings.runnerExecutable, allowInsecurePlugins: configuration.pluginAllowInsecure)
                let assembly = HostAssembly(
                    configuration: configuration, store: store, coachAI: ai.coachAI, ai: ai, pluginSettings: settings,
                    hostLock: hostLock, logger: logger, metrics: metrics, clock: clock)
                // A named host (VIGOR_HOST_ID) takes back what its previous run still held.
                if let name = settings.environment["VIGOR_HOST_ID"], !name.isEmpty,
                    let ledger = ai.ledger as? PostgresQuotaLedger
                {
                    try ledger.identify(as: name)
                }
                let abandoned = try await ai.ledger.recoverAbandonedReservations()
                if abandoned > 0 {
                    logger.warning(
                        "released quota reservations left by a host that stopped mid-request", metadata: ["count": "\(abandoned)"])
                }
                logger.info(
                    "plugins ready",
                    metadata: [
                        "folder": "\(configuration.pluginDirectory)",
                        "loaded": "\(ai.registry.components.map(\.descriptor.id).joined(separator: ", "))",
                        "rejected": "\(ai.registry.rejected.count)",
                    ])
                return assembly
            }
        } catch {
            try? await store.close()
            hostLock?.release()
            throw error
        }
    }

    /// A host over an open store and a ready AI layer (no plugins of its own). It takes no
    /// ``SingleHostLock``: the caller owns the store.
    public init(
        configuration: VigorConfiguration, store: any Store, coachAI: any CoachAI, logger: Logger,
        metrics: HostMetrics = HostMetrics(), clock: VigorClock = .system
    ) {
        self.init(
            configuration: configuration, store: store, coachAI: coachAI, ai: nil, pluginSettings: nil, hostLock: nil, logger: logger,
            metrics: metrics, clock: clock)
    }

    init(
        configuration: VigorConfiguration, store: any Store, coachAI: any CoachAI, ai: AIAssembly?, pluginSettings: PluginSettings?,
        hostLock: SingleHostLock?, logger: Logger, metrics: HostMetrics, clock: VigorClock
    ) {
        self.configuration = configuration
        self.store = store
        self.coachAI = coachAI
        self.ai = ai
        self.pluginSettings = pluginSettings
        self.hostLock = hostLock
        self.logger = logger
        self.metrics = metrics
        self.clock = clock
    }

    /// The long-lived parts in start order (the HTTP server starts after them and stops first;
    /// these stop in reverse): the store, then, with plugins, the egress client, the plugin
    /// registry (and its runner processes), the folder watch and, on PostgreSQL, the ledger's
    /// registration (``LedgerService``: the first to stop after the server, so this host's
    /// leases go back once its requests have settled and before the store closes).
    public var services: [any Service] {
        var services: [any Service] = [StoreService(store: store, hostLock: hostLock, logger: logger)]
        if let ai, let pluginSettings {
            services.append(EgressService(egress: ai.egress, logger: logger))
            services.append(PluginRegistryService(registry: ai.registry, logger: logger))
            services.append(
                ai.watcher(metrics: metrics, logger: logger, interval: pluginSettings.pollInterval, onScan: pluginSettings.onScan))
            if let ledger = ai.ledger as? PostgresQuotaLedger { services.append(LedgerService(ledger: ledger, logger: logger)) }
        }
        return services
    }

    /// The HTTP application: every route over this host's parts, with ``services`` in its
    /// service group. The application is itself a `Service`; ``run()`` runs it until a signal.
    ///
    /// - Parameter onServerRunning: told the bound port once the server listens (port 0 in the
    ///   configuration binds a free one).
    public func application(onServerRunning: (@Sendable (Int) async -> Void)? = nil) async throws -> some ApplicationProtocol {
        let built = try await VigorServer.buildRouter(
            configuration: configuration, store: store, coachAI: coachAI, logger: logger, metrics: metrics, clock: clock)
        let logger = logger
        return Application(
            router: built.router,
            server: .guardedHTTP1(configuration.connections),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "vigor",
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.connections.maxConnections, logger: logger)),
            services: services,
            onServerRunning: { channel in
                logger.info("vigor is serving", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
                await onServerRunning?(channel.localAddress?.port ?? 0)
            },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: in-flight requests get
    /// ``VigorConfiguration/shutdownGracePeriod`` to finish, then the services stop in reverse.
    public func run() async throws {
        try await serviceGroup(application: try await application(), trappingSignals: true).run()
    }

    /// The one service group ``run()`` runs: the application (and through it ``services``),
    /// shut down gracefully — on SIGTERM and SIGINT when `trappingSignals`, or when told with
    /// `triggerGracefulShutdown()` — within the configured grace period. A last service only
    /// logs that the shutdown has begun (it stops first).
    ///
    /// Streams in flight get ``drainDeadline`` from the start of the shutdown (the server's
    /// requests inherit this group's ``StreamDrain``); the grace period, after which the group
    /// cancels whatever still runs, is the configured one but at least 5 s above the drain.
    public func serviceGroup(application: some ApplicationProtocol, trappingSignals: Bool) -> ServiceGroup {
        let drain = StreamDrain(deadline: drainDeadline, clock: clock)
        let grace = max(.milliseconds(Int64(configuration.shutdownGracePeriod * 1000)), drainDeadline + .seconds(5))
        var group = ServiceGroupConfiguration(
            services: [
                DrainScope(application: application, drain: drain),
                ShutdownNotice(logger: logger, drain: drain, gracePeriod: grace),
            ],
            gracefulShutdownSignals: trappingSignals ? [.sigterm, .sigint] : [], logger: logger)
        group.maximumGracefulShutdownDuration = grace
        return ServiceGroup(configuration: group)
    }
}

/// Runs the application with its host's ``StreamDrain`` bound for every request's task.
struct DrainScope<Application: Service>: Service {
    let application: Application
    let drain: StreamDrain

    func run() async throws {
        try await ChatStreamRelay.$drain.withValue(drain) { try await application.run() }
    }
}

/// Logs when a graceful shutdown begins and starts the streams' drain time: the last service
/// of the group, so the first to stop, before the HTTP server lets its requests in flight finish.
struct ShutdownNotice: Service {
    let logger: Logger
    let drain: StreamDrain
    let gracePeriod: Duration

    func run() async throws {
        try? await gracefulShutdown()
        drain.begin()
        logger.info(
            "shutting down: requests in flight may finish",
            metadata: [
                "drain_seconds": "\(drain.deadline.timeInterval)",
                "grace_seconds": "\(gracePeriod.timeInterval)",
            ])
    }
}
