import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing
import VigorCoaching

@testable import VigorHost

/// The PostgreSQL store's coaching, usage and safety methods against SQLite's: the same calls
/// on a fresh database of each backend must give the same records, ids, pages and report
/// numbers, and another user's rows must be "not found" on both.
@Suite("PostgreSQL coaching and usage store against SQLite")
struct PostgresCoachingStoreTests {
    static let logger: Logger = {
        var logger = Logger(label: "vigor.tests.postgres-coaching")
        logger.logLevel = .warning
        return logger
    }()

    /// Both backends, fresh and migrated.
    struct Pair {
        let sqlite: SQLiteStore
        let postgres: PostgresStore
        let sqliteDatabase: FreshDatabase
        let postgresDatabase: FreshDatabase

        var stores: [any Store] { [sqlite, postgres] }
    }

    /// Runs `body` with a fresh SQLite store and a fresh PostgreSQL database (made on the
    /// server of `VIGOR_TEST_POSTGRES_URL`, dropped afterwards).
    static func withPair(_ body: (Pair) async throws -> Void) async throws {
        let sqliteDatabase = try await TestDatabase.fresh(.sqlite)
        let postgresDatabase = try await linguisticDatabase()
        var opened: [any Store] = []
        do {
            let sqlite = try SQLiteStore(path: sqliteDatabase.sqlitePath ?? "")
            opened.append(sqlite)
            let postgres = try await PostgresStore.open(url: postgresDatabase.url, logger: logger)
            opened.append(postgres)
            try await sqlite.migrate(logger: logger, now: Date())
            try await postgres.migrate(logger: logger, now: Date())
            try await body(
                Pair(sqlite: sqlite, postgres: postgres, sqliteDatabase: sqliteDatabase, postgresDatabase: postgresDatabase))
        } catch {
            for store in opened { try? await store.close() }
            try? await sqliteDatabase.drop()
            try? await postgresDatabase.drop()
            throw error
        }
        for store in opened { try? await store.close() }
        try await sqliteDatabase.drop()
        try await postgresDatabase.drop()
    }

    /// A new database on the server of `VIGOR_TEST_POSTGRES_URL` whose text sorts by the ICU
    /// `en-US` collation (as an `en_US.UTF-8` production database does, unlike the `C` of a
    /// test cluster): `_b`, `a`, `B`, `b`, so an ordering that forgets `COLLATE "C"` shows.
    static func linguisticDatabase() async throws -> FreshDatabase {
        let server = try TestDatabase.postgresServer()
        let name = "vigor_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await TestDatabase.admin { connection in
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        CREATE DATABASE "\(name)" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'
                            LOCALE_PROVIDER icu ICU_LOCALE 'en-US'
                        """), logger: logger)
        }
        return FreshDatabase(backend: .postgres, url: server.url(database: name), sqlitePath: nil, postgresName: name)
    }

    /// Adds the same users (ids 1...`count`) to both stores, bypassing the account methods.
    static func addUsers(_ pair: Pair, count: Int, tier: String = "free") async throws {
        for index in 1...count {
            let email = "user\(index)@example.com"
            let name = "user\(index)"
            try await pair.sqlite.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO users (email, username, password_hash, role, tier, created_at, updated_at)
                        VALUES (?, ?, 'x', 'user', ?, 0, 0)
                        """,
                    arguments: [email, name, tier])
            }
            try await pair.postgres.execute(
                """
                INSERT INTO users (email, username, password_hash, role, tier, created_at, updated_at)
                VALUES (\(email), \(name), 'x', 'user', \(tier), 0, 0)
                """)
        }
    }

    /// Runs `call` on both stores and expects equal results; returns SQLite's.
    @discardableResult
    static func same<T: Equatable & Sendable>(
        _ pair: Pair, _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ call: (any Store) async throws -> T
    ) async throws -> T {
        let expected = try await call(pair.sqlite)
        let actual = try await call(pair.postgres)
        #expect(actual == expected, "\(what): PostgreSQL differs from SQLite", sourceLocation: sourceLocation)
        return expected
    }

    /// The code and field of the `StoreError` `call` throws on each store (nil when it does not throw one).
    static func failure(_ pair: Pair, _ call: (any Store) async throws -> Void) async -> [String?] {
        var out: [String?] = []
        for store in pair.stores {
            do {
                try await call(store)
                out.append(nil)
            } catch let error as StoreError {
                out.append("\(error.code.rawValue):\(error.field ?? "")")
            } catch {
                out.append("other: \(error)")
            }
        }
        return out
    }

    static let base = Date(timeIntervalSince1970: 1_764_547_200)  // 2025-12-01T00:00:00Z
}

