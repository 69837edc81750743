import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing
import VigorPluginSDK

@testable import VigorHost

/// The PostgreSQL quota ledger across hosts: two `PostgresStore`s on one fresh database are
/// two hosts (each its own pool, ledger and registration). Limits hold exactly across them,
/// a live host's reservations are never released, a dead host's come back, and the counters
/// equal the usage log after a drill.
@Suite("PostgreSQL quota ledger across hosts")
struct PostgresLedgerTests {
    /// Two hosts on one database, a tier with the given limits and one user on it.
    struct Hosts {
        let database: FreshDatabase
        let stores: [PostgresStore]
        let ledgers: [PostgresQuotaLedger]
        let userID: Int64
        let now: Date

        var a: PostgresQuotaLedger { ledgers[0] }
        var b: PostgresQuotaLedger { ledgers[1] }
        var store: PostgresStore { stores[0] }

        /// Runs `query` on a connection of its own and returns the first column of each row.
        func column<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type) async throws -> [T] {
            try await TestDatabase.connect(database) { connection in
                var values: [T] = []
                for try await row in try await connection.query(query, logger: TestDatabase.logger) {
                    values.append(try row.decode(T.self))
                }
                return values
            }
        }

        func execute(_ query: PostgresQuery) async throws {
            try await TestDatabase.connect(database) { connection in
                try await connection.query(query, logger: TestDatabase.logger)
            }
        }

        func counter(_ period: UsagePeriod) async throws -> UsageCounter? {
            try await store.usageCounters(userID: userID, at: now).first { $0.period == period }
        }

