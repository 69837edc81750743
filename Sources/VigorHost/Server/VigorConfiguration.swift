import Foundation
import VigorCoaching

/// Everything `vigor serve` can be told: from defaults, a JSON config file, the environment
/// and flags (later sources win). See ``load(environment:flags:)``.
public struct VigorConfiguration: Sendable {
    /// Address to bind.
    public var host: String
    public var port: Int
    /// The SQLite database file. Its folder is the data folder unless ``dataDirectory`` is set.
    /// Not used while ``postgresURL`` is set.
    public var databasePath: String
    /// A PostgreSQL database URL (`postgres://…`); when set, the host keeps its data there
    /// instead of in ``databasePath``. See ``database``.
    public var postgresURL: String?
    /// Folder scanned for plugins.
    public var pluginDirectory: String
    /// HS256 secret for access tokens; `nil` = generate one and keep it in the data folder.
    public var jwtSecret: String?
    /// bcrypt cost (4–31); 12 in production, 4 in tests.
    public var bcryptCost: Int
    /// Access-token lifetime in seconds.
    public var accessTokenTTL: TimeInterval
    /// Refresh-token lifetime in seconds.
    public var refreshTokenTTL: TimeInterval
    /// Largest request body accepted, in bytes (413 above).
    public var maxBodyBytes: Int
    /// Origins allowed by CORS (exact match, e.g. `https://app.example.com`); none by default.
    public var corsOrigins: [String]
    /// Failed logins allowed per account and per address within ``loginThrottleWindow``.
    public var loginMaxFailures: Int
    /// The login-throttle window in seconds.
    public var loginThrottleWindow: TimeInterval
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    /// Without ``trustedProxies``: the peer is one trusted proxy and the right-most entry is
    /// the client. With ``trustedProxies`` set, the list decides and this flag is not needed.
    public var trustForwardedFor: Bool
    /// Proxies (IPv4/IPv6 addresses or CIDR blocks) whose `X-Forwarded-For` is believed: the
    /// client is the right-most hop outside these blocks. Empty: the connection's peer.
    public var trustedProxies: [String] = []
    /// Registrations allowed per client address within ``registrationWindow``.
    public var registrationMaxPerAddress: Int = 10
    /// The registration rate-limit window in seconds.
    public var registrationWindow: TimeInterval = 3600
    /// Connection deadlines and the connection cap (slowloris guard); see ``ConnectionLimits``.
    public var connections = ConnectionLimits()
    /// How many rows a user may keep of each kind that grows without bound otherwise.
    public var userLimits = UserLimits()
    /// How many earlier messages of a conversation are sent with each chat turn.
    public var chatHistoryLimit: Int
    /// Longest chat message accepted, in characters.
    public var maxMessageCharacters: Int
    /// The emergency number the safety screen's answer names (`VIGOR_EMERGENCY_NUMBER`, `emergency_number`).
    public var emergencyNumber: String = VigorConfiguration.defaultEmergencyNumber
    /// Where the crisis answer to words of suicide or self-harm sends people (`VIGOR_CRISIS_LINES`,
    /// `crisis_lines`): set it to the lines of the country served. `nil`: each screen language's
    /// own (English: 988 for the US and Canada, Samaritans for the UK and Ireland,
    /// findahelpline.com; Spanish: 024 in Spain, the Línea de la Vida in Mexico).
    public var crisisLines: String?
    /// Load plugin files and folders that other users can write (development only; logs a
    /// warning). `VIGOR_PLUGIN_ALLOW_INSECURE=1` or `plugin_allow_insecure`.
    public var pluginAllowInsecure = false
    /// The safety screen's rule tables (English built in); an embedder adds a language here.
    public var safetyScreen: SafetyScreen = .standard
    /// Seconds to let in-flight requests finish on SIGTERM/SIGINT.
    public var shutdownGracePeriod: TimeInterval
    /// The web client's folder (`--web-root`, `VIGOR_WEB_ROOT`, `web_root`); `nil` = the
    /// resource bundle installed beside `vigor` (see ``WebAssets/locate(configured:)``).
    public var webRoot: String?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        databasePath: String = "data/vigor.sqlite",
        pluginDirectory: String = "plugins",
        jwtSecret: String? = nil,
        bcryptCost: Int = 12,
        accessTokenTTL: TimeInterval = 15 * 60,
        refreshTokenTTL: TimeInterval = 30 * 86_400,
        maxBodyBytes: Int = 1 << 20,
        corsOrigins: [String] = [],
        loginMaxFailures: Int = 5,
        loginThrottleWindow: TimeInterval = 15 * 60,
        trustForwardedFor: Bool = false,
        chatHistoryLimit: Int = 20,
        maxMessageCharacters: Int = 4000,
        shutdownGracePeriod: TimeInterval = 30
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.pluginDirectory = pluginDirectory
        self.jwtSecret = jwtSecret
        self.bcryptCost = bcryptCost
        self.accessTokenTTL = accessTokenTTL
        self.refreshTokenTTL = refreshTokenTTL
        self.maxBodyBytes = maxBodyBytes
        self.corsOrigins = corsOrigins
        self.loginMaxFailures = loginMaxFailures
        self.loginThrottleWindow = loginThrottleWindow
        self.trustForwardedFor = trustForwardedFor
        self.chatHistoryLimit = chatHistoryLimit
        self.maxMessageCharacters = maxMessageCharacters
        self.shutdownGracePeriod = shutdownGracePeriod
    }

    /// Where the host keeps its data (`--database-url`, `VIGOR_DATABASE_URL`, `database_url`):
    /// PostgreSQL at ``postgresURL`` when set, else the SQLite file at ``databasePath``.
    /// Setting a SQLite location clears ``postgresURL``.
    public var database: DatabaseLocation {
        get { postgresURL.map { .postgres(url: $0) } ?? .sqlite(path: databasePath) }
        set {
            switch newValue {
            case .sqlite(let path):
                databasePath = path
                postgresURL = nil
            case .postgres(let url):
                postgresURL = url
            }
        }
    }

    /// The data folder: a generated JWT secret and the plugin cache live here (`--data-dir`,
    /// `VIGOR_DATA_DIR`, `data_dir`). Unless set, the folder holding the SQLite database, or
    /// `data` (relative to the working folder) when the database is PostgreSQL.
    public var dataDirectory: String {
        get {
            if let explicitDataDirectory { return explicitDataDirectory }
            if postgresURL != nil { return Self.defaultDataDirectory }
            return URL(fileURLWithPath: databasePath).deletingLastPathComponent().path
        }
        set { explicitDataDirectory = newValue }
    }

    /// The data folder of a host on PostgreSQL when none is set.
    public static let defaultDataDirectory = "data"

    /// The data folder as set; nil follows the database.
    private var explicitDataDirectory: String?
}

/// A configuration that cannot be used.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