extension PostgresCoachingStoreTests {
    @Test("conversations and messages: the same records, ids, order and pages on both; another user's is not found")
    func conversationsAndMessages() async throws {
        try await Self.withPair { pair in
            try await Self.addUsers(pair, count: 2)
            let base = Self.base
            let first = try await Self.same(pair, "create") { try await $0.createConversation(userID: 1, title: "Legs", now: base) }
            let second = try await Self.same(pair, "create unicode") {
                try await $0.createConversation(
                    userID: 1, title: "Ünïcode 🏋️ 'single' \"double\" \\ back $1 %s", now: base.addingTimeInterval(1))
            }
            let others = try await Self.same(pair, "create other") {
                try await $0.createConversation(userID: 2, title: "other", now: base.addingTimeInterval(2))
            }
            #expect([first.id, second.id, others.id] == [1, 2, 3])

            let messages = [
                NewMessage(role: "user", content: "How do I squat?"),
                NewMessage(
                    role: "assistant", content: "Brace, then sit back.", provider: "openai", model: "gpt-4o",
                    promptTokens: 1200, completionTokens: 345, costMicros: Int64.max, truncated: true),
            ]
            let stored = try await Self.same(pair, "append") {
                try await $0.appendMessages(messages, conversationID: first.id, userID: 1, now: base.addingTimeInterval(10))
            }
            #expect(stored.map(\.id) == [1, 2])
            #expect(
                await Self.failure(pair) {
                    _ = try await $0.appendMessages(messages, conversationID: first.id, userID: 2, now: base)
                } == ["not_found:conversation_id", "not_found:conversation_id"])
            #expect(
                await Self.failure(pair) {
                    _ = try await $0.appendMessages(messages, conversationID: 999, userID: 1, now: base)
                } == ["not_found:conversation_id", "not_found:conversation_id"])
            // An empty append still stamps the conversation, so it moves to the top.
            try await Self.same(pair, "append none") {
                try await $0.appendMessages([], conversationID: second.id, userID: 1, now: base.addingTimeInterval(20))
            }
            try await Self.same(pair, "append more") {
                try await $0.appendMessages(
                    [NewMessage(role: "user", content: "again")], conversationID: first.id, userID: 1,
                    now: base.addingTimeInterval(20))
            }

            for page in [Page(), Page(limit: 1), Page(limit: 1, offset: 1), Page(limit: 5, offset: 2), Page(limit: 0, offset: -3)] {
                try await Self.same(pair, "conversations \(page)") { try await $0.conversations(userID: 1, page: page) }
            }
            let listed = try await pair.postgres.conversations(userID: 1, page: Page())
            #expect(listed.map(\.id) == [second.id, first.id], "same updated_at: the higher id first")
            #expect(listed.first?.updatedAt == base.addingTimeInterval(20))
            #expect(try await Self.same(pair, "other's conversation") { try await $0.conversation(id: first.id, userID: 2) } == nil)
            #expect(try await Self.same(pair, "own conversation") { try await $0.conversation(id: others.id, userID: 2) } == others)
            #expect(try await Self.same(pair, "other's list") { try await $0.conversations(userID: 2, page: Page()) } == [others])

