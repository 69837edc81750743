import Foundation
import Logging
import Synchronization
import Testing
import VigorPluginLoader
import VigorPluginSDK

@testable import VigorHost

/// The quota ledger against a real SQLite file, and the router with the real fallback
/// plugin loaded through dlopen: limits hold exactly under concurrency.
@Suite("Quota ledger")
struct QuotaLedgerTests {
    struct Fixture {
        let store: SQLiteStore
        let ledger: SQLiteQuotaLedger
        let clock: MovableClock
        let userID: Int64
    }

    /// A clock the tests move across period boundaries.
    final class MovableClock: Sendable {
        let now: Mutex<Date>
        init(_ date: Date) { now = Mutex(date) }
        func set(_ date: Date) { now.withLock { $0 = date } }
        var read: @Sendable () -> Date { { self.now.withLock { $0 } } }
    }

    static var logger: Logger {
        var logger = Logger(label: "vigor.test.quota")
        logger.logLevel = .critical
        return logger
    }

    /// A fresh database, a tier with the given limits and one user on it.
    static func fixture(
        perDay: Int = 1000, perWeek: Int = 5000, perMonth: Int = 20000, budgetMicros: Int64 = 100_000_000,
        at date: Date = Date()
    ) async throws -> Fixture {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-quota-\(UUID().uuidString)")
        let store = try SQLiteStore(path: dir.appendingPathComponent("vigor.sqlite").path)
        try await store.migrate(logger: logger)
        try await store.upsertTier(
            TierRecord(
                name: "test", requestsPerDay: perDay, requestsPerWeek: perWeek, requestsPerMonth: perMonth,
                monthlyBudgetMicros: budgetMicros, priceMicros: 0), now: date)
        let user = try await store.createUser(
            NewUser(
                email: "q\(UUID().uuidString.prefix(8))@example.com", username: "quota\(UUID().uuidString.prefix(6))", passwordHash: "x",
                tier: "test"))
        let clock = MovableClock(date)
        return Fixture(
            store: store, ledger: SQLiteQuotaLedger(store: store, logger: logger, clock: clock.read), clock: clock, userID: user.id)
    }

    static func charge(_ userID: Int64, cost: Int64 = 0, provider: String = "fallback") -> AttemptCharge {
        AttemptCharge(userID: userID, requestID: UUID().uuidString, kind: "chat", provider: provider, model: "m", estimatedCostMicros: cost)
    }

