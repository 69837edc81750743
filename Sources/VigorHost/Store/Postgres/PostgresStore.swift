import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The ``Store`` on PostgreSQL, for several hosts sharing one database.
///
/// One `PostgresClient` (a connection pool) per store; its `run()` runs in a task the store
/// owns, cancelled by ``close()``. Every statement runs with the server-side
/// `statement_timeout` of the configuration; a query that cannot get a connection within
/// `connect_timeout` fails as ``StoreError/Code/unavailable``, as does any lost connection,
/// so callers answer 503 rather than 500 while the database is away. A call that waits for
/// a connection checks whether the server is reachable at all; when it is not, every call
/// fails at once until a probe of the store's own connects again, and a fresh pool then
/// serves (see `PostgresStore+Availability.swift`).
///
/// Same rules as ``SQLiteStore``: owner ids matched in each query, unique violations as
/// ``StoreError/Code/conflict`` naming the field, integer micro-dollars, epoch-ms times.
public final class PostgresStore: Store {
    /// The connection pool serving now (replaced by a fresh one after an outage).
    var client: PostgresClient { pool.withLock { $0.client } }
    /// The pool, the task running it, and replaced pools still finishing their calls.
    private let pool: Mutex<PoolState>
    /// Where and how it connects.
    public let configuration: PostgresStoreConfiguration
    let logger: Logger
    let isClosed = Atomic<Bool>(false)
    /// Whether the server is reachable (see `PostgresStore+Availability.swift`).
    let availability = Mutex(PostgresAvailability())
    /// The router's provider priorities as last read (see ``PostgresProviderPriorities``).
    let prioritiesCache = Mutex(PrioritiesCacheState())

    /// Makes a store over `configuration` and starts its pool. Nothing is connected until
    /// the first query; see ``open(url:logger:)`` for one that checks the database answers.
    public init(configuration: PostgresStoreConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let client = PostgresClient(configuration: try configuration.clientConfiguration(), backgroundLogger: logger)
        pool = Mutex(PoolState(client: client, run: Task { await client.run() }))
    }

    /// The pool in use, the task running it, and the tasks of pools replaced after an outage.
    struct PoolState: Sendable {
        var client: PostgresClient
        var run: Task<Void, Never>?
        var retired: [Task<Void, Never>] = []
    }

    /// Puts a fresh pool in place of the current one. Calls already waiting on the old pool
    /// may still get a connection from it: it is closed after ``retiredPoolGrace``.
    func replacePool() throws {
        let client = PostgresClient(configuration: try configuration.clientConfiguration(), backgroundLogger: logger)
        let grace = Self.retiredPoolGrace
        pool.withLock { state in
            let old = state.run
            state.client = client
            state.run = Task { await client.run() }
            if let old {
                state.retired.append(
                    Task {
                        try? await Task.sleep(for: grace)
                        old.cancel()
                        await old.value
                    })
            }
        }
    }