            for limit in [-5, 0, 1, 2, 3, 100] {
                try await Self.same(pair, "recent \(limit)") {
                    try await $0.recentMessages(conversationID: first.id, userID: 1, limit: limit)
                }
            }
            let recent = try await pair.postgres.recentMessages(conversationID: first.id, userID: 1, limit: 2)
            #expect(recent.map(\.content) == ["Brace, then sit back.", "again"], "the last two, oldest first")
            #expect(recent.first?.truncated == true && recent.first?.costMicros == Int64.max)
            #expect(
                try await Self.same(pair, "other's messages") {
                    try await $0.recentMessages(conversationID: first.id, userID: 2, limit: 10)
                }.isEmpty)
        }
    }

    @Test("plans, workout logs and progress: the same records and pages on both; another user's plan is not found")
    func plansLogsAndProgress() async throws {
        try await Self.withPair { pair in
            try await Self.addUsers(pair, count: 2)
            let base = Self.base
            let plan = try await Self.same(pair, "plan") {
                try await $0.createPlan(userID: 1, source: "client", planJSON: #"{"weeks":[],"name":"A\u0000"}"#, now: base)
            }
            let generated = try await Self.same(pair, "plan 2") {
                try await $0.createPlan(userID: 1, source: "rules", planJSON: "{}", now: base.addingTimeInterval(1))
            }
            let othersPlan = try await Self.same(pair, "other's plan") {
                try await $0.createPlan(userID: 2, source: "client", planJSON: "[]", now: base)
            }
            #expect(try await Self.same(pair, "read other's plan") { try await $0.plan(id: plan.id, userID: 2) } == nil)
            #expect(try await Self.same(pair, "read own plan") { try await $0.plan(id: generated.id, userID: 1) } == generated)
            for page in [Page(), Page(limit: 1), Page(limit: 1, offset: 1), Page(offset: 9)] {
                try await Self.same(pair, "plans \(page)") { try await $0.plans(userID: 1, page: page) }
            }

            func log(_ planID: Int64, _ day: String, rating: Int = 4) -> NewWorkoutLog {
                NewWorkoutLog(
                    planID: planID, performedOn: day, durationMinutes: 45, exercisesJSON: #"[{"exercise_id":"squat","sets":3,"reps":5}]"#,
                    notes: "felt ök", rating: rating)
            }
            // Days out of order, two on one day: the list is latest day first, then newest id.
            for (index, day) in ["2025-12-02", "2025-12-09", "2025-12-02", "2025-11-30"].enumerated() {
                try await Self.same(pair, "log \(day)") {
                    try await $0.createWorkoutLog(
                        log(index % 2 == 0 ? plan.id : generated.id, day, rating: index + 1), userID: 1,
                        now: base.addingTimeInterval(Double(index)))
                }
            }
            #expect(
                await Self.failure(pair) { _ = try await $0.createWorkoutLog(log(plan.id, "2025-12-03"), userID: 2, now: base) }
                    == ["not_found:plan_id", "not_found:plan_id"])
            #expect(
                await Self.failure(pair) { _ = try await $0.createWorkoutLog(log(404, "2025-12-03"), userID: 1, now: base) }
                    == ["not_found:plan_id", "not_found:plan_id"])
            let othersLog = try await Self.same(pair, "other's log") {
                try await $0.createWorkoutLog(log(othersPlan.id, "2025-12-01"), userID: 2, now: base)
            }
            #expect(othersLog.id == 5, "refused logs took no id on either backend")
            for page in [Page(), Page(limit: 2), Page(limit: 2, offset: 2), Page(limit: 3, offset: 3)] {
                try await Self.same(pair, "logs \(page)") { try await $0.workoutLogs(userID: 1, page: page) }
            }
            #expect(try await pair.postgres.workoutLogs(userID: 1, page: Page()).map(\.id) == [2, 3, 1, 4])
            #expect(try await Self.same(pair, "other's log by id") { try await $0.workoutLog(id: 1, userID: 2) } == nil)
            #expect(try await Self.same(pair, "own log by id") { try await $0.workoutLog(id: othersLog.id, userID: 2) } == othersLog)

            let entries = [
                NewProgress(recordedOn: "2025-12-01", weightKg: 80.25, bodyFatPercent: nil, measurementsCm: [:], notes: ""),
                NewProgress(
                    recordedOn: "2025-12-08", weightKg: nil, bodyFatPercent: 17.5,
                    measurementsCm: ["waist": 81.5, "chest": 102, "thigh_left": 0.1], notes: "after\nholiday"),
                NewProgress(recordedOn: "2025-12-01", weightKg: 1e-9, bodyFatPercent: 0, measurementsCm: ["x": 1e300], notes: "same day"),
            ]
            for (index, entry) in entries.enumerated() {
                try await Self.same(pair, "progress \(index)") {
                    try await $0.createProgress(entry, userID: 1, now: base.addingTimeInterval(Double(index)))
                }
            }
            try await Self.same(pair, "other's progress") {
                try await $0.createProgress(entries[0], userID: 2, now: base)
            }
            for page in [Page(), Page(limit: 1), Page(limit: 2, offset: 1)] {
                try await Self.same(pair, "progress \(page)") { try await $0.progress(userID: 1, page: page) }
            }
            #expect(try await pair.postgres.progress(userID: 1, page: Page()).map(\.id) == [2, 3, 1])
            #expect(try await Self.same(pair, "progress of 2") { try await $0.progress(userID: 2, page: Page()) }.count == 1)
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failing report test fails the same way again.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// One usage-log row for both backends.
struct UsageRow: Sendable {
    var userID: Int64?
    var requestID: String
    var kind: String
    var provider: String
    var model: String
    var promptTokens: Int64
    var completionTokens: Int64
    var costMicros: Int64
    var outcome: String
    var createdAt: Int64
}

extension PostgresCoachingStoreTests {
    /// Writes the rows into `ai_usage_logs` of both stores (as the ledger's settle would).
    static func insertUsage(_ rows: [UsageRow], _ pair: Pair) async throws {
        try await pair.sqlite.write { db in
            for row in rows {
                try db.execute(
                    sql: """
                        INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, prompt_tokens,
                            completion_tokens, cost_micros, latency_ms, outcome, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 7, ?, ?)
                        """,
                    arguments: [
                        row.userID, row.requestID, row.kind, row.provider, row.model, row.promptTokens,
                        row.completionTokens, row.costMicros, row.outcome, row.createdAt,
                    ])
            }
        }
        try await pair.postgres.withTransaction { connection in
            for row in rows {
                try await connection.execute(
                    """
                    INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, prompt_tokens,
                        completion_tokens, cost_micros, latency_ms, outcome, created_at)
                    VALUES (\(row.userID), \(row.requestID), \(row.kind), \(row.provider), \(row.model),
                        \(row.promptTokens), \(row.completionTokens), \(row.costMicros), 7, \(row.outcome), \(row.createdAt))
                    """)
            }
        }
    }

    @Test("usage reports over 600 rows, 6 users, 6 providers and 12 days: the same numbers and order as SQLite")
    func usageReports() async throws {
        try await Self.withPair { pair in
            try await Self.addUsers(pair, count: 6)
            var random = SeededGenerator(state: 17)
            let day: Int64 = 86_400_000
            let start = Self.base.epochMillis - 3 * day
            // Names whose order differs between byte-wise and linguistic collations.
            let providers = ["openai", "OpenAI", "gemini", "Z-local", "_fallback", "anthropic"]
            let models = ["gpt-4o", "gpt-4o-mini", "Gemini-2.0", "m", "M"]
            let outcomes = ["success", "success", "success", "rate_limited", "client_disconnected", "invalid_plan"]
            var rows: [UsageRow] = (0..<600).map { index in
                UsageRow(
                    userID: index % 17 == 0 ? nil : Int64.random(in: 1...6, using: &random),
                    requestID: "r-\(index)", kind: ["chat", "plan", "analysis", "openai_chat"].randomElement(using: &random) ?? "chat",
                    provider: providers.randomElement(using: &random) ?? "openai",
                    model: models.randomElement(using: &random) ?? "m",
                    promptTokens: Int64.random(in: 0...5000, using: &random),
                    completionTokens: Int64.random(in: 0...3000, using: &random),
                    costMicros: Int64.random(in: 0...2_000_000, using: &random),
                    outcome: outcomes.randomElement(using: &random) ?? "success",
                    createdAt: start + Int64.random(in: 0..<(12 * day), using: &random))
            }
            // The edges of UTC days, of the "since" bound and before 1970 (SQLite divides
            // toward zero: -1 ms is in 1970-01-01's bucket).
            let midnight = start + 4 * day
            // And past the days a date can name (year 1 to 9999), where both count on the nearest.
            let edges = [midnight - 1, midnight, midnight + 1, start, -1, -999, -1000, -1001, -day - 1, 0]
            let unnamed = [Int64.min, -62_135_596_800_001, 253_402_300_800_000, Int64.max]
            for (index, at) in (edges + unnamed).enumerated() {
                rows.append(
                    UsageRow(
                        userID: Int64(index % 6 + 1), requestID: "edge-\(index)", kind: "chat", provider: "openai",
                        model: "gpt-4o", promptTokens: 1, completionTokens: 1, costMicros: 3, outcome: "success", createdAt: at))
            }
            try await Self.insertUsage(rows, pair)
            #expect(try await pair.postgres.fetchOne("SELECT COUNT(*) AS n FROM ai_usage_logs")?.get("n", as: Int.self) == 614)

            let sinces = [
                Date(epochMillis: Int64.min), Date(epochMillis: -2 * day), Date(epochMillis: 0), Date(epochMillis: start),
                Date(epochMillis: midnight),
                Date(epochMillis: midnight + 1), Date(epochMillis: start + 11 * day), Date(epochMillis: start + 30 * day),
            ]
            for since in sinces {
                let byUser = try await Self.same(pair, "usage by user since \(since.epochMillis)") {
                    try await $0.usageByUser(since: since)
                }
                let breakdown = try await Self.same(pair, "breakdown since \(since.epochMillis)") {
                    try await $0.usageBreakdown(since: since)
                }
                // The totals add up to the rows themselves (computed here, not by either database).
                let counted = rows.filter { $0.createdAt >= since.epochMillis }
                let userCost: Int64 = byUser.reduce(0) { $0 + $1.costMicros }
                let countedUserCost: Int64 = counted.reduce(0) { $0 + ($1.userID == nil ? 0 : $1.costMicros) }
                let providerCost: Int64 = breakdown.byProvider.reduce(0) { $0 + $1.costMicros }
                let countedCost: Int64 = counted.reduce(0) { $0 + $1.costMicros }
                let attempts: Int = breakdown.byDay.reduce(0) { $0 + $1.attempts }
                #expect(userCost == countedUserCost)
                #expect(providerCost == countedCost)
                #expect(attempts == counted.count)
                #expect(byUser.map(\.userID).count == Set(byUser.map(\.userID)).count)
            }
            let all = try await pair.postgres.usageBreakdown(since: Date(epochMillis: -2 * day))
            // Seconds are epoch ms / 1000 toward zero, then whole days: -1000, -1001 and
            // -86 400 001 ms are on 1969-12-31; -999, -1 and 0 ms on 1970-01-01.
            #expect(all.byDay.prefix(2).map(\.key) == ["1969-12-31", "1970-01-01"])
            #expect(all.byDay.prefix(2).map(\.attempts) == [3, 3])
            let everything = try await pair.postgres.usageBreakdown(since: Date(epochMillis: Int64.min)).byDay
            #expect(everything.first.map { [$0.key, "\($0.attempts)"] } == ["0001-01-01", "2"])
            #expect(everything.last.map { [$0.key, "\($0.attempts)"] } == ["9999-12-31", "2"])
        }
    }

    @Test("usage counters and tiers: the same rows, with tier names in byte order")
    func countersAndTiers() async throws {
        try await Self.withPair { pair in
            try await Self.addUsers(pair, count: 2)
            let at = Date(timeIntervalSince1970: 1_765_000_000)  // 2025-12-06, a Saturday
            let day = UsagePeriod.day.key(containing: at)
            let week = UsagePeriod.week.key(containing: at)
            let month = UsagePeriod.month.key(containing: at)
            let counters: [(Int64, String, String, Int64, Int64)] = [
                (1, "day", day, 3, 1500), (1, "week", week, 9, 4_000_000), (1, "month", month, 40, Int64.max),
                (1, "day", "2025-12-05", 99, 99), (2, "day", day, 1, 1),
            ]
            for (user, period, start, requests, cost) in counters {
                try await pair.sqlite.write { db in
                    try db.execute(
                        sql: "INSERT INTO usage_counters (user_id, period, period_start, requests, cost_micros) VALUES (?, ?, ?, ?, ?)",
                        arguments: [user, period, start, requests, cost])
                }
                try await pair.postgres.execute(
                    """
                    INSERT INTO usage_counters (user_id, period, period_start, requests, cost_micros)
                    VALUES (\(user), \(period), \(start), \(requests), \(cost))
                    """)
            }
            let mine = try await Self.same(pair, "counters of 1") { try await $0.usageCounters(userID: 1, at: at) }
            #expect(mine.map(\.requests) == [3, 9, 40] && mine.last?.costMicros == Int64.max)
            let theirs = try await Self.same(pair, "counters of 2") { try await $0.usageCounters(userID: 2, at: at) }
            #expect(theirs.map(\.requests) == [1, 0, 0])
            try await Self.same(pair, "counters of nobody") { try await $0.usageCounters(userID: 99, at: at) }
            try await Self.same(pair, "counters the next day") {
                try await $0.usageCounters(userID: 1, at: at.addingTimeInterval(86_400))
            }

            for name in ["b", "B", "_z", "a b", "Ä"] {
                for store in pair.stores {
                    try await store.upsertTier(
                        TierRecord(
                            name: name, requestsPerDay: 5, requestsPerWeek: 6, requestsPerMonth: 7, monthlyBudgetMicros: 8,
                            priceMicros: 1),
                        now: at)
                }
            }
            let changed = TierRecord(
                name: "free", requestsPerDay: 1, requestsPerWeek: 2, requestsPerMonth: 3, monthlyBudgetMicros: Int64.max,
                priceMicros: 0)
            for store in pair.stores { try await store.upsertTier(changed, now: at) }
            let tiers = try await Self.same(pair, "tiers") { try await $0.tiers() }
            #expect(tiers.map(\.name) == ["free", "B", "_z", "a b", "b", "Ä", "premium", "unlimited"])
            #expect(try await Self.same(pair, "tier") { try await $0.tier(named: "free") } == changed)
            #expect(try await Self.same(pair, "no tier") { try await $0.tier(named: "FREE") } == nil)
        }
    }

    @Test("safety escalations: the same counts by UTC day and type; a deleted user keeps the count")
    func safetyCounts() async throws {
        try await Self.withPair { pair in
            try await Self.addUsers(pair, count: 3)
            let day: Int64 = 86_400_000
            let midnight = Self.base.epochMillis
            let flags = RedFlag.allCases
            for (index, at) in [midnight - 1, midnight, midnight, midnight + day - 1, midnight + 5 * day, -1, 1].enumerated() {
                let escalations = (0...(index % 3)).map { offset in
                    SafetyEscalation(
                        userID: Int64(index % 3 + 1), requestID: "r-\(index)", flag: flags[(index + offset) % flags.count],
                        subject: offset % 2 == 0 ? .user : .other, rule: "en.rule.\(offset)")
                }
                for store in [pair.sqlite as any SafetyEscalationLog, pair.postgres] {
                    try await store.recordSafetyEscalations(escalations, at: Date(epochMillis: at))
                    try await store.recordSafetyEscalations([], at: Date(epochMillis: at))
                }
            }
            try await pair.sqlite.write { db in try db.execute(sql: "DELETE FROM users WHERE id = 3") }
            try await pair.postgres.execute("DELETE FROM users WHERE id = 3")
            for since in [Date(epochMillis: -day), Date(epochMillis: 0), Date(epochMillis: midnight), Date(epochMillis: midnight + 1)] {
                let expected = try await pair.sqlite.safetyEscalationCounts(since: since)
                let actual = try await pair.postgres.safetyEscalationCounts(since: since)
                #expect(actual == expected, "since \(since.epochMillis)")
            }
            let counts = try await pair.postgres.safetyEscalationCounts(since: Date(epochMillis: midnight - 1))
            let total: Int = counts.reduce(0) { $0 + $1.count }
            #expect(total == 9, "1 + 2 + 3 + 1 + 2 escalations from 23:59:59.999 on")
            #expect(counts.first?.day == "2025-11-30")
            // A user that does not exist: refused on both, nothing stored.
            let missing = [SafetyEscalation(userID: 404, requestID: "x", flag: .fainting, subject: .user, rule: "r")]
            #expect(
                await Self.failure(pair) {
                    try await ($0 as? any SafetyEscalationLog)?.recordSafetyEscalations(missing, at: Date(epochMillis: midnight))
                } == ["invalid_reference:", "invalid_reference:user_id"])
        }
    }
}

