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
        #expect(throws: ConfigurationError.self) {
            try VigorConfiguration.load(environment: ["VIGOR_DATABASE_URL": "postgres://db/vigor"])
        }
        #expect(throws: ConfigurationError.self) { try VigorConfiguration.load(environment: [:], flags: .init(port: 0)) }
        #expect(throws: ConfigurationError.self) {
            try VigorConfiguration.load(environment: [:], flags: .init(configFile: "/nonexistent/vigor.json"))
        }
        #expect(throws: ConfigurationError.self) { try VigorConfiguration.load(environment: ["VIGOR_BCRYPT_COST": "99"]) }
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
