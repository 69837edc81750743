import Foundation
import Synchronization

/// The leases this host holds, in memory: per user, the unspent part of the allowance the
/// database granted this host instance (``PostgresLedgerLeaseSchema``). A reservation taken
/// from a lease needs no round trip; the database already counts it as granted, so the sum
/// over all hosts never passes a limit.
///
/// The rule that keeps it exact: memory never holds more than the database has granted this
/// instance. Grants are added only after the database committed them; a settle gives back
/// only what the database confirmed unspent; a failure gives nothing back; and memory stops
/// serving from leases before the database can consider this host dead (``liveUntil``).
final class LeaseBook: Sendable {
    /// One user's lease (its three period rows move together).
    struct UserLease {
        /// The day, week and month keys of the lease rows.
        var keys: [String]
        /// Unspent requests and cost held in memory (cost may go negative after an attempt
        /// cost more than its estimate; it then blocks reservations until a grant).
        var requests: Int64 = 0
        var cost: Int64 = 0
        var inFlight = 0
        var tier: TierRecord
        /// Spent + reserved + granted by period when last granted (for rate-limit headers).
        var usedAtGrant: [Int64] = [0, 0, 0]
        var lastGrant: Int64 = 0
        var lastUsed: ContinuousClock.Instant
        /// Reservations since the last grant: the next grant's size.
        var demand: Int64 = 0
        /// The latest attempt's estimate (sizes the cost grant).
        var estimate: Int64 = 0
        var toppingUp = false
    }

    /// What a top-up asks the database for; `returning` is a lease of past periods to give back first.
    struct TopUp: Sendable {
        var instance: String
        var keys: PeriodKeys
        var requests: Int64
        /// The estimate of one attempt: the grant is whole attempts.
        var estimate: Int64
        var returning: Returned?
    }

    /// Unspent allowance to give back.
    struct Returned: Sendable {
        var instance: String
        var userID: Int64
        var keys: [String]
        var requests: Int64
        var cost: Int64
    }

    private struct State {
        var instance = ""
        /// Until when this instance's registration is certainly live (its last confirmed expiry, less a margin).
        var liveUntil: ContinuousClock.Instant?
        var users: [Int64: UserLease] = [:]
        /// `provider\u{0}model` → whether attempts on it may use leases (no cap, no global budget), and when learnt.
        var leasable: [String: (Bool, ContinuousClock.Instant)] = [:]
        /// Users with a reservation in the database lately: a second one within a minute asks for a lease.
        var recent: [Int64: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())
    private let clock = ContinuousClock()
    /// How long what the database said about caps and budgets is trusted.
    static let policyTTL: Duration = .seconds(1)
    /// A lease unused this long is returned.
    static let idleTimeout: Duration = .seconds(5)
    /// The largest grant a host asks for at once.
    static let maxGrant: Int64 = 256
    /// The registration's margin: memory stops serving this long before the database could expire it.
    static let liveMargin: Duration = .seconds(2)

    /// The database confirmed `instance` live until at least `started + ttl` (by its clock);
    /// memory may serve leases until `started + ttl - liveMargin`. A new instance starts with
    /// no leases.
    func confirm(_ instance: String, started: ContinuousClock.Instant, ttl: Duration) {
        state.withLock { state in
            if state.instance != instance {
                state.instance = instance
                state.users = [:]
            }
            state.liveUntil = started + ttl - Self.liveMargin
        }
    }

    /// Forgets every lease (the registration expired, or the host stops): nothing more is
    /// served from memory; the database returns what was granted when it sweeps the instance.
    func clear() {
        state.withLock { state in
            state.users = [:]
            state.liveUntil = nil
            state.instance = ""
        }
    }

