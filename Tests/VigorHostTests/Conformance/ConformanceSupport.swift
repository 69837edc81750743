import Foundation
import GRDB
import Logging
import PostgresNIO
import Synchronization
import Testing
import VigorPluginSDK

@testable import VigorHost

/// One conformance test's database: a fresh, migrated ``Store`` on one backend.
///
/// The conformance suite states the contracts of ``Store`` and ``QuotaLedger`` once and runs
/// every test, unchanged, on each ``StoreBackend``: the tests go through the protocols only.
/// The one exception is ``count(_:_:)``, a raw `SELECT COUNT(*)` for what no protocol method
/// reads (the usage log by outcome, reservations in flight); its SQL is written once and
/// runs on both dialects.
struct Conformance: Sendable {
    let backend: StoreBackend
    let store: any Store
    let database: FreshDatabase

    static var logger: Logger {
        var logger = Logger(label: "vigor.test.conformance")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `body` with a fresh, migrated store on `backend`; closes and removes it afterwards.
    static func run<T>(
        _ backend: StoreBackend, poolMax: Int = 8, migratedAt: Date = Date(), _ body: (Conformance) async throws -> T
    ) async throws -> T {
        try await TestDatabase.withStore(backend, poolMax: poolMax, migratedAt: migratedAt) { store, database in
            try await body(Conformance(backend: backend, store: store, database: database))
        }
    }

    /// An argument of ``count(_:_:)``.
    enum Argument: Sendable {
        case int(Int64)
        case text(String)
    }

    /// `SELECT COUNT(*) …` with `?` placeholders, on either backend.
    func count(_ sql: String, _ arguments: [Argument] = []) async throws -> Int {
        switch backend {
        case .sqlite:
            let sqlite = try #require(store as? SQLiteStore)
            return try await sqlite.read { db in
                let values: [(any DatabaseValueConvertible)?] = arguments.map {
                    switch $0 {
                    case .int(let value): value
                    case .text(let value): value
                    }
                }
                return try Int.fetchOne(db, sql: sql, arguments: StatementArguments(values)) ?? 0
            }
        case .postgres:
            // `?` → `$1`, `$2`, … (the conformance SQL has no `?` in literals).
            var text = ""
            var index = 0
            for character in sql {
                if character == "?" {
                    index += 1
                    text += "$\(index)"
                } else {
                    text.append(character)
                }
            }
            var bindings = PostgresBindings()
            for argument in arguments {
                switch argument {
                case .int(let value): bindings.append(value)
                case .text(let value): bindings.append(value)
                }
            }
            let query = PostgresQuery(unsafeSQL: text, binds: bindings)
            return try await TestDatabase.connect(database) { connection in
                var total: Int64 = 0
                for try await value in try await connection.query(query, logger: Self.logger).decode(Int64.self) {
                    total = value
                }
                return Int(total)
            }
        }
    }

    /// Usage-log entries with this outcome.
    func logCount(outcome: String) async throws -> Int {
        try await count("SELECT COUNT(*) FROM ai_usage_logs WHERE outcome = ?", [.text(outcome)])
    }

    /// Reservations in flight (not yet settled or recovered), of every host. On SQLite they
    /// live in the host's memory (``SQLiteLedgerBook``), plus any row an earlier version left.
    func pendingReservations() async throws -> Int {
        let inMemory = (store as? SQLiteStore)?.ledgerBook.inFlightCount ?? 0
        return inMemory + (try await count("SELECT COUNT(*) FROM quota_reservations"))
    }

    /// A ledger over this store for a recovery test, as another host would have: the store's
    /// own on SQLite; on PostgreSQL one whose registration lives an hour and is renewed (and
    /// dead hosts swept) only hourly, so that no background sweep releases a crashed host's
    /// reservations before the test's own ``QuotaLedger/recoverAbandonedReservations()``
    /// does, however slowly a loaded machine runs the test.
    func hostLedger(clock: @escaping @Sendable () -> Date) throws -> any QuotaLedger {
        switch backend {
        case .sqlite:
            return store.quotaLedger(logger: Self.logger, clock: clock)
        case .postgres:
            let postgres = try #require(store as? PostgresStore)
            return PostgresQuotaLedger(
                store: postgres, logger: Self.logger, clock: clock, hostTTL: .seconds(3600), renewInterval: .seconds(3600))
        }
    }

    /// Kills `ledger`'s host as a SIGKILL would: nothing is settled or returned, and the host
    /// no longer proves it is alive. SQLite: its reservations in flight, which live only in
    /// its memory, are gone with it (``SQLiteQuotaLedger/forgetInFlight()``). PostgreSQL: its
    /// `ledger_hosts` registration is deleted without the sweep a clean
    /// ``PostgresQuotaLedger/shutdown()`` would run.
    func crash(_ ledger: any QuotaLedger) async throws {
        switch backend {
        case .sqlite:
            try #require(ledger as? SQLiteQuotaLedger).forgetInFlight()
        case .postgres:
            let postgres = try #require(ledger as? PostgresQuotaLedger, "the PostgreSQL store's ledger is a PostgresQuotaLedger")
            let instance = postgres.instance
            try await TestDatabase.connect(database) { connection in
                try await connection.query("DELETE FROM ledger_hosts WHERE instance = \(instance)", logger: Self.logger)
            }
        }
    }

    /// A new user with a unique e-mail and username, on `tier`.
    func user(_ name: String = "user", tier: String = "free", role: UserRole = .user) async throws -> UserRecord {
        let tag = UUID().uuidString.prefix(8).lowercased()
        return try await store.createUser(
            NewUser(email: "\(name)-\(tag)@example.com", username: "\(name)_\(tag)", passwordHash: "hash", role: role, tier: tier),
            now: Date())
    }

    /// A tier named `test` with these limits.
    func tier(
        perDay: Int = 1000, perWeek: Int = 5000, perMonth: Int = 20000, budgetMicros: Int64 = 100_000_000, at date: Date = Date()
    ) async throws {
        try await store.upsertTier(
            TierRecord(
                name: "test", requestsPerDay: perDay, requestsPerWeek: perWeek, requestsPerMonth: perMonth,
                monthlyBudgetMicros: budgetMicros, priceMicros: 0), now: date)
    }

    /// The user's counter for `period` at `date`.
    func counter(_ userID: Int64, _ period: UsagePeriod, at date: Date) async throws -> UsageCounter? {
        try await store.usageCounters(userID: userID, at: date).first { $0.period == period }
    }
}

/// A ledger fixture on one backend: a `test` tier with the given limits, one user on it and a
/// ledger whose clock the test moves.
struct LedgerFixture: Sendable {
    let db: Conformance
    let ledger: any QuotaLedger
    let clock: QuotaLedgerTests.MovableClock
    let userID: Int64

