import Foundation
import GRDB
import Testing
import VigorPluginSDK

@testable import VigorHost

/// The SQLite ledger's in-memory allowance (``SQLiteLedgerBook``): reservations decided in
/// memory with no database write, one group-committed write per settle, cached limits that
/// follow this process's changes at once and another process's within the TTL, and the
/// database's counters equal to the usage log.
@Suite("SQLite ledger: the allowance in memory")
struct SQLiteLedgerTests {
    typealias Fixture = QuotaLedgerTests.Fixture

    /// Runs a raw query on the fixture's database file.
    static func int(_ f: Fixture, _ sql: String) async throws -> Int64 {
        try await f.store.read { db in try Int64.fetchOne(db, sql: sql) ?? -1 }
    }

    /// The raw counters (settled usage) of the fixture's user: day requests and month cost, as
    /// stored once the usage log's unfolded entries are folded into them.
    static func rawCounters(_ f: Fixture) async throws -> (requests: Int64, cost: Int64) {
        try await f.store.foldLedger()
        let requests = try await int(f, "SELECT COALESCE(SUM(requests), 0) FROM usage_counters WHERE period = 'day'")
        let cost = try await int(f, "SELECT COALESCE(SUM(cost_micros), 0) FROM usage_counters WHERE period = 'month'")
        return (requests, cost)
    }

