import Foundation
import GRDB
import Logging
import Testing

@testable import VigorHost

/// The SQLite usage log's time marks (``SQLiteUsageTimeMarks``), which take the place of an
/// index on `created_at`: the time-window reports read past them by rowid and give the answer a
/// scan of the whole log gives, whatever order the clock wrote the entries in.
@Suite("SQLite usage log: time marks in place of a time index")
struct SQLiteUsageTimeMarksTests {
    typealias Fixture = QuotaLedgerTests.Fixture

    /// What a scan of the whole log says for a window from `since`: entries and their cost.
    static func scanned(_ f: Fixture, since: Date) async throws -> (attempts: Int64, cost: Int64) {
        try await f.store.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(cost_micros), 0) AS cost FROM ai_usage_logs WHERE created_at >= ?",
                arguments: [since.epochMillis])!
            return (row["n"] as Int64, row["cost"] as Int64)
        }
    }

    /// What the two reports say for the same window, summed over their groups.
    static func reported(_ f: Fixture, since: Date) async throws -> (
        breakdown: (Int64, Int64), byDay: (Int64, Int64), byUser: (Int64, Int64)
    ) {
        let breakdown = try await f.store.usageBreakdown(since: since)
        let byUser = try await f.store.usageByUser(since: since)
        return (
            (breakdown.byProvider.reduce(0) { $0 + Int64($1.attempts) }, breakdown.byProvider.reduce(0) { $0 + $1.costMicros }),
            (breakdown.byDay.reduce(0) { $0 + Int64($1.attempts) }, breakdown.byDay.reduce(0) { $0 + $1.costMicros }),
            (byUser.reduce(0) { $0 + Int64($1.requests) }, byUser.reduce(0) { $0 + $1.costMicros })
        )
    }

    @Test("reports from every instant equal a scan of the whole log: folds, a mark a minute, a clock set back and forward again")
    func exactWindows() async throws {
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        let f = try await QuotaLedgerTests.fixture(perDay: 100_000, perWeek: 100_000, perMonth: 100_000, at: start)
        // Seconds from `start` at which entries settle: steps under a fold's second, past it,
        // past a mark's minute, then the clock set back (an NTP step) and forward again.
        let offsets: [TimeInterval] = [0, 0.2, 0.4, 1.5, 3, 30, 59, 61, 62, 130, 200, -40, -39, -20, 5, 210, 211, 400, 401, 900, 60]
        var cost: Int64 = 1
        for offset in offsets {
            f.clock.set(start.addingTimeInterval(offset))
            try await SQLiteLedgerFoldTests.settleOne(f, cost: cost)
            cost += 1
        }
        try await f.store.foldLedger()
        let marks = try await SQLiteLedgerTests.int(f, "SELECT COUNT(*) FROM usage_log_marks")
        #expect(marks >= 2 && marks <= 12, "about one mark a minute of log time, not one a fold")

        var instants: [Date] = [Date.distantPast, Date.distantFuture, Date(timeIntervalSince1970: 0)]
        for offset in offsets {
            for delta in [-0.001, 0, 0.001] { instants.append(start.addingTimeInterval(offset + delta)) }
        }
        for since in instants {
            let scan = try await Self.scanned(f, since: since)
            let report = try await Self.reported(f, since: since)
            #expect(report.breakdown == scan, "breakdown by provider from \(since.epochMillis)")
            #expect(report.byDay == scan, "breakdown by day from \(since.epochMillis)")
            #expect(report.byUser == scan, "usage by user from \(since.epochMillis)")
        }
        // The marks do skip: a window from the last minute reads past most of the log.
        let skipped = try await f.store.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT \(SQLiteUsageTimeMarks.skippedThroughSQL)", arguments: [start.addingTimeInterval(850).epochMillis]) ?? 0
        }
        #expect(skipped >= Int64(offsets.count - 3))
    }

    @Test("an operator's entries stamped at the Int64 edges: the marks and the reports stay exact, and the day report names a day for each")
    func extremeTimes() async throws {
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        let f = try await QuotaLedgerTests.fixture(at: start)
        try await SQLiteLedgerFoldTests.settleOne(f)
        try await f.store.foldLedger()
        for stamp in [Int64.max, Int64.min, 0, Int64.max - 1] {
            try await f.store.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO ai_usage_logs (request_id, kind, provider, model, cost_micros, outcome, created_at)
                        VALUES ('operator', 'chat', 'openai', 'm', 5, 'success', ?)
                        """, arguments: [stamp])
            }
            try await f.store.foldLedger()
            f.clock.set(f.clock.read().addingTimeInterval(90))
            try await SQLiteLedgerFoldTests.settleOne(f)
            try await f.store.foldLedger()
        }
        for since in [Date(epochMillis: Int64.min), Date.distantPast, start, start.addingTimeInterval(200), Date.distantFuture] {
            let scan = try await Self.scanned(f, since: since)
            let report = try await Self.reported(f, since: since)
            #expect(report.breakdown == scan, "from \(since.epochMillis)")
            #expect(report.byDay == scan, "by day from \(since.epochMillis)")
        }
        // Days past what a date can name are counted on the nearest one that can be.
        let days = try await f.store.usageBreakdown(since: Date(epochMillis: Int64.min)).byDay
        #expect(days.first?.key == "0001-01-01" && days.first?.attempts == 1)
        #expect(days.last?.key == "9999-12-31" && days.last?.attempts == 2)
    }

    @Test("a careless operator's delete of the newest entry is refused whole; old entries can be pruned, and ids go on growing")
    func keepsNewest() async throws {
        let f = try await QuotaLedgerTests.fixture()
        for _ in 0..<5 { try await SQLiteLedgerFoldTests.settleOne(f) }
        try await f.store.foldLedger()
        for sql in ["DELETE FROM ai_usage_logs", "DELETE FROM ai_usage_logs WHERE id >= 4", "DELETE FROM ai_usage_logs WHERE id = 5"] {
            let refused = await #expect(throws: DatabaseError.self, "\(sql)") { try await f.store.write { db in try db.execute(sql: sql) } }
            #expect(refused?.message?.contains("keeps its newest entry") == true, "\(String(describing: refused))")
            #expect(try await SQLiteLedgerTests.int(f, "SELECT COUNT(*) FROM ai_usage_logs") == 5, "nothing of \(sql) stands")
        }
        try await f.store.write { db in try db.execute(sql: "DELETE FROM ai_usage_logs WHERE id < 5") }
        try await SQLiteLedgerFoldTests.settleOne(f, cost: 7)
        #expect(try await SQLiteLedgerTests.int(f, "SELECT MAX(id) FROM ai_usage_logs") == 6)
        let since = f.clock.read().addingTimeInterval(-1)
        #expect(try await Self.scanned(f, since: since) == (2, 10))
        #expect(try await Self.reported(f, since: since).breakdown == (2, 10))
    }

    @Test("no index on created_at is written, and the reports read the log by rowid")
    func readsByRowid() async throws {
        let f = try await QuotaLedgerTests.fixture()
        try await SQLiteLedgerFoldTests.settleOne(f)
        let (indexes, plan) = try await f.store.read { db in
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ai_usage_logs'")
            let plan = try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN SELECT provider, COUNT(*) FROM ai_usage_logs
                    WHERE id > \(SQLiteUsageTimeMarks.skippedThroughSQL) AND created_at >= ? GROUP BY provider
                    """, arguments: [0, 0]
            ).map { $0["detail"] as String }
            return (indexes, plan)
        }
        #expect(indexes.sorted() == ["ai_usage_logs_user"])
        #expect(plan.contains { $0.contains("ai_usage_logs USING INTEGER PRIMARY KEY (rowid>?)") }, "\(plan)")
    }

    @Test("a log written before the marks: its entries are marked at migration, and the reports stay exact")
    func migratedLog() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-marks-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        let store = try SQLiteStore(path: path)
        try SQLiteMigrations.migrator(now: start).migrate(store.pool, upTo: QuotaMigration.foldName)
        // A first minute out of order, then 240 entries 10 s apart (40 minutes), one of them
        // stamped by a clock set back an hour.
        var written: [Int64] = [5_000, 1_000, 9_000]
        written += (1...240).map { 60_000 + Int64($0) * 10_000 }
        written[150] -= 3_600_000
        let stamps = written
        try await store.write { db in
            for (n, at) in stamps.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO ai_usage_logs (request_id, kind, provider, model, cost_micros, outcome, created_at)
                        VALUES (?, 'chat', 'openai', 'm', ?, 'success', ?)
                        """, arguments: ["r\(n)", n + 1, start.epochMillis + at])
            }
        }
        try await store.migrate(logger: QuotaLedgerTests.logger, now: start)
        let marks = try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT through_id, latest_ms FROM usage_log_marks ORDER BY id").map {
                [$0["through_id"], $0["latest_ms"]] as [Int64]
            }
        }
        // A mark a minute of the running latest time: the first minute's three entries, then
        // the rest; each says every entry up to it was written by its time.
        #expect(marks.count >= 40 && marks.count <= 42, "\(marks.count) marks")
        #expect(marks.first == [3, start.epochMillis + 9_000])
        #expect(marks.last?.first == Int64(stamps.count))
        for mark in marks {
            #expect(stamps.prefix(Int(mark[0])).allSatisfy { start.epochMillis + $0 <= mark[1] })
        }
        var froms: [Int64] = [0, 1_001, 5_000, 5_001, 9_001, -3_600_000]
        froms += stride(from: 60_000, through: 2_500_000, by: 25_000).map { $0 }
        for from in froms {
            let expected = stamps.enumerated().filter { $0.element >= from }.reduce(Int64(0)) { $0 + Int64($1.offset + 1) }
            let breakdown = try await store.usageBreakdown(since: Date(epochMillis: start.epochMillis + from))
            #expect(breakdown.byModel.reduce(0) { $0 + $1.costMicros } == expected, "from +\(from) ms")
        }
        // A report from the last minutes skips most of the log.
        let skipped = try await store.read { db in
            try Int64.fetchOne(db, sql: "SELECT \(SQLiteUsageTimeMarks.skippedThroughSQL)", arguments: [start.epochMillis + 2_300_000]) ?? 0
        }
        #expect(skipped >= 200)
    }
}