    var store: any Store { db.store }

    static func run<T>(
        _ backend: StoreBackend, perDay: Int = 1000, perWeek: Int = 5000, perMonth: Int = 20000,
        budgetMicros: Int64 = 100_000_000, at date: Date = Date(), poolMax: Int = 8, _ body: (LedgerFixture) async throws -> T
    ) async throws -> T {
        try await Conformance.run(backend, poolMax: poolMax) { db async throws in
            try await db.tier(perDay: perDay, perWeek: perWeek, perMonth: perMonth, budgetMicros: budgetMicros, at: date)
            let user = try await db.user("quota", tier: "test")
            let clock = QuotaLedgerTests.MovableClock(date)
            let ledger = db.store.quotaLedger(logger: Conformance.logger, clock: clock.read)
            return try await body(LedgerFixture(db: db, ledger: ledger, clock: clock, userID: user.id))
        }
    }

    /// A charge of `cost` for this fixture's user.
    func charge(cost: Int64 = 0, provider: String = "fallback", model: String = "m", countsRequest: Bool = true) -> AttemptCharge {
        AttemptCharge(
            userID: userID, requestID: UUID().uuidString, kind: "chat", provider: provider, model: model, estimatedCostMicros: cost,
            countsRequest: countsRequest)
    }

    /// The user's counter for `period` now.
    func counter(_ period: UsagePeriod) async throws -> UsageCounter? {
        try await db.counter(userID, period, at: clock.read())
    }

    /// A settled success of `cost`.
    static func success(cost: Int64, prompt: Int = 10, completion: Int = 10) -> AttemptOutcome {
        AttemptOutcome(
            outcome: "success", usage: TokenUsage(promptTokens: prompt, completionTokens: completion), costMicros: cost, latencyMs: 1,
            countsAsRequest: true)
    }

    /// A failure that gives the request and the estimate back.
    static func failure(_ outcome: String = "overloaded") -> AttemptOutcome {
        AttemptOutcome(
            outcome: outcome, usage: TokenUsage(promptTokens: 0, completionTokens: 0), costMicros: 0, latencyMs: 1, countsAsRequest: false)
    }
}
