import Foundation
import GRDB
import Testing
import VigorCoaching

@testable import VigorHost

/// Rows an operator wrote by hand (or an older tool, or an import) with a value of the wrong
/// type: text in an integer column, a real past `Int64`, bytes that are not UTF-8 in a text
/// column. SQLite stores them as given; the store must answer with an error, never stop the
/// process (GRDB's row subscript traps on such a value, its `decode` throws).
@Suite("SQLite store: rows with values of the wrong type give errors, not a crash")
struct HostileRowsTests {
    /// A store with one row in every table the host reads row by row, and every reader of it.
    struct Filled {
        let f: QuotaLedgerTests.Fixture
        let email: String
        let conversationID: Int64
        let planID: Int64
        let logID: Int64

        /// Every read the store offers, named; each may throw, none may trap.
        var readers: [(String, @Sendable () async throws -> Void)] {
            let store = f.store
            let user = f.userID
            let email = email
            let (conversationID, planID, logID) = (conversationID, planID, logID)
            let since = Date(timeIntervalSince1970: 0)
            let now = f.clock.read()
            return [
                ("user(id:)", { _ = try await store.user(id: user) }),
                ("user(email:)", { _ = try await store.user(email: email) }),
                ("user(id:session:)", { _ = try await store.user(id: user, session: "family-1") }),
                ("profileJSON", { _ = try await store.profileJSON(userID: user) }),
                ("lastLoginSuccess", { _ = try await store.lastLoginSuccess(email: email, address: "127.0.0.1") }),
                ("conversations", { _ = try await store.conversations(userID: user, page: Page()) }),
                ("conversation", { _ = try await store.conversation(id: conversationID, userID: user) }),
                ("recentMessages", { _ = try await store.recentMessages(conversationID: conversationID, userID: user, limit: 10) }),
                ("plans", { _ = try await store.plans(userID: user, page: Page()) }),
                ("plan", { _ = try await store.plan(id: planID, userID: user) }),
                ("workoutLogs", { _ = try await store.workoutLogs(userID: user, page: Page()) }),
                ("workoutLog", { _ = try await store.workoutLog(id: logID, userID: user) }),
                ("progress", { _ = try await store.progress(userID: user, page: Page()) }),
                ("apiKeys", { _ = try await store.apiKeys(userID: user) }),
                ("apiKeyOwner", { _ = try await store.apiKeyOwner(keyHash: "key-hash-1") }),
                ("tiers", { _ = try await store.tiers() }),
                ("tier(named:)", { _ = try await store.tier(named: "test") }),
                ("usageCounters", { _ = try await store.usageCounters(userID: user, at: now) }),
                ("usageByUser", { _ = try await store.usageByUser(since: since) }),
                ("usageBreakdown", { _ = try await store.usageBreakdown(since: since) }),
                ("providerSpend", { _ = try await store.providerSpend(at: now) }),
                ("globalSpend", { _ = try await store.globalSpend(at: now) }),
                ("budgetSettings", { _ = try await store.budgetSettings() }),
                ("budgetEvents", { _ = try await store.budgetEvents(limit: 10) }),
                ("modelOverrides", { _ = try await store.modelOverrides() }),
                ("providerPriorities", { _ = try await store.providerPriorities() }),
                ("safetyEscalationCounts", { _ = try await store.safetyEscalationCounts(since: since) }),
                ("exportUserData", { _ = try await store.exportUserData(userID: user, now: now) }),
            ]
        }

        /// The ledger's own work on the same rows (through SQLite's C API, not GRDB's rows):
        /// a reservation settled, a fold, the start-up recovery. These change the counters, so
        /// they run after the reads and are not asked to succeed once the rows are put back.
        var ledgerWork: [@Sendable () async throws -> Void] {
            let f = f
            return [
                { try await SQLiteLedgerFoldTests.settleOne(f, cost: 1) },
                { try await f.store.foldLedger() },
                { _ = try await f.ledger.recoverAbandonedReservations() },
            ]
        }
    }

