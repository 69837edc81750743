import Foundation
import Logging
import PostgresNIO
import Synchronization
import VigorPluginLoader

/// The quota ledger on PostgreSQL, exact across any number of hosts sharing the database.
///
/// A reservation is one call of `vigor_ledger_reserve` (see ``PostgresLedgerSchema``): one
/// round trip, one transaction of conditional updates over every limit that applies, so
/// limits hold exactly however many requests race on however many hosts. Settles (and
/// refusal log entries) arriving together are group-committed: one call of
/// `vigor_ledger_settle` reconciles them all and appends their usage-log entries, and no
/// caller returns before that commit.
///
/// Reservations in flight are recorded under this host's instance id. The instance is
/// registered in `ledger_hosts` with an expiry measured by the database's clock, renewed in
/// the background every ``renewInterval``. Any host's sweep (run with each renewal and by
/// ``recoverAbandonedReservations()``) releases only the reservations of instances whose
/// registration has expired, so a live host's reservations are never released, and a
/// killed host's come back within ``hostTTL`` plus one renewal interval.
public final class PostgresQuotaLedger: QuotaLedger {
    let store: PostgresStore
    let clock: @Sendable () -> Date
    let logger: Logger
    /// How long a registration lives without renewal (database clock).
    public let hostTTL: Duration
    /// How often a live host renews its registration and sweeps dead hosts' reservations.
    public let renewInterval: Duration
    /// This host's registration: its instance id and whether the database has it.
    let host: Mutex<HostState>
    /// The background renewal, started with the first registration.
    private let heartbeat = Mutex<Task<Void, Never>?>(nil)
    /// Settles and refusal entries waiting for the next group commit.
    let batcher: SettleBatcher
    /// Whether reservations are served from leases (see ``LeaseBook``).
    public let leasing: Bool
    /// The leases this host holds.
    let leases = LeaseBook()
    /// Test seams around a grant's landing; both nil in production.
    let landing = Mutex(LandingHooks())

    /// Called, when set, at the two ends of the gap a grant crosses: ``grantCommitted`` after a
    /// top-up's grant is committed and before its lease reaches memory (the top-up waits for
    /// it), ``refusedWhileLanding`` when a reservation the database refused starts waiting for
    /// such a grant. A test holds the first until the second, to cross the gap every time.
    struct LandingHooks: Sendable {
        var grantCommitted: (@Sendable () async -> Void)?
        var refusedWhileLanding: (@Sendable () -> Void)?
    }
    /// Reservations taken and not yet settled.
    private let inFlight = Atomic<Int>(0)

    /// A registration: the id reservations are recorded under, and its state.
    struct HostState {
        var instance = UUID().uuidString
        /// The host's stable name (``identify(as:)``): instance ids are `<hostID>/<uuid>`.
        var hostID: String?
        /// The registration in progress or done (nil: none yet, or it expired).
        var registration: Task<String, any Error>?
        var stopped = false
    }

