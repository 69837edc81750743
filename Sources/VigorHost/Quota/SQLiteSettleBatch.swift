import Foundation
import GRDB
import Synchronization

/// The SQLite ledger's settles, committed together: while one batch is being written, the
/// settles that arrive wait, and the next batch takes them all — ONE write transaction (one
/// ``SQLiteStore/groupWrite(_:)``) that appends every usage-log entry and adds the batch's
/// requests and costs to each counter row once (a batch of fifty requests of one user on one
/// provider is fifty inserts and three upserts, not fifty times four statements). No caller
/// returns before the commit that holds its entry.
///
/// No thread of its own: the first settle to find no batch running leads — it writes the
/// waiting settles with its own, answers them, and hands the lead to the next waiter, if any.
///
/// After the commit the batch moves each reservation from in flight to settled in memory
/// (``SQLiteLedgerBook``); an entry that could not be written (its savepoint rolled back) or
/// a failed commit releases the reservation and throws to its caller.
final class SQLiteSettleBatch: Sendable {
    /// One settle.
    struct Item: Sendable {
        var id: Int64
        var charge: AttemptCharge
        var keys: PeriodKeys
        var requests: Int64
        var cost: Int64
        var outcome: AttemptOutcome
        var now: Date
    }

    private enum Signal: Sendable {
        case done(Result<Void, any Error>)
        case lead
    }

    private struct Waiter: Sendable {
        var item: Item
        var continuation: CheckedContinuation<Signal, Never>
    }

    /// The largest batch (bounds the time one transaction holds the write lock).
    static let maxBatch = 512

    private let store: SQLiteStore
    private let state = Mutex<(queue: [Waiter], leading: Bool)>(([], false))

    init(store: SQLiteStore) { self.store = store }

    /// Settles waiting for the batch being written to end, and whether one is being written.
    var waiting: (count: Int, leading: Bool) { state.withLock { ($0.queue.count, $0.leading) } }

    /// Commits `item` (in a batch with others) and updates memory; throws if it was not committed.
    func submit(_ item: Item) async throws {
        let lead = state.withLock { s -> Bool in
            guard !s.leading else { return false }
            s.leading = true
            return true
        }
        if lead { return try await runBatch(own: item) }
        let signal = await withCheckedContinuation { (continuation: CheckedContinuation<Signal, Never>) in
            let leadNow = state.withLock { s -> Bool in
                guard s.leading else {
                    s.leading = true
                    return true
                }
                s.queue.append(Waiter(item: item, continuation: continuation))
                return false
            }
            if leadNow { continuation.resume(returning: .lead) }
        }
        switch signal {
        case .done(let result): try result.get()
        case .lead: try await runBatch(own: item)
        }
    }

    /// Writes `own` and the settles waiting, answers the waiters, then passes the lead on.
    private func runBatch(own: Item) async throws {
        let waiters = state.withLock { s -> [Waiter] in
            let taken = Array(s.queue.prefix(Self.maxBatch - 1))
            s.queue.removeFirst(taken.count)
            return taken
        }
        let results = await write([own] + waiters.map(\.item))
        for (waiter, result) in zip(waiters, results.dropFirst()) { waiter.continuation.resume(returning: .done(result)) }
        let next = state.withLock { s -> Waiter? in
            guard !s.queue.isEmpty else {
                s.leading = false
                return nil
            }
            return s.queue.removeFirst()
        }
        next?.continuation.resume(returning: .lead)
        try results[0].get()
    }

    /// One transaction for `items`; then memory. Returns each item's result.
    private func write(_ items: [Item]) async -> [Result<Void, any Error>] {
        let book = store.ledgerBook
        let results: [Result<Void, any Error>]
        do {
            let failures = try await store.groupWrite { db in try Self.write(items, db) }
            results = failures.map { $0.map { .failure($0) } ?? .success(()) }
        } catch {
            results = items.map { _ in .failure(error) }
        }
        book.finished(items, results)
        return results
    }

