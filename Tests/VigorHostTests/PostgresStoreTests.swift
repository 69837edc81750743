import Foundation
import Logging
import PostgresNIO
import Testing

@testable import VigorHost

/// The PostgreSQL store's own parts: its URL, its migrations under concurrency, its error
/// mapping (conflicts, references, timeouts, a lost or stopped server). The store contract
/// itself runs in the conformance suite on both backends.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    static let logger: Logger = {
        var logger = Logger(label: "vigor.tests.postgres-store")
        logger.logLevel = .warning
        return logger
    }()

    // MARK: - URL

    @Test("a full URL: user, password (percent-decoded), host, port, database, every parameter")
    func parsesFullURL() throws {
        let configuration = try PostgresStoreConfiguration(
            url:
                "postgresql://app%40corp:p%40ss%2Fw0rd@db.example.com:6432/vigor_prod?sslmode=verify-full&connect_timeout=3&pool_max=7&statement_timeout=250&application_name=vigor-a"
        )
        #expect(configuration.username == "app@corp")
        #expect(configuration.password == "p@ss/w0rd")
        #expect(configuration.host == "db.example.com")
        #expect(configuration.port == 6432)
        #expect(configuration.database == "vigor_prod")
        #expect(configuration.sslMode == .verifyFull)
        #expect(configuration.connectTimeout == .seconds(3))
        #expect(configuration.poolMax == 7)
        #expect(configuration.statementTimeoutMs == 250)
        #expect(configuration.applicationName == "vigor-a")
        #expect(!configuration.redactedDescription.contains("p@ss"), "the password never reaches a log line")

        let client = try configuration.clientConfiguration()
        #expect(client.host == "db.example.com" && client.port == 6432)
        #expect(client.options.maximumConnections == 7)
        #expect(client.options.connectTimeout == .seconds(3))
        let startup = Dictionary(client.options.additionalStartupParameters, uniquingKeysWith: { $1 })
        #expect(startup["statement_timeout"] == "250", "each connection starts with the statement timeout")
        #expect(startup["application_name"] == "vigor-a")
    }

    @Test("defaults: port 5432, database named after the user, sslmode prefer, pool 20, 5 s statements")
    func parsesDefaults() throws {
        let configuration = try PostgresStoreConfiguration(url: "postgres://vigor@[::1]")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 5432)
        #expect(configuration.database == "vigor")
        #expect(configuration.password == nil)
        #expect(configuration.sslMode == .prefer)
        #expect(configuration.poolMax == 20)
        #expect(configuration.statementTimeoutMs == 5000)
        #expect(configuration.connectTimeout == .seconds(5))
    }

    @Test("every sslmode libpq knows is accepted", arguments: PostgresStoreConfiguration.SSLMode.allCases)
    func acceptsSSLModes(_ mode: PostgresStoreConfiguration.SSLMode) throws {
        let configuration = try PostgresStoreConfiguration(url: "postgres://u@h/db?sslmode=\(mode.rawValue)")
        #expect(configuration.sslMode == mode)
        _ = try configuration.clientConfiguration()
    }

    @Test(
        "a bad URL is refused, naming what is wrong",
        arguments: [
            ("postgres://u@h/db?sslmode=verify_full", "sslmode"),
            ("postgres://u@h/db?sslmode=", "sslmode"),
            ("postgres://u@h/db?sslmod=require", "sslmod"),
            ("postgres://u@h/db?pool_max=0", "pool_max"),
            ("postgres://u@h/db?pool_max=abc", "pool_max"),
            ("postgres://u@h/db?connect_timeout=-1", "connect_timeout"),
            ("postgres://u@h/db?statement_timeout=1e3", "statement_timeout"),
            ("postgres://u@h/db?sslmode=require&sslmode=disable", "sslmode"),
            ("postgres://u@h/db?host=relative/dir", "host"),
            ("mysql://u@h/db", "url"),
            ("postgres:///db", "url"),
            ("postgres://u@h/db/extra", "url"),
            ("not a url at all", "url"),
        ])
    func refusesBadURL(_ url: String, _ field: String) throws {
        let error = try #require(throws: StoreError.self) { try PostgresStoreConfiguration(url: url) }
        #expect(error.code == .unavailable)
        #expect(error.field == field, "\(error)")
    }

    @Test("verify modes read sslrootcert; a missing file is refused at start")
    func refusesMissingRootCertificate() throws {
        let configuration = try PostgresStoreConfiguration(
            url: "postgres://u@h/db?sslmode=verify-ca&sslrootcert=/nonexistent/vigor-ca.pem")
        let error = try #require(throws: StoreError.self) { try configuration.clientConfiguration() }
        #expect(error.field == "sslrootcert")
    }

    @Test("a Unix socket folder as the host parameter")
    func parsesSocketFolder() throws {
        let configuration = try PostgresStoreConfiguration(url: "postgres://vigor@/vigor?host=/var/run/postgresql&sslmode=disable")
        #expect(configuration.socketFolder == "/var/run/postgresql")
        #expect(try configuration.clientConfiguration().unixSocketPath == "/var/run/postgresql/.s.PGSQL.5432")
    }

    @Test("constraint names map to the fields they guard")
    func constraintFields() {
        #expect(PostgresStore.field(ofConstraint: "users_email_key", table: "users") == "email")
        #expect(PostgresStore.field(ofConstraint: "users_username_key", table: "users") == "username")
        #expect(PostgresStore.field(ofConstraint: "users_tier_fkey", table: "users") == "tier")
        #expect(PostgresStore.field(ofConstraint: "widgets_serial_key", table: "widgets") == "serial", "by the naming rule")
        #expect(PostgresStore.field(ofConstraint: nil, table: "users") == nil)
    }

    // MARK: - Against the server

    /// A fresh, empty database on the test server, dropped after `body`.
    static func withDatabase<T>(_ body: (FreshDatabase) async throws -> T) async throws -> T {
        try await TestDatabase.withURL(.postgres, body)
    }

    /// Opens a store on `url` with extra URL parameters.
    static func open(_ url: String, _ parameters: String = "") async throws -> PostgresStore {
        let separator = url.contains("?") ? "&" : "?"
        return try await PostgresStore.open(url: parameters.isEmpty ? url : url + separator + parameters, logger: logger)
    }

    @Test("two stores racing migrate on a fresh database: both succeed, each migration applied exactly once")
    func concurrentMigrations() async throws {
        try await Self.withDatabase { database in
            let first = try await Self.open(database.url)
            let second = try await Self.open(database.url)
            async let a = first.migrate(logger: Self.logger, now: Date())
            async let b = second.migrate(logger: Self.logger, now: Date())
            let (appliedA, appliedB) = try await (a, b)
            #expect(Set(appliedA).isDisjoint(with: appliedB), "no migration applied twice")
            #expect((appliedA + appliedB).sorted() == PostgresStore.migrationNames.sorted())
            #expect(appliedA.isEmpty || appliedB.isEmpty, "one host applies, the other waits and finds them applied")
            let recorded = try await first.fetchAll("SELECT name FROM schema_migrations ORDER BY position").map {
                try $0.get("name", as: String.self)
            }
            #expect(recorded == PostgresStore.migrationNames)
            #expect(try await first.migrate(logger: Self.logger, now: Date()).isEmpty, "a third run applies nothing")
            let tiers = try await first.fetchOne("SELECT COUNT(*) AS n FROM tiers")?.get("n", as: Int.self)
            #expect(tiers == TierRecord.defaults.count, "the seed ran once")
            try await first.close()
            try await second.close()
        }
    }

    @Test("unique and foreign-key violations become conflicts and invalid references naming the field")
    func conflictMapping() async throws {
        try await Self.withDatabase { database in
            let store = try await Self.open(database.url)
            try await store.migrate(logger: Self.logger, now: Date())
            let user = try await store.createUser(NewUser(email: "Ann@Example.com", username: "ann", passwordHash: "h"), now: Date())
            #expect(user.email == "ann@example.com")

            let sameEmail = await #expect(throws: StoreError.self) {
                try await store.createUser(NewUser(email: "ANN@example.com", username: "other", passwordHash: "h"), now: Date())
            }
            #expect(sameEmail?.code == .conflict && sameEmail?.field == "email", "\(String(describing: sameEmail))")
            let sameName = await #expect(throws: StoreError.self) {
                try await store.createUser(NewUser(email: "b@example.com", username: "ANN", passwordHash: "h"), now: Date())
            }
            #expect(sameName?.code == .conflict && sameName?.field == "username", "user names are unique case-insensitively")

            let unknownTier = await #expect(throws: StoreError.self) {
                try await store.createUser(NewUser(email: "c@example.com", username: "c", passwordHash: "h", tier: "platinum"), now: Date())
            }
            #expect(unknownTier?.code == .invalidReference && unknownTier?.field == "tier")
            let setUnknown = await #expect(throws: StoreError.self) {
                try await store.setTier(userID: user.id, tier: "platinum", now: Date())
            }
            #expect(setUnknown?.code == .invalidReference && setUnknown?.field == "tier")
            let noUser = await #expect(throws: StoreError.self) { try await store.setTier(userID: 999_999, tier: "free", now: Date()) }
            #expect(noUser?.code == .notFound)

            _ = try await store.createAPIKey(userID: user.id, name: "a", prefix: "vgr_a", keyHash: "hash-1", now: Date())
            let sameKey = await #expect(throws: StoreError.self) {
                try await store.createAPIKey(userID: user.id, name: "b", prefix: "vgr_b", keyHash: "hash-1", now: Date())
            }
            #expect(sameKey?.code == .conflict && sameKey?.field == "key_hash")
            let orphanKey = await #expect(throws: StoreError.self) {
                try await store.createAPIKey(userID: 999_999, name: "b", prefix: "vgr_b", keyHash: "hash-2", now: Date())
            }
            #expect(orphanKey?.code == .invalidReference && orphanKey?.field == "user_id")
            #expect(try await store.user(email: "ann@example.com")?.id == user.id, "nothing else changed")
            try await store.close()
        }
    }

    @Test("a statement past statement_timeout is cancelled by the server and reported unavailable")
    func statementTimeout() async throws {
        try await Self.withDatabase { database in
            let store = try await Self.open(database.url, "statement_timeout=100")
            let error = await #expect(throws: StoreError.self) { try await store.execute("SELECT pg_sleep(2)") }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("57014") == true, "\(String(describing: error))")
            try await store.ping()
            try await store.close()
        }
    }

    @Test("a connection the server terminates (57P01, as at shutdown) is unavailable; the next query reconnects")
    func terminatedConnection() async throws {
        try await Self.withDatabase { database in
            let store = try await Self.open(database.url, "pool_max=1&application_name=vigor-terminate-test")
            let pid = try #require(try await store.fetchOne("SELECT pg_backend_pid() AS pid")?.get("pid", as: Int32.self))
            let sleeping = Task { try await store.execute("SELECT pg_sleep(5)") }
            // Terminate the store's one connection from another session once its sleep runs.
            let admin = try await Self.open(database.url)
            var terminated = false
            for _ in 0..<200 where !terminated {
                terminated =
                    try await admin.fetchOne(
                        """
                        SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
                        WHERE pid = \(pid) AND query LIKE 'SELECT pg_sleep%' AND state = 'active'
                        """
                    )?.get("done", as: Bool.self) ?? false
                if !terminated { try await Task.sleep(for: .milliseconds(10)) }  // polls the server's activity view
            }
            #expect(terminated)
            let error = await #expect(throws: StoreError.self) { try await sleeping.value }
            #expect(error?.code == .unavailable, "\(String(describing: error))")
            // Reads go to a live connection: the dead one is skipped (or dropped by the pool).
            #expect(try await store.readOne("SELECT 1 AS one")?.get("one", as: Int32.self) == 1)
            try await store.ping()
            let newPid = try await store.fetchOne("SELECT pg_backend_pid() AS pid")?.get("pid", as: Int32.self)
            #expect(newPid != pid, "a new connection")
            try await admin.close()
            try await store.close()
        }
    }

    @Test(
        "a server that stops answering on an open connection (its backend frozen, as behind a partition): the call fails as unavailable at the client's limit; the next one reconnects"
    )
    func frozenBackend() async throws {
        try await Self.withDatabase { database in
            // statement_timeout 500 ms, connect_timeout 1 s: the client's limit is 2 × 0.5 + 1 = 2 s.
            let store = try await Self.open(database.url, "pool_max=1&statement_timeout=500&connect_timeout=1")
            #expect(store.configuration.clientBodyLimit == .milliseconds(2_000))
            let pid = try #require(try await store.fetchOne("SELECT pg_backend_pid() AS pid")?.get("pid", as: Int32.self))
            // Only a server on this machine can be frozen: the pid must be one of its backends here.
            let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            try #require(command.hasPrefix("postgres"), "the test database's backend \(pid) is not a local postgres process")
            #expect(kill(pid_t(pid), SIGSTOP) == 0)
            defer { kill(pid_t(pid), SIGCONT) }
            let started = ContinuousClock.now
            let error = await #expect(throws: StoreError.self) { try await store.execute("SELECT 1") }
            let waited = ContinuousClock.now - started
            #expect(error?.code == .unavailable, "\(String(describing: error))")
            #expect(error?.message.contains("did not answer") == true, "\(String(describing: error))")
            #expect(waited >= .milliseconds(2_000) && waited < .seconds(10), "failed after \(waited)")
            kill(pid_t(pid), SIGCONT)
            // The frozen connection was closed by the client: the next call gets a new one.
            let newPid = try await store.fetchOne("SELECT pg_backend_pid() AS pid")?.get("pid", as: Int32.self)
            #expect(newPid != nil && newPid != pid, "a new connection")
            // A slow statement within the server's limit is not the client's business: pg_sleep
            // 0.15 s, under the 500 ms statement timeout, answers (200 ms left too little room on
            // a loaded machine: the server's own scheduling counts toward its timeout).
            #expect(try await store.execute("SELECT pg_sleep(0.15)") == 1)
            try await store.close()
        }
    }

    @Test("no server listening: open fails as unavailable within connect_timeout, naming no password")
    func refusedConnection() async throws {
        let port = try Self.closedPort()
        let started = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) {
            try await PostgresStore.open(
                url: "postgres://vigor:secret-pw@127.0.0.1:\(port)/vigor?sslmode=disable&connect_timeout=1", logger: Self.logger)
        }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("secret-pw") == false)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("a closed store refuses calls as unavailable")
    func closedStore() async throws {
        try await Self.withDatabase { database in
            let store = try await Self.open(database.url)
            try await store.close()
            let error = await #expect(throws: StoreError.self) { try await store.ping() }
            #expect(error?.code == .unavailable)
            try await store.close()  // a second close is harmless
        }
    }

    @Test("the server stopped: calls fail as unavailable within connect_timeout; started again, the store recovers by itself")
    func serverRestart() async throws {
        let server = try await OwnCluster.start()
        let result = await Result { try await Self.restartDrill(server) }
        await server.remove()
        try result.get()
    }

    static func restartDrill(_ server: OwnCluster) async throws {
        do {
            let store = try await Self.open(server.url, "connect_timeout=1")
            try await store.migrate(logger: Self.logger, now: Date())
            let user = try await store.createUser(NewUser(email: "r@example.com", username: "r", passwordHash: "h"), now: Date())

            try await server.pgCtl("-m fast -w -t 30 stop")
            for _ in 0..<3 {
                let started = ContinuousClock.now
                let error = await #expect(throws: StoreError.self) { try await store.user(id: user.id) }
                #expect(error?.code == .unavailable, "\(String(describing: error))")
                #expect(ContinuousClock.now - started < .seconds(3), "bounded by connect_timeout, not hanging")
            }
            let write = await #expect(throws: StoreError.self) { try await store.setTier(userID: user.id, tier: "premium", now: Date()) }
            #expect(write?.code == .unavailable)

            try await server.pgCtl("-w -t 30 -o '-p \(server.port)' -l '\(server.folder)/server.log' start")
            // The pool reconnects on its own back-off schedule: poll until it has (a real
            // server's restart; every failure meanwhile is still `unavailable`).
            var recovered: UserRecord?
            let deadline = ContinuousClock.now + .seconds(20)
            while recovered == nil, ContinuousClock.now < deadline {
                do {
                    recovered = try await store.user(id: user.id)
                } catch let error as StoreError {
                    #expect(error.code == .unavailable)
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(recovered?.email == "r@example.com", "the data survived and the store reconnected")
            try await store.close()
        }
    }

    /// A loopback port nothing listens on: bound and closed again (connections to it are refused).
    static func closedPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestDatabaseError(description: "socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw TestDatabaseError(description: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A PostgreSQL cluster of this test's own (``Tests/Scripts/postgres.sh``), so it may stop and
/// start the server: the shared test server must not be stopped.
struct OwnCluster: Sendable {
    let url: String
    let folder: String
    let port: Int
    let binaries: String

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Scripts/postgres.sh").standardized.path
    }

    static func start() async throws -> OwnCluster {
        let output = try await shell("'\(script)' start")
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            values[String(pair[0])] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        guard let url = values["VIGOR_TEST_POSTGRES_URL"], let folder = values["VIGOR_TEST_POSTGRES_DIR"],
            let port = URLComponents(string: url)?.port
        else { throw TestDatabaseError(description: "postgres.sh start printed no cluster: \(output)") }
        let binaries =
            (try? String(contentsOfFile: folder + "/bin", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return OwnCluster(url: url, folder: folder, port: port, binaries: binaries)
    }

    /// Runs `pg_ctl -D <data> <arguments>` as the cluster's owner (`postgres` under root).
    func pgCtl(_ arguments: String) async throws {
        let command = "'\(binaries)/pg_ctl' -D '\(folder)/data' \(arguments)"
        try await Self.shell(getuid() == 0 ? "runuser -u postgres -- sh -c \"\(command)\"" : command)
    }

    /// Stops the server and removes the folder.
    func remove() async {
        _ = try? await Self.shell("'\(Self.script)' stop '\(folder)'")
    }

    /// Runs `command` with `sh -c` (posix_spawn and waitpid on a thread of its own); returns its
    /// output, or throws it when the command fails. The output goes through a file: a server
    /// the command starts would hold a pipe open.
    @discardableResult
    static func shell(_ command: String) async throws -> String {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-shell-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let line = "(\(command)) >'\(log)' 2>&1 </dev/null"
        let status = try await onOwnThread { () throws -> Int32 in
            var pid: pid_t = 0
            let words: [String] = ["/bin/sh", "-c", line]
            var arguments: [UnsafeMutablePointer<CChar>?] = words.map { (word: String) in strdup(word) }
            arguments.append(nil)
            defer {
                for argument in arguments { free(argument) }
            }
            let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, arguments, environ)
            guard spawned == 0 else { throw TestDatabaseError(description: "posix_spawn failed: \(spawned)") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return status
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else { throw TestDatabaseError(description: "`\(command)` failed (\(status)): \(output)") }
        return output
    }
}