    /// A reservation served from this user's lease, or nil (no lease, too little left, a
    /// policy not known to allow leases, a registration not certainly live). `topUp` asks
    /// the caller to refill the lease in the background.
    func take(_ charge: AttemptCharge, _ keys: PeriodKeys, _ now: Date) -> (reservation: Reservation, topUp: Bool)? {
        let instant = clock.now
        return state.withLock { state -> (Reservation, Bool)? in
            guard let live = state.liveUntil, instant < live,
                let (leasable, learnt) = state.leasable[Self.policyKey(charge)], leasable, instant - learnt < Self.policyTTL,
                var lease = state.users[charge.userID], lease.keys == keys.all
            else { return nil }
            let n: Int64 = charge.countsRequest ? 1 : 0
            let cost = charge.reservedMicros
            lease.demand += 1
            lease.estimate = cost
            guard lease.requests >= n, lease.cost >= cost else {
                state.users[charge.userID] = lease
                return nil
            }
            lease.requests -= n
            lease.cost -= cost
            lease.inFlight += 1
            lease.lastUsed = instant
            let low = lease.requests < max(2, lease.lastGrant / 2) || (cost > 0 && lease.cost < cost * 2)
            let topUp = low && !lease.toppingUp
            state.users[charge.userID] = lease
            var reservation = Reservation(
                charge: charge, periods: keys.all + [state.instance], reservedAtMs: now.epochMillis,
                rateLimit: Self.status(lease, keys, now))
            reservation.pendingID = LeaseBook.leasedID
            return (reservation, topUp)
        }
    }

    /// The `pendingID` of a reservation served from a lease.
    static let leasedID: Int64 = -1

    /// After a reservation made in the database: whether to ask for a lease for this user
    /// (the second reservation within a minute; not while the policy says no).
    func wantsLease(_ charge: AttemptCharge) -> Bool {
        let instant = clock.now
        return state.withLock { state in
            if let (leasable, learnt) = state.leasable[Self.policyKey(charge)], !leasable, instant - learnt < Self.policyTTL {
                return false
            }
            if state.users[charge.userID]?.toppingUp == true { return false }
            if state.users[charge.userID] != nil { return true }
            defer { state.recent[charge.userID] = instant }
            guard let last = state.recent[charge.userID] else { return false }
            return instant - last < .seconds(60)
        }
    }

    /// Starts a top-up for the charge's user (nil if one is running or this host is not
    /// registered): its size follows the demand since the last grant.
    func beginTopUp(_ charge: AttemptCharge, _ keys: PeriodKeys) -> TopUp? {
        let instant = clock.now
        return state.withLock { state -> TopUp? in
            guard !state.instance.isEmpty else { return nil }
            var returning: Returned?
            var lease =
                state.users[charge.userID]
                ?? UserLease(
                    keys: keys.all,
                    tier: TierRecord(
                        name: "", requestsPerDay: 0, requestsPerWeek: 0, requestsPerMonth: 0, monthlyBudgetMicros: 0, priceMicros: 0),
                    lastUsed: instant)
            guard !lease.toppingUp else { return nil }
            if lease.keys != keys.all {
                // A new day (week, month): give back what is left of the old periods' lease.
                returning = Returned(
                    instance: state.instance, userID: charge.userID, keys: lease.keys, requests: max(0, lease.requests),
                    cost: max(0, lease.cost))
                lease = UserLease(keys: keys.all, tier: lease.tier, lastUsed: instant)
            }
            lease.toppingUp = true
            lease.estimate = max(lease.estimate, charge.reservedMicros)
            let requests = min(max(lease.demand * 2, 4), Self.maxGrant)
            state.users[charge.userID] = lease
            return TopUp(
                instance: state.instance, keys: keys, requests: requests, estimate: lease.estimate, returning: returning)
        }
    }

    /// What `vigor_lease_grant` granted (committed) for a top-up begun with ``beginTopUp(_:_:)``.
    func granted(
        _ charge: AttemptCharge, _ topUp: TopUp, requests: Int64, cost: Int64, leasable: Bool, tier: TierRecord?, used: [Int64]
    ) {
        let instant = clock.now
        state.withLock { state in
            state.leasable[Self.policyKey(charge)] = (leasable, instant)
            guard state.instance == topUp.instance, var lease = state.users[charge.userID], lease.keys == topUp.keys.all else {
                // The instance expired meanwhile: the grant is the database's to sweep.
                return
            }
            lease.toppingUp = false
            lease.requests += requests
            lease.cost += cost
            lease.lastGrant = requests
            lease.demand = 0
            lease.lastUsed = instant
            if let tier { lease.tier = tier }
            if used.count == 3 { lease.usedAtGrant = used }
            state.users[charge.userID] = lease
        }
    }

