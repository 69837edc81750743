import Foundation
import VigorPluginLoader

extension VigorConfiguration {
    /// Command-line overrides (`vigor serve` flags); `nil` = not given.
    public struct Flags: Sendable {
        public var host: String?
        public var port: Int?
        /// `--database-url URL` (or `--database URL`): `postgres://…`, `postgresql://…`, a SQLite
        /// path, `sqlite:PATH` or `file:PATH` (see ``DatabaseLocation``).
        public var database: String?
        public var plugins: String?
        /// `--config FILE`: a JSON file with any of the ``FileSettings`` keys.
        public var configFile: String?
        /// `--data-dir DIR`: the data folder (JWT secret, plugin cache).
        public var dataDirectory: String?

        public init(
            host: String? = nil, port: Int? = nil, database: String? = nil, plugins: String? = nil,
            configFile: String? = nil, dataDirectory: String? = nil
        ) {
            self.host = host
            self.port = port
            self.database = database
            self.plugins = plugins
            self.configFile = configFile
            self.dataDirectory = dataDirectory
        }
    }

    /// The keys a JSON config file may set (snake_case).
    struct FileSettings: Decodable {
        var host: String?
        var port: Int?
        var databaseUrl: String?
        var pluginDir: String?
        var dataDir: String?
        var jwtSecret: String?
        var bcryptCost: Int?
        var accessTokenTtlSeconds: Double?
        var refreshTokenTtlSeconds: Double?
        var maxBodyBytes: Int?
        var corsOrigins: [String]?
        var webRoot: String?
        var loginMaxFailures: Int?
        var loginThrottleWindowSeconds: Double?
        var trustForwardedFor: Bool?
        var trustedProxies: [String]?
        var registrationMaxPerAddress: Int?
        var registrationWindowSeconds: Double?
        var chatHistoryLimit: Int?
        var maxMessageCharacters: Int?
        var requestHeaderTimeoutSeconds: Double?
        var requestBodyTimeoutSeconds: Double?
        var idleTimeoutSeconds: Double?
        var maxConnections: Int?
        var emergencyNumber: String?
        var crisisLines: String?
        var pluginAllowInsecure: Bool?

        enum CodingKeys: String, CodingKey {
            case host, port
            case databaseUrl = "database_url"
            case pluginDir = "plugin_dir"
            case dataDir = "data_dir"
            case jwtSecret = "jwt_secret"
            case bcryptCost = "bcrypt_cost"
            case accessTokenTtlSeconds = "access_token_ttl_seconds"
            case refreshTokenTtlSeconds = "refresh_token_ttl_seconds"
            case maxBodyBytes = "max_body_bytes"
            case corsOrigins = "cors_origins"
            case webRoot = "web_root"
            case loginMaxFailures = "login_max_failures"
            case loginThrottleWindowSeconds = "login_throttle_window_seconds"
            case trustForwardedFor = "trust_forwarded_for"
            case trustedProxies = "trusted_proxies"
            case registrationMaxPerAddress = "registration_max_per_address"
            case registrationWindowSeconds = "registration_window_seconds"
            case chatHistoryLimit = "chat_history_limit"
            case maxMessageCharacters = "max_message_characters"
            case requestHeaderTimeoutSeconds = "request_header_timeout_seconds"
            case requestBodyTimeoutSeconds = "request_body_timeout_seconds"
            case idleTimeoutSeconds = "idle_timeout_seconds"
            case maxConnections = "max_connections"
            case emergencyNumber = "emergency_number"
            case crisisLines = "crisis_lines"
            case pluginAllowInsecure = "plugin_allow_insecure"
        }
    }

