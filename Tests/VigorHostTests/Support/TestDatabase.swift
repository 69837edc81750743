import Foundation
import Logging
import NIOCore
import PostgresNIO
import Testing

@testable import VigorHost

/// A database backend the host can run on. Parameterize a test over every backend with
/// `@Test(arguments: StoreBackend.allCases)`; the test's name then carries the backend
/// (`sqlite` or `postgres`), and so does every failure it records.
enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible, CustomTestStringConvertible {
    /// A temporary SQLite file.
    case sqlite
    /// A new database on the server named by `VIGOR_TEST_POSTGRES_URL`.
    case postgres

    var description: String { rawValue }
    var testDescription: String { rawValue }
}

/// Why a test database could not be made.
struct TestDatabaseError: Error, CustomStringConvertible {
    var description: String
}

/// A database made for one test: its URL (for a `vigor serve` process's `VIGOR_DATABASE_URL`)
/// and how to remove it. Call ``drop()`` when the test ends (``TestDatabase/withURL(_:_:)``
/// does it for you).
struct FreshDatabase: Sendable {
    /// The backend it lives on.
    let backend: StoreBackend
    /// `sqlite:` path or `postgres://…/vigor_t_…` URL, as `VIGOR_DATABASE_URL` takes it.
    let url: String
    /// The SQLite file (nil on PostgreSQL).
    let sqlitePath: String?
    /// The PostgreSQL database's name (nil on SQLite).
    let postgresName: String?

    /// Removes the database: the SQLite folder, or `DROP DATABASE … WITH (FORCE)`.
    func drop() async throws {
        if let sqlitePath {
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: sqlitePath).deletingLastPathComponent().path)
        }
        if let postgresName {
            try await TestDatabase.admin { connection in
                try await connection.query(
                    PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(postgresName)\" WITH (FORCE)"), logger: TestDatabase.logger)
            }
        }
    }
}

/// Fresh, migrated databases for tests, one per test, on every backend.
///
/// - SQLite: a file in a new temporary folder.
/// - PostgreSQL: `CREATE DATABASE vigor_t_<uuid>` on the server named by
///   `VIGOR_TEST_POSTGRES_URL` (an admin URL, e.g.
///   `postgres://vigor@127.0.0.1:5432/postgres?sslmode=disable`), dropped afterwards.
///   When the variable is unset, a PostgreSQL test fails, saying how to start a server:
///   it is never skipped.
enum TestDatabase {
    /// The variable naming the PostgreSQL server tests create their databases on.
    static let postgresURLVariable = "VIGOR_TEST_POSTGRES_URL"

    static let logger: Logger = {
        var logger = Logger(label: "vigor.tests.database")
        logger.logLevel = .warning
        return logger
    }()

    /// The failure of a PostgreSQL test run without a server.
    static let missingServerMessage = """
        \(postgresURLVariable) is not set, so this PostgreSQL test has no server: run the tests with `make test` \
        (it installs Debian's postgresql when missing and starts a throwaway cluster), or start one yourself with \
        `eval "$(Tests/Scripts/postgres.sh start)"` and run `swift test` in that shell (`Tests/Scripts/postgres.sh stop` \
        removes it), or export \(postgresURLVariable)=postgres://USER@HOST:PORT/postgres?sslmode=disable naming a \
        server where USER may create databases.
        """

    /// The admin URL's parts.
    struct ServerAddress: Sendable {
        var host: String
        var port: Int
        var user: String
        var password: String?
        var database: String
        /// The query string (`sslmode=disable`), kept on the URLs handed out.
        var query: String?

        /// The URL of `database` on this server.
        func url(database: String) -> String {
            var components = URLComponents()
            components.scheme = "postgres"
            components.host = host
            components.port = port
            components.user = user
            components.password = password
            components.path = "/" + database
            var text = components.string ?? "postgres://\(user)@\(host):\(port)/\(database)"
            if let query, !query.isEmpty { text += "?" + query }
            return text
        }
    }

    /// The server named by `VIGOR_TEST_POSTGRES_URL`; throws the "how to start one" failure when unset.
    static func postgresServer() throws -> ServerAddress {
        guard let text = ProcessInfo.processInfo.environment[postgresURLVariable], !text.isEmpty else {
            throw TestDatabaseError(description: missingServerMessage)
        }
        guard let components = URLComponents(string: text), components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty
        else {
            throw TestDatabaseError(description: "\(postgresURLVariable) is not a postgres:// URL: \(text)")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        return ServerAddress(
            host: host, port: components.port ?? 5432, user: components.user ?? "postgres", password: components.password,
            database: database.isEmpty ? "postgres" : database, query: components.query)
    }

    /// Runs `body` on a new connection to the admin database, closed afterwards.
    @discardableResult
    static func admin<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await connect(try postgresServer(), body)
    }

