import Foundation
import Testing
import VigorPluginLoader
import VigorPluginSDK

@testable import VigorHost

/// The ledger under concurrency, on every backend: limits hold exactly, budgets are never
/// overspent, and the counters agree with the usage log afterwards.
@Suite("Conformance: quota ledger under concurrency")
struct LedgerConcurrencyConformanceTests {
    /// Connections a concurrency test's PostgreSQL store may open.
    static let poolMax = 20

    @Test("200 concurrent chats against a quota of 10: exactly 10 succeed, 190 get 429, 10 logged", arguments: StoreBackend.allCases)
    func exactUnderConcurrency(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, perDay: 10, poolMax: Self.poolMax) { f async throws in
            let registry = PluginRegistry(loader: PluginLoader(logger: Conformance.logger))
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-plugins-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: QuotaLedgerTests.builtProducts.appendingPathComponent("libVigorFallback.so"),
                to: dir.appendingPathComponent("libVigorFallback.so"))
            let report = registry.scan(directory: dir.path)
            try #require(registry.component(id: "dev.vigor.fallback") != nil, "the fallback plugin loads: \(report.rejected)")
            let router = ProviderRouter(
                registry: registry, egress: nil, accounting: f.ledger, priorities: StaticProviderPriorities([]), logger: Conformance.logger)
            let request = ChatRequest(messages: [ChatMessage(role: "user", content: "How many rest days?")])
            let userID = f.userID
            let outcomes = await withTaskGroup(of: String.self) { group in
                for i in 0..<200 {
                    group.addTask {
                        do {
                            _ = try await router.complete(request, context: AIRequestContext(userID: userID, requestID: "r\(i)"))
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
            #expect(outcomes.filter { $0 == "429:requests_per_day" }.count == 190, "\(Set(outcomes))")
            #expect(try await f.db.logCount(outcome: "success") == 10)
            #expect(try await f.counter(.day)?.requests == 10)
        }
    }

    @Test(
        "200 concurrent reservations against a limit of 10: exactly 10 held, 190 refused naming the limit", arguments: StoreBackend.allCases
    )
    func concurrentReserve(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, perDay: 10, poolMax: Self.poolMax) { f async throws in
            let results = await withTaskGroup(of: Result<Reservation, any Error>.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        do { return .success(try await f.ledger.reserve(f.charge(cost: 5))) } catch { return .failure(error) }
                    }
                }
                var all: [Result<Reservation, any Error>] = []
                for await result in group { all.append(result) }
                return all
            }
            let held = results.compactMap { try? $0.get() }
            let refusals = results.compactMap { result -> QuotaRefusal? in
                if case .failure(let error) = result { return error as? QuotaRefusal }
                return nil
            }
            #expect(held.count == 10)
            #expect(refusals.count == 190, "every other attempt is a refusal, not an error")
            #expect(refusals.allSatisfy { $0.limit == "requests_per_day" && $0.scope == .user })
            #expect(Set(held.map(\.charge.requestID)).count == 10)
            #expect(try await f.counter(.day)?.requests == 10)
            #expect(try await f.counter(.day)?.costMicros == 50)
            #expect(try await f.db.pendingReservations() == 10)
            // Settling them all concurrently leaves the counters exact and nothing in flight.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for reservation in held { group.addTask { try await f.ledger.settle(reservation, LedgerFixture.success(cost: 3)) } }
                try await group.waitForAll()
            }
            #expect(try await f.counter(.day)?.requests == 10)
            #expect(try await f.counter(.day)?.costMicros == 30)
            #expect(try await f.db.pendingReservations() == 0)
            #expect(try await f.db.logCount(outcome: "success") == 10)
        }
    }

    @Test("a costed budget holds exactly under concurrency", arguments: StoreBackend.allCases)
    func budgetExact(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, budgetMicros: 10_000, poolMax: Self.poolMax) { f async throws in
            let results = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        guard let reservation = try? await f.ledger.reserve(f.charge(cost: 1_000)) else { return false }
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
            #expect(try await f.counter(.month)?.costMicros == 10_000)
            await #expect(throws: QuotaRefusal.self) { try await f.ledger.reserve(f.charge(cost: 1)) }
        }
    }

    @Test(
        "a costed budget is never overspent: 150 concurrent attempts of uneven estimates and actual costs, user budget and global budget",
        arguments: StoreBackend.allCases)
    func budgetNeverOverspent(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, budgetMicros: 50_000, poolMax: Self.poolMax) { f async throws in
            var budget = try await f.store.budgetSettings()
            budget.monthlyBudgetMicros = 40_000
            try await f.store.setBudgetSettings(budget, now: f.clock.read())
            // Estimates 500…2 000; each settles at most at its estimate (a real call's cost is
            // bounded by its max_tokens), one in four fails and is released.
            let settled = await withTaskGroup(of: Int64.self) { group in
                for i in 0..<150 {
                    group.addTask {
                        let estimate = Int64(500 + (i * 37) % 1_501)
                        guard let reservation = try? await f.ledger.reserve(f.charge(cost: estimate)) else { return 0 }
                        if i % 4 == 0 {
                            try? await f.ledger.settle(reservation, LedgerFixture.failure())
                            return 0
                        }
                        let cost = estimate - Int64(i % 3) * 100
                        do {
                            try await f.ledger.settle(reservation, LedgerFixture.success(cost: cost))
                            return cost
                        } catch {
                            return -1_000_000_000
                        }
                    }
                }
                var total: Int64 = 0
                for await cost in group { total += cost }
                return total
            }
            #expect(settled >= 0, "every settle succeeded")
            let month = try #require(try await f.counter(.month))
            #expect(month.costMicros == settled, "the counter is the sum of what was settled")
            #expect(month.costMicros <= 40_000, "the global budget (40 000) was not overspent: \(month.costMicros)")
            #expect(month.costMicros > 0)
            let global = try await f.store.globalSpend(at: f.clock.read()).first { $0.period == .month }
            #expect(global?.costMicros == settled)
            #expect(try await f.db.pendingReservations() == 0)
        }
    }

    @Test(
        "after a concurrent drill (successes, billed failures, releases, refusals) the counters equal the usage log",
        arguments: StoreBackend.allCases)
    func countersMatchTheLog(_ backend: StoreBackend) async throws {
        let start = Date()
        try await LedgerFixture.run(backend, perDay: 60, budgetMicros: 1_000_000, at: start, poolMax: Self.poolMax) { f async throws in
            let providers = ["openai", "gemini", "fallback"]
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<120 {
                    group.addTask {
                        let charge = f.charge(cost: Int64(100 + i), provider: providers[i % 3], model: "m\(i % 2)")
                        let reservation: Reservation
                        do {
                            reservation = try await f.ledger.reserve(charge)
                        } catch let refusal as QuotaRefusal {
                            await f.ledger.recordRefusal(charge, refusal)
                            return
                        } catch {
                            Issue.record("reserve failed: \(error)")
                            return
                        }
                        let outcome: AttemptOutcome
                        switch i % 5 {
                        case 0:
                            outcome = LedgerFixture.failure("network")  // released
                        case 1:
                            // Billed failure: the upstream charged; it counts as a request.
                            outcome = AttemptOutcome(
                                outcome: "server_error", usage: TokenUsage(promptTokens: 3, completionTokens: 0), costMicros: 7,
                                latencyMs: 2, countsAsRequest: true)
                        default:
                            outcome = LedgerFixture.success(cost: Int64(50 + i), prompt: i, completion: 2 * i)
                        }
                        do {
                            try await f.ledger.settle(reservation, outcome)
                        } catch {
                            Issue.record("settle failed: \(error)")
                        }
                    }
                }
            }
            let now = f.clock.read()
            let day = try #require(try await f.counter(.day))
            let month = try #require(try await f.counter(.month))
            #expect(day.requests <= 60, "the daily limit held")
            #expect(month.requests == day.requests && month.costMicros == day.costMicros)
            #expect(try await f.db.pendingReservations() == 0)

            let logged = try await f.db.count("SELECT COUNT(*) FROM ai_usage_logs WHERE user_id = ?", [.int(f.userID)])
            let refused = try await f.db.count("SELECT COUNT(*) FROM ai_usage_logs WHERE outcome LIKE 'refused:%'")
            #expect(logged == 120, "every attempt is logged once: settled or refused")
            let report = try #require(try await f.store.usageByUser(since: start.addingTimeInterval(-60)).first { $0.userID == f.userID })
            #expect(report.requests == logged)
            #expect(report.costMicros == day.costMicros, "the log's cost is the counters' cost")
            let breakdown = try await f.store.usageBreakdown(since: start.addingTimeInterval(-60))
            #expect(breakdown.byProvider.reduce(0) { $0 + $1.attempts } == logged)
            #expect(breakdown.byProvider.reduce(0) { $0 + $1.costMicros } == day.costMicros)
            #expect(breakdown.byModel.reduce(0) { $0 + $1.costMicros } == day.costMicros)
            #expect(breakdown.byDay.reduce(0) { $0 + $1.costMicros } == day.costMicros)
            #expect(breakdown.byProvider.reduce(0) { $0 + $1.promptTokens } == report.promptTokens)
            let billed = try await f.db.count("SELECT COUNT(*) FROM ai_usage_logs WHERE outcome IN ('success', 'server_error')")
            #expect(billed == day.requests, "requests counted = successes + billed failures in the log")
            #expect(logged - refused - billed == (try await f.db.logCount(outcome: "network")))
            let providerTotal = try await f.store.providerSpend(at: now).values.reduce(Int64(0)) { total, spends in
                total + (spends.first { $0.period == .day }?.costMicros ?? 0)
            }
            #expect(providerTotal == day.costMicros, "provider spend adds up to the user's")
            #expect(try await f.store.globalSpend(at: now).first { $0.period == .day }?.costMicros == day.costMicros)
        }
    }
}