    static func logCount(_ store: SQLiteStore, outcome: String) async throws -> Int {
        try await store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ai_usage_logs WHERE outcome = ?", arguments: [outcome]) ?? 0
        }
    }

    static let builtProducts: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("libVigorFallback.so").path) { return url }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug").standardized
    }()

    @Test("200 concurrent chats against a quota of 10: exactly 10 succeed, 190 get 429, 10 logged")
    func exactUnderConcurrency() async throws {
        let f = try await Self.fixture(perDay: 10)
        let registry = PluginRegistry(loader: PluginLoader(logger: Self.logger))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.builtProducts.appendingPathComponent("libVigorFallback.so"), to: dir.appendingPathComponent("libVigorFallback.so"))
        registry.scan(directory: dir.path)
        #expect(registry.component(id: "dev.vigor.fallback") != nil)
        let router = ProviderRouter(
            registry: registry, egress: nil, accounting: f.ledger, priorities: StaticProviderPriorities([]), logger: Self.logger)
        let request = ChatRequest(messages: [ChatMessage(role: "user", content: "How many rest days?")])
        let outcomes = await withTaskGroup(of: String.self) { group in
            for i in 0..<200 {
                group.addTask {
                    do {
                        _ = try await router.complete(request, context: AIRequestContext(userID: f.userID, requestID: "r\(i)"))
                        return "ok"
                    } catch let error as AIError {
                        return "\(error.httpStatus):\(error.limit ?? "")"
                    } catch {
                        return "other:\(error)"
                    }
                }
            }
            var all: [String] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { $0 == "ok" }.count == 10)
        #expect(outcomes.filter { $0 == "429:requests_per_day" }.count == 190)
        #expect(try await Self.logCount(f.store, outcome: "success") == 10)
        let counters = try await f.store.usageCounters(userID: f.userID, at: f.clock.read())
        #expect(counters.first { $0.period == .day }?.requests == 10)
    }

    @Test("a costed budget holds exactly under concurrency")
    func budgetExact() async throws {
        let f = try await Self.fixture(budgetMicros: 10_000)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    guard let reservation = try? await f.ledger.reserve(Self.charge(f.userID, cost: 1_000)) else { return false }
                    try? await f.ledger.settle(
                        reservation,
                        AttemptOutcome(
                            outcome: "success", usage: TokenUsage(promptTokens: 10, completionTokens: 10),
                            costMicros: 1_000, latencyMs: 1, countsAsRequest: true))
                    return true
                }
            }
            var ok = 0
            for await r in group where r { ok += 1 }
            return ok
        }
        #expect(results == 10)
        let month = try await f.store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .month }
        #expect(month?.costMicros == 10_000)
        await #expect(throws: QuotaRefusal.self) { try await f.ledger.reserve(Self.charge(f.userID, cost: 1)) }
    }

    @Test("reconcile charges the actual cost; a failed call releases its reservation")
    func reconcileAndRelease() async throws {
        let f = try await Self.fixture(perDay: 5, budgetMicros: 1_000_000)
        let held = try await f.ledger.reserve(Self.charge(f.userID, cost: 5_000))
        var month = try await f.store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .month }
        #expect(month?.costMicros == 5_000)
        #expect(month?.requests == 1)
        try await f.ledger.settle(
            held,
            AttemptOutcome(
                outcome: "success", usage: TokenUsage(promptTokens: 1, completionTokens: 1), costMicros: 1_234, latencyMs: 5,
                countsAsRequest: true))
        month = try await f.store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .month }
        #expect(month?.costMicros == 1_234)
        let failed = try await f.ledger.reserve(Self.charge(f.userID, cost: 5_000))
        try await f.ledger.settle(
            failed,
            AttemptOutcome(
                outcome: "overloaded", usage: TokenUsage(promptTokens: 0, completionTokens: 0), costMicros: 0, latencyMs: 5,
                countsAsRequest: false))
        let day = try await f.store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .day }
        #expect(day?.requests == 1)
        #expect(day?.costMicros == 1_234)
        #expect(try await Self.logCount(f.store, outcome: "overloaded") == 1)
    }

    @Test("start-up recovery through the Store seam: a stopped host's reservations come back and are logged; this host's stay")
    func recoveryThroughTheStoreSeam() async throws {
        let f = try await Self.fixture(perDay: 5, budgetMicros: 1_000_000)
        let store: any Store = f.store
        // The host that died mid-request: two reservations it never settled.
        let stopped = store.quotaLedger(logger: Self.logger, clock: f.clock.read)
        _ = try await stopped.reserve(Self.charge(f.userID, cost: 3_000))
        _ = try await stopped.reserve(Self.charge(f.userID, cost: 4_000))
        // The next host: one reservation of its own already in flight when it recovers.
        let next = store.quotaLedger(logger: Self.logger, clock: f.clock.read)
        let own = try await next.reserve(Self.charge(f.userID, cost: 1_000))
        var day = try await store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .day }
        #expect(day?.requests == 3)
        #expect(day?.costMicros == 8_000)
        #expect(try await next.recoverAbandonedReservations() == 2)
        day = try await store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .day }
        #expect(day?.requests == 1, "only this host's reservation is still held")
        #expect(day?.costMicros == 1_000)
        #expect(try await Self.logCount(f.store, outcome: "abandoned") == 2)
        #expect(try await next.recoverAbandonedReservations() == 0, "a second recovery finds nothing")
        // This host's reservation settles normally afterwards.
        try await next.settle(
            own,
            AttemptOutcome(
                outcome: "success", usage: TokenUsage(promptTokens: 1, completionTokens: 1), costMicros: 900, latencyMs: 5,
                countsAsRequest: true))
        day = try await store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .day }
        #expect(day?.requests == 1)
        #expect(day?.costMicros == 900)
    }

    @Test("periods roll over on UTC day, week and month boundaries")
    func rollover() async throws {
        // Sunday 2026-05-31 23:59:59 UTC: the last second of a day, an ISO week and a month.
        let edge = try #require(ISO8601DateFormatter().date(from: "2026-05-31T23:59:59Z"))
        let f = try await Self.fixture(perDay: 2, perWeek: 3, perMonth: 3, at: edge)
        for _ in 0..<2 { _ = try await f.ledger.reserve(Self.charge(f.userID)) }
        do {
            _ = try await f.ledger.reserve(Self.charge(f.userID))
            Issue.record("a third request on the same day must be refused")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.limit == "requests_per_day")
            #expect(refusal.retryAfterSeconds == 1)
        }
        // One second later it is Monday 1 June: new day, new week, new month.
        f.clock.set(edge.addingTimeInterval(1))
        for _ in 0..<2 { _ = try await f.ledger.reserve(Self.charge(f.userID)) }
        // Tuesday: the day resets but the week (3) is now the limit.
        f.clock.set(edge.addingTimeInterval(1 + 86_400))
        _ = try await f.ledger.reserve(Self.charge(f.userID))
        do {
            _ = try await f.ledger.reserve(Self.charge(f.userID))
            Issue.record("the weekly limit must hold")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.limit == "requests_per_week")
            #expect(refusal.retryAfterSeconds == 6 * 86_400)
        }
    }

    @Test("a provider cap moves the router on; the global budget disables AI")
    func providerAndGlobal() async throws {
        let f = try await Self.fixture()
        try await f.store.write { db in
            try db.execute(sql: "UPDATE provider_priorities SET daily_cap_micros = 2000 WHERE provider = 'openai'")
            try db.execute(sql: "UPDATE budget_settings SET monthly_budget_micros = 5000")
        }
        _ = try await f.ledger.reserve(Self.charge(f.userID, cost: 1_500, provider: "openai"))
        do {
            _ = try await f.ledger.reserve(Self.charge(f.userID, cost: 1_500, provider: "openai"))
            Issue.record("the provider cap must hold")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.scope == .provider)
        }
        _ = try await f.ledger.reserve(Self.charge(f.userID, cost: 3_000, provider: "gemini"))
        do {
            _ = try await f.ledger.reserve(Self.charge(f.userID, cost: 1_000, provider: "gemini"))
            Issue.record("the global budget must hold")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.scope == .global)
            #expect(refusal.limit == "global_monthly_budget")
        }
        let alerts = try await f.store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM budget_events WHERE kind = 'alert'") ?? 0
        }
        #expect(alerts == 1)
    }

    @Test("a refusal changes nothing: a zero limit, a full week, the monthly budget — every period and the provider untouched")
    func refusalLeavesNoTrace() async throws {
        func state(_ f: Fixture) async throws -> [String] {
            try await f.store.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT period || ':' || requests || ':' || cost_micros FROM usage_counters WHERE user_id = ?
                        UNION ALL SELECT 'provider:' || period || ':' || cost_micros FROM provider_usage
                        UNION ALL SELECT 'global:' || period || ':' || cost_micros FROM global_usage
                        UNION ALL SELECT 'pending:' || COUNT(*) FROM quota_reservations
                        ORDER BY 1
                        """, arguments: [f.userID])
            }
        }
        let closed = try await Self.fixture(perDay: 0)
        await #expect(throws: QuotaRefusal.self) { _ = try await closed.ledger.reserve(Self.charge(closed.userID, cost: 10)) }
        #expect(try await state(closed) == ["pending:0"], "a tier with no requests writes nothing")

        let f = try await Self.fixture(perDay: 10, perWeek: 2, perMonth: 10, budgetMicros: 1_000)
        _ = try await f.ledger.reserve(Self.charge(f.userID, cost: 400))
        _ = try await f.ledger.reserve(Self.charge(f.userID, cost: 400))
        let before = try await state(f)
        #expect(before.contains("day:2:800") && before.contains("week:2:800") && before.contains("month:2:800"))
        do {
            _ = try await f.ledger.reserve(Self.charge(f.userID, cost: 100))
            Issue.record("the weekly limit must hold")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.limit == "requests_per_week")
        }
        #expect(try await state(f) == before, "day and month were not charged for the refused week")

        let g = try await Self.fixture(perDay: 10, perWeek: 10, perMonth: 10, budgetMicros: 1_000)
        _ = try await g.ledger.reserve(Self.charge(g.userID, cost: 900))
        let full = try await state(g)
        do {
            _ = try await g.ledger.reserve(Self.charge(g.userID, cost: 200))
            Issue.record("the monthly budget must hold")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.limit == "monthly_budget")
        }
        #expect(try await state(g) == full)
    }

    @Test("a model's own cap overrides the provider-wide one, cap by cap; other models keep the provider's")
    func modelCapsOverride() async throws {
        let f = try await Self.fixture()
        try await f.store.write { db in
            try db.execute(
                sql:
                    "UPDATE provider_priorities SET daily_cap_micros = 10000, weekly_cap_micros = 3000 WHERE provider = 'gemini' AND model = ''"
            )
            try db.execute(
                sql:
                    "INSERT INTO provider_priorities (provider, model, priority, daily_cap_micros, updated_at) VALUES ('gemini', 'm', 1, 2000, 0)"
            )
        }
        func charge(_ model: String, _ cost: Int64) -> AttemptCharge {
            AttemptCharge(
                userID: f.userID, requestID: UUID().uuidString, kind: "chat", provider: "gemini", model: model, estimatedCostMicros: cost)
        }
        _ = try await f.ledger.reserve(charge("m", 1_500))
        do {
            _ = try await f.ledger.reserve(charge("m", 1_000))
            Issue.record("the model's daily cap (2000) must hold")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.limit == "provider_day_cap")
        }
        _ = try await f.ledger.reserve(charge("other", 1_000))  // day 2500 of 10000, week 2500 of 3000
        do {
            _ = try await f.ledger.reserve(charge("other", 1_000))
            Issue.record("the provider-wide weekly cap (3000) must hold for other models")
        } catch let refusal as QuotaRefusal {
            #expect(refusal.limit == "provider_week_cap")
        }
    }

    @Test("Int64.max everywhere (budgets, caps, limits, estimates, costs): no trap; charges clamp to Money.maxMicros")
    func extremeAmounts() async throws {
        let f = try await Self.fixture(perDay: .max, perWeek: .max, perMonth: .max, budgetMicros: .max)
        try await f.store.setBudgetSettings(
            BudgetSettings(weeklyBudgetMicros: .max, monthlyBudgetMicros: .max, alertThresholdPercent: 100, autoDisable: true),
            now: f.clock.read())
        try await f.store.upsertProviderPriority(
            ProviderPriority(
                provider: "fallback", model: "", priority: 0, enabled: true, dailyCapMicros: .max, weeklyCapMicros: .max,
                monthlyCapMicros: .max), now: f.clock.read())
        for (estimate, cost) in [(Int64.max, Int64.max), (Int64.max, 0), (0, Int64.max), (-1, -1), (Int64.min, Int64.max)] {
            let held = try await f.ledger.reserve(Self.charge(f.userID, cost: estimate))
            try await f.ledger.settle(
                held,
                AttemptOutcome(
                    outcome: "success", usage: TokenUsage(promptTokens: .max, completionTokens: .max), costMicros: cost, latencyMs: .max,
                    countsAsRequest: true))
        }
        let month = try await f.store.usageCounters(userID: f.userID, at: f.clock.read()).first { $0.period == .month }
        #expect(month?.requests == 5)
        // Three charges clamped to the largest amount; none of the Int64.max values reached a counter.
        #expect(month?.costMicros == 3 * Money.maxMicros)
        // A budget already stored at Int64.max: the 100% alert threshold is computed, not overflowed.
        #expect(Money.share(100, of: .max) == .max)
    }
}