    /// Runs `body` on a new connection to `server`'s database, closed afterwards.
    @discardableResult
    static func connect<T: Sendable>(_ server: ServerAddress, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let configuration = PostgresConnection.Configuration(
            host: server.host, port: server.port, username: server.user, password: server.password, database: server.database,
            tls: .disable)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw TestDatabaseError(
                description:
                    "cannot reach the PostgreSQL server of \(postgresURLVariable) (\(server.host):\(server.port)): \(String(reflecting: error)). \(missingServerMessage)"
            )
        }
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A new, empty (not yet migrated) database on `backend`.
    static func fresh(_ backend: StoreBackend) async throws -> FreshDatabase {
        switch backend {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-db-\(UUID().uuidString)")
                .appendingPathComponent("vigor.sqlite").path
            return FreshDatabase(backend: .sqlite, url: "sqlite:" + path, sqlitePath: path, postgresName: nil)
        case .postgres:
            let server = try postgresServer()
            let name = "vigor_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await admin { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""), logger: logger)
            }
            return FreshDatabase(backend: .postgres, url: server.url(database: name), sqlitePath: nil, postgresName: name)
        }
    }

    /// Runs `body` with the URL of a new, empty database on `backend` (for tests that start
    /// `vigor serve` with `VIGOR_DATABASE_URL`); the database is dropped afterwards.
    static func withURL<T>(_ backend: StoreBackend, _ body: (FreshDatabase) async throws -> T) async throws -> T {
        let database = try await fresh(backend)
        do {
            let result = try await body(database)
            try await database.drop()
            return result
        } catch {
            try? await database.drop()
            throw error
        }
    }

    /// Opens the store of `database` (not migrated). On PostgreSQL the pool opens at most
    /// `poolMax` connections (tests run in parallel on one server), and a call waits up to
    /// 30 s for one, not the default 5 s: with every suite running at once on two busy cores,
    /// a dozen conformance tests once failed together, "no PostgreSQL connection within 5.0
    /// seconds", while the server's log showed nothing wrong. The tests of the timeout itself
    /// set their own.
    static func open(_ database: FreshDatabase, poolMax: Int = 8) async throws -> any Store {
        switch database.backend {
        case .sqlite:
            return try SQLiteStore(path: database.sqlitePath ?? "")
        case .postgres:
            let separator = database.url.contains("?") ? "&" : "?"
            return try await PostgresStore.open(
                url: database.url + separator + "pool_max=\(poolMax)&connect_timeout=30", logger: logger)
        }
    }

    /// Runs `body` on a new connection to `database` (PostgreSQL only), closed afterwards.
    @discardableResult
    static func connect<T: Sendable>(_ database: FreshDatabase, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        guard let name = database.postgresName else {
            throw TestDatabaseError(description: "\(database.url) is not a PostgreSQL database")
        }
        var server = try postgresServer()
        server.database = name
        return try await connect(server, body)
    }

    /// A fresh, migrated store on `backend` and its database; the migrations run at `migratedAt`.
    static func make(_ backend: StoreBackend, poolMax: Int = 8, migratedAt: Date = Date()) async throws -> (
        store: any Store, database: FreshDatabase
    ) {
        let database = try await fresh(backend)
        do {
            let store = try await open(database, poolMax: poolMax)
            do {
                try await store.migrate(logger: logger, now: migratedAt)
            } catch {
                try? await store.close()
                throw error
            }
            return (store, database)
        } catch {
            try? await database.drop()
            throw error
        }
    }

    /// Runs `body` with a fresh, migrated store on `backend`; closes the store and removes
    /// the database afterwards, also when `body` throws.
    static func withStore<T>(_ backend: StoreBackend, poolMax: Int = 8, _ body: (any Store) async throws -> T) async throws -> T {
        try await withStore(backend, poolMax: poolMax) { store, _ in try await body(store) }
    }

    /// ``withStore(_:poolMax:_:)`` that also hands `body` the database (its URL, its backend).
    static func withStore<T>(
        _ backend: StoreBackend, poolMax: Int = 8, migratedAt: Date = Date(), _ body: (any Store, FreshDatabase) async throws -> T
    ) async throws -> T {
        let (store, database) = try await make(backend, poolMax: poolMax, migratedAt: migratedAt)
        do {
            let result = try await body(store, database)
            try? await store.close()
            try await database.drop()
            return result
        } catch {
            try? await store.close()
            try? await database.drop()
            throw error
        }
    }
}
