import Foundation
import Hummingbird
import Logging
import Testing

@testable import VigorHost

@Suite("Configuration and secrets")
struct ConfigurationTests {
    @Test("defaults, then file, then environment, then flags")
    func precedence() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("vigor.json")
        try Data(#"{"port": 9000, "database_url": "sqlite:///tmp/from-file.sqlite", "cors_origins": ["https://a.example"]}"#.utf8)
            .write(to: file)

        let defaults = try VigorConfiguration.load(environment: [:])
        #expect(defaults.host == "127.0.0.1" && defaults.port == 8080)
        #expect(defaults.bcryptCost == 12 && defaults.corsOrigins.isEmpty && defaults.jwtSecret == nil)
        #expect(defaults.maxBodyBytes == 1 << 20 && defaults.accessTokenTTL == 900)

        let loaded = try VigorConfiguration.load(
            environment: [
                "VIGOR_DATABASE_URL": "/tmp/from-env.sqlite", "VIGOR_JWT_SECRET": "s3cret-0123456789-0123456789-0123456789",
                "VIGOR_PLUGIN_DIR": "/p",
            ],
            flags: .init(port: 9100, configFile: file.path))
        #expect(loaded.port == 9100)
        #expect(loaded.databasePath == "/tmp/from-env.sqlite")
        #expect(loaded.dataDirectory == "/tmp")
        #expect(loaded.jwtSecret == "s3cret-0123456789-0123456789-0123456789")
        #expect(loaded.pluginDirectory == "/p")
        #expect(loaded.corsOrigins == ["https://a.example"])

        let fromFile = try VigorConfiguration.load(environment: [:], flags: .init(configFile: file.path))
        #expect(fromFile.databasePath == "/tmp/from-file.sqlite")
        #expect(fromFile.port == 9000)
    }

    @Test("the data folder follows the database unless set; file, then VIGOR_DATA_DIR, then --data-dir; empty is refused")
    func dataDirectory() throws {
        try TestHost.withFolderSync("vigor-config") { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("vigor.json")
            try Data(#"{"database_url": "/srv/db/vigor.sqlite", "data_dir": "/srv/from-file"}"#.utf8).write(to: file)
            #expect(try VigorConfiguration.load(environment: ["VIGOR_DATABASE_URL": "/srv/db/vigor.sqlite"]).dataDirectory == "/srv/db")
            let fromFile = try VigorConfiguration.load(environment: [:], flags: .init(configFile: file.path))
            #expect(fromFile.dataDirectory == "/srv/from-file" && fromFile.databasePath == "/srv/db/vigor.sqlite")
            let fromEnvironment = try VigorConfiguration.load(
                environment: ["VIGOR_DATA_DIR": "/srv/from-env"], flags: .init(configFile: file.path))
            #expect(fromEnvironment.dataDirectory == "/srv/from-env")
            let fromFlag = try VigorConfiguration.load(
                environment: ["VIGOR_DATA_DIR": "/srv/from-env"], flags: .init(configFile: file.path, dataDirectory: "/srv/from-flag"))
            #expect(fromFlag.dataDirectory == "/srv/from-flag")
            // Moving the database later moves a data folder that was never set, not one that was.
            var derived = VigorConfiguration(databasePath: "/a/vigor.sqlite")
            derived.databasePath = "/b/vigor.sqlite"
            #expect(derived.dataDirectory == "/b")
            #expect(throws: ConfigurationError.self) { try VigorConfiguration.load(environment: [:], flags: .init(dataDirectory: "")) }
        }
    }

    @Test("insecure plugin files: off by default, on from the config file, the environment wins")
    func pluginAllowInsecure() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("vigor.json")
        try Data(#"{"plugin_allow_insecure": true}"#.utf8).write(to: file)
        #expect(try VigorConfiguration.load(environment: [:]).pluginAllowInsecure == false)
        #expect(try VigorConfiguration.load(environment: [:], flags: .init(configFile: file.path)).pluginAllowInsecure == true)
        let envOff = try VigorConfiguration.load(environment: ["VIGOR_PLUGIN_ALLOW_INSECURE": "0"], flags: .init(configFile: file.path))
        #expect(envOff.pluginAllowInsecure == false)
        #expect(try VigorConfiguration.load(environment: ["VIGOR_PLUGIN_ALLOW_INSECURE": "1"]).pluginAllowInsecure == true)
    }

    @Test("unusable settings are refused")
    func refused() {
        #expect(throws: ConfigurationError.self) { try VigorConfiguration.load(environment: [:], flags: .init(port: 0)) }
        #expect(throws: ConfigurationError.self) {
            try VigorConfiguration.load(environment: [:], flags: .init(configFile: "/nonexistent/vigor.json"))
        }
        #expect(throws: ConfigurationError.self) { try VigorConfiguration.load(environment: ["VIGOR_BCRYPT_COST": "99"]) }
    }

