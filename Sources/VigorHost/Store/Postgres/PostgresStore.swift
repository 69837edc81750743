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
/// so callers answer 503 rather than 500 while the database is away, and the pool
/// reconnects by itself when it is back.
///
/// Same rules as ``SQLiteStore``: owner ids matched in each query, unique violations as
/// ``StoreError/Code/conflict`` naming the field, integer micro-dollars, epoch-ms times.
public final class PostgresStore: Store {
    /// The connection pool.
    let client: PostgresClient
    /// Where and how it connects.
    public let configuration: PostgresStoreConfiguration
    let logger: Logger
    /// The task running `client.run()`; cancelled by ``close()``.
    private let runTask: Mutex<Task<Void, Never>?>
    private let isClosed = Atomic<Bool>(false)
    /// The router's provider priorities with the time they were read (see ``PostgresProviderPriorities``).
    let prioritiesCache = Mutex<(rules: [ProviderPriority], readAt: UInt64)?>(nil)

    /// Makes a store over `configuration` and starts its pool. Nothing is connected until
    /// the first query; see ``open(url:logger:)`` for one that checks the database answers.
    public init(configuration: PostgresStoreConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let client = PostgresClient(configuration: try configuration.clientConfiguration(), backgroundLogger: logger)
        self.client = client
        runTask = Mutex(Task { await client.run() })
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
        runTask.withLock { $0?.cancel() }
    }

    public func ping() async throws {
        try await withConnection { connection in
            _ = try await connection.fetchOne("SELECT 1")
        }
    }

    /// Stops the pool: open connections are closed and later calls fail as unavailable.
    public func close() async throws {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let task = runTask.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
    }

    /// The quota ledger over this database (see ``Store/quotaLedger(logger:clock:)``).
    public func quotaLedger(logger: Logger, clock: @escaping @Sendable () -> Date) -> any QuotaLedger {
        PostgresQuotaLedger(store: self, logger: logger, clock: clock)
    }
}

// MARK: - Running queries

extension PostgresStore {
    /// Runs `body` on a pooled connection. Waiting for the connection is bounded by the
    /// configuration's `connect_timeout` (then ``StoreError/Code/unavailable``); the body
    /// itself by the server's `statement_timeout` per statement. Errors are mapped by
    /// ``mapError(_:)``.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        guard !isClosed.load(ordering: .acquiring) else {
            throw StoreError(.unavailable, "the PostgreSQL store is closed")
        }
        // Whoever moves the state first wins: the body runs only if the lease came before the
        // deadline, and the deadline fires only if the body has not started.
        let race = LeaseRace()
        let client = self.client
        let timeout = configuration.connectTimeout
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        guard race.claim(.leased) else { throw LeaseTimeout() }
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    if race.claim(.timedOut) { throw LeaseTimeout() }
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
            throw Self.mapError(error, timeout: timeout)
        }
    }

    /// Runs `body` in a transaction (`BEGIN` … `COMMIT`, `ROLLBACK` when it throws). The error
    /// `body` throws reaches the caller as is (a ``StoreError``, a quota refusal); database
    /// errors are mapped by ``mapError(_:)``.
    func withTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { connection in
            try await connection.execute("BEGIN")
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

    /// Every row of `query`, on a pooled connection.
    func fetchAll(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await withConnection { connection in try await connection.fetchAll(query) }
    }

    /// The first row of `query`, if any, on a pooled connection.
    func fetchOne(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await withConnection { connection in try await connection.fetchOne(query) }
    }

    /// Runs `query` on a pooled connection; returns how many rows it returned (use
    /// `RETURNING 1` to count the rows an `UPDATE` or `DELETE` changed).
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { connection in try await connection.execute(query) }
    }
}

/// Who got there first: the pooled connection or the lease deadline.
private final class LeaseRace: Sendable {
    enum State: Sendable { case waiting, leased, timedOut }
    private let state = Mutex(State.waiting)

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