extension PostgresCoachingStoreTests {
    @Test("PostgreSQL: appends to one conversation from many tasks keep each batch together, in commit order")
    func concurrentAppends() async throws {
        try await Self.withPair { pair in
            try await Self.addUsers(pair, count: 1)
            let store = pair.postgres
            let conversation = try await store.createConversation(userID: 1, title: "busy", now: Self.base)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        _ = try await store.appendMessages(
                            [NewMessage(role: "user", content: "q\(index)"), NewMessage(role: "assistant", content: "a\(index)")],
                            conversationID: conversation.id, userID: 1, now: Self.base.addingTimeInterval(Double(index)))
                    }
                }
                try await group.waitForAll()
            }
            let messages = try await store.recentMessages(conversationID: conversation.id, userID: 1, limit: 100)
            #expect(messages.count == 48)
            for pairIndex in stride(from: 0, to: messages.count - 1, by: 2) {
                let question = messages[pairIndex].content
                let answer = messages[pairIndex + 1].content
                #expect(question.hasPrefix("q") && answer == "a" + question.dropFirst(), "\(question) then \(answer)")
                #expect(messages[pairIndex + 1].id == messages[pairIndex].id + 1)
            }
        }
    }

    @Test("PostgreSQL: text with a NUL character is refused naming the field, and nothing is stored")
    func nulCharacter() async throws {
        try await Self.withPair { pair in
            try await Self.addUsers(pair, count: 1)
            let store = pair.postgres
            let now = Self.base
            let conversation = try await store.createConversation(userID: 1, title: "ok", now: now)
            let plan = try await store.createPlan(userID: 1, source: "client", planJSON: "{}", now: now)
            let calls: [(String, @Sendable () async throws -> Void)] = [
                ("title", { _ = try await store.createConversation(userID: 1, title: "a\u{0}b", now: now) }),
                (
                    "content",
                    {
                        _ = try await store.appendMessages(
                            [NewMessage(role: "user", content: "fine"), NewMessage(role: "assistant", content: "\u{0}")],
                            conversationID: conversation.id, userID: 1, now: now)
                    }
                ),
                ("plan_json", { _ = try await store.createPlan(userID: 1, source: "client", planJSON: "{\u{0}}", now: now) }),
                ("source", { _ = try await store.createPlan(userID: 1, source: "\u{0}", planJSON: "{}", now: now) }),
                (
                    "notes",
                    {
                        _ = try await store.createWorkoutLog(
                            NewWorkoutLog(
                                planID: plan.id, performedOn: "2025-12-01", durationMinutes: 1, exercisesJSON: "[]",
                                notes: "x\u{0}", rating: 3),
                            userID: 1, now: now)
                    }
                ),
                (
                    "notes",
                    {
                        _ = try await store.createProgress(
                            NewProgress(recordedOn: "2025-12-01", weightKg: 1, bodyFatPercent: nil, measurementsCm: [:], notes: "\u{0}"),
                            userID: 1, now: now)
                    }
                ),
                (
                    "name",
                    {
                        try await store.upsertTier(
                            TierRecord(
                                name: "n\u{0}", requestsPerDay: 1, requestsPerWeek: 1, requestsPerMonth: 1, monthlyBudgetMicros: 1,
                                priceMicros: 1),
                            now: now)
                    }
                ),
            ]
            for (field, call) in calls {
                do {
                    try await call()
                    Issue.record("\(field): a NUL character was accepted")
                } catch let error as StoreError {
                    #expect(error.code == .invalidReference && error.field == field, "\(error)")
                }
            }
            #expect(try await store.conversations(userID: 1, page: Page()).count == 1)
            #expect(try await store.recentMessages(conversationID: conversation.id, userID: 1, limit: 10).isEmpty)
            #expect(try await store.plans(userID: 1, page: Page()).count == 1)
            #expect(try await store.workoutLogs(userID: 1, page: Page()).isEmpty)
            #expect(try await store.progress(userID: 1, page: Page()).isEmpty)
            #expect(try await store.tiers().count == 3)
        }
    }
}
