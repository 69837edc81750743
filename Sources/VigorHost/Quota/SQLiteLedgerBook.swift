import Foundation
import Synchronization

/// The SQLite ledger's allowance, held in memory: the whole remainder of every limit is one
/// lease, because a SQLite host is alone on its file (``SingleHostLock``).
///
/// Per limit counter (a user's, a provider's or the global one, for one period) memory holds
/// what is *settled* — loaded from the database once, then kept in step because this process
/// is the only writer of the counter tables — and what is *in flight* (reserved, not yet
/// settled). A reservation is decided here, under one lock, against settled + in flight, with
/// no database access while its counters and limits are cached; the database's counters hold
/// settled usage only, moved there by the settle's group commit together with the usage-log
/// entry. A killed process loses only its in-flight reservations, which were never written.
///
/// The limits (a user's tier, a provider's caps, the global budget) are cached for at most
/// ``limitsTTL`` (by the ledger's clock) and dropped at once when this process changes them
/// through ``SQLiteStore`` (``limitsChanged()``); a change made by another process (an
/// operator's `sqlite3`, the `vigor` CLI) is therefore seen within one second. A counter with
/// nothing in flight that has not been used for ``idleTTL`` is read again from the database
/// (and dropped from memory by the periodic sweep), so memory stays bounded by the active users.
///
/// One book per ``SQLiteStore``: every ledger made over the store shares it.
final class SQLiteLedgerBook: Sendable {
    /// How long cached limits are trusted (seconds of the ledger's clock).
    static let limitsTTL: TimeInterval = 1
    /// How long an idle counter (nothing in flight) is trusted before it is read again.
    static let idleTTL: TimeInterval = 60
    /// Reservations between two sweeps of idle entries.
    static let sweepEvery = 4096

    /// Whose counter.
    enum Scope: Hashable, Sendable {
        case user(Int64)
        case provider(String)
        case global
    }

    /// One counter row: scope, period (0 day, 1 week, 2 month) and the period's key.
    struct CounterKey: Hashable, Sendable {
        var scope: Scope
        var period: Int
        var start: String

        /// Scope and period only: the entries of one scope and period differ by `start` only
        /// across a period's end (the sweep drops past ones), and equality still compares it.
        /// A reservation hashes nine keys twice; the period strings were half of that.
        func hash(into hasher: inout Hasher) {
            hasher.combine(scope)
            hasher.combine(period)
        }
    }

    /// A counter in memory.
    struct Counter: Sendable {
        var settledRequests: Int64
        var settledCost: Int64
        var flightRequests: Int64 = 0
        var flightCost: Int64 = 0
        /// Reservations in flight on this counter, including one whose settle is committing:
        /// while any, the entry is never reloaded or dropped.
        var holds = 0
        var touched: Date

        var requests: Int64 { Money.adding(settledRequests, flightRequests) }
        var cost: Int64 { Money.adding(settledCost, flightCost) }

        /// A reservation's amounts leave flight (settled or released).
        mutating func release(_ flight: InFlight, user: Bool) {
            flightRequests = Money.subtracting(flightRequests, user ? flight.requests : 0)
            flightCost = Money.subtracting(flightCost, flight.cost)
            holds -= 1
        }
    }

    /// A reservation in flight.
    struct InFlight: Sendable {
        var ledger: Int
        var keys: [CounterKey]
        var requests: Int64
        var cost: Int64
    }

    /// A cached limit.
    struct Cached<Value: Sendable>: Sendable {
        var value: Value
        var loadedAt: Date
        var generation: UInt64
    }

    /// The global budgets (`budget_settings`).
    struct Budget: Sendable {
        var budgets: [String: Int64]
        var alertPercent: Int
        var autoDisable: Bool
    }

    struct State: Sendable {
        var counters: [CounterKey: Counter] = [:]
        var flights: [Int64: InFlight] = [:]
        var nextID: Int64 = 1
        var tiers: [Int64: Cached<TierRecord?>] = [:]
        var caps: [String: Cached<[String: Int64]>] = [:]
        var budget: Cached<Budget>?
        /// Bumped by ``limitsChanged()``: every cached limit is stale.
        var generation: UInt64 = 0
        /// Bumped whenever an entry is dropped for the database to be read again: a load
        /// begun before is not installed (it may predate a commit).
        var epoch: UInt64 = 0
        var sinceSweep = 0
    }

    let state = Mutex(State())

    /// Every cached limit is stale: called after this process changed a tier, a user's tier,
    /// a provider's caps or the global budget.
    func limitsChanged() {
        state.withLock { $0.generation &+= 1 }
    }

    /// Reservations in flight, of every ledger over this store.
    var inFlightCount: Int { state.withLock { $0.flights.count } }

    /// A user's in-flight requests and cost per period key, for the store's counter reads.
    func inFlight(user: Int64, period: Int, start: String) -> (requests: Int64, cost: Int64) {
        state.withLock { s in
            guard let c = s.counters[CounterKey(scope: .user(user), period: period, start: start)] else { return (0, 0) }
            return (c.flightRequests, c.flightCost)
        }
    }

