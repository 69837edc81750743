import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

/// One storage seam: the composition root, the AI layer, start-up recovery and the CLI run
/// unchanged on every backend the database URL selects.
@Suite("Storage seam: one host over any Store")
struct StorageSeamTests {
    static let secret = "seam-secret-0123456789-0123456789-abcdef"

    /// A configuration over `database` (its URL, as `VIGOR_DATABASE_URL` takes it) with a data folder in `folder`.
    static func configuration(_ database: FreshDatabase, folder: URL) throws -> VigorConfiguration {
        var configuration = VigorConfiguration(jwtSecret: secret, bcryptCost: 4)
        configuration.database = try DatabaseLocation(url: database.url)
        configuration.dataDirectory = folder.appendingPathComponent("data").path
        return configuration
    }

    @Test(
        "the composition root builds the plugin-backed host on the backend the URL selects; it migrates, recovers and serves",
        arguments: StoreBackend.allCases)
    func pluginHost(_ backend: StoreBackend) async throws {
        try await TestHost.withFolder("vigor-seam") { folder in
            try await TestDatabase.withURL(backend) { database in
                var configuration = try Self.configuration(database, folder: folder)
                configuration.pluginDirectory = try PluginHost.pluginFolder(in: folder).path
                let host = try await HostAssembly.build(
                    configuration: configuration, ai: .plugins(.init(environment: [:], pollInterval: nil)), logger: TestHost.logger)
                switch backend {
                case .sqlite: #expect(host.store is SQLiteStore)
                case .postgres: #expect(host.store is PostgresStore)
                }
                try await host.application().test(.router) { client in
                    #expect(try await client.send(.get, "/ready").status == .ok)
                    let user = try await client.register("seam")
                    let chat = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "How do I start?"])
                    #expect(chat.status == .ok, "\(chat.text)")
                    #expect(chat.json["provider"] as? String == "fallback", "\(chat.text)")
                    // The ledger over this backend charged the request.
                    let usage = try await host.store.usageCounters(userID: user.id, at: Date()).first { $0.period == .day }
                    #expect(usage?.requests == 1)
                }
            }
        }
    }

    @Test("a closed store answers 503 with Retry-After on every backend", arguments: StoreBackend.allCases)
    func closedStore(_ backend: StoreBackend) async throws {
        try await TestHost.withFolder("vigor-seam") { folder in
            try await TestDatabase.withURL(backend) { database in
                let host = try await HostAssembly.build(
                    configuration: try Self.configuration(database, folder: folder), ai: .custom({ _ in TestCoachAI() }),
                    logger: TestHost.logger)
                try await host.application().test(.router) { client in
                    let user = try await client.register("closed")
                    try await host.store.close()
                    StoreUnavailableTests.expectUnavailable(
                        try await client.send(
                            .post, "/api/v1/auth/login", json: ["email": "closed@example.com", "password": "correct-horse-battery"]),
                        "login")
                    StoreUnavailableTests.expectUnavailable(try await client.send(.get, "/api/v1/users/me", token: user.token), "profile")
                    StoreUnavailableTests.expectUnavailable(
                        try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "hi"]), "chat")
                }
            }
        }
    }

    @Test(
        "vigor migrate --database-url: two at once on a fresh database both succeed, each migration applied once; then up to date",
        arguments: StoreBackend.allCases)
    func migrateCommand(_ backend: StoreBackend) async throws {
        try await TestDatabase.withURL(backend) { database in
            async let first = VigorRun.run(["migrate", "--database-url", database.url])
            async let second = VigorRun.run(["migrate", "--database-url", database.url])
            let runs = try await [first, second]
            for run in runs { #expect(run.status == 0, "\(run.output)") }
            let applied = runs.flatMap { run -> [String] in
                guard let line = run.output.split(separator: "\n").first(where: { $0.hasPrefix("applied: ") }) else { return [] }
                return line.dropFirst("applied: ".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            #expect(!applied.isEmpty)
            #expect(Set(applied).count == applied.count, "a migration was applied twice: \(applied)")
            let again = try await VigorRun.run(["migrate", "--database-url", database.url])
            #expect(again.status == 0 && again.output.contains("database is up to date"), "\(again.output)")
            // A user made from the command line lands in the same database.
            let create = try await VigorRun.run(
                ["user", "create", "--email", "cli@example.com", "--password-stdin", "--database-url", database.url],
                environment: ["VIGOR_BCRYPT_COST": "4"], input: "cli-password-0123456789\n")
            #expect(create.status == 0 && create.output.contains("created user"), "\(create.output)")
            #expect(!create.output.contains("JWT"), "user create needs no JWT secret: \(create.output)")
        }
    }

    @Test("two vigor serve processes share one PostgreSQL database: both start (no single-host lock there)", .timeLimit(.minutes(2)))
    func twoHostsOnPostgres() async throws {
        try await TestHost.withFolder("vigor-seam-serve") { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try await TestDatabase.withURL(.postgres) { database in
                let environment = ["VIGOR_DATA_DIR": folder.path]
                try await ServeProcess.with(database: database.url, plugins: folder.path, environment: environment) { first in
                    try await ServeProcess.with(database: database.url, plugins: folder.path, environment: environment) { second in
                        #expect(first.isRunning && second.isRunning)
                        #expect(second.lines.contains { $0.contains("store ready") && $0.contains("postgres://") })
                    }
                }
            }
        }
    }
}