        func logCount(_ outcome: String) async throws -> Int {
            try await column("SELECT count(*) FROM ai_usage_logs WHERE outcome = \(outcome)", as: Int64.self).first.map(Int.init) ?? -1
        }
    }

    static let logger: Logger = {
        var logger = Logger(label: "vigor.test.pg-ledger")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs `body` with `count` hosts on a fresh, migrated database; closes and drops it afterwards.
    static func withHosts<T>(
        _ count: Int = 2, perDay: Int = 1000, perWeek: Int = 5000, perMonth: Int = 20000, budgetMicros: Int64 = 100_000_000,
        poolMax: Int = 8, leasing: Bool = true, _ body: (Hosts) async throws -> T
    ) async throws -> T {
        let database = try await TestDatabase.fresh(.postgres)
        var stores: [PostgresStore] = []
        do {
            for _ in 0..<count {
                guard let store = try await TestDatabase.open(database, poolMax: poolMax) as? PostgresStore else {
                    throw TestDatabaseError(description: "not a PostgresStore")
                }
                stores.append(store)
            }
            try await stores[0].migrate(logger: logger, now: Date())
            let now = Date()
            try await stores[0].upsertTier(
                TierRecord(
                    name: "test", requestsPerDay: perDay, requestsPerWeek: perWeek, requestsPerMonth: perMonth,
                    monthlyBudgetMicros: budgetMicros, priceMicros: 0), now: now)
            let user = try await stores[0].createUser(
                NewUser(email: "pg-ledger@example.com", username: "pgledger", passwordHash: "x", tier: "test"), now: Date())
            // Registrations live an hour and are renewed hourly, so the only sweep is the one a
            // test calls: a background sweep of the default 2 s would race the assertions on
            // what that call recovers (a host "dies" here by having its expiry moved back).
            let ledgers = stores.map {
                PostgresQuotaLedger(
                    store: $0, logger: logger, clock: { now }, hostTTL: .seconds(3600), renewInterval: .seconds(3600), leasing: leasing)
            }
            let hosts = Hosts(database: database, stores: stores, ledgers: ledgers, userID: user.id, now: now)
            let result = try await body(hosts)
            for ledger in ledgers { await ledger.shutdown() }
            for store in stores { try await store.close() }
            try await database.drop()
            return result
        } catch {
            for store in stores { try? await store.close() }
            try? await database.drop()
            throw error
        }
    }

    static func charge(_ userID: Int64, cost: Int64 = 0, provider: String = "fallback", model: String = "m") -> AttemptCharge {
        AttemptCharge(
            userID: userID, requestID: UUID().uuidString, kind: "chat", provider: provider, model: model, estimatedCostMicros: cost)
    }

    static func success(cost: Int64) -> AttemptOutcome {
        AttemptOutcome(
            outcome: "success", usage: TokenUsage(promptTokens: 10, completionTokens: 10), costMicros: cost, latencyMs: 1,
            countsAsRequest: true)
    }

    static let released = AttemptOutcome(
        outcome: "overloaded", usage: TokenUsage(promptTokens: 0, completionTokens: 0), costMicros: 0, latencyMs: 1, countsAsRequest: false)

    @Test("200 concurrent reserves from two hosts against a limit of 10: exactly 10, 190 refused; settled, the log has 10")
    func exactAcrossHosts() async throws {
        try await Self.withHosts(perDay: 10) { h in
            let results = await withTaskGroup(of: Result<Reservation, any Error>.self) { group in
                for i in 0..<200 {
                    let ledger = h.ledgers[i % 2]
                    group.addTask { await Result { try await ledger.reserve(Self.charge(h.userID)) } }
                }
                var all: [Result<Reservation, any Error>] = []
                for await result in group { all.append(result) }
                return all
            }
            let held = results.compactMap { try? $0.get() }
            let refusals = results.compactMap { result -> String? in
                guard case .failure(let error) = result else { return nil }
                return (error as? QuotaRefusal)?.limit ?? "other: \(error)"
            }
            #expect(held.count == 10)
            #expect(refusals.count == 190)
            #expect(refusals.allSatisfy { $0 == "requests_per_day" }, "\(Set(refusals))")
            #expect(Set(held.map(\.pendingID)).count == 10)
            #expect(try await h.counter(.day)?.requests == 10)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, reservation) in held.enumerated() {
                    group.addTask { try await h.ledgers[i % 2].settle(reservation, Self.success(cost: 0)) }
                }
                try await group.waitForAll()
            }
            #expect(try await h.logCount("success") == 10)
            #expect(try await h.counter(.day)?.requests == 10)
            #expect(try await h.column("SELECT count(*) FROM quota_reservations", as: Int64.self) == [0])
        }
    }

    @Test("a costed budget is never overspent across two hosts: the user's, a provider cap, the global budget")
    func costedBudgetsAcrossHosts() async throws {
        try await Self.withHosts(budgetMicros: 10_000) { h in
            // The user's monthly budget: 10 000, attempts reserving 1 000 and costing 600–1 000.
            let charged = await withTaskGroup(of: Int64.self) { group in
                for i in 0..<100 {
                    let ledger = h.ledgers[i % 2]
                    group.addTask {
                        guard let held = try? await ledger.reserve(Self.charge(h.userID, cost: 1_000)) else { return 0 }
                        let cost = Int64(600 + (i % 5) * 100)
                        try? await ledger.settle(held, Self.success(cost: cost))
                        return cost
                    }
                }
                var total: Int64 = 0
                for await cost in group { total += cost }
                return total
            }
            let month = try await h.counter(.month)
            #expect(month?.costMicros == charged)
            #expect(charged <= 10_000)
            #expect(try await h.column("SELECT coalesce(sum(cost_micros), 0)::bigint FROM ai_usage_logs", as: Int64.self) == [charged])
        }
        try await Self.withHosts(3) { h in
            try await h.store.upsertProviderPriority(
                ProviderPriority(
                    provider: "openai", model: "", priority: 1, enabled: true, dailyCapMicros: 7_000, weeklyCapMicros: nil,
                    monthlyCapMicros: nil), now: h.now)
            try await h.store.setBudgetSettings(
                BudgetSettings(weeklyBudgetMicros: nil, monthlyBudgetMicros: 12_000, alertThresholdPercent: 50, autoDisable: true),
                now: h.now)
            // Three hosts race: openai's daily cap admits 7 of 1 000; gemini takes the rest of
            // the global 12 000, so 5 more; nothing past either.
            let outcomes = await withTaskGroup(of: String.self) { group in
                for i in 0..<120 {
                    let ledger = h.ledgers[i % 3]
                    let provider = i % 2 == 0 ? "openai" : "gemini"
                    group.addTask {
                        do {
                            _ = try await ledger.reserve(Self.charge(h.userID, cost: 1_000, provider: provider))
                            return "ok:\(provider)"
                        } catch let refusal as QuotaRefusal {
                            return refusal.limit
                        } catch {
                            return "error: \(error)"
                        }
                    }
                }
                var all: [String] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let openai = outcomes.filter { $0 == "ok:openai" }.count
            let total = outcomes.filter { $0.hasPrefix("ok:") }.count
            #expect(openai <= 7)
            #expect(total == 12, "the global monthly budget admits exactly 12 reservations of 1 000")
            #expect(outcomes.allSatisfy { $0.hasPrefix("ok:") || $0 == "provider_day_cap" || $0 == "global_monthly_budget" })
            let spend = try await h.column(
                "SELECT cost_micros FROM global_usage WHERE period = 'month' AND period_start = \(UsagePeriod.month.key(containing: h.now))",
                as: Int64.self)
            #expect(spend == [12_000])
            // The alert at 50 % was recorded once, however many hosts crossed it together.
            #expect(try await h.column("SELECT count(*) FROM budget_events WHERE kind = 'alert'", as: Int64.self) == [1])
        }
    }

    @Test("a dead host's reservations come back once its registration expires; a live host's never do")
    func recoveryAcrossHosts() async throws {
        try await Self.withHosts(3, perDay: 5, budgetMicros: 1_000_000) { h in
            let dead = h.ledgers[0]
            let survivor = h.ledgers[1]
            let other = h.ledgers[2]
            let lost = try await dead.reserve(Self.charge(h.userID, cost: 3_000))
            _ = try await dead.reserve(Self.charge(h.userID, cost: 4_000))
            let own = try await survivor.reserve(Self.charge(h.userID, cost: 1_000))
            _ = try await other.reserve(Self.charge(h.userID, cost: 500))
            // Every host is live: a start-up recovery releases nothing (SQLite's ledger would
            // release the other hosts' reservations here).
            #expect(try await survivor.recoverAbandonedReservations() == 0)
            #expect(try await h.counter(.day)?.requests == 4)
            // The first host dies: its registration is past its expiry by the database's clock.
            let deadInstance = dead.instance
            try await h.execute("UPDATE ledger_hosts SET expires_at = now() - interval '1 second' WHERE instance = \(deadInstance)")
            #expect(try await survivor.recoverAbandonedReservations() == 2)
            var day = try await h.counter(.day)
            #expect(day?.requests == 2, "the survivor's and the other live host's reservations are still held")
            #expect(day?.costMicros == 1_500)
            #expect(try await h.logCount("abandoned") == 2)
            #expect(try await h.column("SELECT instance FROM ledger_hosts WHERE instance = \(deadInstance)", as: String.self).isEmpty)
            #expect(try await other.recoverAbandonedReservations() == 0, "a second sweep finds nothing")
            // The dead host was only partitioned: its next reservation registers a new instance.
            _ = try await dead.reserve(Self.charge(h.userID, cost: 100))
            #expect(dead.instance != deadInstance)
            // It settles the reservation that was released meanwhile: charged in full, so the
            // counters still equal the log.
            try await dead.settle(lost, Self.success(cost: 2_000))
            try await survivor.settle(own, Self.success(cost: 900))
            day = try await h.counter(.day)
            #expect(day?.requests == 4)  // other's and dead's new reservations, plus two successes
            #expect(day?.costMicros == Int64(500 + 100 + 2_000 + 900))
            // A host that shuts down gives back what it still holds at once.
            await other.shutdown()
            day = try await h.counter(.day)
            #expect(day?.requests == 3)
            #expect(day?.costMicros == Int64(100 + 2_000 + 900))
            #expect(try await h.logCount("abandoned") == 3)
        }
    }

    @Test("a registration that expired is never renewed: the host takes a new instance id")
    func expiredRegistrationNotRevived() async throws {
        try await Self.withHosts(1) { h in
            _ = try await h.a.reserve(Self.charge(h.userID))
            let first = h.a.instance
            try await h.execute("UPDATE ledger_hosts SET expires_at = now() - interval '1 second'")
            await h.a.renew()
            #expect(h.a.instance != first)
            #expect(try await h.column("SELECT count(*) FROM ledger_hosts", as: Int64.self) == [0], "renew swept the expired row")
            #expect(try await h.counter(.day)?.requests == 0, "its reservation was released")
            _ = try await h.a.reserve(Self.charge(h.userID))
            #expect(try await h.column("SELECT instance FROM ledger_hosts", as: String.self) == [h.a.instance])
        }
    }

    @Test("the counters equal the log after a drill on two hosts: successes, releases, refusals, a dead host")
    func countersEqualTheLog() async throws {
        try await Self.withHosts(perDay: 60, budgetMicros: 150_000) { h in
            try await h.store.setBudgetSettings(
                BudgetSettings(weeklyBudgetMicros: 400_000, monthlyBudgetMicros: nil, alertThresholdPercent: 80, autoDisable: true),
                now: h.now)
            // Every fifth attempt is released, every fifth is left in flight, the rest succeed.
            let inFlight = await withTaskGroup(of: Reservation?.self) { group in
                for i in 0..<150 {
                    let ledger = h.ledgers[i % 2]
                    group.addTask {
                        let charge = Self.charge(h.userID, cost: Int64(1_000 + i * 10), provider: i % 3 == 0 ? "openai" : "gemini")
                        do {
                            let held = try await ledger.reserve(charge)
                            switch i % 5 {
                            case 0: try await ledger.settle(held, Self.released)
                            case 1: return held
                            default: try await ledger.settle(held, Self.success(cost: Int64(500 + i * 7)))
                            }
                        } catch let refusal as QuotaRefusal {
                            await ledger.recordRefusal(charge, refusal)
                        } catch {
                            Issue.record("unexpected \(error)")
                        }
                        return nil
                    }
                }
                var kept: [Reservation] = []
                for await held in group { if let held { kept.append(held) } }
                return kept
            }
            // Both hosts die with those in flight; a new start recovers them.
            #expect(!inFlight.isEmpty)
            try await h.execute("UPDATE ledger_hosts SET expires_at = now() - interval '1 second' WHERE instance = \(h.a.instance)")
            try await h.execute("UPDATE ledger_hosts SET expires_at = now() - interval '1 second' WHERE instance = \(h.b.instance)")
            let recovered = try await h.a.recoverAbandonedReservations()
            #expect(recovered == inFlight.count)
            #expect(try await h.column("SELECT count(*) FROM quota_reservations", as: Int64.self) == [0])

            let successes = try await h.logCount("success")
            let logCost = try await h.column(
                "SELECT coalesce(sum(cost_micros), 0)::bigint FROM ai_usage_logs WHERE user_id = \(h.userID)", as: Int64.self
            ).first
            #expect(successes > 0)
            let refused = try await h.column("SELECT count(*) FROM ai_usage_logs WHERE outcome LIKE 'refused:%'", as: Int64.self).first
            #expect(Int(refused ?? -1) + successes + recovered + (try await h.logCount("overloaded")) == 150)
            for period in UsagePeriod.allCases {
                let counter = try await h.counter(period)
                #expect(counter?.requests == successes, "\(period) requests equal the successes in the log")
                #expect(counter?.costMicros == logCost, "\(period) cost equals the log's")
            }
            let providers = try await h.column(
                """
                SELECT (p.cost_micros = coalesce((SELECT sum(l.cost_micros) FROM ai_usage_logs l WHERE l.provider = p.provider), 0))
                FROM provider_usage p
                """, as: Bool.self)
            #expect(!providers.isEmpty && providers.allSatisfy { $0 }, "each provider's counters equal its log entries")
            let global = try await h.column("SELECT cost_micros FROM global_usage WHERE period = 'week'", as: Int64.self)
            #expect(global == [logCost ?? -1])
        }
    }

    @Test("hostile strings (a NUL in the model and request id) are logged, not a failed settle")
    func hostileStrings() async throws {
        try await Self.withHosts(1) { h in
            let charge = AttemptCharge(
                userID: h.userID, requestID: "req\u{0}id", kind: "chat", provider: "fallback", model: "m\u{0}x", estimatedCostMicros: 10,
                requestedModel: "alias\u{0}")
            let held = try await h.a.reserve(charge)
            try await h.a.settle(held, Self.success(cost: 5))
            #expect(try await h.column("SELECT model FROM ai_usage_logs", as: String.self) == ["m\u{FFFD}x"])
            #expect(try await h.counter(.day)?.costMicros == 5)
            // A user id that does not exist is refused, not a server error.
            do {
                _ = try await h.a.reserve(Self.charge(987_654))
                Issue.record("an unknown user must be refused")
            } catch let refusal as QuotaRefusal {
                #expect(refusal.limit == "account")
            }
        }
    }

    // MARK: - Leases

    /// The database's view of the leases: granted on the counters, the lease rows, and whether they agree.
    static func grants(_ h: Hosts) async throws -> (granted: Int64, leased: Int64) {
        let granted = try await h.column(
            "SELECT coalesce(sum(granted_requests), 0)::bigint FROM usage_counters WHERE period = 'day'", as: Int64.self)
        let leased = try await h.column("SELECT coalesce(sum(requests), 0)::bigint FROM ledger_leases WHERE period = 'day'", as: Int64.self)
        return (granted.first ?? -1, leased.first ?? -1)
    }

    @Test("leases: two hosts serve most reservations from memory; the limit is never passed and is reached exactly once leases return")
    func leasesAcrossHosts() async throws {
        try await Self.withHosts(perDay: 200) { h in
            // 20 clients, 10 on each host, 20 attempts each, one after another (sustained traffic).
            let served = await withTaskGroup(of: [(ok: Bool, leased: Bool)].self) { group in
                for client in 0..<20 {
                    let ledger = h.ledgers[client % 2]
                    group.addTask {
                        var results: [(ok: Bool, leased: Bool)] = []
                        for _ in 0..<20 {
                            guard let held = try? await ledger.reserve(Self.charge(h.userID, cost: 100)) else {
                                results.append((false, false))
                                continue
                            }
                            do {
                                try await ledger.settle(held, Self.success(cost: 60))
                            } catch {
                                Issue.record("settle failed: \(error)")
                            }
                            results.append((true, held.pendingID == LeaseBook.leasedID))
                        }
                        return results
                    }
                }
                var all: [(ok: Bool, leased: Bool)] = []
                for await results in group { all += results }
                return all
            }
            let successes = served.filter(\.ok).count
            #expect(successes <= 200)
            #expect(served.contains { $0.leased }, "some reservations were served from a lease")
            var grants = try await Self.grants(h)
            #expect(grants.granted == grants.leased, "granted on the counters equals the lease rows")
            #expect(try await h.counter(.day)?.requests == successes)
            // Leases go back (as when idle); a host without leases then takes exactly what is left.
            for ledger in h.ledgers { await ledger.returnIdleLeases(olderThan: .zero) }
            grants = try await Self.grants(h)
            #expect(grants.granted == 0 && grants.leased == 0)
            let plain = PostgresQuotaLedger(store: h.store, logger: Self.logger, clock: { h.now }, leasing: false)
            var more = 0
            for _ in 0..<(200 - successes + 10) {
                guard let held = try? await plain.reserve(Self.charge(h.userID, cost: 100)) else { continue }
                try await plain.settle(held, Self.success(cost: 60))
                more += 1
            }
            await plain.shutdown()
            #expect(successes + more == 200, "the limit is reached exactly: \(successes) + \(more)")
            #expect(try await h.logCount("success") == 200)
            #expect(try await h.counter(.day)?.requests == 200)
            #expect(try await h.counter(.month)?.costMicros == 200 * 60)
        }
    }

    @Test("leases: a user near a limit (fewer than 12 left, so no grant is possible) costs no grant call; one with room gets one")
    func noGrantAskedNearALimit() async throws {
        try await Self.withHosts(perDay: 10) { h in
            let charge = Self.charge(h.userID, cost: 100)
            for _ in 0..<3 { _ = try await h.a.reserve(charge) }
            // No top-up was begun (beginning one makes the user's entry): none would grant.
            #expect(h.a.leases.held(h.userID) == nil)
        }
        try await Self.withHosts(perDay: 1_000) { h in
            let charge = Self.charge(h.userID, cost: 100)
            for _ in 0..<2 { _ = try await h.a.reserve(charge) }
            // The second reservation within a minute begins a top-up.
            #expect(h.a.leases.held(h.userID) != nil)
        }
    }

    @Test("leases: a reservation the database refuses while this host's grant is committed but not yet in memory takes from that grant")
    func refusedInTheGrantsGap() async throws {
        try await Self.withHosts(perDay: 20) { h in
            let charge = Self.charge(h.userID, cost: 100)
            let keys = PeriodKeys(h.now)
            // The grant waits between its commit and memory until a refused reservation starts
            // waiting for it: the gap is crossed on every run, not by chance.
            let (arrived, arrival) = AsyncStream<Void>.makeStream()
            let (opened, open) = AsyncStream<Void>.makeStream()
            let held = Mutex(true)
            let waits = Mutex(0)
            h.a.landing.withLock {
                $0.grantCommitted = {
                    guard held.withLock({ $0 }) else { return }
                    arrival.yield()
                    for await _ in opened { return }
                }
                $0.refusedWhileLanding = {
                    waits.withLock { $0 += 1 }
                    held.withLock { $0 = false }
                    open.yield()
                }
            }
            defer { open.finish() }
            var served = 1
            _ = try await h.a.reserve(charge)
            // 19 left: a grant of (19 - 8) / 4 = 2 whole attempts, committed and held.
            let topUp = try #require(h.a.leases.beginTopUp(charge, keys))
            let landing = Task { await h.a.topUp(charge, topUp) }
            for await _ in arrived { break }
            #expect(try await Self.grants(h).granted == 2)
            // The database serves 17 more, then refuses: 18 reserved and 2 granted make 20.
            var refused = 0
            for _ in 0..<22 {
                do {
                    _ = try await h.a.reserve(charge)
                    served += 1
                } catch is QuotaRefusal {
                    refused += 1
                }
            }
            open.finish()  // never left holding the grant, whatever happened
            await landing.value
            #expect(waits.withLock { $0 } >= 1, "a refused reservation waited for the grant in flight")
            #expect(served == 20, "the limit is served exactly, the granted two included")
            #expect(refused == 3)
            #expect(h.a.leases.held(h.userID)?.requests ?? 0 == 0)
        }
    }

    @Test("leases: a grant is whole attempts, none near a limit; settles give back the unspent estimate; a dead host's lease returns")
    func leaseLifecycle() async throws {
        try await Self.withHosts(perDay: 10) { h in
            let charge = Self.charge(h.userID, cost: 100)
            let keys = PeriodKeys(h.now)
            _ = try await h.a.reserve(charge)
            let topUp = try #require(h.a.leases.beginTopUp(charge, keys))
            await h.a.topUp(charge, topUp)
            #expect(h.a.leases.held(h.userID)?.requests == 0, "10 a day: the last 8 are decided in the database, so no lease")
        }
        try await Self.withHosts(perDay: 1_000, budgetMicros: 1_000_000) { h in
            let charge = Self.charge(h.userID, cost: 1_000)
            let keys = PeriodKeys(h.now)
            _ = try await h.a.reserve(charge)
            let topUp = try #require(h.a.leases.beginTopUp(charge, keys))
            await h.a.topUp(charge, topUp)
            let held = try #require(h.a.leases.held(h.userID))
            #expect(held.requests == 4 && held.cost == 4_000, "four whole attempts: \(held)")
            var grants = try await Self.grants(h)
            #expect(grants.granted == 4 && grants.leased == 4)
            // Served from memory; the actual cost below the estimate comes back to the lease.
            let reservation = try await h.a.reserve(charge)
            #expect(reservation.pendingID == LeaseBook.leasedID)
            #expect(h.a.leases.held(h.userID)?.requests == 3)
            try await h.a.settle(reservation, Self.success(cost: 400))
            #expect(h.a.leases.held(h.userID)?.cost == 3_600)
            grants = try await Self.grants(h)
            #expect(grants.granted == 3 && grants.leased == 3)
            var month = try await h.counter(.month)
            #expect(month?.requests == 2 && month?.costMicros == 1_400)
            // Another host sees the lease as used: 1000 a day less 2 spent and 3 leased.
            let other = try await h.b.reserve(charge)
            #expect(other.rateLimit?.remaining == 994)
            try await h.b.settle(other, Self.released)
            // Host a dies holding a lease, an attempt from it in flight and its first
            // reservation (made in the database) unsettled: all of it comes back.
            // (Served from the lease unless the policy it learnt is over a second old: a slow run.)
            let last = try await h.a.reserve(charge)
            try await h.execute("UPDATE ledger_hosts SET expires_at = now() - interval '1 second' WHERE instance = \(h.a.instance)")
            let rows = last.pendingID == LeaseBook.leasedID ? 1 : 2
            #expect(try await h.b.recoverAbandonedReservations() == rows, "only database reservations have rows")
            grants = try await Self.grants(h)
            #expect(grants.granted == 0 && grants.leased == 0)
            month = try await h.counter(.month)
            #expect(month?.requests == 1 && month?.costMicros == 400, "the counters equal the log")
            #expect(try await h.logCount("success") == 1)
        }
    }
}