    /// Defaults, then the config file, then the environment (`VIGOR_DATABASE_URL`,
    /// `VIGOR_PLUGIN_DIR`, `VIGOR_DATA_DIR`, `VIGOR_JWT_SECRET`, `VIGOR_CORS_ORIGINS`, `VIGOR_BCRYPT_COST`), then flags.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment, flags: Flags = Flags()
    ) throws -> VigorConfiguration {
        var config = VigorConfiguration()
        if let path = flags.configFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError("cannot read the config file \(path)")
            }
            let file: FileSettings
            do {
                file = try JSONDecoder().decode(FileSettings.self, from: data)
            } catch {
                throw ConfigurationError("the config file \(path) is not valid: \(error)")
            }
            try config.apply(file)
        }
        if let url = environment["VIGOR_DATABASE_URL"], !url.isEmpty { config.database = try DatabaseLocation(url: url) }
        if let dir = environment["VIGOR_PLUGIN_DIR"], !dir.isEmpty { config.pluginDirectory = dir }
        if let dir = environment["VIGOR_DATA_DIR"], !dir.isEmpty { config.dataDirectory = dir }
        if let secret = environment["VIGOR_JWT_SECRET"], !secret.isEmpty { config.jwtSecret = secret }
        if let root = environment["VIGOR_WEB_ROOT"], !root.isEmpty { config.webRoot = root }
        if let origins = environment["VIGOR_CORS_ORIGINS"] {
            config.corsOrigins = origins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        if let proxies = environment["VIGOR_TRUSTED_PROXIES"] {
            config.trustedProxies = proxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        try config.applyConnectionEnvironment(environment)
        if environment["VIGOR_PLUGIN_ALLOW_INSECURE"] != nil {
            config.pluginAllowInsecure = PluginFileCheck.allowInsecure(environment: environment)
        }
        if let number = environment["VIGOR_EMERGENCY_NUMBER"] { config.emergencyNumber = number.trimmingCharacters(in: .whitespaces) }
        if let lines = environment["VIGOR_CRISIS_LINES"] { config.crisisLines = lines.trimmingCharacters(in: .whitespaces) }
        if let cost = environment["VIGOR_BCRYPT_COST"] {
            guard let value = Int(cost), (4...31).contains(value) else {
                throw ConfigurationError("VIGOR_BCRYPT_COST must be an integer in 4...31")
            }
            config.bcryptCost = value
        }
        if let host = flags.host { config.host = host }
        if let port = flags.port { config.port = port }
        if let database = flags.database { config.database = try DatabaseLocation(url: database) }
        if let plugins = flags.plugins { config.pluginDirectory = plugins }
        if let dataDirectory = flags.dataDirectory { config.dataDirectory = dataDirectory }
        try config.check()
        return config
    }

    private mutating func apply(_ file: FileSettings) throws {
        if let value = file.host { host = value }
        if let value = file.port { port = value }
        if let value = file.databaseUrl { database = try DatabaseLocation(url: value) }
        if let value = file.pluginDir { pluginDirectory = value }
        if let value = file.dataDir { dataDirectory = value }
        if let value = file.jwtSecret { jwtSecret = value }
        if let value = file.bcryptCost { bcryptCost = value }
        if let value = file.accessTokenTtlSeconds { accessTokenTTL = value }
        if let value = file.refreshTokenTtlSeconds { refreshTokenTTL = value }
        if let value = file.maxBodyBytes { maxBodyBytes = value }
        if let value = file.corsOrigins { corsOrigins = value }
        if let value = file.webRoot { webRoot = value }
        if let value = file.loginMaxFailures { loginMaxFailures = value }
        if let value = file.loginThrottleWindowSeconds { loginThrottleWindow = value }
        if let value = file.trustForwardedFor { trustForwardedFor = value }
        if let value = file.trustedProxies { trustedProxies = value }
        if let value = file.registrationMaxPerAddress { registrationMaxPerAddress = value }
        if let value = file.registrationWindowSeconds { registrationWindow = value }
        if let value = file.chatHistoryLimit { chatHistoryLimit = value }
        if let value = file.maxMessageCharacters { maxMessageCharacters = value }
        if let value = file.requestHeaderTimeoutSeconds { connections.headerTimeout = value }
        if let value = file.requestBodyTimeoutSeconds { connections.bodyTimeout = value }
        if let value = file.idleTimeoutSeconds { connections.idleTimeout = value }
        if let value = file.maxConnections { connections.maxConnections = value }
        if let value = file.emergencyNumber { emergencyNumber = value.trimmingCharacters(in: .whitespaces) }
        if let value = file.crisisLines { crisisLines = value.trimmingCharacters(in: .whitespaces) }
        if let value = file.pluginAllowInsecure { pluginAllowInsecure = value }
    }

    /// The longest refresh-token lifetime `check()` accepts: a year.
    static let longestRefreshTTL: TimeInterval = 31_536_000

    /// Rejects values the server cannot run with.
    public func check() throws {
        guard (1...65535).contains(port) else { throw ConfigurationError("port must be 1...65535") }
        guard !dataDirectory.isEmpty else { throw ConfigurationError("the data folder must not be empty") }
        guard (4...31).contains(bcryptCost) else { throw ConfigurationError("bcrypt cost must be 4...31") }
        // Access tokens are short-lived by design; a refresh token lives a year at most.
        guard accessTokenTTL >= 10, accessTokenTTL <= 86_400, refreshTokenTTL >= accessTokenTTL,
            refreshTokenTTL <= Self.longestRefreshTTL
        else {
            throw ConfigurationError(
                "token lifetimes: access 10...86400 s (a day), refresh from the access lifetime to 31536000 s (a year)")
        }
        guard maxBodyBytes >= 1024 else { throw ConfigurationError("max body must be at least 1024 bytes") }
        guard loginMaxFailures >= 1, loginThrottleWindow >= 1 else {
            throw ConfigurationError("login throttle needs at least 1 failure and 1 second")
        }
        _ = try TrustedProxies(cidrs: trustedProxies, trustForwardedFor: trustForwardedFor)
        if let webRoot, !webRoot.isEmpty {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: webRoot, isDirectory: &isFolder), isFolder.boolValue else {
                throw ConfigurationError("the web root \(webRoot) is not a folder")
            }
        }
        if let jwtSecret, !jwtSecret.isEmpty { try JWTSecret.check(jwtSecret) }
        guard registrationMaxPerAddress >= 1, registrationWindow >= 1 else {
            throw ConfigurationError("registration rate limit needs at least 1 registration and 1 second")
        }
        guard loginThrottleWindow <= LoginThrottle.longestWindow, registrationWindow <= LoginThrottle.longestWindow else {
            throw ConfigurationError("login and registration windows must be at most 31536000 seconds (a year)")
        }
        for (name, seconds) in [
            ("request header timeout", connections.headerTimeout), ("request body timeout", connections.bodyTimeout),
            ("idle timeout", connections.idleTimeout),
        ] where !(seconds >= 0.1 && seconds <= 86_400) {
            // Below a tenth of a second no client gets a request in: the host would be up and useless.
            throw ConfigurationError("the \(name) must be 0.1...86400 seconds")
        }
        guard (1...1_000_000).contains(connections.maxConnections) else {
            throw ConfigurationError("max connections must be 1...1000000")
        }
        guard chatHistoryLimit >= 0, maxMessageCharacters >= 1 else {
            throw ConfigurationError("chat limits must be positive")
        }
        guard !emergencyNumber.isEmpty, emergencyNumber.count <= 100 else {
            throw ConfigurationError("the emergency number must be 1...100 characters")
        }
        // Read by someone in crisis: one line of text, no control characters.
        if let crisisLines,
            crisisLines.isEmpty || crisisLines.count > 500
                || crisisLines.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            throw ConfigurationError("the crisis lines must be 1...500 characters of one line of text")
        }
    }

    /// The SQLite file of a database URL: a path, `sqlite://PATH`, `sqlite:PATH` or `file:PATH`;
    /// throws ``ConfigurationError`` for a PostgreSQL URL or an unsupported one.
    public static func sqlitePath(_ url: String) throws -> String {
        switch try DatabaseLocation(url: url) {
        case .sqlite(let path): return path
        case .postgres: throw ConfigurationError("\(DatabaseLocation.redact(url)) is a PostgreSQL URL, not a SQLite file")
        }
    }

    /// The checks for a host that serves, beyond ``check()``: a host on a shared database
    /// (PostgreSQL) needs the JWT secret set, since a secret generated per host would make
    /// one host's tokens invalid on the others. `vigor migrate` and `vigor user create` do not
    /// sign tokens and need no secret.
    public func checkServing() throws {
        guard database.isShared, (jwtSecret ?? "").isEmpty else { return }
        throw ConfigurationError(
            "the database is PostgreSQL (shared by several hosts), so the JWT secret must be set: "
                + "set VIGOR_JWT_SECRET (or jwt_secret in the config file) to the same random value of at least \(JWTSecret.minimumBytes) bytes "
                + "(e.g. `openssl rand -base64 48`) on every host; "
                + "a secret generated per host would make tokens one host signs invalid on the others")
    }
}

extension VigorConfiguration {
    /// `VIGOR_REQUEST_HEADER_TIMEOUT`, `VIGOR_REQUEST_BODY_TIMEOUT`, `VIGOR_IDLE_TIMEOUT`
    /// (seconds) and `VIGOR_MAX_CONNECTIONS`.
    mutating func applyConnectionEnvironment(_ environment: [String: String]) throws {
        func seconds(_ name: String) throws -> Double? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Double(text) else { throw ConfigurationError("\(name) must be a number of seconds") }
            return value
        }
        if let value = try seconds("VIGOR_REQUEST_HEADER_TIMEOUT") { connections.headerTimeout = value }
        if let value = try seconds("VIGOR_REQUEST_BODY_TIMEOUT") { connections.bodyTimeout = value }
        if let value = try seconds("VIGOR_IDLE_TIMEOUT") { connections.idleTimeout = value }
        if let text = environment["VIGOR_MAX_CONNECTIONS"], !text.isEmpty {
            guard let value = Int(text) else { throw ConfigurationError("VIGOR_MAX_CONNECTIONS must be an integer") }
            connections.maxConnections = value
        }
    }
}