    /// Whether a top-up for the user is on its way (begun, not yet granted or failed).
    func isToppingUp(_ userID: Int64) -> Bool {
        state.withLock { $0.users[userID]?.toppingUp == true }
    }

    /// A top-up that failed: the next reservation may try again.
    func topUpFailed(_ userID: Int64) {
        state.withLock { state in state.users[userID]?.toppingUp = false }
    }

    /// A lease-served reservation was settled. If the database committed it, what the
    /// attempt did not spend returns to the lease (an unused request, the estimate above the
    /// actual cost); if it did not, nothing returns (the commit may have happened all the
    /// same, and memory must never hold more than the database granted).
    func settled(_ reservation: Reservation, chargedMicros: Int64, countsAsRequest: Bool, committed: Bool) {
        let charge = reservation.charge
        let keys = Array(reservation.periods.prefix(3))
        let instance = reservation.periods.count == 4 ? reservation.periods[3] : ""
        state.withLock { state in
            guard state.instance == instance, var lease = state.users[charge.userID], lease.keys == keys else { return }
            lease.inFlight = max(0, lease.inFlight - 1)
            if committed {
                let n: Int64 = charge.countsRequest ? 1 : 0
                let spent: Int64 = countsAsRequest ? n : 0
                lease.requests += n - spent
                lease.cost += charge.reservedMicros - min(chargedMicros, charge.reservedMicros)
            }
            state.users[charge.userID] = lease
        }
    }

    /// Takes out of memory the leases unused for `idle` (and forgets the users with nothing
    /// in flight): the caller gives them back to the database.
    func takeIdle(_ idle: Duration) -> [Returned] {
        let instant = clock.now
        return state.withLock { state in
            var returned: [Returned] = []
            for (userID, var lease) in state.users where instant - lease.lastUsed >= idle && !lease.toppingUp {
                if lease.requests > 0 || lease.cost > 0 {
                    returned.append(
                        Returned(
                            instance: state.instance, userID: userID, keys: lease.keys, requests: max(0, lease.requests),
                            cost: max(0, lease.cost)))
                }
                lease.requests = min(lease.requests, 0)
                lease.cost = min(lease.cost, 0)
                if lease.inFlight == 0 {
                    state.users[userID] = nil
                } else {
                    state.users[userID] = lease
                }
            }
            state.recent = state.recent.filter { instant - $0.value < .seconds(60) }
            return returned
        }
    }

    /// The unspent allowance held for `userID` (tests).
    func held(_ userID: Int64) -> (requests: Int64, cost: Int64)? {
        state.withLock { state in state.users[userID].map { ($0.requests, $0.cost) } }
    }

    private static func policyKey(_ charge: AttemptCharge) -> String { charge.provider + "\u{0}" + charge.model }

    /// The tightest request limit as this host sees it: the limit, less what all hosts had
    /// used or held at the last grant, plus what this host still holds.
    private static func status(_ lease: UserLease, _ keys: PeriodKeys, _ now: Date) -> RateLimitStatus? {
        var tightest: RateLimitStatus?
        for (index, period) in UsagePeriod.allCases.enumerated() {
            let limit = lease.tier.requestLimit(for: period)
            let remaining = Money.adding(Money.subtracting(Int64(limit), lease.usedAtGrant[index]), lease.requests)
            let status = RateLimitStatus(
                name: "requests_per_\(period.rawValue)", limit: limit, remaining: Int(clamping: max(0, remaining)),
                resetSeconds: keys.secondsToEnd(period.rawValue, from: now))
            if tightest.map({ status.remaining < $0.remaining }) ?? true { tightest = status }
        }
        return tightest
    }
}
