import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import VigorHost

/// Options shared by the commands that open the database.
struct StoreOptions: ParsableArguments {
    @Option(help: "Database URL or SQLite path (default: $VIGOR_DATABASE_URL or data/vigor.sqlite).")
    var database: String?

    @Option(help: "JSON config file.")
    var config: String?

    func configuration(host: String? = nil, port: Int? = nil, plugins: String? = nil) throws -> VigorConfiguration {
        try VigorConfiguration.load(flags: .init(host: host, port: port, database: database, plugins: plugins, configFile: config))
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the HTTP host.")

    @Option(help: "Address to listen on.")
    var host: String?

    @Option(help: "Port to listen on.")
    var port: Int?

    @Option(help: "Plugin folder (default: $VIGOR_PLUGIN_DIR, ./plugins, or the executable's folder).")
    var plugins: String?

    @Option(help: "The web client's folder (default: $VIGOR_WEB_ROOT, or the resource bundle beside vigor).")
    var webRoot: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        ServeProcessTuning.apply(environment: ProcessInfo.processInfo.environment)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["VIGOR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let logger = Logger(label: "vigor")
        var configuration = try store.configuration(host: host, port: port, plugins: plugins)
        if plugins == nil, ProcessInfo.processInfo.environment["VIGOR_PLUGIN_DIR"] == nil, store.config == nil {
            configuration.pluginDirectory = PluginDirectory.resolve(nil)
        }
        if let webRoot { configuration.webRoot = webRoot }
        let metrics = HostMetrics()
        let store = try await VigorServer.openStore(configuration: configuration, logger: logger)
        let ai = AIAssembly.make(
            store: store, pluginDirectory: configuration.pluginDirectory, environment: ProcessInfo.processInfo.environment,
            logger: logger, metrics: metrics,
            shadowDirectory: (configuration.dataDirectory as NSString).appendingPathComponent("plugin-cache"),
            allowInsecurePlugins: configuration.pluginAllowInsecure)
        let abandoned = try await ai.ledger.recoverAbandonedReservations()
        if abandoned > 0 {
            logger.warning("released quota reservations left by a host that stopped mid-request", metadata: ["count": "\(abandoned)"])
        }
        logger.info(
            "plugins ready",
            metadata: [
                "folder": "\(configuration.pluginDirectory)",
                "loaded": "\(ai.registry.components.map(\.descriptor.id).joined(separator: ", "))",
                "rejected": "\(ai.registry.rejected.count)",
            ])
        let app = try await VigorServer.buildApplication(
            configuration: configuration, store: store, coachAI: ai.coachAI, logger: logger, metrics: metrics)
        // The folder watch polls every 2 s by default; VIGOR_PLUGIN_POLL_SECONDS=0 leaves
        // reloads to SIGHUP and POST /api/v1/admin/plugins/reload.
        let poll = ProcessInfo.processInfo.environment["VIGOR_PLUGIN_POLL_SECONDS"].flatMap(Double.init) ?? 2
        let watcher = ai.watcher(metrics: metrics, logger: logger, interval: poll > 0 ? .milliseconds(Int64(poll * 1000)) : nil)
        var group = ServiceGroupConfiguration(
            services: [app, watcher], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(configuration.shutdownGracePeriod)
        try await ServiceGroup(configuration: group).run()
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.configuration()
        var logger = Logger(label: "vigor.migrate")
        logger.logLevel = .warning
        let applied = try await VigorServer.migrate(databasePath: configuration.databasePath, logger: logger)
        print(applied.isEmpty ? "database is up to date" : "applied: \(applied.joined(separator: ", "))")
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account (the first admin is made this way).")

        @Option(help: "E-mail address.")
        var email: String

        @Option(help: "Username (default: from the e-mail).")
        var username: String?

        @Flag(help: "Read the password from standard input.")
        var passwordStdin = false

        @Flag(help: "Make the account an admin.")
        var admin = false

        @Option(help: "Tier name.")
        var tier = "free"

        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard passwordStdin else { throw ValidationError("pass the password on standard input with --password-stdin") }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("no password on standard input") }
            var logger = Logger(label: "vigor.user")
            logger.logLevel = .warning
            let user = try await VigorServer.createUser(
                configuration: try store.configuration(), email: email, username: username, password: line, admin: admin, tier: tier,
                logger: logger)
            print("created user \(user.id) (\(user.email), \(user.role.rawValue), tier \(user.tier))")
        }
    }
}