    /// In-flight cost of every provider with some, for one period key.
    func inFlightProviders(period: Int, start: String) -> [String: Int64] {
        state.withLock { s in
            var out: [String: Int64] = [:]
            for (key, c) in s.counters where key.period == period && key.start == start && c.flightCost != 0 {
                if case .provider(let name) = key.scope { out[name] = c.flightCost }
            }
            return out
        }
    }

    /// In-flight cost of the global counter for one period key.
    func inFlightGlobal(period: Int, start: String) -> Int64 {
        state.withLock { s in s.counters[CounterKey(scope: .global, period: period, start: start)]?.flightCost ?? 0 }
    }
}

extension SQLiteLedgerBook.State {
    /// Whether a cached limit may still be used at `now`.
    func fresh<V>(_ cached: SQLiteLedgerBook.Cached<V>?, _ now: Date) -> Bool {
        guard let cached, cached.generation == generation else { return false }
        let age = now.timeIntervalSince(cached.loadedAt)
        return age >= 0 && age < SQLiteLedgerBook.limitsTTL
    }

    /// Whether a counter must be read from the database before it is used at `now`.
    func needsLoad(_ key: SQLiteLedgerBook.CounterKey, _ now: Date) -> Bool {
        guard let c = counters[key] else { return true }
        return Self.stale(c, now)
    }

    /// Whether a counter in memory must be read again before it is used at `now`: never while
    /// a reservation holds it, else once it has been idle for ``SQLiteLedgerBook/idleTTL``.
    static func stale(_ c: SQLiteLedgerBook.Counter, _ now: Date) -> Bool {
        guard c.holds == 0 else { return false }
        let idle = now.timeIntervalSince(c.touched)
        return idle < 0 || idle >= SQLiteLedgerBook.idleTTL
    }

    /// Takes a reservation's amounts off its counters (released). One hash lookup per counter:
    /// the entry is changed in place through its index.
    mutating func finish(_ flight: SQLiteLedgerBook.InFlight) {
        for key in flight.keys {
            guard let slot = counters.index(forKey: key) else { continue }
            counters.values[slot].release(flight, user: key.isUser)
        }
    }

    /// A settle committed: the reservation leaves flight and its actual request and cost join
    /// the settled counters, in one pass over its counters. A reservation this book does not
    /// know (settled twice, or made over another store) still had its usage committed:
    /// counters held by other reservations get it too, idle ones are dropped to be read again.
    mutating func settle(_ id: Int64, _ keys: () -> [SQLiteLedgerBook.CounterKey], requests: Int64, cost: Int64) {
        let flight = flights.removeValue(forKey: id)
        for key in flight?.keys ?? keys() {
            guard let slot = counters.index(forKey: key) else { continue }
            guard flight != nil || counters.values[slot].holds > 0 else {
                counters.remove(at: slot)
                epoch &+= 1
                continue
            }
            let user = key.isUser
            if user { counters.values[slot].settledRequests = Money.adding(counters.values[slot].settledRequests, requests) }
            counters.values[slot].settledCost = Money.adding(counters.values[slot].settledCost, cost)
            if let flight { counters.values[slot].release(flight, user: user) }
        }
    }

    /// Drops the entries nothing holds that are idle or of a past period.
    mutating func sweep(_ now: Date, current: Set<String>) {
        sinceSweep = 0
        let before = counters.count
        counters = counters.filter { key, c in
            guard c.holds == 0 else { return true }
            let idle = now.timeIntervalSince(c.touched)
            return current.contains(key.start) && idle >= 0 && idle < SQLiteLedgerBook.idleTTL
        }
        if counters.count != before { epoch &+= 1 }
        tiers = tiers.filter { fresh($0.value, now) }
        caps = caps.filter { fresh($0.value, now) }
    }
}

extension SQLiteLedgerBook.CounterKey {
    var isUser: Bool {
        if case .user = scope { return true }
        return false
    }
}

extension SQLiteLedgerBook {
    /// A reservation's actual cost exceeds its estimate by `extra`: the excess is in flight
    /// until the settle's commit moves it to settled (or its failure releases it).
    func raise(_ id: Int64, by extra: Int64) {
        state.withLock { s in
            guard var flight = s.flights[id] else { return }
            flight.cost = Money.adding(flight.cost, extra)
            s.flights[id] = flight
            for key in flight.keys {
                guard let slot = s.counters.index(forKey: key) else { continue }
                s.counters.values[slot].flightCost = Money.adding(s.counters.values[slot].flightCost, extra)
            }
        }
    }

    /// Drops a ledger's reservations in flight (its process died).
    func forget(ledger: Int) {
        state.withLock { s in
            for (id, flight) in s.flights where flight.ledger == ledger {
                s.flights[id] = nil
                s.finish(flight)
            }
        }
    }

    /// Drops every counter nothing holds, to be read again from the database (after a
    /// change to the counter tables made outside the settle path).
    func dropIdleCounters() {
        state.withLock { s in
            s.counters = s.counters.filter { $0.value.holds > 0 }
            s.epoch &+= 1
        }
    }
}
