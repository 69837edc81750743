import Foundation

/// A PostgreSQL server of one test's own (a cluster made with `initdb` in a temporary folder,
/// run by the `postgres` user: root cannot run the server), so the test may stop and start it
/// without disturbing the shared test server. Removed by ``destroy()``.
final class ThrowawayPostgres: Sendable {
    let folder: URL
    let port: Int
    /// The server's binaries (`initdb`, `pg_ctl`).
    let bin: URL

    var dataFolder: URL { folder.appendingPathComponent("data") }

    /// The URL of `database` on this server.
    func url(database: String) -> String { "postgres://vigor@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    private init(folder: URL, port: Int, bin: URL) {
        self.folder = folder
        self.port = port
        self.bin = bin
    }

    /// The newest installed server's binaries (Debian: /usr/lib/postgresql/N/bin).
    static func serverBinaries() throws -> URL {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        guard let newest = versions.compactMap(Int.init).max() else {
            throw TestHostError("no PostgreSQL server in /usr/lib/postgresql: install Debian's postgresql (make test does)")
        }
        return root.appendingPathComponent("\(newest)/bin")
    }

    /// Makes a new cluster (superuser `vigor`, trust authentication on 127.0.0.1), starts it on
    /// a free port and creates `database`.
    static func start(database: String = "vigor") async throws -> ThrowawayPostgres {
        let bin = try serverBinaries()
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("vigor-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let server = ThrowawayPostgres(folder: folder, port: RawHTTPConnection.freePort(), bin: bin)
        if getuid() == 0 { try await server.asPostgres("chown postgres \(folder.path)", asRoot: true) }
        try await server.asPostgres(
            "\(bin.path)/initdb -D \(server.dataFolder.path) -U vigor --auth=trust --no-sync -E UTF8 >\(folder.path)/initdb.log 2>&1")
        try await server.startServer()
        _ = try await ClusterSQL.connect(url: server.url(database: "postgres")) { connection in
            try await connection.query(.init(unsafeSQL: "CREATE DATABASE \"\(database)\""), logger: ClusterSQL.logger)
        }
        return server
    }

    /// Starts the server and returns once it accepts connections.
    func startServer() async throws {
        let options = "-p \(port) -k \(folder.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        try await asPostgres(
            "\(bin.path)/pg_ctl -D \(dataFolder.path) -l \(folder.path)/server.log -w -t 30 -o '\(options)' start >/dev/null")
    }

    /// Stops the server (`pg_ctl stop -m fast`: sessions are cut, as in a restart or failover).
    func stopServer() async throws {
        try await asPostgres("\(bin.path)/pg_ctl -D \(dataFolder.path) -m fast -w -t 30 stop >/dev/null")
    }

    /// Stops the server if it runs and removes its folder.
    func destroy() async {
        try? await asPostgres("\(bin.path)/pg_ctl -D \(dataFolder.path) -m immediate -w -t 30 stop >/dev/null 2>&1")
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `command` with `sh -c` as the `postgres` user (or as this user with `asRoot`).
    private func asPostgres(_ command: String, asRoot: Bool = false) async throws {
        let runAsSelf = asRoot || getuid() != 0
        let status = try await onOwnThread { () throws -> Int32 in
            let process = Process()
            if runAsSelf {
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", command]
            } else {
                process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
                process.arguments = ["-u", "postgres", "--", "/bin/sh", "-c", command]
            }
            process.currentDirectoryURL = URL(fileURLWithPath: "/tmp")
            try process.run()
            return Self.reap(process)
        }
        guard status == 0 else {
            let log = (try? String(contentsOf: folder.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
            throw TestHostError("`\(command)` failed (\(status)):\n\(log.suffix(2000))")
        }
    }

    /// The exit status of `process`, awaited with `waitpid` on this thread.
    ///
    /// Not `waitUntilExit()`: Foundation learns that a child ended when a socket the child
    /// inherits is closed, that is when the child *and every process it left behind* have
    /// exited. The server `pg_ctl start` leaves running inherits that socket, so
    /// `waitUntilExit()` never returned for `pg_ctl start` and the restart drill hung there.
    static func reap(_ process: Process) -> Int32 {
        var status: Int32 = 0
        var result: pid_t
        repeat {
            result = waitpid(process.processIdentifier, &status, 0)
        } while result == -1 && errno == EINTR
        guard result == process.processIdentifier else {
            // Foundation reaped it first (the socket closed with the child): its status.
            process.waitUntilExit()
            return process.terminationStatus
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Runs `body` with a started server, destroyed afterwards however `body` ends.
    static func with<T>(_ body: (ThrowawayPostgres) async throws -> T) async throws -> T {
        let server = try await start()
        let result = await Result(catching: { try await body(server) })
        await server.destroy()
        return try result.get()
    }
}