    /// The batch's statements: every usage-log entry, then one upsert per counter row touched.
    /// An entry that fails (a constraint) is retried alone in a savepoint and left out; the
    /// others are written. Returns each item's failure, nil when written.
    static func write(_ items: [Item], _ db: Database) throws -> [(any Error)?] {
        guard items.count > 1 else {
            try SQLiteQuotaLedger.insertLog(db, items[0])
            try addCounters(items, db)
            return [nil]
        }
        try db.cachedStatement(sql: "SAVEPOINT vigor_settle").execute()
        do {
            for item in items { try SQLiteQuotaLedger.insertLog(db, item) }
            try addCounters(items, db)
            try db.cachedStatement(sql: "RELEASE SAVEPOINT vigor_settle").execute()
            return items.map { _ in nil }
        } catch {
            try db.cachedStatement(sql: "ROLLBACK TRANSACTION TO SAVEPOINT vigor_settle").execute()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT vigor_settle").execute()
        }
        // One by one: find the entries that cannot be written.
        var failures: [(any Error)?] = []
        for item in items {
            try db.cachedStatement(sql: "SAVEPOINT vigor_settle").execute()
            do {
                try SQLiteQuotaLedger.insertLog(db, item)
                try db.cachedStatement(sql: "RELEASE SAVEPOINT vigor_settle").execute()
                failures.append(nil)
            } catch {
                try db.cachedStatement(sql: "ROLLBACK TRANSACTION TO SAVEPOINT vigor_settle").execute()
                try db.cachedStatement(sql: "RELEASE SAVEPOINT vigor_settle").execute()
                failures.append(error)
            }
        }
        try addCounters(zip(items, failures).filter { $0.1 == nil }.map(\.0), db)
        return failures
    }

    /// The period keys of a counter row group.
    private struct Periods: Hashable {
        var day: String
        var week: String
        var month: String
        init(_ keys: PeriodKeys) {
            day = keys.day
            week = keys.week
            month = keys.month
        }
    }

    /// Adds the items' requests and costs to the counters: each row once.
    static func addCounters(_ items: [Item], _ db: Database) throws {
        if items.count == 1, let item = items.first {
            try SQLiteQuotaLedger.addUser(db, item.charge.userID, item.keys, requests: item.requests, cost: item.cost)
            try SQLiteQuotaLedger.addProvider(db, item.charge.provider, item.keys, cost: item.cost)
            try SQLiteQuotaLedger.addGlobal(db, item.keys, cost: item.cost)
            return
        }
        struct UserRow: Hashable {
            var user: Int64
            var periods: Periods
        }
        struct ProviderRow: Hashable {
            var provider: String
            var periods: Periods
        }
        var users: [UserRow: (keys: PeriodKeys, requests: Int64, cost: Int64)] = [:]
        var providers: [ProviderRow: (keys: PeriodKeys, cost: Int64)] = [:]
        var global: [Periods: (keys: PeriodKeys, cost: Int64)] = [:]
        for item in items {
            let periods = Periods(item.keys)
            let user = users[UserRow(user: item.charge.userID, periods: periods)] ?? (item.keys, 0, 0)
            users[UserRow(user: item.charge.userID, periods: periods)] = (
                item.keys, Money.adding(user.requests, item.requests), Money.adding(user.cost, item.cost)
            )
            let provider = providers[ProviderRow(provider: item.charge.provider, periods: periods)] ?? (item.keys, 0)
            providers[ProviderRow(provider: item.charge.provider, periods: periods)] = (item.keys, Money.adding(provider.cost, item.cost))
            let all = global[periods] ?? (item.keys, 0)
            global[periods] = (item.keys, Money.adding(all.cost, item.cost))
        }
        for (row, sum) in users { try SQLiteQuotaLedger.addUser(db, row.user, sum.keys, requests: sum.requests, cost: sum.cost) }
        for (row, sum) in providers { try SQLiteQuotaLedger.addProvider(db, row.provider, sum.keys, cost: sum.cost) }
        for (_, sum) in global { try SQLiteQuotaLedger.addGlobal(db, sum.keys, cost: sum.cost) }
    }
}

extension SQLiteLedgerBook {
    /// A batch of settles ended: each written one moves from in flight to settled, each
    /// failed one is released.
    func finished(_ items: [SQLiteSettleBatch.Item], _ results: [Result<Void, any Error>]) {
        state.withLock { s in
            for (item, result) in zip(items, results) {
                guard case .success = result else {
                    if let flight = s.flights.removeValue(forKey: item.id) { s.finish(flight) }
                    continue
                }
                s.settle(item.id, { SQLiteQuotaLedger.counterKeys(item.charge, item.keys) }, requests: item.requests, cost: item.cost)
            }
        }
    }
}