    /// Loads a config file holding `json`.
    static func loadFile(_ json: String) throws -> VigorConfiguration {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-config-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(json.utf8).write(to: file)
        return try VigorConfiguration.load(environment: [:], flags: .init(configFile: file.path))
    }

    @Test(
        "a careless operator's numbers are refused at start, with a message: token lifetimes past a day or a year, timeouts no request can meet",
        arguments: [
            #"{"refresh_token_ttl_seconds": 1e19}"#, #"{"refresh_token_ttl_seconds": 31536001}"#,
            #"{"access_token_ttl_seconds": 86401, "refresh_token_ttl_seconds": 86401}"#,
            #"{"access_token_ttl_seconds": 9223372036854775807}"#, #"{"access_token_ttl_seconds": -9223372036854775808}"#,
            #"{"request_header_timeout_seconds": 1e-300}"#, #"{"request_body_timeout_seconds": 0.05}"#,
            #"{"idle_timeout_seconds": 1e308}"#, #"{"max_connections": -1}"#, #"{"bcrypt_cost": 99}"#,
            #"{"login_throttle_window_seconds": 1e308}"#, #"{"max_message_characters": -5}"#,
            #"{"registration_window_seconds": "NaN"}"#,
        ])
    func carelessNumbers(json: String) {
        #expect(throws: ConfigurationError.self, "\(json)") { try Self.loadFile(json) }
    }

    @Test("the edges of those ranges load")
    func rangeEdges() throws {
        let edges = try Self.loadFile(
            #"{"access_token_ttl_seconds": 86400, "refresh_token_ttl_seconds": 31536000, "request_header_timeout_seconds": 0.1}"#)
        #expect(edges.accessTokenTTL == 86_400 && edges.refreshTokenTTL == 31_536_000 && edges.connections.headerTimeout == 0.1)
    }

    @Test(
        "vigor serve refuses what would otherwise pass unsaid: a poll period that turns the folder watch off or makes it spin, an unknown log level or executor",
        .timeLimit(.minutes(1)),
        arguments: [
            ("VIGOR_PLUGIN_POLL_SECONDS", "nan"), ("VIGOR_PLUGIN_POLL_SECONDS", "-1"), ("VIGOR_PLUGIN_POLL_SECONDS", "0.01"),
            ("VIGOR_PLUGIN_POLL_SECONDS", "1e300"), ("VIGOR_PLUGIN_POLL_SECONDS", "2s"), ("VIGOR_LOG_LEVEL", "verbose"),
            ("VIGOR_NIO_EXECUTOR", "1"),
        ])
    func environmentRefused(name: String, value: String) async throws {
        try await TestHost.withFolder("vigor-env") { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let result = try await VigorRun.run(
                [
                    "serve", "--port", String(RawHTTPConnection.freePort()), "--plugins", folder.path,
                    "--database-url", "sqlite:" + folder.appendingPathComponent("vigor.sqlite").path,
                ],
                environment: [name: value])
            #expect(result.status != 0)
            #expect(result.output.contains("\(name) must be"), "\(result.output)")
        }
    }

    @Test("VIGOR_LOG_LEVEL is read in any case: DEBUG logs the debug line of a refused request", .timeLimit(.minutes(1)))
    func logLevelAnyCase() async throws {
        try await TestHost.withFolder("vigor-level") { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try await ServeProcess.with(
                database: folder.appendingPathComponent("vigor.sqlite").path, plugins: folder.path,
                environment: ["VIGOR_LOG_LEVEL": "DEBUG"]
            ) { server in
                let answer = try await onOwnThread {
                    try RawHTTPConnection.request(port: server.port, method: "GET", path: "/api/v1/no-such-route")
                }
                #expect(answer.status == 404)
                #expect(await server.firstLine(containing: "request refused") != nil, "\(server.lines.suffix(5))")
            }
        }
    }

    @Test(
        "a provider base URL that is not an absolute http(s) URL is refused at start, before the store opens",
        arguments: ["ftp://x", "localhost:8080", "http://", "/v1", "https//api.example.com"])
    func baseURLRefused(value: String) async throws {
        try await TestHost.withFolder("vigor-base-url") { folder in
            var configuration = try VigorConfiguration.load(environment: [:])
            configuration.database = .sqlite(path: folder.appendingPathComponent("vigor.sqlite").path)
            configuration.pluginDirectory = folder.path
            configuration.dataDirectory = folder.path
            let error = await #expect(throws: ConfigurationError.self) {
                _ = try await HostAssembly.build(
                    configuration: configuration, ai: .plugins(.init(environment: ["VIGOR_OPENAI_BASE_URL": value], pollInterval: nil)),
                    logger: TestHost.logger)
            }
            #expect(error?.message.contains("VIGOR_OPENAI_BASE_URL") == true, "\(String(describing: error))")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("vigor.sqlite").path), "refused before the store")
        }
        try AIAssembly.checkBaseURLOverrides(["VIGOR_OPENAI_BASE_URL": "http://127.0.0.1:9099/", "VIGOR_BASE_URL": "x"])
    }