    /// Parses `url` (see ``PostgresStoreConfiguration``), starts the pool and checks the
    /// database answers. Throws ``StoreError/Code/unavailable`` for a bad URL, a server that
    /// cannot be reached or refuses the login. Call ``migrate(logger:)`` before use.
    public static func open(url: String, logger: Logger) async throws -> PostgresStore {
        let store = try PostgresStore(configuration: PostgresStoreConfiguration(url: url), logger: logger)
        do {
            try await store.ping()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }

    deinit {
        pool.withLock { state in
            state.run?.cancel()
            for task in state.retired { task.cancel() }
        }
        availability.withLock { $0.recovery?.cancel() }
    }

    public func ping() async throws {
        try await withConnection { connection in
            do { _ = try await connection.fetchOne("SELECT 1") } catch  where Self.isClosedConnection(error) { throw StaleConnection() }
        }
    }

    /// Stops the pool: open connections are closed and later calls fail as unavailable.
    public func close() async throws {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let recovery = availability.withLock { state in
            defer { state.recovery = nil }
            return state.recovery
        }
        recovery?.cancel()
        await recovery?.value
        let tasks = pool.withLock { state in
            defer {
                state.run = nil
                state.retired = []
            }
            return state.retired + (state.run.map { [$0] } ?? [])
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    /// The quota ledger over this database (see ``Store/quotaLedger(logger:clock:)``).
    public func quotaLedger(logger: Logger, clock: @escaping @Sendable () -> Date) -> any QuotaLedger {
        PostgresQuotaLedger(store: self, logger: logger, clock: clock)
    }
}

// MARK: - Running queries

extension PostgresStore {
    /// How many closed connections a call skips before it gives up (the pool drops each).
    static let staleConnectionRetries = 4

    /// Runs `body` on a pooled connection. Waiting for the connection is bounded by the
    /// configuration's `connect_timeout` (then ``StoreError/Code/unavailable``); the body
    /// itself by the server's `statement_timeout` per statement. Errors are mapped by
    /// ``mapError(_:)``. With `clientLimit`, a body still running after the configuration's
    /// ``PostgresStoreConfiguration/clientBodyLimit`` has its connection closed and fails as
    /// unavailable (a server that no longer answers); migrations, which lift the statement
    /// timeout and wait for each other, run without it.
    func withConnection<T: Sendable>(
        clientLimit: Bool = true, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        guard !isClosed.load(ordering: .acquiring) else {
            throw StoreError(.unavailable, "the PostgreSQL store is closed")
        }
        guard !isDatabaseDown else { throw Self.databaseDownError() }
        // Whoever moves the state first wins: the body runs only if the lease came before the
        // deadline, and the deadline fires only if the body has not started.
        let race = LeaseRace()
        let client = self.client
        let timeout = configuration.connectTimeout
        let bodyLimit = clientLimit ? configuration.clientBodyLimit : nil
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    // A connection the server closed (a restart, a terminated backend) may be
                    // handed out before the pool notices: skip it, nothing was sent on it.
                    for attempt in 0..<Self.staleConnectionRetries {
                        do {
                            return try await client.withConnection { connection in
                                guard !connection.isClosed else {
                                    try? await connection.close()
                                    throw StaleConnection()
                                }
                                guard race.claim(.leased) else { throw LeaseTimeout() }
                                race.leased(connection)
                                defer { race.finished() }
                                do {
                                    return try await body(connection)
                                } catch let error as StaleConnection {
                                    // Closed under the body's first statement: make sure the
                                    // pool drops it, and let the next lease start over.
                                    try? await connection.close()
                                    race.reopen()
                                    throw error
                                }
                            }
                        } catch is StaleConnection {
                            // Give the pool a moment to see the close before asking again.
                            try await Task.sleep(for: .milliseconds(5 << attempt))
                        }
                    }
                    throw StoreError(.unavailable, "PostgreSQL connections keep closing")
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    if race.claim(.timedOut) { throw LeaseTimeout() }
                    // Leased: a server that stops answering without closing the socket (a
                    // network partition, a frozen host) would hold the call until TCP gives
                    // up, minutes later. Past the client's own limit the connection is closed.
                    guard let limit = bodyLimit else { return nil }
                    while let leasedAt = race.runningSince {
                        let left = limit - (ContinuousClock.now - leasedAt)
                        guard left <= .zero else {
                            try await Task.sleep(for: left)
                            continue
                        }
                        guard let connection = race.abandon() else { return nil }
                        try? await connection.close()
                        throw Self.noAnswer(limit)
                    }
                    return nil
                }
                group.addTask {
                    // Still no connection after a moment: is the server there at all? When
                    // it is not, fail now (and every call after, until it is back).
                    try await Task.sleep(for: min(Self.reachabilityCheckDelay, timeout))
                    guard race.isWaiting, !(await self.checkReachable()) else { return nil }
                    if race.claim(.timedOut) { throw Self.databaseDownError() }
                    return nil
                }
                while let next = try await group.next() {
                    if let value = next {
                        group.cancelAll()
                        return value
                    }
                }
                throw LeaseTimeout()
            }
        } catch {
            // The body's own error (its connection closed under it) may arrive before the watch's.
            if race.wasAbandoned, let bodyLimit { throw Self.noAnswer(bodyLimit) }
            throw Self.mapError(error, timeout: timeout)
        }
    }

    /// A call whose connection the client closed at its limit (see ``withConnection(clientLimit:_:)``).
    static func noAnswer(_ limit: Duration) -> StoreError {
        StoreError(.unavailable, "PostgreSQL did not answer within \(limit); the connection was closed")
    }