    /// - Parameters:
    ///   - hostTTL: how long this host's registration lives without a renewal (by the
    ///     database's clock); a killed host's reservations are released that long after its
    ///     last renewal, at the next sweep of any host.
    ///   - renewInterval: how often the registration is renewed and dead hosts are swept.
    ///   - leasing: serve reservations from leases of the users' allowance held in memory
    ///     (no round trip); off, every reservation is one call to the database.
    public init(
        store: PostgresStore, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }, hostTTL: Duration = .seconds(10),
        renewInterval: Duration = .seconds(2), leasing: Bool = true
    ) {
        self.leasing = leasing
        self.store = store
        self.logger = logger
        self.clock = clock
        self.hostTTL = hostTTL
        self.renewInterval = renewInterval
        host = Mutex(HostState())
        batcher = SettleBatcher(store: store)
    }

    deinit {
        heartbeat.withLock { $0?.cancel() }
    }

    /// This host's current instance id (a new one after its registration expired).
    public var instance: String { host.withLock { $0.instance } }

    /// Names this host (`VIGOR_HOST_ID`) before its first registration: each run still
    /// registers an instance of its own (`<hostID>/<uuid>`), and
    /// ``recoverAbandonedReservations()`` (at start) first retires the registrations of the
    /// same host's previous runs, so a crashed host restarted under its name gets its
    /// reservations and leases back at once instead of after ``hostTTL``.
    ///
    /// Every live host needs a name of its own: a second host started under a live host's
    /// name ends that host's registration (its reservations in flight are released).
    ///
    /// Throws ``ConfigurationError`` for a name that is empty, longer than 64 characters or
    /// not made of letters, digits, `.`, `_` and `-`.
    public func identify(as hostID: String) throws {
        guard Self.isValidHostID(hostID) else {
            throw ConfigurationError(
                "VIGOR_HOST_ID must be 1 to 64 letters, digits, '.', '_' or '-' (one name per host), not '\(hostID.prefix(80))'")
        }
        host.withLock { state in
            state.hostID = hostID
            if state.registration == nil { state.instance = Self.instanceID(for: hostID) }
        }
    }

    static func isValidHostID(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x2E || byte == 0x5F
            }
    }

    /// A new instance id: `<hostID>/<uuid>`, or a bare UUID for an unnamed host.
    static func instanceID(for hostID: String?) -> String {
        hostID.map { "\($0)/\(UUID().uuidString)" } ?? UUID().uuidString
    }

    // MARK: - Reserve

    /// Reserves one attempt against every limit that applies, in one transaction; throws
    /// ``QuotaRefusal`` naming the limit that refused (and writes nothing then). The
    /// reservation counts as in flight until ``settle(_:_:)`` returns (``shutdown(settleWait:)``
    /// waits for those).
    public func reserve(_ charge: AttemptCharge) async throws -> Reservation {
        let reservation = try await take(charge)
        inFlight.add(1, ordering: .relaxed)
        return reservation
    }

    private func take(_ charge: AttemptCharge) async throws -> Reservation {
        let now = clock()
        let keys = PeriodKeys(now)
        if leasing, let (reservation, topUp) = leases.take(charge, keys, now) {
            if topUp { startTopUp(charge, keys) }
            return reservation
        }
        var instance = try await registeredInstance()
        let row: PostgresRandomAccessRow?
        do {
            row = try await callReserve(charge, keys, now, instance)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == Self.hostExpiredState {
            // This host's registration expired (it could not renew in time): its
            // reservations may have been released. Register afresh and try once more.
            logger.warning("ledger host registration expired; registering a new instance", metadata: ["instance": "\(instance)"])
            expire(instance)
            instance = try await registeredInstance()
            row = try await callReserve(charge, keys, now, instance)
        }
        guard let row else { throw StoreError(.unavailable, "the ledger's reservation returned no row") }
        let reservation: Reservation
        do {
            reservation = try self.reservation(from: row, charge, keys, now)
        } catch let refusal as QuotaRefusal where refusal.scope == .user && leasing {
            // The database counts this host's own lease as granted: a grant that landed
            // while this call was on its way, or that is committed and still on its way to
            // memory, is this attempt's to use.
            guard let reservation = await takeFromLandingGrant(charge, keys, now) else { throw refusal }
            return reservation
        }
        if leasing, Self.mayBeGranted(reservation), leases.wantsLease(charge) { startTopUp(charge, keys) }
        return reservation
    }

    /// After the database refused the user: takes from the lease, waiting for a top-up that is
    /// on its way. Its grant counts in the database from its commit, and reaches memory one
    /// round trip later; a burst that ran the lease dry was refused in that gap, and the grant
    /// then sat unused in this host's lease (a limit of 40 served 39). Polls for at most about
    /// 250 ms of real time: the wait is the database round trip's.
    private func takeFromLandingGrant(_ charge: AttemptCharge, _ keys: PeriodKeys, _ now: Date) async -> Reservation? {
        var pauseMs: Int64 = 1
        var waitedMs: Int64 = 0
        while true {
            if let (reservation, _) = leases.take(charge, keys, now) { return reservation }
            guard leases.isToppingUp(charge.userID), waitedMs < 250 else { return nil }
            if waitedMs == 0, let refused = landing.withLock({ $0.refusedWhileLanding }) { refused() }
            try? await Task.sleep(for: .milliseconds(pauseMs))
            waitedMs += pauseMs
            pauseMs = min(pauseMs * 2, 16)
        }
    }

    /// `vigor_lease_grant` grants a quarter of what is left beyond the last 8 attempts, so
    /// with fewer than 12 requests left it grants nothing: asking would be a round trip (and
    /// a transaction) per request for every user near a limit, a free tier's whole day.
    static let fewestLeftForAGrant = 12

    /// Whether a grant could come of asking, by the limit the reservation just reported.
    static func mayBeGranted(_ reservation: Reservation) -> Bool {
        (reservation.rateLimit?.remaining ?? Int.max) >= fewestLeftForAGrant
    }

    /// SQLSTATE `vigor_ledger_reserve` raises when the instance has no live registration.
    static let hostExpiredState = "VL001"

    private func callReserve(_ charge: AttemptCharge, _ keys: PeriodKeys, _ now: Date, _ instance: String) async throws
        -> PostgresRandomAccessRow?
    {
        let query: PostgresQuery = """
            SELECT * FROM vigor_ledger_reserve(\(instance), \(charge.userID), \(charge.requestID.pgText), \(charge.kind.pgText),
                \(charge.provider.pgText), \(charge.model.pgText), \(keys.day), \(keys.week), \(keys.month), \(charge.reservedMicros),
                \(charge.countsRequest), \(now.epochMillis))
            """
        return try await store.withConnection { connection in try await connection.fetchOne(query) }
    }

    /// The reservation (or the refusal) a `vigor_ledger_reserve` row describes.
    private func reservation(from row: PostgresRandomAccessRow, _ charge: AttemptCharge, _ keys: PeriodKeys, _ now: Date) throws
        -> Reservation
    {
        let status = try row.get("o_status", as: String.self)
        let period = try row.get("o_period", as: String?.self) ?? "day"
        switch status {
        case "ok":
            let tier = try tier(row)
            var tightest: RateLimitStatus?
            for (name, column) in [("day", "o_day_used"), ("week", "o_week_used"), ("month", "o_month_used")] {
                let limit = tier.requestLimit(for: UsagePeriod(rawValue: name) ?? .day)
                let used = try row.get(column, as: Int64?.self) ?? 0
                let remaining = max(0, Int64(limit) - used)
                let status = RateLimitStatus(
                    name: "requests_per_\(name)", limit: limit, remaining: Int(remaining), resetSeconds: keys.secondsToEnd(name, from: now))
                if tightest.map({ status.remaining < $0.remaining }) ?? true { tightest = status }
            }
            var reservation = Reservation(charge: charge, periods: keys.all, reservedAtMs: now.epochMillis, rateLimit: tightest)
            reservation.pendingID = try row.get("o_pending_id", as: Int64?.self) ?? 0
            logAlerts(try row.get("o_alerts", as: String?.self))
            return reservation
        case "account":
            throw QuotaRefusal.noAccount
        case "user":
            let limits = QuotaLimits(tier: try tier(row), providerCaps: [:], globalBudgets: [:], alertPercent: 80, autoDisable: true)
            let used = try row.get("o_used", as: Int64?.self) ?? 0
            throw limits.userRefusal(period, used: Int(clamping: used), n: charge.countsRequest ? 1 : 0, keys, now)
        case "provider":
            let cap = try row.get("o_bound", as: Int64?.self) ?? 0
            throw QuotaRefusal.providerCap(charge.provider, period: period, cap: cap, keys, now)
        case "global":
            let budget = try row.get("o_bound", as: Int64?.self) ?? 0
            throw QuotaRefusal.globalBudget(period: period, budget: budget, keys, now)
        default:
            throw StoreError(.unavailable, "the ledger's reservation returned an unknown status \(status)")
        }
    }

    private func tier(_ row: PostgresRandomAccessRow) throws -> TierRecord {
        func limit(_ column: String) throws -> Int { Int(clamping: try row.get(column, as: Int64?.self) ?? 0) }
        return TierRecord(
            name: try row.get("o_tier", as: String?.self) ?? "", requestsPerDay: try limit("o_per_day"),
            requestsPerWeek: try limit("o_per_week"), requestsPerMonth: try limit("o_per_month"),
            monthlyBudgetMicros: try row.get("o_budget", as: Int64?.self) ?? 0, priceMicros: 0)
    }

    /// Logs the global budget alerts a reservation crossed (`period:spent:budget`, comma-separated).
    private func logAlerts(_ alerts: String?) {
        guard let alerts, !alerts.isEmpty else { return }
        for alert in alerts.split(separator: ",") {
            let parts = alert.split(separator: ":")
            guard parts.count == 3 else { continue }
            logger.warning(
                "global AI budget alert",
                metadata: ["period": "\(parts[0])", "spent_micros": "\(parts[1])", "budget_micros": "\(parts[2])"])
        }
    }

    // MARK: - Settle and refusals

    /// Reconciles the reservation to the outcome's cost (or releases it), drops its in-flight
    /// record and appends the usage-log entry, in one transaction committed before it returns
    /// (shared with the settles that arrive meanwhile).
    ///
    /// A reservation a sweep already released (this host was presumed dead) is charged in
    /// full: the attempt happened, and the counters must equal the log.
    public func settle(_ reservation: Reservation, _ outcome: AttemptOutcome) async throws {
        defer { inFlight.subtract(1, ordering: .relaxed) }
        let charge = reservation.charge
        let leased = reservation.pendingID == LeaseBook.leasedID && reservation.periods.count == 4
        let stored = Array(reservation.periods.prefix(3))
        let keys = PeriodKeys(stored: stored) ?? PeriodKeys(Date(epochMillis: reservation.reservedAtMs))
        let entry = SettleEntry(
            pendingID: leased ? 0 : reservation.pendingID, leasedBy: leased ? reservation.periods[3] : nil, charge: charge, keys: keys,
            chargedMicros: outcome.chargedMicros, countsAsRequest: outcome.countsAsRequest, promptTokens: outcome.usage.promptTokens,
            completionTokens: outcome.usage.completionTokens, latencyMs: outcome.latencyMs, outcome: outcome.outcome,
            createdAtMs: clock().epochMillis)
        do {
            try await batcher.submit(entry)
        } catch {
            if leased {
                leases.settled(
                    reservation, chargedMicros: outcome.chargedMicros, countsAsRequest: outcome.countsAsRequest, committed: false)
            }
            throw error
        }
        if leased {
            leases.settled(reservation, chargedMicros: outcome.chargedMicros, countsAsRequest: outcome.countsAsRequest, committed: true)
        }
    }

    /// Appends a `refused:<limit>` usage-log entry (group-committed with the settles); a
    /// failure to write it is logged, not thrown.
    public func recordRefusal(_ charge: AttemptCharge, _ refusal: QuotaRefusal) async {
        let now = clock()
        do {
            try await batcher.submit(
                SettleEntry(
                    pendingID: 0, leasedBy: nil, charge: charge, keys: PeriodKeys(now), chargedMicros: 0, countsAsRequest: false,
                    promptTokens: 0,
                    completionTokens: 0, latencyMs: 0, outcome: "refused:\(refusal.limit)", createdAtMs: now.epochMillis))
        } catch {
            logger.error("could not log a quota refusal", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Hosts: registration, renewal, sweeps

    /// Releases the reservations of every host whose registration has expired (by the
    /// database's clock), logging each as `abandoned`; a live host's reservations stay.
    /// Registers this host first, so its own reservations are never among them. Returns how many.
    @discardableResult
    public func recoverAbandonedReservations() async throws -> Int {
        var instance = try await registeredInstance()
        if try await !extend(instance) {
            // This instance itself expired (a host that stalled): it is dead; take a new one.
            expire(instance)
            instance = try await registeredInstance()
        }
        try await retirePreviousRuns(of: instance)
        return try await sweep()
    }

    /// Deletes the registrations of this named host's earlier runs (a crash leaves one live
    /// for up to ``hostTTL``); the sweep that follows releases their reservations and leases.
    private func retirePreviousRuns(of instance: String) async throws {
        guard let hostID = host.withLock({ $0.hostID }) else { return }
        let prefix = hostID + "/"
        let retired = try await store.withConnection { connection in
            try await connection.execute(
                """
                DELETE FROM ledger_hosts
                WHERE left(instance, length(\(prefix))) = \(prefix) AND instance <> \(instance) RETURNING instance
                """)
        }
        if retired > 0 {
            logger.notice(
                "retired this host's previous ledger registration: its reservations and leases return now",
                metadata: ["host_id": "\(hostID)", "registrations": "\(retired)"])
        }
    }

    /// Extends the live registration of `instance`; false if it had already expired (it is
    /// never revived then).
    private func extend(_ instance: String) async throws -> Bool {
        let ttl = hostTTL.timeInterval
        let started = ContinuousClock.now
        let extended =
            try await store.withConnection { connection in
                try await connection.execute(
                    """
                    UPDATE ledger_hosts SET expires_at = now() + make_interval(secs => \(ttl))
                    WHERE instance = \(instance) AND expires_at > now() RETURNING 1
                    """)
            } > 0
        if extended { leases.confirm(instance, started: started, ttl: hostTTL) }
        return extended
    }

    /// One sweep: deletes expired registrations and releases the reservations of every
    /// instance without a live one.
    func sweep() async throws -> Int {
        let now = clock().epochMillis
        let row = try await store.withConnection { connection in
            try await connection.fetchOne("SELECT vigor_ledger_sweep(\(now)) AS released")
        }
        let released = Int(try row?.get("released", as: Int32.self) ?? 0)
        if released > 0 {
            logger.notice("released the reservations of stopped hosts", metadata: ["reservations": "\(released)"])
        }
        return released
    }

    /// Reservations taken and not yet settled on this host.
    public var reservationsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Stops this host: waits up to `settleWait` (none by default) for the reservations in
    /// flight to be settled, then ends the renewal, deletes the registration and sweeps, which returns
    /// this host's leases (and releases any reservation still unsettled, as `abandoned`) to
    /// the pool at once, so the other hosts can use the whole allowance. Call after the HTTP
    /// server has drained and before the store closes (``HostAssembly`` does, on SIGTERM).
    public func shutdown(settleWait: Duration = .zero) async {
        let unsettled = await waitForSettles(upTo: settleWait)
        if unsettled > 0, settleWait > .zero {
            logger.warning("stopping with reservations still unsettled: released as abandoned", metadata: ["count": "\(unsettled)"])
        }
        leases.clear()
        let instance = host.withLock { state -> String in
            state.stopped = true
            state.registration?.cancel()
            state.registration = nil
            return state.instance
        }
        heartbeat.withLock { task in
            task?.cancel()
            task = nil
        }
        do {
            _ = try await store.withConnection { connection in
                try await connection.execute("DELETE FROM ledger_hosts WHERE instance = \(instance)")
            }
            _ = try await sweep()
        } catch {
            logger.warning("could not deregister the ledger host", metadata: ["error": "\(error)"])
        }
    }

    /// Waits until no reservation is in flight, or `bound` has passed; returns how many still are.
    /// Settles report no event to await (they may run in tasks nobody waits for, like a
    /// stream's after its client or the drain deadline ended it): this polls every 5 ms.
    func waitForSettles(upTo bound: Duration) async -> Int {
        let clock = ContinuousClock()
        let end = clock.now + bound
        while reservationsInFlight > 0, clock.now < end {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return reservationsInFlight
    }

    /// This host's instance id once the database has its registration (registering now if
    /// needed; concurrent callers share one registration).
    func registeredInstance() async throws -> String {
        let task = try host.withLock { state -> Task<String, any Error> in
            guard !state.stopped else { throw StoreError(.unavailable, "the quota ledger has been shut down") }
            if let registration = state.registration { return registration }
            let instance = state.instance
            let (store, ttl) = (self.store, hostTTL.timeInterval)
            let name = ProcessInfo.processInfo.hostName
            let (leases, lifetime) = (self.leases, hostTTL)
            let registration = Task {
                let started = ContinuousClock.now
                _ = try await store.withConnection { connection in
                    try await connection.execute(
                        """
                        INSERT INTO ledger_hosts (instance, host_name, expires_at)
                        VALUES (\(instance), \(name.pgText), now() + make_interval(secs => \(ttl)))
                        """)
                }
                leases.confirm(instance, started: started, ttl: lifetime)
                return instance
            }
            state.registration = registration
            return registration
        }
        do {
            let instance = try await task.value
            startHeartbeat()
            return instance
        } catch {
            // Let the next call try again (the database may be back by then).
            host.withLock { state in
                if state.registration == task { state.registration = nil }
            }
            throw error
        }
    }

    /// Forgets an expired registration: the next reservation registers a new instance id
    /// (the old one's reservations belong to a dead host now).
    func expire(_ instance: String) {
        let expired = host.withLock { state in
            guard state.instance == instance else { return false }
            state.instance = Self.instanceID(for: state.hostID)
            state.registration = nil
            return true
        }
        if expired { leases.clear() }
    }

    /// Renews the registration every ``renewInterval`` and sweeps, until the ledger is
    /// released or shut down.
    private func startHeartbeat() {
        heartbeat.withLock { task in
            guard task == nil else { return }
            let interval = renewInterval
            task = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard !Task.isCancelled, let ledger = self else { return }
                    await ledger.renew()
                }
            }
        }
    }

    /// One renewal and sweep. A renewal that finds the registration expired (by the
    /// database's clock) never revives it: the instance is dead, and the next reservation
    /// registers a new one.
    func renew() async {
        let (instance, registered) = host.withLock { ($0.instance, $0.registration != nil && !$0.stopped) }
        guard registered else { return }
        do {
            if try await !extend(instance) {
                logger.warning("ledger host registration expired before renewal", metadata: ["instance": "\(instance)"])
                expire(instance)
            }
            _ = try await sweep()
            await returnIdleLeases(olderThan: LeaseBook.idleTimeout)
        } catch {
            logger.warning("could not renew the ledger host registration", metadata: ["error": "\(error)"])
        }
    }
}

extension String {
    /// The string as PostgreSQL `TEXT` takes it: a NUL (which `TEXT` cannot hold) becomes
    /// U+FFFD, so a model name a client sent with one is logged instead of failing the write.
    var pgText: String {
        contains("\u{0}") ? replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : self
    }
}