    @Test("a date past what Int64 milliseconds hold is stored saturated, not trapped on (a lifetime of 1e19 s added to now did)")
    func epochMillisSaturate() {
        #expect(Date(timeIntervalSince1970: 1e19).epochMillis == .max)
        #expect(Date(timeIntervalSince1970: -1e19).epochMillis == .min)
        #expect(Date(timeIntervalSince1970: .infinity).epochMillis == .max)
        #expect(Date(timeIntervalSince1970: -.infinity).epochMillis == .min)
        #expect(Date(timeIntervalSince1970: .nan).epochMillis == 0)
        #expect(Date(epochMillis: .max).epochMillis == .max)
        #expect(Date.distantFuture.epochMillis == 64_092_211_200_000)
        #expect(Date(timeIntervalSince1970: 1_780_000_000.0005).epochMillis == 1_780_000_000_001)
        #expect(Date().addingTimeInterval(1e19).epochMillis == .max)
    }

    @Test(
        "a database URL selects the backend: postgres:// and postgresql:// are PostgreSQL, sqlite:, file: and paths SQLite; file, then VIGOR_DATABASE_URL, then --database-url"
    )
    func databaseURL() throws {
        try TestHost.withFolderSync("vigor-config") { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("vigor.json")
            try Data(#"{"database_url": "postgresql://vigor:pw@db.internal:6432/vigor?sslmode=require"}"#.utf8).write(to: file)
            let fromFile = try VigorConfiguration.load(environment: [:], flags: .init(configFile: file.path))
            #expect(fromFile.database == .postgres(url: "postgresql://vigor:pw@db.internal:6432/vigor?sslmode=require"))
            #expect(fromFile.database.isShared)
            // No data folder set: `data`, not the folder of the unused SQLite default.
            #expect(fromFile.dataDirectory == "data")

            let fromEnvironment = try VigorConfiguration.load(
                environment: ["VIGOR_DATABASE_URL": "postgres://h1@127.0.0.1:55432/h1?sslmode=disable", "VIGOR_DATA_DIR": "/srv/vigor"],
                flags: .init(configFile: file.path))
            #expect(fromEnvironment.database == .postgres(url: "postgres://h1@127.0.0.1:55432/h1?sslmode=disable"))
            #expect(fromEnvironment.dataDirectory == "/srv/vigor")

            // A SQLite flag after a PostgreSQL variable: SQLite, and the data folder follows the file again.
            let fromFlag = try VigorConfiguration.load(
                environment: ["VIGOR_DATABASE_URL": "postgres://db/vigor"], flags: .init(database: "sqlite:/srv/one/vigor.sqlite"))
            #expect(fromFlag.database == .sqlite(path: "/srv/one/vigor.sqlite"))
            #expect(fromFlag.postgresURL == nil && fromFlag.databasePath == "/srv/one/vigor.sqlite" && fromFlag.dataDirectory == "/srv/one")
            #expect(!fromFlag.database.isShared)

            for (url, path) in [
                ("sqlite:///tmp/a.sqlite", "/tmp/a.sqlite"), ("sqlite:rel/b.sqlite", "rel/b.sqlite"),
                ("file:/tmp/c.sqlite", "/tmp/c.sqlite"),
                ("/tmp/d.sqlite", "/tmp/d.sqlite"), ("  e.sqlite ", "e.sqlite"),
            ] {
                #expect(try DatabaseLocation(url: url) == .sqlite(path: path), "\(url)")
            }
            #expect(try DatabaseLocation(url: "POSTGRES://db/v") == .postgres(url: "POSTGRES://db/v"))
            #expect(try DatabaseLocation(url: "postgres:///vigor?host=/var/run/postgresql").isShared)
        }
    }

    @Test("an invalid database URL is refused at start with a message naming it, never its password")
    func invalidDatabaseURL() throws {
        for url in [
            "mysql://root:hunter2@db/vigor", "postgres://root:hunter2@/vigor", "postgresql://", "sqlite:", "file:",
            "postgres://root:hunter2@db:99999999999/vigor", "postgres://root:hunter2@db:0/vigor", "postgres://db:abc/vigor", "redis://x",
            "postgres://root:hunter2@db/vigor?sslmode=bogus", "postgres://root:hunter2@db/vigor?pool_max=0",
            "postgres://root:hunter2@db/vigor?sslmod=require",
        ] {
            let error = #expect(throws: ConfigurationError.self, "\(url)") {
                try VigorConfiguration.load(environment: ["VIGOR_DATABASE_URL": url])
            }
            #expect(error?.message.contains("database URL") == true, "\(url): \(error?.message ?? "")")
            #expect(error?.message.contains("hunter2") == false, "\(url): \(error?.message ?? "")")
            #expect(throws: ConfigurationError.self) { try VigorConfiguration.load(environment: [:], flags: .init(database: url)) }
        }
        #expect(
            DatabaseLocation.postgres(url: "postgres://u:hunter2@db:5432/v?sslmode=require").description
                == "postgres://u:***@db:5432/v?sslmode=require")
        #expect(DatabaseLocation.redact("postgres://u:p/w@x@db/v") == "postgres://u:***@db/v")
        #expect(DatabaseLocation.redact("postgres://u@db/v") == "postgres://u@db/v")
    }

    @Test("on PostgreSQL a host refuses to start without VIGOR_JWT_SECRET; migrate and user create need none")
    func sharedDatabaseNeedsSecret() async throws {
        // An address where nothing listens: the refusal must come before any connection.
        let url = "postgres://vigor@127.0.0.1:1/none?connect_timeout=1"
        let loaded = try VigorConfiguration.load(environment: ["VIGOR_DATABASE_URL": url])
        let error = #expect(throws: ConfigurationError.self) { try loaded.checkServing() }
        #expect(error?.message.contains("VIGOR_JWT_SECRET") == true)
        await #expect(throws: ConfigurationError.self) {
            _ = try await HostAssembly.build(configuration: loaded, ai: .custom({ _ in TestCoachAI() }), logger: TestHost.logger)
        }
        try VigorConfiguration.load(environment: ["VIGOR_DATABASE_URL": url, "VIGOR_JWT_SECRET": String(repeating: "k", count: 40)])
            .checkServing()
        // SQLite keeps generating a secret in the data folder when none is set.
        try VigorConfiguration.load(environment: [:]).checkServing()
    }

    @Test("without VIGOR_JWT_SECRET a secret is generated once, kept with mode 0600, and reused")
    func generatedSecret() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-secret-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try JWTSecret.resolve(configured: nil, dataDirectory: folder.path, logger: TestHost.logger)
        #expect(first.utf8.count >= 32)
        let path = folder.appendingPathComponent(JWTSecret.fileName).path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try JWTSecret.resolve(configured: nil, dataDirectory: folder.path, logger: TestHost.logger)
        #expect(second == first)
        let configured = try JWTSecret.resolve(
            configured: "configured-secret-0123456789-0123456789", dataDirectory: folder.path, logger: TestHost.logger)
        #expect(configured == "configured-secret-0123456789-0123456789")
    }
}