    static func filled() async throws -> Filled {
        let f = try await QuotaLedgerTests.fixture(at: Date(timeIntervalSince1970: 1_780_000_000))
        let store = f.store
        let now = f.clock.read()
        let user = try #require(try await store.user(id: f.userID))
        try await store.storeRefreshToken(
            userID: f.userID, familyID: "family-1", tokenHash: "token-hash-1", expiresAt: now.addingTimeInterval(3600), now: now)
        try await store.setProfileJSON(userID: f.userID, json: #"{"goal":"strength"}"#, now: now)
        try await store.recordLoginSuccess(email: user.email, address: "127.0.0.1", now: now, keep: 3600)
        let conversation = try await store.createConversation(userID: f.userID, title: "t", now: now)
        try await store.appendMessages(
            [
                NewMessage(role: "user", content: "hi"),
                NewMessage(role: "assistant", content: "hello", provider: "p", model: "m", promptTokens: 3),
            ],
            conversationID: conversation.id, userID: f.userID, now: now)
        let plan = try await store.createPlan(userID: f.userID, source: "rules", planJSON: "{}", now: now)
        let log = try await store.createWorkoutLog(
            NewWorkoutLog(planID: plan.id, performedOn: "2026-06-01", durationMinutes: 30, exercisesJSON: "[]", notes: "", rating: 4),
            userID: f.userID, now: now)
        _ = try await store.createProgress(
            NewProgress(recordedOn: "2026-06-01", weightKg: 70, bodyFatPercent: 20, measurementsCm: ["waist": 80], notes: ""),
            userID: f.userID, now: now)
        _ = try await store.createAPIKey(userID: f.userID, name: "k", prefix: "vk_1", keyHash: "key-hash-1", now: now)
        try await store.upsertModelOverride(
            ModelOverride(id: "m", provider: "p", inputPerMTokUSD: 1, outputPerMTokUSD: 2, maxOutputTokens: 100, contextWindow: 1000),
            now: now)
        try await store.upsertProviderPriority(ProviderPriority(provider: "p", priority: 1, dailyCapMicros: 5), now: now)
        try await store.setBudgetSettings(BudgetSettings(weeklyBudgetMicros: 10, monthlyBudgetMicros: 20), now: now)
        try await store.recordSafetyEscalations(
            [SafetyEscalation(userID: f.userID, requestID: "r", flag: .chestPain, subject: .user, rule: "rule")], at: now)
        try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO budget_events (period, period_start, kind, spent_micros, budget_micros, created_at)
                    VALUES ('month', '2026-06', 'alert', 9, 10, ?)
                    """, arguments: [now.epochMillis])
        }
        for cost in [1, 2, 3] as [Int64] { try await SQLiteLedgerFoldTests.settleOne(f, cost: cost) }
        try await store.foldLedger()
        return Filled(f: f, email: user.email, conversationID: conversation.id, planID: plan.id, logID: log.id)
    }

    /// Values of the wrong type for a column: text where a number goes, a real no `Int64`
    /// holds, bytes that are not UTF-8, and a number where text goes.
    static let hostileValues: [DatabaseValue] = [
        "not a number ¿".databaseValue, 1e300.databaseValue, Data([0xFF, 0xFE, 0x00]).databaseValue,
        Int64.min.databaseValue, 0.5.databaseValue,
    ]

    @Test(
        "every column of every table, set to each hostile value in turn: every read answers or throws, and the store reads again once it is put back"
    )
    func everyColumnEveryReader() async throws {
        let filled = try await Self.filled()
        let store = filled.f.store
        let readers = filled.readers
        for (name, read) in readers {
            // All of them work on the filled store first: an error below is the hostile value's.
            do { try await read() } catch { Issue.record("\(name) failed on a sound store: \(error)") }
        }
        // Every column, with what names a row of its table: the rowid, or the primary key of a
        // table without one (whose key columns are left alone: a hostile key is another row).
        let columns = try await store.read { db -> [(table: String, column: String, key: [String])] in
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    AND name NOT LIKE 'grdb_%' ORDER BY name
                    """)
            return try tables.flatMap { table in
                let info = try Row.fetchAll(db, sql: "SELECT name, pk FROM pragma_table_info(?)", arguments: [table])
                let withoutRowid = (try? db.execute(sql: "SELECT rowid FROM \"\(table)\" LIMIT 0")) == nil
                let key = withoutRowid ? info.filter { ($0["pk"] as Int) > 0 }.map { $0["name"] as String } : ["rowid"]
                return info.map { $0["name"] as String }.filter { !key.contains($0) }.map { (table, $0, key) }
            }
        }
        #expect(columns.count > 60, "the schema's columns were listed: \(columns.count)")
        var set = 0
        var thrown = 0
        for (table, column, key) in columns {
            let keyList = key.map { "\"\($0)\"" }.joined(separator: ", ")
            let match = key.map { "\"\($0)\" IS ?" }.joined(separator: " AND ")
            for value in Self.hostileValues {
                // The table's rows as they are, to put back after the reads.
                let saved = try await store.read { db in
                    try Row.fetchAll(db, sql: "SELECT \(keyList), \"\(column)\" FROM \"\(table)\"").map { row in
                        (0..<row.count).map { row[$0] as DatabaseValue }
                    }
                }
                guard !saved.isEmpty else { continue }
                do {
                    try await store.write { db in try db.execute(sql: "UPDATE \"\(table)\" SET \"\(column)\" = ?", arguments: [value]) }
                } catch {
                    continue  // the schema refused it (NOT NULL, CHECK, a key, a trigger): nothing stored, nothing to read
                }
                set += 1
                for (name, read) in readers {
                    do {
                        try await read()
                    } catch {
                        thrown += 1
                        // The error is logged: it must not carry a row's hashes with it.
                        let text = "\(error)"
                        #expect(!text.contains("key-hash-1") && !text.contains("token-hash-1"), "\(name): \(text)")
                    }
                }
                for work in filled.ledgerWork { _ = try? await work() }
                try await store.write { db in
                    for values in saved {
                        try db.execute(
                            sql: "UPDATE \"\(table)\" SET \"\(column)\" = ? WHERE \(match)",
                            arguments: StatementArguments([values.last!] + values.dropLast()))
                    }
                }
            }
        }
        #expect(set > 100, "hostile values stored: \(set)")
        #expect(thrown > 0, "some reads met a hostile value and threw")
        for (name, read) in readers {
            do { try await read() } catch { Issue.record("\(name) failed once every column was put back: \(error)") }
        }
    }

    @Test(
        "the reads that meet the value throw an error that names the column and shows none of the row",
        arguments: [
            ("users", "created_at", "user(id:)"), ("users", "username", "user(email:)"), ("users", "password_hash", "apiKeyOwner"),
            ("tiers", "requests_per_day", "tiers"), ("conversations", "updated_at", "conversations"),
            ("messages", "prompt_tokens", "recentMessages"), ("workout_plans", "plan_json", "plan"),
            ("workout_logs", "duration_minutes", "workoutLogs"), ("progress_metrics", "weight_kg", "progress"),
            ("api_keys", "created_at", "apiKeys"), ("tiers", "price_micros", "tier(named:)"),
            ("provider_priorities", "priority", "providerPriorities"), ("budget_settings", "weekly_budget_micros", "budgetSettings"),
            ("budget_events", "spent_micros", "budgetEvents"), ("ai_usage_logs", "prompt_tokens", "usageBreakdown"),
            ("ai_usage_logs", "completion_tokens", "usageByUser"),
        ])
    func namedReads(table: String, column: String, reader: String) async throws {
        let filled = try await Self.filled()
        let read = try #require(filled.readers.first { $0.0 == reader }?.1)
        // Bytes that are not UTF-8 for text, text for a real, a real past Int64 for an integer.
        let value: DatabaseValue =
            switch column {
            case "username", "password_hash", "plan_json": Data([0xFF, 0xFE]).databaseValue
            case "weight_kg": "heavy".databaseValue
            default: 1e300.databaseValue
            }
        try await filled.f.store.write { db in try db.execute(sql: "UPDATE \(table) SET \(column) = ?", arguments: [value]) }
        let error = await #expect(throws: StoredValueError.self, "\(reader) after \(table).\(column) = \(value)") { try await read() }
        // It names the column, and nothing of the row: its other columns may hold hashes.
        #expect(error?.column == column)
        #expect(error.map { "\($0)" }?.contains("row") == false, "\(String(describing: error))")
        #expect(error.map { "\($0)" }?.contains("key-hash-1") == false)
    }
}
