import Foundation
import GRDB
import Hummingbird
import Synchronization
import Testing
import VigorPluginSDK

@testable import VigorHost

/// What only SQLite has (its migrations, its raw ledger statements) and the pure period
/// arithmetic. The Store contract itself runs on every backend in Conformance/.
@Suite("SQLite store, migrations and periods")
struct StoreTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vigor-store-\(UUID().uuidString)")
            .appendingPathComponent("vigor.sqlite").path
    }

    @Test("migrations are named, applied once, and seed the tiers")
    func migrations() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let applied = try await VigorServer.migrate(databasePath: path, logger: TestHost.logger)
        #expect(applied == SQLiteStore.migrationNames)
        #expect(applied.first == "v1-accounts")
        let again = try await VigorServer.migrate(databasePath: path, logger: TestHost.logger)
        #expect(again.isEmpty)
        let store = try SQLiteStore(path: path)
        let tiers = try await store.tiers()
        #expect(tiers.map(\.name) == ["free", "premium", "unlimited"])
        #expect(tiers == TierRecord.defaults)
        let usageIndexes = try await store.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ai_usage_logs' AND sql IS NOT NULL ORDER BY name")
        }
        #expect(usageIndexes == ["ai_usage_logs_user"], "no random-key index on the hot insert, and time marks in place of a time index")
        try await store.close()
    }

    @Test("the reservations table loses AUTOINCREMENT and keeps the reservations in flight")
    func reservationTableMigration() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let store = try SQLiteStore(path: path)
        try SQLiteMigrations.migrator(now: Date()).migrate(store.pool, upTo: QuotaMigration.pendingName)
        try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO quota_reservations (instance, user_id, request_id, kind, provider, model, periods,
                        estimated_cost_micros, counts_request, created_at)
                    VALUES ('dead-host', 1, 'r-1', 'chat', 'openai', 'm', '2026-11-28,2026-11-23,2026-11-01', 900, 1, 5)
                    """)
        }
        try await store.migrate(logger: TestHost.logger, now: Date())
        try await store.read { db in
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'quota_reservations'") ?? ""
            #expect(!sql.uppercased().contains("AUTOINCREMENT"), "\(sql)")
            let row = try Row.fetchOne(db, sql: "SELECT * FROM quota_reservations")
            #expect(row?["request_id"] == "r-1")
            #expect(row?["estimated_cost_micros"] == 900)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'quota_reservations'") == 0)
        }
        try await store.close()
    }

    @Test("the usage log loses AUTOINCREMENT, keeps its rows, ids and indexes, and goes on from the largest id")
    func usageLogMigration() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let store = try SQLiteStore(path: path)
        try SQLiteMigrations.migrator(now: Date()).migrate(store.pool, upTo: SafetyEscalationMigration.name)
        try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO users (email, username, password_hash, tier, role, created_at, updated_at)
                    VALUES ('ana@example.com', 'ana', 'x', 'free', 'user', 1, 1);
                    INSERT INTO ai_usage_logs (id, user_id, request_id, kind, provider, model, prompt_tokens, completion_tokens,
                        cost_micros, latency_ms, outcome, created_at, requested_model)
                    VALUES (7, 1, 'r-7', 'chat', 'openai', 'gpt-4o-mini', 11, 22, 330, 44, 'success', 5, 'gpt-4o'),
                        (9223372036854775000, NULL, 'r-big', 'plan', 'fallback', 'rules', 0, 0, 0, 0, 'error', 6, NULL);
                    DELETE FROM ai_usage_logs WHERE id = 9223372036854775000;
                    """)
        }
        try await store.migrate(logger: TestHost.logger, now: Date())
        try await store.write { db in
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'ai_usage_logs'") ?? ""
            #expect(!sql.uppercased().contains("AUTOINCREMENT"), "\(sql)")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'ai_usage_logs'") == 0)
            let row = try Row.fetchOne(db, sql: "SELECT * FROM ai_usage_logs")
            #expect(row?["id"] == 7)
            #expect(row?["user_id"] == 1)
            #expect(row?["requested_model"] == "gpt-4o")
            #expect(row?["cost_micros"] == 330)
            #expect(row?["created_at"] == 5)
            let indexes = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ai_usage_logs' AND sql IS NOT NULL ORDER BY name")
            #expect(indexes == ["ai_usage_logs_user"])
            // The time index gave way to a mark over the rows there were (SQLiteUsageTimeMarks).
            let mark = try Row.fetchAll(db, sql: "SELECT through_id, latest_ms FROM usage_log_marks").map { [$0[0], $0[1]] as [Int64] }
            #expect(mark == [[7, 5]])
            // The foreign key still sets the user to NULL when the account goes.
            try db.execute(
                sql: """
                    INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, outcome, created_at)
                    VALUES (1, 'r-8', 'chat', 'openai', 'gpt-4o-mini', 'success', 6)
                    """)
            #expect(db.lastInsertedRowID == 8)
            try db.execute(sql: "DELETE FROM users WHERE username = 'ana'")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ai_usage_logs WHERE user_id IS NULL") == 2)
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_key_check") == nil)
        }
        try await store.close()
    }

    @Test("the counter tables keep their rows and period rule, lose their rowid, and writing a counter builds no ephemeral table")
    func counterPeriodCheckMigration() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let store = try SQLiteStore(path: path)
        try SQLiteMigrations.migrator(now: Date()).migrate(store.pool, upTo: QuotaMigration.usageLogRowidName)
        try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO users (email, username, password_hash, tier, role, created_at, updated_at)
                    VALUES ('ana@example.com', 'ana', 'x', 'free', 'user', 1, 1);
                    INSERT INTO usage_counters VALUES (1, 'week', '2026-11-30', 4, 9223372036854775807);
                    INSERT INTO provider_usage VALUES ('openai', 'month', '2026-12-01', 250);
                    INSERT INTO global_usage VALUES ('day', '2026-12-05', 125);
                    """)
        }
        try await store.migrate(logger: TestHost.logger, now: Date())
        try await store.write { db in
            #expect(
                try Row.fetchOne(db, sql: "SELECT * FROM usage_counters") == [
                    "user_id": 1, "period": "week", "period_start": "2026-11-30", "requests": 4, "cost_micros": Int64.max,
                ])
            #expect(
                try Int64.fetchOne(db, sql: "SELECT cost_micros FROM provider_usage WHERE provider = 'openai' AND period = 'month'") == 250)
            #expect(try Int64.fetchOne(db, sql: "SELECT cost_micros FROM global_usage WHERE period = 'day'") == 125)
            let writes = [
                "INSERT INTO usage_counters VALUES (1, ?, '2026-12-05', 1, 1)",
                "INSERT INTO provider_usage VALUES ('openai', ?, '2026-12-05', 1)",
                "INSERT INTO global_usage VALUES (?, '2026-12-05', 1)",
            ]
            for table in ["usage_counters", "provider_usage", "global_usage"] {
                let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table]) ?? ""
                #expect(sql.hasSuffix("WITHOUT ROWID"), "\(sql)")
            }
            for sql in writes {
                let opcodes = try Row.fetchAll(db, sql: "EXPLAIN " + sql, arguments: ["day"]).map { $0["opcode"] as String }
                #expect(!opcodes.contains("OpenEphemeral"), "\(sql)")
                for period in ["year", "Day", "", "day "] {
                    #expect(throws: DatabaseError.self, "\(sql) with \(period)") { try db.execute(sql: sql, arguments: [period]) }
                }
                try db.execute(sql: sql, arguments: ["month"])
            }
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM usage_counters") == 2)
            try db.execute(sql: "DELETE FROM users WHERE username = 'ana'")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM usage_counters") == 0, "the counters go with their account")
        }
        try await store.close()
    }

    @Test("the fold migration: entries written before it count as folded (the counters already hold them), the next is folded once")
    func usageLogFoldMigration() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let store = try SQLiteStore(path: path)
        try SQLiteMigrations.migrator(now: Date()).migrate(store.pool, upTo: SQLiteMigrations.messageRoleCheckName)
        let day = PeriodKeys(Date()).day
        try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO users (email, username, password_hash, tier, role, created_at, updated_at)
                    VALUES ('ana@example.com', 'ana', 'x', 'free', 'user', 1, 1);
                    INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, cost_micros, outcome, created_at)
                    VALUES (1, 'a', 'chat', 'openai', 'm', 40, 'success', 1), (1, 'b', 'chat', 'openai', 'm', 2, 'success', 2);
                    INSERT INTO usage_counters VALUES (1, 'day', '\(day)', 2, 42);
                    """)
        }
        try await store.migrate(logger: TestHost.logger, now: Date())
        #expect(try await store.read { db in try Int64.fetchOne(db, sql: "SELECT through_id FROM ledger_fold") } == 2)
        #expect(try await store.usageCounters(userID: 1, at: Date()).first?.requests == 2, "not counted twice")
        try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, cost_micros, outcome, created_at,
                        counted_requests, counted_day)
                    VALUES (1, 'c', 'chat', 'openai', 'm', 8, 'success', 3, 1, '\(day)')
                    """)
        }
        #expect(try await store.usageCounters(userID: 1, at: Date()).first.map { [$0.requests, Int($0.costMicros)] } == [3, 50])
        try await store.foldLedger()
        try await store.foldLedger()
        let stored = try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT requests, cost_micros FROM usage_counters WHERE period = 'day'").map {
                [$0["requests"] as Int64, $0["cost_micros"] as Int64]
            }
        }
        #expect(stored == [3, 50])
        #expect(try await store.read { db in try Int64.fetchOne(db, sql: "SELECT through_id FROM ledger_fold") } == 3)
        try await store.close()
    }

    @Test("messages keep their rows, ids and role rule; no id is given twice; writing one builds no ephemeral table")
    func messageRoleCheckMigration() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let store = try SQLiteStore(path: path)
        try SQLiteMigrations.migrator(now: Date()).migrate(store.pool, upTo: QuotaMigration.counterPeriodCheckName)
        try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO users (email, username, password_hash, tier, role, created_at, updated_at)
                    VALUES ('ana@example.com', 'ana', 'x', 'free', 'user', 1, 1);
                    INSERT INTO conversations (user_id, title, created_at, updated_at) VALUES (1, 'Legs', 1, 1);
                    INSERT INTO messages (conversation_id, role, content, created_at) VALUES (1, 'user', 'Squats?', 2);
                    INSERT INTO messages (conversation_id, role, content, provider, model, prompt_tokens, completion_tokens,
                        cost_micros, created_at, truncated)
                    VALUES (1, 'assistant', 'Three sets. 🏋️', 'openai', 'gpt-4o-mini', 12, 34, 9223372036854775807, 3, 1);
                    INSERT INTO messages (conversation_id, role, content, created_at) VALUES (1, 'user', 'deleted later', 4);
                    DELETE FROM messages WHERE id = 3;
                    """)
        }
        try await store.migrate(logger: TestHost.logger, now: Date())
        try await store.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM messages ORDER BY id")
            #expect(rows.map { $0["id"] as Int64 } == [1, 2])
            #expect(
                rows[1] == [
                    "id": 2, "conversation_id": 1, "role": "assistant", "content": "Three sets. 🏋️", "provider": "openai",
                    "model": "gpt-4o-mini", "prompt_tokens": 12, "completion_tokens": 34, "cost_micros": Int64.max, "created_at": 3,
                    "truncated": 1,
                ])
            #expect(try String.fetchOne(db, sql: "SELECT name FROM sqlite_master WHERE name = 'messages_conversation'") != nil)
            let insert = "INSERT INTO messages (conversation_id, role, content, created_at) VALUES (1, ?, 'x', 5)"
            let opcodes = try Row.fetchAll(db, sql: "EXPLAIN " + insert, arguments: ["user"]).map { $0["opcode"] as String }
            #expect(!opcodes.contains("OpenEphemeral"))
            for role in ["tool", "User", "", "user "] {
                #expect(throws: DatabaseError.self, "\(role)") { try db.execute(sql: insert, arguments: [role]) }
            }
            try db.execute(sql: insert, arguments: ["system"])
            #expect(try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM messages") == 4, "id 3 was given once and is not given again")
            try db.execute(sql: "DELETE FROM conversations WHERE id = 1")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages") == 0, "messages go with their conversation")
        }
        try await store.close()
    }

    @Test(
        "the ledger's raw statements bind by position, keep NULLs and embedded NULs, and throw SQLite errors without breaking the statement"
    )
    func ledgerStatements() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-raw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("vigor.sqlite").path)
        try await store.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER)")
            let insert = "INSERT INTO t (id, name, n) VALUES (?, ?, ?) RETURNING id, name, n"
            var returned: [String] = []
            try LedgerStatement(db, insert).run([.int(1), .text("a\u{0}b ✓"), .int(Int64.max)]) { row in
                returned.append("\(row.int(0))|\(row.text(1))|\(row.optionalInt(2).map(String.init) ?? "null")")
            }
            #expect(returned == ["1|a\u{0}b ✓|\(Int64.max)"])
            // A constraint error is thrown as GRDB's DatabaseError, and the statement still works after it.
            #expect(throws: DatabaseError.self) { try LedgerStatement(db, insert).run([.int(2), .text("a\u{0}b ✓"), .int(0)]) }
            let count = try LedgerStatement(db, "INSERT INTO t (id, name) VALUES (?, ?)").run([.int(3), .text("c")])
            #expect(count == 0)
            var rows: [String] = []
            let read = try LedgerStatement(db, "SELECT name, n FROM t ORDER BY id").run([]) { row in
                rows.append("\(row.text(0))=\(row.optionalInt(1).map(String.init) ?? "null")")
            }
            #expect(read == 2 && rows == ["a\u{0}b ✓=\(Int64.max)", "c=null"])
            #expect(try Int.fetchOne(db, sql: "SELECT length(CAST(name AS BLOB)) FROM t WHERE id = 1") == 7, "all 7 bytes are stored")
        }
        try await store.close()
    }

    @Test("UTC periods: weeks start on Monday, months on the 1st")
    func periods() throws {
        let sunday = try #require(UsagePeriod.parseDay("2026-03-08"))
        #expect(UsagePeriod.week.key(containing: sunday) == "2026-03-02")
        #expect(UsagePeriod.month.key(containing: sunday) == "2026-03-01")
        #expect(UsagePeriod.dayString(UsagePeriod.month.end(containing: sunday)) == "2026-04-01")
        #expect(UsagePeriod.dayString(UsagePeriod.week.end(containing: sunday)) == "2026-03-09")
        #expect(UsagePeriod.parseDay("2026-02-29") == nil)
        #expect(UsagePeriod.parseDay("2026-1-5") == nil)
    }
}
