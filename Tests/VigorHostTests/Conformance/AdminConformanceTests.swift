import Foundation
import Testing
import VigorCoaching
import VigorPluginSDK

@testable import VigorHost

/// The admin side of the ``Store`` contract on every backend: tiers, provider priorities,
/// the global budget, model overrides, usage reports and the safety log.
@Suite("Conformance: admin store and reports")
struct AdminConformanceTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    @Test("tiers: created and replaced whole; the cheapest first", arguments: StoreBackend.allCases)
    func tiers(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let gold = TierRecord(
                name: "gold", requestsPerDay: 7, requestsPerWeek: 30, requestsPerMonth: 100, monthlyBudgetMicros: .max,
                priceMicros: 49_990_000)
            try await db.store.upsertTier(gold, now: Self.now)
            #expect(try await db.store.tier(named: "gold") == gold)
            var changed = gold
            changed.requestsPerDay = 0
            changed.priceMicros = 1
            try await db.store.upsertTier(changed, now: Self.now)
            #expect(try await db.store.tier(named: "gold") == changed)
            #expect(try await db.store.tiers().map(\.name) == ["free", "gold", "premium", "unlimited"])
            // A user can now be moved there.
            let user = try await db.user()
            #expect(try await db.store.setTier(userID: user.id, tier: "gold", now: Date()).tier == "gold")
        }
    }

    @Test("provider priorities: an upsert is seen at once by the store and its router view", arguments: StoreBackend.allCases)
    func providerPriorities(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let before = try await db.store.providerPriorities()
            #expect(!before.isEmpty, "the migrations seed the bundled providers")
            let rule = ProviderPriority(
                provider: "anthropic", model: "claude-x", priority: 3, enabled: false, dailyCapMicros: 1, weeklyCapMicros: nil,
                monthlyCapMicros: .max)
            try await db.store.upsertProviderPriority(rule, now: Self.now)
            #expect(try await db.store.providerPriorities().contains(rule))
            #expect(try await db.store.priorities.providerPriorities().contains(rule), "the router's view has the change at once")
            var replaced = rule
            replaced.enabled = true
            replaced.priority = 0
            replaced.dailyCapMicros = nil
            try await db.store.upsertProviderPriority(replaced, now: Self.now)
            let after = try await db.store.providerPriorities()
            #expect(after.contains(replaced) && !after.contains(rule))
            #expect(after.count == before.count + 1, "replaced, not added")
            #expect(try await db.store.priorities.providerPriorities().contains(replaced))
        }
    }

    @Test("budget settings round-trip, nil and Int64.max included", arguments: StoreBackend.allCases)
    func budgetSettings(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let settings = BudgetSettings(weeklyBudgetMicros: nil, monthlyBudgetMicros: .max, alertThresholdPercent: 95, autoDisable: false)
            try await db.store.setBudgetSettings(settings, now: Self.now)
            var read = try await db.store.budgetSettings()
            #expect(read.weeklyBudgetMicros == nil && read.monthlyBudgetMicros == .max)
            #expect(read.alertThresholdPercent == 95 && read.autoDisable == false)
            try await db.store.setBudgetSettings(BudgetSettings(weeklyBudgetMicros: 7, monthlyBudgetMicros: nil), now: Self.now)
            read = try await db.store.budgetSettings()
            #expect(read.weeklyBudgetMicros == 7 && read.monthlyBudgetMicros == nil && read.autoDisable)
            #expect(try await db.store.budgetEvents(limit: 10).isEmpty)
        }
    }

    @Test("model overrides: upsert replaces, delete says whether there was one", arguments: StoreBackend.allCases)
    func modelOverrides(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let first = ModelOverride(
                id: "gpt-x", provider: "openai", inputPerMTokUSD: 1.25, outputPerMTokUSD: 10, maxOutputTokens: 4096, contextWindow: 128_000)
            let other = ModelOverride(
                id: "a-model", provider: "gemini", inputPerMTokUSD: 0, outputPerMTokUSD: 0.5, maxOutputTokens: 1, contextWindow: 1)
            try await db.store.upsertModelOverride(first, now: Self.now)
            try await db.store.upsertModelOverride(other, now: Self.now)
            #expect(try await db.store.modelOverrides() == [other, first], "by provider, then model id")
            var cheaper = first
            cheaper.inputPerMTokUSD = 0.1
            try await db.store.upsertModelOverride(cheaper, now: Self.now)
            #expect(try await db.store.modelOverrides() == [other, cheaper])
            #expect(try await db.store.deleteModelOverride(id: "gpt-x", provider: "openai") == true)
            #expect(try await db.store.deleteModelOverride(id: "gpt-x", provider: "openai") == false)
            #expect(try await db.store.deleteModelOverride(id: "a-model", provider: "openai") == false, "the provider is part of the key")
            #expect(try await db.store.modelOverrides() == [other])
        }
    }

    @Test(
        "usage report totals: per user, per provider, per model, per day, provider and global spend all add up to what was settled",
        arguments: StoreBackend.allCases)
    func usageReportTotals(_ backend: StoreBackend) async throws {
        // 2026-03-10 23:00 UTC, then the next day: two UTC days in one week and month.
        let start = Date(timeIntervalSince1970: 1_773_183_600)
        try await LedgerFixture.run(backend, at: start) { f async throws in
            let other = try await f.db.user("other", tier: "test")
            func settle(_ userID: Int64, _ provider: String, _ model: String, cost: Int64, prompt: Int, outcome: String = "success")
                async throws
            {
                let charge = AttemptCharge(
                    userID: userID, requestID: UUID().uuidString, kind: "chat", provider: provider, model: model, estimatedCostMicros: cost)
                let held = try await f.ledger.reserve(charge)
                try await f.ledger.settle(
                    held,
                    AttemptOutcome(
                        outcome: outcome, usage: TokenUsage(promptTokens: prompt, completionTokens: 2 * prompt),
                        costMicros: outcome == "success" ? cost : 0, latencyMs: 4, countsAsRequest: outcome == "success"))
            }
            try await settle(f.userID, "openai", "gpt-a", cost: 1_000, prompt: 10)
            try await settle(f.userID, "openai", "gpt-b", cost: 2_000, prompt: 20)
            try await settle(other.id, "gemini", "g-1", cost: 4_000, prompt: 40)
            try await settle(other.id, "gemini", "g-1", cost: 9_999, prompt: 1, outcome: "network")
            f.clock.set(start.addingTimeInterval(2 * 3600))  // the next UTC day
            try await settle(f.userID, "gemini", "g-1", cost: 8_000, prompt: 80)

            let since = start.addingTimeInterval(-1)
            let byUser = Dictionary(uniqueKeysWithValues: try await f.store.usageByUser(since: since).map { ($0.userID, $0) })
            #expect(byUser[f.userID]?.requests == 3)
            #expect(byUser[f.userID]?.costMicros == 11_000)
            #expect(byUser[f.userID]?.promptTokens == 110)
            #expect(byUser[f.userID]?.completionTokens == 220)
            #expect(byUser[f.userID]?.tier == "test")
            #expect(byUser[other.id]?.requests == 2, "every logged attempt, failures included")
            #expect(byUser[other.id]?.costMicros == 4_000)
            #expect(byUser[other.id]?.username == other.username)
            #expect(
                try await f.store.usageByUser(since: start.addingTimeInterval(3600)).map(\.costMicros) == [8_000], "since is a lower bound")

            let breakdown = try await f.store.usageBreakdown(since: since)
            let providers = Dictionary(uniqueKeysWithValues: breakdown.byProvider.map { ($0.key, $0) })
            #expect(providers["openai"]?.requests == 2 && providers["openai"]?.attempts == 2 && providers["openai"]?.costMicros == 3_000)
            #expect(providers["gemini"]?.requests == 2, "successes only")
            #expect(providers["gemini"]?.attempts == 3)
            #expect(providers["gemini"]?.costMicros == 12_000)
            #expect(providers["gemini"]?.promptTokens == 121)
            let models = Dictionary(uniqueKeysWithValues: breakdown.byModel.map { ($0.key, $0) })
            #expect(models["openai/gpt-a"]?.costMicros == 1_000 && models["openai/gpt-b"]?.costMicros == 2_000)
            #expect(
                models["gemini/g-1"]?.attempts == 3 && models["gemini/g-1"]?.model == "g-1" && models["gemini/g-1"]?.provider == "gemini")
            let days = Dictionary(uniqueKeysWithValues: breakdown.byDay.map { ($0.key, $0) })
            #expect(days["2026-03-10"]?.costMicros == 7_000 && days["2026-03-10"]?.attempts == 4)
            #expect(days["2026-03-11"]?.costMicros == 8_000 && days["2026-03-11"]?.requests == 1)

            // Spend by provider and globally, for the periods containing the second day.
            let now = f.clock.read()
            let spend = try await f.store.providerSpend(at: now)
            #expect(spend["gemini"]?.first { $0.period == .day }?.costMicros == 8_000)
            #expect(spend["gemini"]?.first { $0.period == .week }?.costMicros == 12_000)
            #expect(spend["openai"]?.first { $0.period == .month }?.costMicros == 3_000)
            let global = Dictionary(uniqueKeysWithValues: try await f.store.globalSpend(at: now).map { ($0.period, $0) })
            #expect(global[.day]?.costMicros == 8_000 && global[.day]?.periodStart == "2026-03-11")
            #expect(global[.week]?.costMicros == 15_000 && global[.week]?.periodStart == "2026-03-09")
            #expect(global[.month]?.costMicros == 15_000 && global[.month]?.periodStart == "2026-03-01")
        }
    }

    @Test("budget alerts are recorded once per period when spend crosses the threshold", arguments: StoreBackend.allCases)
    func budgetAlerts(_ backend: StoreBackend) async throws {
        try await LedgerFixture.run(backend, at: Self.now) { f async throws in
            try await f.store.setBudgetSettings(
                BudgetSettings(weeklyBudgetMicros: nil, monthlyBudgetMicros: 10_000, alertThresholdPercent: 50, autoDisable: true),
                now: Self.now)
            for cost: Int64 in [3_000, 3_000, 3_000] {
                let held = try await f.ledger.reserve(f.charge(cost: cost))
                try await f.ledger.settle(held, LedgerFixture.success(cost: cost))
            }
            let events = try await f.store.budgetEvents(limit: 10)
            #expect(events.count == 1, "\(events)")
            #expect(events.first?.kind == "alert" && events.first?.period == "month" && events.first?.budgetMicros == 10_000)
            #expect(events.first.map { $0.spentMicros >= 5_000 } == true)
        }
    }

    @Test("safety escalations are counted by UTC day and type", arguments: StoreBackend.allCases)
    func safetyEscalations(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let log = try #require(db.store as? any SafetyEscalationLog, "\(backend) store is a SafetyEscalationLog")
            let user = try await db.user()
            let flags = Array(RedFlag.allCases.prefix(2))
            try #require(flags.count == 2)
            let subject = SafetySubject.user
            let day1 = Date(timeIntervalSince1970: 1_773_183_600)  // 2026-03-10 23:00 UTC
            try await log.recordSafetyEscalations(
                [
                    SafetyEscalation(userID: user.id, requestID: "r1", flag: flags[0], subject: subject, rule: "a"),
                    SafetyEscalation(userID: user.id, requestID: "r1", flag: flags[1], subject: subject, rule: "b"),
                ], at: day1)
            try await log.recordSafetyEscalations(
                [SafetyEscalation(userID: user.id, requestID: "r2", flag: flags[0], subject: subject, rule: "a")], at: day1 + 7200)
            let counts = try await log.safetyEscalationCounts(since: day1 - 60)
            #expect(counts.map(\.day) == counts.map(\.day).sorted(), "oldest day first")
            #expect(counts.first?.day == "2026-03-10")
            let total = counts.reduce(0) { $0 + $1.count }
            #expect(total == 3)
            #expect(counts.filter { $0.day == "2026-03-11" }.map(\.type) == [flags[0].rawValue])
            #expect(try await log.safetyEscalationCounts(since: day1 + 3600).reduce(0) { $0 + $1.count } == 1)
        }
    }
}