    /// A second connection to the fixture's file, as an operator's `sqlite3` would open.
    static func external(_ f: Fixture, _ sql: String) throws {
        let queue = try DatabaseQueue(path: f.store.path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }

    @Test("200 concurrent reserves against a limit of 10: exactly 10 admitted, nothing written until settled, counters = log")
    func exactWithoutWrites() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 10)
        let held = await withTaskGroup(of: Reservation?.self) { group in
            for _ in 0..<200 {
                group.addTask { try? await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 7)) }
            }
            var all: [Reservation] = []
            for await reservation in group { if let reservation { all.append(reservation) } }
            return all
        }
        #expect(held.count == 10)
        #expect(Set(held.map(\.pendingID)).count == 10)
        // Reserving wrote nothing: no counter row, no in-flight row.
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM usage_counters") == 0)
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM quota_reservations") == 0)
        #expect(f.store.ledgerBook.inFlightCount == 10)
        // The store's reads count them, as on every backend.
        let day = try await f.store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .day }
        #expect(day?.requests == 10 && day?.costMicros == 70)
        await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, reservation) in held.enumerated() {
                // Every other one costs more than its estimate: still charged in full.
                let cost: Int64 = i % 2 == 0 ? 5 : 11
                group.addTask { try await f.ledger.settle(reservation, LedgerFixture.success(cost: cost)) }
            }
            try await group.waitForAll()
        }
        #expect(f.store.ledgerBook.inFlightCount == 0)
        // Ten entries are fewer than a fold takes, and the clock stood still: the counter rows
        // are not written yet, and every read counts the entries.
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM usage_counters") == 0)
        let settled = try await f.store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .day }
        #expect(settled?.requests == 10 && settled?.costMicros == 80)
        #expect(try await f.store.globalSpend(at: f.clock.read()).map(\.costMicros) == [80, 80, 80])
        #expect(try await f.store.providerSpend(at: f.clock.read())["fallback"]?.map(\.costMicros) == [80, 80, 80])
        let raw = try await Self.rawCounters(f)
        #expect(raw.requests == 10 && raw.cost == 80)
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM ai_usage_logs WHERE outcome = 'success'") == raw.requests)
        #expect(try await Self.int(f, "SELECT SUM(cost_micros) FROM ai_usage_logs") == raw.cost)
        #expect(try await Self.int(f, "SELECT cost_micros FROM global_usage WHERE period = 'month'") == 80)
        #expect(try await Self.int(f, "SELECT cost_micros FROM provider_usage WHERE period = 'week'") == 80)
        await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID)) }
    }

    @Test("a tier change through the store is seen by the very next reserve, without waiting for the TTL")
    func tierChangeThroughTheStore() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 1)
        _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID))
        await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID)) }
        try await f.store.upsertTier(
            TierRecord(
                name: "test", requestsPerDay: 2, requestsPerWeek: 10, requestsPerMonth: 10, monthlyBudgetMicros: 1_000_000, priceMicros: 0),
            now: f.clock.read())
        _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID))
        await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID)) }
        // Moving the user to another tier applies at once too.
        try await f.store.upsertTier(
            TierRecord(
                name: "big", requestsPerDay: 3, requestsPerWeek: 10, requestsPerMonth: 10, monthlyBudgetMicros: 1_000_000, priceMicros: 0),
            now: f.clock.read())
        _ = try await f.store.setTier(userID: f.userID, tier: "big", now: Date())
        let third = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID))
        #expect(third.rateLimit?.remaining == 0)
        // The global budget and a provider cap, set through the store, too.
        try await f.store.setBudgetSettings(
            BudgetSettings(weeklyBudgetMicros: nil, monthlyBudgetMicros: 0, alertThresholdPercent: 80, autoDisable: true),
            now: f.clock.read())
        _ = try await f.store.setTier(userID: f.userID, tier: "unlimited", now: Date())
        do {
            _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 1))
            Issue.record("a global budget of 0 must refuse at once")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.limit == "global_monthly_budget")
        }
    }

    @Test("a limit changed in the file by another connection applies after the TTL (1 s of the ledger's clock), not per request")
    func externalChangeAfterTTL() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 1)
        _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID))
        try Self.external(f, "UPDATE tiers SET requests_per_day = 3 WHERE name = 'test'")
        // Within the TTL the cached limit (1) still decides: the hot path read nothing.
        await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID)) }
        f.clock.set(f.clock.read().addingTimeInterval(SQLiteLedgerBook.limitsTTL))
        _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID))
        _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID))
        await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID)) }
        // A provider cap set by another process: the same.
        try Self.external(f, "UPDATE tiers SET requests_per_day = 100 WHERE name = 'test'")
        f.clock.set(f.clock.read().addingTimeInterval(SQLiteLedgerBook.limitsTTL))
        _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 50, provider: "openai"))
        try Self.external(f, "UPDATE provider_priorities SET daily_cap_micros = 10 WHERE provider = 'openai' AND model = ''")
        f.clock.set(f.clock.read().addingTimeInterval(SQLiteLedgerBook.limitsTTL / 2))
        _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 50, provider: "openai"))
        f.clock.set(f.clock.read().addingTimeInterval(SQLiteLedgerBook.limitsTTL / 2))
        do {
            _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 50, provider: "openai"))
            Issue.record("the cap set by another process applies after the TTL")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.limit == "provider_day_cap")
        }
    }

    @Test("a settle whose commit fails throws, releases the reservation and writes nothing; memory and file stay equal")
    func failingSettle() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 1)
        try Self.external(
            f,
            """
            CREATE TRIGGER refuse_boom BEFORE INSERT ON ai_usage_logs WHEN NEW.request_id = 'boom'
            BEGIN SELECT RAISE(ABORT, 'the disk is full'); END
            """)
        var charge = QuotaLedgerTests.charge(f.userID, cost: 40)
        charge.requestID = "boom"
        let doomed = try await f.ledger.reserve(charge)
        await #expect(throws: (any Error).self) { try await f.ledger.settle(doomed, LedgerFixture.success(cost: 40)) }
        #expect(f.store.ledgerBook.inFlightCount == 0, "the failed settle released its reservation")
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM usage_counters") == 0, "nothing was counted")
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM ai_usage_logs") == 0)
        let day = try await f.store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .day }
        #expect(day?.requests == 0 && day?.costMicros == 0)
        // The allowance is back (the limit is 1) and a good settle counts exactly once.
        let next = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 40))
        try await f.ledger.settle(next, LedgerFixture.success(cost: 30))
        let raw = try await Self.rawCounters(f)
        #expect(raw.requests == 1 && raw.cost == 30)
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM ai_usage_logs") == 1)
        await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID)) }
    }

    @Test("settles waiting behind a commit go together: one entry that cannot be written fails alone, the others commit once")
    func batchWithOneFailure() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 100)
        try Self.external(
            f,
            """
            CREATE TRIGGER refuse_boom BEFORE INSERT ON ai_usage_logs WHEN NEW.request_id = 'boom'
            BEGIN SELECT RAISE(ABORT, 'refused'); END
            """)
        var held: [Reservation] = []
        for i in 0..<30 {
            var charge = QuotaLedgerTests.charge(f.userID, cost: 10)
            if i == 15 { charge.requestID = "boom" }
            held.append(try await f.ledger.reserve(charge))
        }
        let reservations = held
        // The writer is busy (another write holds it) while the settles arrive: the first one
        // leads and waits for the writer, the other 29 queue behind it.
        let writer = DispatchSemaphore(value: 0)
        f.store.pool.asyncWriteWithoutTransaction { _ in writer.wait() }
        let deadline = ContinuousClock.now + .seconds(20)
        let first = Task { try await f.ledger.settle(reservations[0], LedgerFixture.success(cost: 7)) }
        while !f.ledger.settles.waiting.leading, ContinuousClock.now < deadline { await Task.yield() }
        let rest = Task {
            await withTaskGroup(of: Bool.self) { group in
                for reservation in reservations.dropFirst() {
                    group.addTask { (try? await f.ledger.settle(reservation, LedgerFixture.success(cost: 7))) != nil }
                }
                var ok = 0
                for await settled in group where settled { ok += 1 }
                return ok
            }
        }
        while f.ledger.settles.waiting.count < 29, ContinuousClock.now < deadline { await Task.yield() }
        #expect(f.ledger.settles.waiting.count == 29, "the 29 settles wait for the batch ahead")
        writer.signal()
        try await first.value
        #expect(await rest.value == 28, "only the entry that cannot be written failed")
        #expect(f.store.ledgerBook.inFlightCount == 0)
        let raw = try await Self.rawCounters(f)
        #expect(raw.requests == 29 && raw.cost == 29 * 7)
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM ai_usage_logs") == 29)
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM ai_usage_logs WHERE request_id = 'boom'") == 0)
        let day = try await f.store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .day }
        #expect(day?.requests == 29, "memory agrees with the file: the failed one was released")
    }

    @Test("a reservation settled twice (a caller's bug) is logged and counted twice; memory reads the file again and agrees")
    func settledTwice() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 3)
        let held = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 10))
        try await f.ledger.settle(held, LedgerFixture.success(cost: 10))
        try await f.ledger.settle(held, LedgerFixture.success(cost: 10))
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM ai_usage_logs") == 2)
        // Memory follows the file, read before any fold (the counter rows are still empty, the
        // two entries unfolded): one request of the three is left.
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM usage_counters") == 0)
        _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID))
        await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID)) }
        let raw = try await Self.rawCounters(f)
        #expect(raw.requests == 2 && raw.cost == 20)
    }

    @Test("rollover: a reservation made before midnight UTC (and the month's end) settles in its own periods; the new ones start empty")
    func rolloverAcrossSettle() async throws {
        // Sunday 2026-05-31 23:59:59 UTC: the last second of a day, an ISO week and a month.
        let edge = try #require(ISO8601DateFormatter().date(from: "2026-05-31T23:59:59Z"))
        let f = try await QuotaLedgerTests.fixture(perDay: 1, perWeek: 2, perMonth: 2, budgetMicros: 100, at: edge)
        let late = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 100))
        await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID)) }
        f.clock.set(edge.addingTimeInterval(2))
        // A new day, week and month: the held reservation belongs to the old ones.
        let early = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 100))
        try await f.ledger.settle(late, LedgerFixture.success(cost: 100))
        try await f.ledger.settle(early, LedgerFixture.success(cost: 60))
        let old = try await f.store.usageCounters(userID: f.userID, at: edge)
        let new = try await f.store.usageCounters(userID: f.userID, at: edge.addingTimeInterval(2))
        #expect(old.map(\.requests) == [1, 1, 1] && old.map(\.costMicros) == [100, 100, 100])
        #expect(new.map(\.requests) == [1, 1, 1] && new.map(\.costMicros) == [60, 60, 60])
        #expect(new.map(\.periodStart) == ["2026-06-01", "2026-06-01", "2026-06-01"])
        // Tuesday: a new day; the week (2) is full. Next month's budget has 40 left.
        f.clock.set(edge.addingTimeInterval(2 + 86_400))
        do {
            _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 41))
            Issue.record("41 over the 40 left of the monthly budget must be refused")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.limit == "monthly_budget")
        }
        _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID, cost: 40))
        do {
            _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID))
            Issue.record("the daily limit of 1 must hold")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.limit == "requests_per_day")
        }
        #expect(try await Self.int(f, "SELECT SUM(cost_micros) FROM ai_usage_logs") == 160)
        try await f.store.foldLedger()
        #expect(try await Self.int(f, "SELECT SUM(cost_micros) FROM usage_counters WHERE period = 'month'") == 160)
        #expect(try await Self.int(f, "SELECT SUM(cost_micros) FROM usage_counters WHERE period = 'day'") == 160)
    }

    @Test("reservations an earlier version left in quota_reservations are released at start-up and logged as abandoned")
    func preUpgradeRowsRecovered() async throws {
        let f = try await QuotaLedgerTests.fixture(perDay: 1)
        let keys = PeriodKeys(f.clock.read())
        // What the two-transaction ledger left when it was killed: the counters already hold
        // the reservation, and its row is in quota_reservations.
        try Self.external(
            f,
            """
            INSERT INTO usage_counters (user_id, period, period_start, requests, cost_micros)
            VALUES (\(f.userID), 'day', '\(keys.day)', 1, 500), (\(f.userID), 'week', '\(keys.week)', 1, 500),
                (\(f.userID), 'month', '\(keys.month)', 1, 500);
            INSERT INTO global_usage (period, period_start, cost_micros)
            VALUES ('day', '\(keys.day)', 500), ('week', '\(keys.week)', 500), ('month', '\(keys.month)', 500);
            INSERT INTO quota_reservations (instance, user_id, request_id, kind, provider, model, periods,
                estimated_cost_micros, counts_request, created_at)
            VALUES ('old-host', \(f.userID), 'old', 'chat', 'fallback', 'm', '\(keys.all.joined(separator: ","))', 500, 1, 0)
            """)
        // Memory learns the counters from the file: the limit of 1 is taken.
        await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID)) }
        #expect(try await f.ledger.recoverAbandonedReservations() == 1)
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM quota_reservations") == 0)
        #expect(try await Self.int(f, "SELECT COUNT(*) FROM ai_usage_logs WHERE outcome = 'abandoned'") == 1)
        let raw = try await Self.rawCounters(f)
        #expect(raw.requests == 0 && raw.cost == 0)
        // Memory read the released counters again: the request is reservable.
        _ = try await f.ledger.reserve(QuotaLedgerTests.charge(f.userID))
        #expect(try await f.ledger.recoverAbandonedReservations() == 0)
    }
}
