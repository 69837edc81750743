import ArgumentParser
import Foundation
import Logging
import VigorHost

/// Options shared by the commands that open the database.
struct StoreOptions: ParsableArguments {
    @Option(
        name: [.customLong("database-url"), .customLong("database")],
        help: ArgumentHelp(
            "Database: postgres://… (shared by several hosts), or a SQLite file as sqlite:PATH or a path "
                + "(default: $VIGOR_DATABASE_URL, else data/vigor.sqlite).",
            valueName: "url"))
    var database: String?

    @Option(help: "JSON config file.")
    var config: String?

    func configuration(host: String? = nil, port: Int? = nil, plugins: String? = nil, dataDirectory: String? = nil) throws
        -> VigorConfiguration
    {
        try VigorConfiguration.load(
            flags: .init(host: host, port: port, database: database, plugins: plugins, configFile: config, dataDirectory: dataDirectory))
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

    @Option(
        help:
            "Data folder for the generated JWT secret and the plugin cache (default: $VIGOR_DATA_DIR, or the SQLite database's folder, or data on PostgreSQL)."
    )
    var dataDir: String?

    @Option(
        help: ArgumentHelp(
            "Seconds streams in flight may run on after SIGTERM before they end with an error event (default: $VIGOR_DRAIN_SECONDS, else 25).",
            valueName: "seconds"))
    var drainSeconds: Double?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let level = try Self.logLevel(ProcessInfo.processInfo.environment)
        if let value = ProcessInfo.processInfo.environment["VIGOR_NIO_EXECUTOR"], !["", "0", "nio"].contains(value) {
            throw ValidationError(
                "VIGOR_NIO_EXECUTOR must be 0 (the runtime's pool) or nio (NIO's installer); unset runs tasks on the event loops, not '\(value)'"
            )
        }
        let executor = ServeProcessTuning.apply(environment: ProcessInfo.processInfo.environment)
        // StreamLogHandler's lines, written for less (one access line per request).
        LoggingSystem.bootstrap { label in VigorLogHandler(label: label, level: level) }
        let logger = Logger(label: "vigor")
        logger.info("Swift concurrency runs on \(executor.rawValue)")
        var configuration = try store.configuration(host: host, port: port, plugins: plugins, dataDirectory: dataDir)
        if plugins == nil, ProcessInfo.processInfo.environment["VIGOR_PLUGIN_DIR"] == nil, store.config == nil {
            configuration.pluginDirectory = PluginDirectory.resolve(nil)
        }
        if let webRoot {
            configuration.webRoot = webRoot
            try configuration.check()
        }
        // Plugins that read files of their own from the plugin folder (the openai plugin's
        // openai-compatible.json) find it through $VIGOR_PLUGIN_DIR: they are loaded from shadow
        // copies and cannot tell the folder otherwise. The folder this host serves, however it
        // was chosen (flag, configuration file, variable, default), as an absolute path; set
        // before any plugin loads or runner process starts.
        setenv("VIGOR_PLUGIN_DIR", URL(fileURLWithPath: configuration.pluginDirectory).standardizedFileURL.path, 1)
        let environment = ProcessInfo.processInfo.environment
        let interval = try pollInterval(environment)
        let drain = try drainDeadline(environment)
        var host = try await HostAssembly.build(
            configuration: configuration, ai: .plugins(.init(environment: environment, pollInterval: interval)), logger: logger)
        host.drainDeadline = drain
        try await host.run()
    }

    /// `VIGOR_LOG_LEVEL` (any case), `info` when unset. Anything else is refused: `DEBUG` or a
    /// typo must not leave the operator reading `info` lines while expecting others.
    static func logLevel(_ environment: [String: String]) throws -> Logger.Level {
        guard let text = environment["VIGOR_LOG_LEVEL"], !text.isEmpty else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("VIGOR_LOG_LEVEL must be one of \(names), not '\(text)'")
        }
        return level
    }

    /// The plugin folder watch's period: `VIGOR_PLUGIN_POLL_SECONDS`, 2 s by default; `0` leaves
    /// reloads to SIGHUP and POST /api/v1/admin/plugins/reload. Refused outside 0 and 0.1...86400:
    /// a typo must not turn the watch off unsaid, nor a tiny period make it spin.
    func pollInterval(_ environment: [String: String]) throws -> Duration? {
        guard let text = environment["VIGOR_PLUGIN_POLL_SECONDS"], !text.isEmpty else { return .seconds(2) }
        guard let seconds = Double(text), seconds == 0 || (seconds >= 0.1 && seconds <= 86_400) else {
            throw ValidationError("VIGOR_PLUGIN_POLL_SECONDS must be 0 (no polling) or 0.1 to 86400 seconds, not '\(text)'")
        }
        return seconds == 0 ? nil : .milliseconds(Int64(seconds * 1000))
    }

    /// `--drain-seconds`, else `VIGOR_DRAIN_SECONDS`, else the default; refused outside 0...3600.
    func drainDeadline(_ environment: [String: String]) throws -> Duration {
        guard let text = drainSeconds.map({ "\($0)" }) ?? environment["VIGOR_DRAIN_SECONDS"] else {
            return HostAssembly.defaultDrainDeadline
        }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 3600 else {
            throw ValidationError("the drain time (--drain-seconds, VIGOR_DRAIN_SECONDS) must be 0 to 3600 seconds, not '\(text)'")
        }
        return .milliseconds(Int64(seconds * 1000))
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.configuration()
        var logger = Logger(label: "vigor.migrate")
        logger.logLevel = .warning
        let applied = try await VigorServer.migrate(database: configuration.database, logger: logger)
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
