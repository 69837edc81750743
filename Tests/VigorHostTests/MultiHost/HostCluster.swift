import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import VigorHost

/// The drills with several real hosts on one PostgreSQL database (and nginx in front), one
/// at a time: each starts real processes, and two clusters at once on two cores would only
/// slow each other down.
@Suite("MultiHost", .serialized)
enum MultiHost {}

/// One HTTP answer from a real host (over a real socket).
struct HostReply: Sendable {
    /// The status, 0 when no answer came (refused connection, a host killed mid-request).
    var status: Int
    var head: String
    var body: String

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    /// The `error.code` of an error body.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }

    /// A response header's value (case-insensitive name).
    func header(_ name: String) -> String? {
        for line in head.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name.lowercased() {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}

/// An account on the cluster.
struct ClusterAccount: Sendable {
    var id: Int64
    var token: String
    var refresh: String
}

/// Several real `vigor serve` processes on one fresh PostgreSQL database (a new database on
/// the server of `VIGOR_TEST_POSTGRES_URL`, dropped afterwards), with the same
/// `VIGOR_JWT_SECRET`, each with its own plugin folder and data folder, as an operator runs
/// them behind a load balancer.
final class HostCluster: Sendable {
    let database: FreshDatabase
    let folder: URL
    /// The environment every host gets (on top of ``ServeProcess``'s clean one).
    let environment: [String: String]
    private let servers: Mutex<[Int: ServeProcess]> = Mutex([:])

    /// The shared secret: tokens issued by one host are accepted by all.
    static let jwtSecret = "multi-host-secret-0123456789-0123456789-abcdef"

    private init(database: FreshDatabase, folder: URL, environment: [String: String]) {
        self.database = database
        self.folder = folder
        self.environment = environment
    }

    /// Runs `body` with `hosts` started hosts on one new database (started at once: their
    /// migrations race, as two hosts of a rolling start do). Every host still running
    /// afterwards is stopped with SIGTERM and awaited; the database and folder are removed.
    ///
    /// - Parameters:
    ///   - plugins: the files copied into each host's own plugin folder.
    ///   - environment: added to every host's environment.
    static func with<T>(
        hosts count: Int, plugins: [String] = PluginHost.defaultPlugins, environment extra: [String: String] = [:],
        _ body: (HostCluster) async throws -> T
    ) async throws -> T {
        try await TestDatabase.withURL(.postgres) { database in
            try await run(hosts: count, database: database, plugins: plugins, environment: extra, body)
        }
    }

    /// ``with(hosts:plugins:environment:_:)`` on the database at `url` (not dropped afterwards).
    static func with<T>(
        hosts count: Int, databaseURL url: String, plugins: [String] = PluginHost.defaultPlugins,
        environment extra: [String: String] = [:], _ body: (HostCluster) async throws -> T
    ) async throws -> T {
        let database = FreshDatabase(backend: .postgres, url: url, sqlitePath: nil, postgresName: nil)
        return try await run(hosts: count, database: database, plugins: plugins, environment: extra, body)
    }

    private static func run<T>(
        hosts count: Int, database: FreshDatabase, plugins: [String], environment extra: [String: String],
        _ body: (HostCluster) async throws -> T
    ) async throws -> T {
        try await TestHost.withFolder("vigor-cluster") { folder in
            var environment = [
                "VIGOR_JWT_SECRET": jwtSecret, "VIGOR_BCRYPT_COST": "4",
                // Reloads only when a test asks (SIGHUP) unless it sets a poll interval.
                "VIGOR_PLUGIN_POLL_SECONDS": "0",
            ]
            environment.merge(extra) { $1 }
            let cluster = HostCluster(database: database, folder: folder, environment: environment)
            for index in 0..<count {
                _ = try PluginHost.pluginFolder(plugins, in: cluster.hostFolder(index))
            }
            let result = await Result(catching: {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<count { group.addTask { _ = try await cluster.start(index) } }
                    try await group.waitForAll()
                }
                return try await body(cluster)
            })
            await cluster.stopAll()
            return try result.get()
        }
    }

    /// The folder of host `index`: its `plugins` folder and its `data` folder.
    func hostFolder(_ index: Int) -> URL { folder.appendingPathComponent("host\(index)") }

    /// Host `index`'s plugin folder.
    func pluginFolder(_ index: Int) -> URL { hostFolder(index).appendingPathComponent("plugins") }

    /// Starts (or restarts) host `index` and returns once it listens.
    @discardableResult
    func start(_ index: Int, environment extra: [String: String] = [:]) async throws -> ServeProcess {
        let data = hostFolder(index).appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let (url, plugins, env) = (database.url, pluginFolder(index).path, environment.merging(extra) { $1 })
        let server = try await Self.within(.seconds(30), "host \(index) listening") {
            try await ServeProcess.start(database: url, plugins: plugins, environment: env, arguments: ["--data-dir", data.path])
        }
        servers.withLock { $0[index] = server }
        return server
    }

    /// The result of `operation`, or a failure naming `what` once `limit` has passed without
    /// one: a drill fails, it never hangs. The operation is cancelled then, but not awaited
    /// (a blocking socket read or a child's log line may not heed the cancellation).
    static func within<T: Sendable>(
        _ limit: Duration, _ what: String, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = FirstOutcome<T>()
        let work = Task { outcome.settle(await Result(catching: operation)) }
        let timer = Task {
            try await Task.sleep(for: limit)
            outcome.settle(.failure(TestHostError("\(what): nothing within \(limit)")))
            work.cancel()
        }
        defer { timer.cancel() }
        return try await outcome.value()
    }

    /// Host `index` (started).
    func host(_ index: Int) -> ServeProcess {
        guard let server = servers.withLock({ $0[index] }) else { preconditionFailure("host \(index) was not started") }
        return server
    }

    /// The port of host `index`.
    func port(_ index: Int) -> Int { host(index).port }

    /// Stops every running host with SIGTERM and awaits their exits. A host still running
    /// 40 s later (past the default drain of 25 s) is killed (SIGKILL) and recorded as a
    /// failure: a drain that never ends must fail the drill, not hang it.
    func stopAll() async {
        let running = servers.withLock { $0.values.filter(\.isRunning) }
        await withTaskGroup(of: Void.self) { group in
            for server in running {
                group.addTask {
                    do {
                        _ = try await Self.within(.seconds(40), "host on port \(server.port) exiting after SIGTERM") {
                            await server.stop()
                        }
                    } catch {
                        Issue.record("\(error); killed. Its last lines:\n\(server.lines.suffix(15).joined(separator: "\n"))")
                        await server.stop(signal: SIGKILL)
                    }
                }
            }
        }
    }

    // MARK: - HTTP

    /// One request to host `index` over a real socket (on a thread of its own).
    func send(
        _ index: Int, _ method: String, _ path: String, token: String? = nil, json: [String: Any]? = nil,
        headers: [String: String] = [:]
    ) async -> HostReply {
        await Self.send(port: port(index), method, path, token: token, body: json.map(jsonText), headers: headers)
    }

    /// One request to `port`; a connection that fails or ends without an answer is status 0.
    static func send(
        port: Int, _ method: String, _ path: String, token: String? = nil, body: String? = nil, headers: [String: String] = [:]
    ) async -> HostReply {
        var headers = headers
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let fields = headers
        let reply = try? await onOwnThread {
            try exchange(port: port, method: method, path: path, headers: fields, body: body)
        }
        return reply ?? HostReply(status: 0, head: "", body: "")
    }

    /// One request with `Connection: close`, its answer read to the end as bytes: the chunked
    /// framing is removed before the body is decoded as UTF-8. (A proxy re-chunks a stream
    /// where its reads end, which may be inside a multi-byte character: decoding first turned
    /// the split character into U+FFFD, which shifted every later chunk's byte count, and the
    /// stream through nginx read as cut short before its `done` event.)
    static func exchange(
        port: Int, method: String, path: String, headers: [String: String], body: String?
    ) throws -> HostReply {
        // Read until the host closes, or 30 s without a byte (the connection's receive timeout).
        let reply = try RawHTTPConnection.request(
            port: port, method: method, path: path, headers: headers, body: body, limit: 8 << 20)
        return HostReply(status: reply.status, head: reply.head, body: reply.body)
    }

    /// Sends `count` requests at once, request `i` to `port(i)`; the replies in order.
    static func burst(
        _ count: Int, port: @escaping @Sendable (Int) -> Int,
        request: @escaping @Sendable (Int) -> (method: String, path: String, token: String?, body: String?, headers: [String: String])
    ) async -> [HostReply] {
        await withTaskGroup(of: (Int, HostReply).self) { group in
            for index in 0..<count {
                group.addTask {
                    let r = request(index)
                    return (index, await send(port: port(index), r.method, r.path, token: r.token, body: r.body, headers: r.headers))
                }
            }
            var replies = [HostReply](repeating: HostReply(status: 0, head: "", body: ""), count: count)
            for await (index, reply) in group { replies[index] = reply }
            return replies
        }
    }

    /// Registers an account through host `index`.
    func register(_ name: String, on index: Int = 0) async throws -> ClusterAccount {
        let reply = await send(
            index, "POST", "/api/v1/auth/register",
            json: ["email": "\(name)@example.com", "username": name, "password": "correct-horse-battery"])
        return try Self.account(reply)
    }

    /// The account in a register or login answer.
    static func account(_ reply: HostReply) throws -> ClusterAccount {
        let json = reply.json
        guard reply.status == 200 || reply.status == 201, let token = json["access_token"] as? String,
            let refresh = json["refresh_token"] as? String
        else { throw TestHostError("no tokens (\(reply.status)): \(reply.body)") }
        let id = (json["id"] as? NSNumber)?.int64Value ?? 0
        return ClusterAccount(id: id, token: token, refresh: refresh)
    }

    /// Creates an admin with `vigor user create --admin` on the shared database (the
    /// operator's path) and signs it in through host `index`.
    func admin(on index: Int = 0, name: String = "root") async throws -> ClusterAccount {
        let output = try await vigor(
            ["user", "create", "--email", "\(name)@example.com", "--admin", "--password-stdin", "--database", database.url],
            input: "admin-password-1\n")
        guard output.status == 0 else { throw TestHostError("vigor user create failed: \(output.text)") }
        let login = await send(
            index, "POST", "/api/v1/auth/login", json: ["email": "\(name)@example.com", "password": "admin-password-1"])
        return try Self.account(login)
    }

    /// Puts `userID` on a new tier (through host `index`'s admin API) with these limits.
    func limit(
        _ userID: Int64, admin: ClusterAccount, on index: Int = 0, perDay: Int, budgetMicros: Int64 = 100_000_000
    ) async throws {
        let name = "t\(perDay)_\(UUID().uuidString.prefix(6).lowercased())"
        let tier: [String: Any] = [
            "name": name, "requests_per_day": perDay, "requests_per_week": max(perDay, 1000),
            "requests_per_month": max(perDay, 1000), "monthly_budget_micros": budgetMicros, "price_micros": 0,
        ]
        let put = await send(index, "PUT", "/api/v1/admin/tiers", token: admin.token, json: ["tiers": [tier]])
        guard put.status == 200 else { throw TestHostError("PUT tiers: \(put.status) \(put.body)") }
        let assign = await send(index, "PUT", "/api/v1/admin/users/\(userID)/tier", token: admin.token, json: ["tier": name])
        guard assign.status == 200 else { throw TestHostError("PUT user tier: \(assign.status) \(assign.body)") }
    }

    /// Runs the built `vigor` with the cluster's environment; its exit status and output.
    func vigor(_ arguments: [String], input: String? = nil) async throws -> (status: Int32, text: String) {
        let environment = self.environment
        return try await Self.within(.seconds(60), "vigor \(arguments.first ?? "")") {
            try await Self.runVigor(arguments, input: input, environment: environment)
        }
    }

    private static func runVigor(_ arguments: [String], input: String?, environment: [String: String]) async throws -> (
        status: Int32, text: String
    ) {
        try await onOwnThread {
            let process = Process()
            process.executableURL = PluginHost.builtProducts.appendingPathComponent("vigor")
            process.arguments = arguments
            var env = ProcessInfo.processInfo.environment
            for name in env.keys where name.hasPrefix("VIGOR_") || name.hasSuffix("_API_KEY") { env[name] = nil }
            env.merge(environment) { $1 }
            process.environment = env
            let output = Pipe()
            let stdin = Pipe()
            process.standardOutput = output
            process.standardError = output
            process.standardInput = stdin
            try process.run()
            if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
            try stdin.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    // MARK: - The database, read directly

    /// The integer the query's first row and column hold (`COUNT`; NULL is 0). Cast a `SUM`
    /// to `bigint`: PostgreSQL sums integers as `numeric`.
    func integer(_ sql: String) async throws -> Int64 {
        try await ClusterSQL.integer(url: database.url, sql)
    }

    /// The texts of the query's first column.
    func texts(_ sql: String) async throws -> [String] {
        try await ClusterSQL.texts(url: database.url, sql)
    }
}

/// The first of several outcomes, awaited once.
final class FirstOutcome<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<T, any Error>?
    }
    private let state = Mutex(State())

    /// Keeps `result` unless one came first, and hands it to the waiter.
    func settle(_ result: Result<T, any Error>) {
        let waiter = state.withLock { s -> CheckedContinuation<T, any Error>? in
            guard s.result == nil else { return nil }
            s.result = result
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(with: result)
    }

    /// The first result, awaited (one waiter).
    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { s -> Result<T, any Error>? in
                if let result = s.result { return result }
                s.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}

/// Direct reads of a test database, as an operator's `psql` would make them.
enum ClusterSQL {
    static let logger: Logger = {
        var logger = Logger(label: "vigor.tests.cluster-sql")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs `body` on a new connection to the database at `url`, closed afterwards.
    static func connect<T: Sendable>(url: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw TestHostError("not a database URL: \(url)")
        }
        let name = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres", password: components.password,
            database: name, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let value = try await body(connection)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func integer(url: String, _ sql: String) async throws -> Int64 {
        try await connect(url: url) { connection in
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            for try await row in rows {
                return try row.decode(Int64?.self) ?? 0
            }
            return 0
        }
    }

    static func texts(url: String, _ sql: String) async throws -> [String] {
        try await connect(url: url) { connection in
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            var values: [String] = []
            for try await row in rows { values.append(try row.decode(String?.self) ?? "") }
            return values
        }
    }
}
