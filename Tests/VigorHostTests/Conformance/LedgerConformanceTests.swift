import Foundation
import Testing
import VigorPluginLoader
import VigorPluginSDK

@testable import VigorHost

/// The quota ledger's contract (``QuotaLedger``, ``AIAccounting``), run unchanged on every
/// backend: reserve, settle, release, refusals, periods, caps and budgets, recovery.
@Suite("Conformance: quota ledger")
struct LedgerConformanceTests {
    @Test("reconcile charges the actual cost; a failed call releases its reservation", arguments: StoreBackend.allCases)
    func reconcileAndRelease(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, perDay: 5, budgetMicros: 1_000_000) { f async throws in
            let held = try await f.ledger.reserve(f.charge(cost: 5_000))
            var month = try await f.counter(.month)
            #expect(month?.costMicros == 5_000)
            #expect(month?.requests == 1)
            try await f.ledger.settle(
                held,
                AttemptOutcome(
                    outcome: "success", usage: TokenUsage(promptTokens: 1, completionTokens: 1), costMicros: 1_234, latencyMs: 5,
                    countsAsRequest: true))
            month = try await f.counter(.month)
            #expect(month?.costMicros == 1_234)
            let failed = try await f.ledger.reserve(f.charge(cost: 5_000))
            try await f.ledger.settle(failed, LedgerFixture.failure("overloaded"))
            let day = try await f.counter(.day)
            #expect(day?.requests == 1)
            #expect(day?.costMicros == 1_234)
            #expect(try await f.db.logCount(outcome: "overloaded") == 1)
            #expect(try await f.db.pendingReservations() == 0, "settled reservations are no longer in flight")
        }
    }

    @Test(
        "a settle from a cancelled task (the client left) still commits: counted, logged, out of flight",
        arguments: StoreBackend.allCases)
    func settleIgnoresCancellation(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, perDay: 50, budgetMicros: 1_000_000) { f async throws in
            var held: [Reservation] = []
            for _ in 0..<20 { held.append(try await f.ledger.reserve(f.charge(cost: 100))) }
            // Each settle runs in a task cancelled before it starts, as the router's settle runs in
            // the request's task after a disconnect; half of them also race each other.
            let ledger = f.ledger
            let results = await withTaskGroup(of: Bool.self) { group in
                for (index, reservation) in held.enumerated() {
                    group.addTask {
                        withUnsafeCurrentTask { $0?.cancel() }
                        guard Task.isCancelled else { return false }
                        let outcome =
                            index.isMultiple(of: 2) ? LedgerFixture.success(cost: 7) : LedgerFixture.failure("client_disconnected")
                        do { try await ledger.settle(reservation, outcome) } catch { return false }
                        return true
                    }
                }
                var all: [Bool] = []
                for await result in group { all.append(result) }
                return all
            }
            #expect(results.count == 20 && results.allSatisfy { $0 }, "every settle completed without throwing")
            #expect(try await f.db.pendingReservations() == 0)
            #expect(try await f.db.logCount(outcome: "success") == 10)
            #expect(try await f.db.logCount(outcome: "client_disconnected") == 10)
            #expect(try await f.counter(.day)?.requests == 10)
            #expect(try await f.counter(.day)?.costMicros == 70)
        }
    }

    @Test(
        "settle and release give allowance back: a released request and an unspent estimate are reservable again",
        arguments: StoreBackend.allCases)
    func settleReturnsAllowance(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, perDay: 3, budgetMicros: 10_000) { f async throws in
            // Requests: three held, the fourth refused; releasing one lets one more in.
            var held: [Reservation] = []
            for _ in 0..<3 { held.append(try await f.ledger.reserve(f.charge(cost: 1))) }
            await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(f.charge(cost: 1)) }
            try await f.ledger.settle(held.removeFirst(), LedgerFixture.failure())
            held.append(try await f.ledger.reserve(f.charge(cost: 1)))
            for reservation in held { try await f.ledger.settle(reservation, LedgerFixture.success(cost: 1)) }
            #expect(try await f.counter(.day)?.requests == 3)
            #expect(try await f.counter(.day)?.costMicros == 3)
        }
        try await LedgerFixture.run(backend, budgetMicros: 10_000) { f async throws in
            // Money: an estimate of the whole budget blocks even 1 micro-dollar; settling at
            // 4 000 returns 6 000, which is then reservable to the last micro-dollar.
            let big = try await f.ledger.reserve(f.charge(cost: 10_000))
            await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(f.charge(cost: 1)) }
            try await f.ledger.settle(big, LedgerFixture.success(cost: 4_000))
            do {
                _ = try await f.ledger.reserve(f.charge(cost: 6_001))
                Issue.record("6 001 over a remaining 6 000 must be refused")
            } catch let refusal as QuotaRefusal {
                #expect(refusal.limit == "monthly_budget")
            }
            let rest = try await f.ledger.reserve(f.charge(cost: 6_000))
            await #expect(throws: QuotaRefusal.self) { _ = try await f.ledger.reserve(f.charge(cost: 1)) }
            // Released: the whole 6 000 comes back.
            try await f.ledger.settle(rest, LedgerFixture.failure())
            #expect(try await f.counter(.month)?.costMicros == 4_000)
            _ = try await f.ledger.reserve(f.charge(cost: 6_000))
        }
    }

    @Test(
        "start-up recovery through the Store seam: a stopped host's reservations come back and are logged; this host's stay",
        arguments: StoreBackend.allCases)
    func recoveryThroughTheStoreSeam(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, perDay: 5, budgetMicros: 1_000_000) { f async throws in
            let store = f.store
            // The host that died mid-request: two reservations it never settled.
            let stopped = try f.db.hostLedger(clock: f.clock.read)
            _ = try await stopped.reserve(f.charge(cost: 3_000))
            _ = try await stopped.reserve(f.charge(cost: 4_000))
            try await f.db.crash(stopped)
            // The next host: one reservation of its own already in flight when it recovers.
            let next = try f.db.hostLedger(clock: f.clock.read)
            let own = try await next.reserve(f.charge(cost: 1_000))
            // SQLite: a host's reservations live only in its memory (the database counts settled
            // usage only), so the dead host's are gone with it and there is nothing to recover.
            let lost = backend == .sqlite ? 0 : 2
            var day = try await f.counter(.day)
            #expect(day?.requests == 1 + lost)
            #expect(day?.costMicros == (backend == .sqlite ? 1_000 : 8_000))
            #expect(try await next.recoverAbandonedReservations() == lost)
            day = try await f.counter(.day)
            #expect(day?.requests == 1, "only this host's reservation is still held")
            #expect(day?.costMicros == 1_000)
            #expect(try await f.db.logCount(outcome: "abandoned") == lost)
            #expect(try await next.recoverAbandonedReservations() == 0, "a second recovery finds nothing")
            // This host's reservation settles normally afterwards.
            try await next.settle(
                own,
                AttemptOutcome(
                    outcome: "success", usage: TokenUsage(promptTokens: 1, completionTokens: 1), costMicros: 900, latencyMs: 5,
                    countsAsRequest: true))
            day = try await f.counter(.day)
            #expect(day?.requests == 1)
            #expect(day?.costMicros == 900)
        }
    }

    @Test("recovered reservations return their allowance: a limit a dead host filled opens again", arguments: StoreBackend.allCases)
    func recoveryReturnsAllowance(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, perDay: 4, budgetMicros: 8_000) { f async throws in
            let dead = try f.db.hostLedger(clock: f.clock.read)
            let next = try f.db.hostLedger(clock: f.clock.read)
            for _ in 0..<4 { _ = try await dead.reserve(f.charge(cost: 2_000)) }
            try await f.db.crash(dead)
            if backend == .sqlite {
                // The dead host's reservations lived only in its memory: the limit is open at once.
                #expect(try await f.db.pendingReservations() == 0)
                #expect(try await next.recoverAbandonedReservations() == 0)
            } else {
                await #expect(throws: QuotaRefusal.self) { _ = try await next.reserve(f.charge(cost: 1)) }
                #expect(try await f.db.pendingReservations() == 4)
                #expect(try await next.recoverAbandonedReservations() == 4)
            }
            #expect(try await f.db.pendingReservations() == 0)
            #expect(try await f.counter(.day)?.requests == 0)
            #expect(try await f.counter(.month)?.costMicros == 0)
            for _ in 0..<4 { _ = try await next.reserve(f.charge(cost: 2_000)) }
            await #expect(throws: QuotaRefusal.self) { _ = try await next.reserve(f.charge(cost: 1)) }
        }
    }

    @Test("periods roll over on UTC day, week and month boundaries", arguments: StoreBackend.allCases)
    func rollover(_ backend: StoreBackend) async throws {
        // Sunday 2026-05-31 23:59:59 UTC: the last second of a day, an ISO week and a month.
        let edge = try #require(ISO8601DateFormatter().date(from: "2026-05-31T23:59:59Z"))
        try await LedgerFixture.run(backend, perDay: 2, perWeek: 3, perMonth: 3, at: edge) { f async throws in
            for _ in 0..<2 { _ = try await f.ledger.reserve(f.charge()) }
            do {
                _ = try await f.ledger.reserve(f.charge())
                Issue.record("a third request on the same day must be refused")
            } catch let refusal as QuotaRefusal {
                #expect(refusal.limit == "requests_per_day")
                #expect(refusal.retryAfterSeconds == 1)
            }
            // One second later it is Monday 1 June: new day, new week, new month.
            f.clock.set(edge.addingTimeInterval(1))
            for _ in 0..<2 { _ = try await f.ledger.reserve(f.charge()) }
            // Tuesday: the day resets but the week (3) is now the limit.
            f.clock.set(edge.addingTimeInterval(1 + 86_400))
            _ = try await f.ledger.reserve(f.charge())
            do {
                _ = try await f.ledger.reserve(f.charge())
                Issue.record("the weekly limit must hold")
            } catch let refusal as QuotaRefusal {
                #expect(refusal.limit == "requests_per_week")
                #expect(refusal.retryAfterSeconds == 6 * 86_400)
            }
        }
    }

    @Test("a provider cap moves the router on; the global budget disables AI", arguments: StoreBackend.allCases)
    func providerAndGlobal(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend) { f async throws in
            let now = f.clock.read()
            var openai = try #require(try await f.store.providerPriorities().first { $0.provider == "openai" && $0.model.isEmpty })
            openai.dailyCapMicros = 2_000
            try await f.store.upsertProviderPriority(openai, now: now)
            var budget = try await f.store.budgetSettings()
            budget.monthlyBudgetMicros = 5_000
            try await f.store.setBudgetSettings(budget, now: now)

            _ = try await f.ledger.reserve(f.charge(cost: 1_500, provider: "openai"))
            do {
                _ = try await f.ledger.reserve(f.charge(cost: 1_500, provider: "openai"))
                Issue.record("the provider cap must hold")
            } catch let refusal as QuotaRefusal {
                #expect(refusal.scope == .provider)
            }
            _ = try await f.ledger.reserve(f.charge(cost: 3_000, provider: "gemini"))
            do {
                _ = try await f.ledger.reserve(f.charge(cost: 1_000, provider: "gemini"))
                Issue.record("the global budget must hold")
            } catch let refusal as QuotaRefusal {
                #expect(refusal.scope == .global)
                #expect(refusal.limit == "global_monthly_budget")
            }
            let alerts = try await f.store.budgetEvents(limit: 100).filter { $0.kind == "alert" }
            #expect(alerts.count == 1)
        }
    }

    /// What a reservation may change, as the protocols read it, plus the raw row counts.
    static func state(_ f: LedgerFixture) async throws -> [String] {
        let now = f.clock.read()
        var lines = try await f.store.usageCounters(userID: f.userID, at: now).map {
            "\($0.period.rawValue):\($0.requests):\($0.costMicros)"
        }
        for (provider, spends) in try await f.store.providerSpend(at: now) {
            lines += spends.map { "provider:\(provider):\($0.period.rawValue):\($0.costMicros)" }
        }
        lines += try await f.store.globalSpend(at: now).map { "global:\($0.period.rawValue):\($0.costMicros)" }
        lines.append("pending:\(try await f.db.pendingReservations())")
        lines.append("counter rows:\(try await f.db.count("SELECT COUNT(*) FROM usage_counters"))")
        return lines.sorted()
    }

    @Test(
        "a refusal changes nothing: a zero limit, a full week, the monthly budget — every period and the provider untouched",
        arguments: StoreBackend.allCases)
    func refusalLeavesNoTrace(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, perDay: 0) { closed async throws in
            let before = try await Self.state(closed)
            await #expect(throws: QuotaRefusal.self) { _ = try await closed.ledger.reserve(closed.charge(cost: 10)) }
            #expect(try await Self.state(closed) == before, "a tier with no requests writes nothing")
            #expect(before.contains("pending:0") && before.contains("counter rows:0"))
        }
        try await LedgerFixture.run(backend, perDay: 10, perWeek: 2, perMonth: 10, budgetMicros: 1_000) { f async throws in
            _ = try await f.ledger.reserve(f.charge(cost: 400))
            _ = try await f.ledger.reserve(f.charge(cost: 400))
            let before = try await Self.state(f)
            #expect(before.contains("day:2:800") && before.contains("week:2:800") && before.contains("month:2:800"))
            do {
                _ = try await f.ledger.reserve(f.charge(cost: 100))
                Issue.record("the weekly limit must hold")
            } catch let refusal as QuotaRefusal {
                #expect(refusal.limit == "requests_per_week")
            }
            #expect(try await Self.state(f) == before, "day and month were not charged for the refused week")
        }
        try await LedgerFixture.run(backend, perDay: 10, perWeek: 10, perMonth: 10, budgetMicros: 1_000) { g async throws in
            _ = try await g.ledger.reserve(g.charge(cost: 900))
            let full = try await Self.state(g)
            do {
                _ = try await g.ledger.reserve(g.charge(cost: 200))
                Issue.record("the monthly budget must hold")
            } catch let refusal as QuotaRefusal {
                #expect(refusal.limit == "monthly_budget")
            }
            #expect(try await Self.state(g) == full)
        }
    }

    @Test(
        "a model's own cap overrides the provider-wide one, cap by cap; other models keep the provider's", arguments: StoreBackend.allCases)
    func modelCapsOverride(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend) { f async throws in
            let now = f.clock.read()
            var gemini = try #require(try await f.store.providerPriorities().first { $0.provider == "gemini" && $0.model.isEmpty })
            gemini.dailyCapMicros = 10_000
            gemini.weeklyCapMicros = 3_000
            try await f.store.upsertProviderPriority(gemini, now: now)
            try await f.store.upsertProviderPriority(
                ProviderPriority(provider: "gemini", model: "m", priority: 1, dailyCapMicros: 2_000), now: now)
            _ = try await f.ledger.reserve(f.charge(cost: 1_500, provider: "gemini", model: "m"))
            do {
                _ = try await f.ledger.reserve(f.charge(cost: 1_000, provider: "gemini", model: "m"))
                Issue.record("the model's daily cap (2000) must hold")
            } catch let refusal as QuotaRefusal {
                #expect(refusal.limit == "provider_day_cap")
            }
            // Day 2500 of 10000, week 2500 of 3000.
            _ = try await f.ledger.reserve(f.charge(cost: 1_000, provider: "gemini", model: "other"))
            do {
                _ = try await f.ledger.reserve(f.charge(cost: 1_000, provider: "gemini", model: "other"))
                Issue.record("the provider-wide weekly cap (3000) must hold for other models")
            } catch let refusal as QuotaRefusal {
                #expect(refusal.limit == "provider_week_cap")
            }
        }
    }

    @Test(
        "Int64.max everywhere (budgets, caps, limits, estimates, costs): no trap; charges clamp to Money.maxMicros",
        arguments: StoreBackend.allCases)
    func extremeAmounts(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, perDay: .max, perWeek: .max, perMonth: .max, budgetMicros: .max) { f async throws in
            try await f.store.setBudgetSettings(
                BudgetSettings(weeklyBudgetMicros: .max, monthlyBudgetMicros: .max, alertThresholdPercent: 100, autoDisable: true),
                now: f.clock.read())
            try await f.store.upsertProviderPriority(
                ProviderPriority(
                    provider: "fallback", model: "", priority: 0, enabled: true, dailyCapMicros: .max, weeklyCapMicros: .max,
                    monthlyCapMicros: .max), now: f.clock.read())
            for (estimate, cost) in [(Int64.max, Int64.max), (Int64.max, 0), (0, Int64.max), (-1, -1), (Int64.min, Int64.max)] {
                let held = try await f.ledger.reserve(f.charge(cost: estimate))
                try await f.ledger.settle(
                    held,
                    AttemptOutcome(
                        outcome: "success", usage: TokenUsage(promptTokens: .max, completionTokens: .max), costMicros: cost,
                        latencyMs: .max, countsAsRequest: true))
            }
            let month = try await f.counter(.month)
            #expect(month?.requests == 5)
            // Three charges clamped to the largest amount; none of the Int64.max values reached a counter.
            #expect(month?.costMicros == 3 * Money.maxMicros)
            // A budget already stored at Int64.max: the 100% alert threshold is computed, not overflowed.
            #expect(Money.share(100, of: .max) == .max)
        }
    }

    @Test("a refusal is logged as refused:<limit>, with no cost and no counter change", arguments: StoreBackend.allCases)
    func refusalIsLogged(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, perDay: 1) { f async throws in
            _ = try await f.ledger.reserve(f.charge(cost: 10))
            let charge = f.charge(cost: 10)
            do {
                _ = try await f.ledger.reserve(charge)
                Issue.record("the daily limit of 1 must hold")
            } catch let refusal as QuotaRefusal {
                await f.ledger.recordRefusal(charge, refusal)
            }
            #expect(try await f.db.logCount(outcome: "refused:requests_per_day") == 1)
            #expect(try await f.counter(.day)?.requests == 1)
            #expect(try await f.counter(.day)?.costMicros == 10)
        }
    }

    @Test("usage is logged and counted per day, week and month; failures are logged only", arguments: StoreBackend.allCases)
    func usageCounters(_ backend: StoreBackend) async throws {
        let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z, a Thursday
        try await LedgerFixture.run(backend, at: now) { f async throws in
            // The counters and the log are written only by the ledger: reserve, then settle.
            func attempt(_ outcome: String, cost: Int64, at date: Date) async throws {
                f.clock.set(date)
                let reservation = try await f.ledger.reserve(
                    AttemptCharge(userID: f.userID, requestID: "r", kind: "chat", provider: "test", model: "m", estimatedCostMicros: cost))
                try await f.ledger.settle(
                    reservation,
                    AttemptOutcome(
                        outcome: outcome, usage: TokenUsage(promptTokens: 10, completionTokens: 5), costMicros: cost, latencyMs: 3,
                        countsAsRequest: outcome == "success"))
            }
            try await attempt("success", cost: 250, at: now)
            try await attempt("success", cost: 750, at: now.addingTimeInterval(60))
            try await attempt("no_provider", cost: 0, at: now.addingTimeInterval(120))
            let counters = try await f.store.usageCounters(userID: f.userID, at: now)
            let byPeriod = Dictionary(uniqueKeysWithValues: counters.map { ($0.period, $0) })
            #expect(byPeriod[.day]?.requests == 2)
            #expect(byPeriod[.day]?.costMicros == 1_000)
            #expect(byPeriod[.day]?.periodStart == "2026-01-01")
            #expect(byPeriod[.week]?.periodStart == "2025-12-29")
            #expect(byPeriod[.month]?.periodStart == "2026-01-01")
            // Next day: the day counter starts over, the week and month do not.
            let tomorrow = try await f.store.usageCounters(userID: f.userID, at: now.addingTimeInterval(86_400))
            #expect(tomorrow.first { $0.period == .day }?.requests == 0)
            #expect(tomorrow.first { $0.period == .week }?.requests == 2)
            let report = try await f.store.usageByUser(since: now.addingTimeInterval(-1))
            #expect(report.first?.requests == 3)
            #expect(report.first?.costMicros == 1_000)
        }
    }
}