/// Reserve-and-settle throughput of the PostgreSQL ledger on one and two hosts. Run on demand:
/// `VIGOR_LEDGER_BENCH=1 VIGOR_TEST_POSTGRES_URL=… swift test --filter PostgresLedgerBench`.
@Suite("PostgreSQL ledger throughput", .serialized, .enabled(if: ProcessInfo.processInfo.environment["VIGOR_LEDGER_BENCH"] != nil))
struct PostgresLedgerBench {
    @Test(
        "reserve + settle at c=50: one host, two hosts; leases on and off; free and costed attempts", .serialized, arguments: [1, 2],
        [true, false])
    func throughput(hosts count: Int, leasing: Bool) async throws {
        for cost in [Int64(0), 1_000] {
            try await PostgresLedgerTests.withHosts(
                count, perDay: 1_000_000, perWeek: 1_000_000, perMonth: 1_000_000, budgetMicros: Money.maxMicros, poolMax: 20,
                leasing: leasing
            ) { h in
                let total = 4_000
                let workers = 50
                let clock = ContinuousClock()
                let elapsed = try await clock.measure {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for w in 0..<workers {
                            let ledger = h.ledgers[w % count]
                            group.addTask {
                                for _ in 0..<(total / workers) {
                                    let held = try await ledger.reserve(PostgresLedgerTests.charge(h.userID, cost: cost))
                                    try await ledger.settle(held, PostgresLedgerTests.success(cost: cost / 2))
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print(
                    "PG ledger: \(count) host(s), leases \(leasing ? "on" : "off"), cost \(cost): \(total) reserve+settle in \(String(format: "%.2f", seconds)) s = \(Int(Double(total) / seconds))/s"
                )
                #expect(try await h.counter(.day)?.requests == total)
            }
        }
    }
}