    /// Runs `body` in a transaction (`BEGIN` … `COMMIT`, `ROLLBACK` when it throws). The error
    /// `body` throws reaches the caller as is (a ``StoreError``, a quota refusal); database
    /// errors are mapped by ``mapError(_:)``.
    func withTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { connection in
            // Nothing has happened on a connection whose BEGIN failed for being closed: another may be tried.
            do { try await connection.execute("BEGIN") } catch  where Self.isClosedConnection(error) { throw StaleConnection() }
            let value: T
            do {
                value = try await body(connection)
            } catch {
                // A connection that died mid-transaction rolled back on the server already.
                _ = try? await connection.execute("ROLLBACK")
                throw error
            }
            try await connection.execute("COMMIT")
            return value
        }
    }

    /// Every row of `query`, on a pooled connection; never repeated (writes may use it).
    func fetchAll(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await withConnection { connection in try await connection.fetchAll(query) }
    }

    /// The first row of `query`, if any, on a pooled connection; never repeated.
    func fetchOne(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await withConnection { connection in try await connection.fetchOne(query) }
    }

    /// Every row of a read-only `query`, tried again on another connection when the one it
    /// got turns out closed (the first read after a database restart). Never for a write.
    func readAll(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await withConnection { connection in
            do { return try await connection.fetchAll(query) } catch  where Self.isClosedConnection(error) { throw StaleConnection() }
        }
    }

    /// The first row of a read-only `query`, if any (tried again as ``readAll(_:)``).
    func readOne(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await readAll(query).first
    }

    /// Whether `error` says the connection was already closed (by the server, the network or
    /// the pool), so a statement that was not sent can go to another connection.
    static func isClosedConnection(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .connectionError: return true
        default: return false
        }
    }

    /// Runs `query` on a pooled connection; returns how many rows it returned (use
    /// `RETURNING 1` to count the rows an `UPDATE` or `DELETE` changed). Never repeated: a
    /// write whose connection fails fails as unavailable.
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { connection in try await connection.execute(query) }
    }
}

/// Who got there first: the pooled connection or the lease deadline.
private final class LeaseRace: Sendable {
    enum State: Sendable { case waiting, leased, timedOut }
    private let state = Mutex(State.waiting)
    /// The leased connection while the body runs on it, and since when.
    private let running = Mutex<(connection: PostgresConnection, since: ContinuousClock.Instant)?>(nil)

    /// The body starts on `connection`.
    func leased(_ connection: PostgresConnection) { running.withLock { $0 = (connection, .now) } }

    /// The body has ended (returned or thrown).
    func finished() { running.withLock { $0 = nil } }

    /// When the body started, while it runs.
    var runningSince: ContinuousClock.Instant? { running.withLock { $0?.since } }

    /// The connection of a body that is still running, which the caller closes; nil when it ended.
    func abandon() -> PostgresConnection? {
        running.withLock { running in
            defer { running = nil }
            if running != nil { abandoned.store(true, ordering: .releasing) }
            return running?.connection
        }
    }

    /// Whether ``abandon()`` took the body's connection.
    var wasAbandoned: Bool { abandoned.load(ordering: .acquiring) }
    private let abandoned = Atomic<Bool>(false)

    /// Back to `waiting` after a leased connection turned out closed (the deadline applies again).
    func reopen() {
        state.withLock { state in
            if state == .leased { state = .waiting }
        }
    }

    /// Whether neither side has moved yet.
    var isWaiting: Bool { state.withLock { $0 == .waiting } }

    /// Moves from `waiting` to `next`; false when the other side moved first.
    func claim(_ next: State) -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = next
            return true
        }
    }
}

/// No pooled connection within the connect timeout.
struct LeaseTimeout: Error {}

/// The pool handed out a connection that is already closed (nothing was done on it).
struct StaleConnection: Error {}

extension PostgresConnection {
    /// Every row of `query` (the whole result is read before returning).
    func fetchAll(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await self.query(query, logger: logger) {
            rows.append(row.makeRandomAccess())
        }
        return rows
    }

    /// The first row of `query`, if any (the rest is read and dropped).
    func fetchOne(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await fetchAll(query).first
    }

    /// Runs `query` to the end; returns how many rows it returned.
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int {
        var count = 0
        for try await _ in try await self.query(query, logger: logger) { count += 1 }
        return count
    }
}

extension PostgresRandomAccessRow {
    /// The column `name` decoded as `T` (an optional `T` for a nullable column).
    func get<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try self[name].decode(T.self)
    }

    /// A stored epoch-milliseconds column as a date.
    func date(_ name: String) throws -> Date {
        Date(epochMillis: try get(name, as: Int64.self))
    }

    /// A nullable epoch-milliseconds column.
    func optionalDate(_ name: String) throws -> Date? {
        try get(name, as: Int64?.self).map(Date.init(epochMillis:))
    }
}
