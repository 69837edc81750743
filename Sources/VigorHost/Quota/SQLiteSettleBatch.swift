import Foundation
import GRDB
import Logging
import Synchronization

/// The SQLite ledger's settles, committed together: while one batch is being written, the
/// settles that arrive wait, and the next batch takes them all — ONE write transaction (one
/// ``SQLiteStore/groupWrite(_:)``) that appends every usage-log entry; when a fold is due, the
/// same transaction also adds the log's unfolded entries to the counters, each counter row
/// once (``SQLiteLedgerFold``). No caller returns before the commit that holds its entry.
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
    private let logger: Logger
    private let state = Mutex<(queue: [Waiter], leading: Bool)>(([], false))

    init(store: SQLiteStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

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

    /// One transaction for `items` (folding the usage log into the counters when one is due);
    /// then memory. Returns each item's result.
    private func write(_ items: [Item]) async -> [Result<Void, any Error>] {
        let book = store.ledgerBook
        let schedule = store.ledgerFold
        let logger = logger
        let now = items.map(\.now).max() ?? Date()
        let results: [Result<Void, any Error>]
        do {
            let failures = try await store.groupWrite { db in
                let failures = try Self.write(items, db)
                if schedule.due(adding: items.count, at: now) { SQLiteLedgerFold.runGuarded(db, logger: logger) }
                return failures
            }
            results = failures.map { $0.map { .failure($0) } ?? .success(()) }
        } catch {
            results = items.map { _ in .failure(error) }
        }
        book.finished(items, results)
        return results
    }

    /// The batch's usage-log entries. An entry that fails (a constraint) is retried alone in
    /// a savepoint and left out; the others are written. Returns each item's failure, nil when
    /// written.
    static func write(_ items: [Item], _ db: Database) throws -> [(any Error)?] {
        guard items.count > 1 else {
            try SQLiteQuotaLedger.insertLog(db, items[0])
            return [nil]
        }
        try db.cachedStatement(sql: "SAVEPOINT vigor_settle").execute()
        do {
            for item in items { try SQLiteQuotaLedger.insertLog(db, item) }
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
        return failures
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
