import Foundation
import GRDB
import Logging
import Testing

@testable import VigorHost

/// The SQLite counters folded from the usage log (``SQLiteLedgerFold``): at every commit the
/// counter rows plus the unfolded entries equal the log, every read counts both, a killed
/// host's unfolded entries are counted by the next one and folded at its start, and a fold
/// that fails costs no settle.
@Suite("SQLite ledger: counters folded from the usage log")
struct SQLiteLedgerFoldTests {
    typealias Fixture = QuotaLedgerTests.Fixture

    /// The stored day counter of the fixture's user (requests), without the unfolded entries.
    static func storedDayRequests(_ f: Fixture) async throws -> Int64 {
        try await SQLiteLedgerTests.int(f, "SELECT COALESCE(SUM(requests), 0) FROM usage_counters WHERE period = 'day'")
    }

    static func settleOne(_ f: Fixture, cost: Int64 = 3) async throws {
        let held = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: cost))
        try await f.ledger.settle(held, LedgerFixture.success(cost: cost))
    }

    @Test("a fold every 128 entries: the rows lag the log by less than a fold, and rows plus unfolded entries equal it at every step")
    func foldsByCount() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 1000)
        var folds = 0
        var stored: Int64 = 0
        for n in 1...300 {
            try await Self.settleOne(f)
            let now = try await Self.storedDayRequests(f)
            if now != stored {
                folds += 1
                #expect(now == Int64(n), "a fold takes every entry before it")
                stored = now
            }
            #expect(Int64(n) - stored < Int64(SQLiteLedgerFold.foldEvery))
            let counted = try await f.store.usageCounters(userID: f.userID, at: f.clock.read())
            #expect(counted.map(\.requests) == [n, n, n] && counted.map(\.costMicros) == [3 * Int64(n), 3 * Int64(n), 3 * Int64(n)])
        }
        #expect(folds == 300 / SQLiteLedgerFold.foldEvery)
        #expect(try await SQLiteLedgerTests.int(f, "SELECT through_id FROM ledger_fold") == Int64(folds * SQLiteLedgerFold.foldEvery))
    }

    @Test("a fold once a second has passed, however few the entries; a clock set back folds too")
    func foldsByTime() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 1000)
        let start = f.clock.read()
        try await Self.settleOne(f)
        try await Self.settleOne(f)
        #expect(try await Self.storedDayRequests(f) == 0)
        f.clock.set(start.addingTimeInterval(SQLiteLedgerFold.foldInterval))
        try await Self.settleOne(f)
        #expect(try await Self.storedDayRequests(f) == 3)
        try await Self.settleOne(f)
        #expect(try await Self.storedDayRequests(f) == 3)
        f.clock.set(start)
        try await Self.settleOne(f)
        #expect(try await Self.storedDayRequests(f) == 5)
    }

    @Test("a host killed with entries unfolded: the next one counts them from its first reservation and folds them at start")
    func killedHostsTail() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 7)
        for _ in 0..<5 { try await Self.settleOne(f, cost: 11) }
        #expect(try await Self.storedDayRequests(f) == 0)
        // The process dies: nothing of it runs again (no fold, no shutdown). A new process
        // opens the file with an empty memory.
        let store = try SQLiteStore(path: f.store.path)
        try await store.migrate(logger: Logger(label: "test"), now: f.clock.read())
        let ledger = SQLiteQuotaLedger(store: store, logger: Logger(label: "test"), clock: f.clock.read)
        let counted = try await store.usageCounters(userID: f.userID, at: f.clock.read())
        #expect(counted.map(\.requests) == [5, 5, 5] && counted.map(\.costMicros) == [55, 55, 55])
        // Seven a day: the dead host's five leave two, before any fold.
        let held = await withTaskGroup(of: Reservation?.self) { group in
            for _ in 0..<50 { group.addTask { try? await ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 1)) } }
            var all: [Reservation] = []
            for await reservation in group { if let reservation { all.append(reservation) } }
            return all
        }
        #expect(held.count == 2)
        for reservation in held { try await ledger.settle(reservation, LedgerFixture.failure()) }
        // Its start folds them.
        #expect(try await ledger.recoverAbandonedReservations() == 0)
        #expect(
            try await store.read { db in try Int64.fetchOne(db, sql: "SELECT SUM(requests) FROM usage_counters WHERE period = 'day'") } == 5
        )
        #expect(
            try await store.read { db in try Int64.fetchOne(db, sql: "SELECT cost_micros FROM global_usage WHERE period = 'month'") } == 55)
        let after = try await store.usageCounters(userID: f.userID, at: f.clock.read())
        #expect(after.map(\.requests) == [5, 5, 5] && after.map(\.costMicros) == [55, 55, 55], "folded once, not twice")
    }

    @Test("a host that stops folds its last entries: the counter rows it leaves are whole")
    func closeFolds() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 100)
        for _ in 0..<4 { try await Self.settleOne(f, cost: 2) }
        #expect(try await Self.storedDayRequests(f) == 0)
        try await f.store.close()
        let queue = try DatabaseQueue(path: f.store.path)
        let stored = try await queue.read { db in
            try Row.fetchOne(db, sql: "SELECT requests, cost_micros FROM usage_counters WHERE period = 'day'").map {
                [$0["requests"] as Int64, $0["cost_micros"] as Int64]
            }
        }
        #expect(stored == [4, 8])
        try queue.close()
    }

    @Test("a fold that fails is undone and logged: the settles stand, every read still counts them, the next fold takes them")
    func failingFold() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 1000)
        try SQLiteLedgerTests.external(
            f, "CREATE TRIGGER refuse_fold BEFORE UPDATE ON ledger_fold BEGIN SELECT RAISE(ABORT, 'no fold today'); END")
        let start = f.clock.read()
        for second in 1...3 {
            f.clock.set(start.addingTimeInterval(Double(second) * SQLiteLedgerFold.foldInterval))
            try await Self.settleOne(f)
        }
        #expect(try await SQLiteLedgerTests.int(f, "SELECT COUNT(*) FROM ai_usage_logs") == 3)
        #expect(try await Self.storedDayRequests(f) == 0, "each fold was rolled back whole, counters included")
        let counted = try await f.store.usageCounters(userID: f.userID, at: f.clock.read())
        #expect(counted.map(\.requests) == [3, 3, 3])
        try SQLiteLedgerTests.external(f, "DROP TRIGGER refuse_fold")
        f.clock.set(start.addingTimeInterval(10 * SQLiteLedgerFold.foldInterval))
        try await Self.settleOne(f)
        #expect(try await Self.storedDayRequests(f) == 4)
    }

    @Test(
        "a deleted watermark row (a careless operator): reads count no tail, the next fold puts it back at the log's end, counting goes on")
    func deletedWatermark() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 100)
        for _ in 0..<3 { try await Self.settleOne(f) }
        try SQLiteLedgerTests.external(f, "DELETE FROM ledger_fold")
        let before = try await f.store.usageCounters(userID: f.userID, at: f.clock.read())
        #expect(before.map(\.requests) == [0, 0, 0], "the unfolded entries are lost to the counters, not counted twice")
        try await f.store.foldLedger()
        #expect(try await SQLiteLedgerTests.int(f, "SELECT through_id FROM ledger_fold") == 3)
        for _ in 0..<2 { try await Self.settleOne(f) }
        let after = try await f.store.usageCounters(userID: f.userID, at: f.clock.read())
        #expect(after.map(\.requests) == [2, 2, 2])
        try await f.store.foldLedger()
        #expect(try await Self.storedDayRequests(f) == 2)
    }

    @Test("Int64.max costs in unfolded entries (an operator's rows; the ledger clamps its own): reads and the fold saturate")
    func extremeCosts() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 1000, budgetMicros: .max)
        try await Self.settleOne(f, cost: .max)
        let day = PeriodKeys(f.clock.read()).day
        try SQLiteLedgerTests.external(
            f,
            """
            INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, cost_micros, outcome, created_at,
                counted_requests, counted_day)
            VALUES (\(f.userID), 'x1', 'chat', 'fallback', 'm', 9223372036854775807, 'success', 0, 1, '\(day)'),
                (\(f.userID), 'x2', 'chat', 'fallback', 'm', 9223372036854775807, 'success', 0, 1, '\(day)'),
                (\(f.userID), 'x3', 'chat', 'fallback', 'm', 5, 'success', 0, 1, 'not a day')
            """)
        let counted = try await f.store.usageCounters(userID: f.userID, at: f.clock.read())
        #expect(counted.map(\.requests) == [3, 3, 3] && counted.allSatisfy { $0.costMicros == .max })
        #expect(try await f.store.globalSpend(at: f.clock.read()).allSatisfy { $0.costMicros == .max })
        try await f.store.foldLedger()
        #expect(try await SQLiteLedgerTests.int(f, "SELECT MIN(cost_micros) FROM usage_counters") == .max)
        #expect(try await SQLiteLedgerTests.int(f, "SELECT MIN(cost_micros) FROM provider_usage") == .max)
        let after = try await f.store.usageCounters(userID: f.userID, at: f.clock.read())
        #expect(after.map(\.requests) == [3, 3, 3] && after.allSatisfy { $0.costMicros == .max })
        // A reservation decides against the saturated counters (the budget is Int64.max too: room).
        _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 1))
    }

    @Test("interleaved users and providers: each counter gets its own entries, before the fold and after it")
    func interleaved() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 1000)
        let other = try await f.store.createUser(
            NewUser(email: "fold-other@example.com", username: "foldother", passwordHash: "x", tier: "test"), now: Date())
        for i in 0..<20 {
            let user = i % 3 == 0 ? other.id : f.userID
            let provider = i % 2 == 0 ? "openai" : "fallback"
            let held = try await f.ledger.reserve(QuotaLedgerTests.charge(user, cost: Int64(i), provider: provider))
            try await f.ledger.settle(held, LedgerFixture.success(cost: Int64(i)))
        }
        func check(_ moment: String) async throws {
            let now = f.clock.read()
            let mine = try await f.store.usageCounters(userID: f.userID, at: now).first { $0.period == .day }
            let theirs = try await f.store.usageCounters(userID: other.id, at: now).first { $0.period == .day }
            // Other: i = 0, 3, …, 18 (7 entries, cost 63); mine: the other 13 (cost 190 - 63).
            #expect(theirs?.requests == 7 && theirs?.costMicros == 63, "\(moment)")
            #expect(mine?.requests == 13 && mine?.costMicros == 127, "\(moment)")
            let spend = try await f.store.providerSpend(at: now)
            #expect(spend["openai"]?.first?.costMicros == 90 && spend["fallback"]?.first?.costMicros == 100, "\(moment)")
            #expect(try await f.store.globalSpend(at: now).first?.costMicros == 190, "\(moment)")
        }
        try await check("unfolded")
        try await f.store.foldLedger()
        try await check("folded")
        #expect(try await SQLiteLedgerTests.int(f, "SELECT SUM(cost_micros) FROM provider_usage WHERE period = 'day'") == 190)
    }

    @Test("entries that count nothing (refusals, uncounted failures) are read past and never make a counter row")
    func uncountedEntries() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 1)
        try await Self.settleOne(f, cost: 0)
        await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID)) }
        await f.ledger.recordRefusal(QuotaLedgerTests.charge(f.userID), .noAccount)
        try await f.store.foldLedger()
        #expect(try await SQLiteLedgerTests.int(f, "SELECT COUNT(*) FROM provider_usage") == 0)
        #expect(try await SQLiteLedgerTests.int(f, "SELECT COUNT(*) FROM usage_counters") == 3)
        #expect(try await SQLiteLedgerTests.int(f, "SELECT through_id FROM ledger_fold") == 2)
    }
}
