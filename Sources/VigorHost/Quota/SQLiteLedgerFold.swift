import Foundation
import GRDB
import Logging
import Synchronization

/// The SQLite ledger's counter tables, folded from the usage log in batches.
///
/// A settle writes only its usage-log entry, which says what it counts: `counted_requests`
/// (0 or 1) and `cost_micros`, charged to the day, week and month of `counted_day` (NULL for
/// an entry that counts nothing: refusals, `abandoned`, entries written before this fold).
/// Every ``foldEvery`` entries, or once ``foldInterval`` has passed, a settle's transaction
/// also folds: the entries past the watermark (`ledger_fold.through_id`) are added to the
/// user, provider and global counters, one upsert per row touched, and the watermark moves to
/// the last entry, in the same transaction. So at every commit
///
///     usage = counter rows + the entries past the watermark (the tail)
///
/// and every reader of the counters reads both in one transaction (``tail(_:)``): the
/// ledger's loads into memory, the store's usage and spend reads. While folds succeed the tail
/// is at most about ``foldEvery`` entries. A killed host leaves a tail; it is still counted by
/// every read, and the next start folds it. No statement deletes from the usage log, so ids
/// only grow.
///
/// Per settle this replaces three upserts (nine counter rows, and their pages in each commit)
/// by a share of one fold.
enum SQLiteLedgerFold {
    /// Entries between folds (at most; a fold also runs when ``foldInterval`` has passed).
    static let foldEvery = 128
    /// The longest a settled entry waits for a fold while settles keep coming.
    static let foldInterval: TimeInterval = 1

    /// Usage-log entries past the watermark, as the counters count them: one run of
    /// consecutive entries of the same user, provider and day, their requests and costs summed
    /// (saturating). A busy host's tail is a few runs, however many entries.
    struct Entry: Sendable {
        /// nil once the account is deleted (its counters went with it).
        var userID: Int64?
        var provider: String
        var day: String
        var requests: Int64
        var cost: Int64
        var keys: PeriodKeys
    }

    /// When the settles fold (per store). A guide only: what is folded is decided by the
    /// watermark in the transaction, so a fold rolled back or skipped loses nothing.
    final class Schedule: Sendable {
        private let state = Mutex<(unfolded: Int, last: Date?)>((0, nil))

        /// Counts `entries` more and says whether this transaction should fold.
        func due(adding entries: Int, at now: Date) -> Bool {
            state.withLock { s in
                s.unfolded += entries
                let last = s.last ?? now
                if s.last == nil { s.last = now }
                let elapsed = now.timeIntervalSince(last)
                guard s.unfolded >= SQLiteLedgerFold.foldEvery || elapsed >= SQLiteLedgerFold.foldInterval || elapsed < 0 else {
                    return false
                }
                s.unfolded = 0
                s.last = now
                return true
            }
        }
    }

    /// The entries past the watermark that count something, in id order, as runs. A row is
    /// compared with the run before it in place; only a new run makes strings.
    static func tail(_ db: Database) throws -> [Entry] {
        var entries: [Entry] = []
        var keysByDay: [String: PeriodKeys] = [:]
        try LedgerStatement(
            db,
            """
            SELECT user_id, provider, counted_requests, cost_micros, counted_day FROM ai_usage_logs
            WHERE id > COALESCE((SELECT through_id FROM ledger_fold WHERE id = 1), (SELECT MAX(id) FROM ai_usage_logs))
                AND counted_day IS NOT NULL ORDER BY id
            """
        ).run([]) { row in
            let userID = row.optionalInt(0)
            let requests = row.int(2)
            let cost = row.int(3)
            if let last = entries.indices.last, entries[last].userID == userID, row.text(1, equals: entries[last].provider),
                row.text(4, equals: entries[last].day)
            {
                entries[last].requests = Money.adding(entries[last].requests, requests)
                entries[last].cost = Money.adding(entries[last].cost, cost)
                return
            }
            let day = row.text(4)
            let keys: PeriodKeys
            if let known = keysByDay[day] {
                keys = known
            } else {
                guard let date = UsagePeriod.parseDay(day) else { return }  // not written by a settle: counts nothing
                keys = PeriodKeys(date)
                keysByDay[day] = keys
            }
            entries.append(Entry(userID: userID, provider: row.text(1), day: day, requests: requests, cost: cost, keys: keys))
        }
        return entries
    }

    /// Adds the tail to the counters and moves the watermark past it. Returns the entries folded.
    @discardableResult
    static func run(_ db: Database) throws -> Int {
        // The watermark's row, should someone have deleted it: put back at the log's end, so
        // counting goes on (what was unfolded then is lost to the counters, never counted twice).
        try LedgerStatement(
            db, "INSERT OR IGNORE INTO ledger_fold (id, through_id) SELECT 1, COALESCE(MAX(id), 0) FROM ai_usage_logs"
        ).run([])
        let entries = try tail(db)
        try add(entries, db)
        try LedgerStatement(
            db, "UPDATE ledger_fold SET through_id = MAX(through_id, COALESCE((SELECT MAX(id) FROM ai_usage_logs), 0)) WHERE id = 1"
        ).run([])
        try SQLiteUsageTimeMarks.advance(db)
        return entries.count
    }

    /// Adds the entries' requests and costs to the counters: each row once, sums saturating.
    /// (A day names its week and month, so the day keys each group of three rows.)
    static func add(_ entries: [Entry], _ db: Database) throws {
        // Keys and sums of named types, sized up front: a dictionary of a function's local
        // types or of labelled tuples had its storage's metadata looked up by mangled name at
        // every growth, about 2 K instructions each.
        var users = [FoldRow: FoldSum](minimumCapacity: entries.count)
        var providers = [FoldRow: FoldSum](minimumCapacity: entries.count)
        var global = [String: FoldSum](minimumCapacity: 2)
        for entry in entries {
            if let userID = entry.userID {
                users[FoldRow(user: userID, provider: "", day: entry.day), default: FoldSum(entry.keys)].add(entry)
            }
            providers[FoldRow(user: 0, provider: entry.provider, day: entry.day), default: FoldSum(entry.keys)].add(entry)
            global[entry.day, default: FoldSum(entry.keys)].add(entry)
        }
        for (row, sum) in users { try SQLiteQuotaLedger.addUser(db, row.user, sum.keys, requests: sum.requests, cost: sum.cost) }
        for (row, sum) in providers { try SQLiteQuotaLedger.addProvider(db, row.provider, sum.keys, cost: sum.cost) }
        for (_, sum) in global { try SQLiteQuotaLedger.addGlobal(db, sum.keys, cost: sum.cost) }
    }

    /// A counter row a fold adds to: a user's (`provider` empty) or a provider's (`user` 0) on a day.
    private struct FoldRow: Hashable {
        var user: Int64
        var provider: String
        var day: String
    }

    /// What a fold adds to one counter row, saturating.
    private struct FoldSum {
        var keys: PeriodKeys
        var requests: Int64 = 0
        var cost: Int64 = 0

        init(_ keys: PeriodKeys) { self.keys = keys }

        mutating func add(_ entry: Entry) {
            requests = Money.adding(requests, entry.requests)
            cost = Money.adding(cost, entry.cost)
        }
    }

    /// Folds inside the caller's transaction, in a savepoint of its own: a fold that fails is
    /// undone and logged, and the caller's writes stand (the tail is folded next time).
    static func runGuarded(_ db: Database, logger: Logger) {
        do {
            try db.cachedStatement(sql: "SAVEPOINT vigor_fold").execute()
        } catch {
            logger.error("could not fold the usage log into the quota counters", metadata: ["error": "\(error)"])
            return
        }
        do {
            try run(db)
            try db.cachedStatement(sql: "RELEASE SAVEPOINT vigor_fold").execute()
        } catch {
            logger.error("could not fold the usage log into the quota counters", metadata: ["error": "\(error)"])
            try? db.cachedStatement(sql: "ROLLBACK TRANSACTION TO SAVEPOINT vigor_fold").execute()
            try? db.cachedStatement(sql: "RELEASE SAVEPOINT vigor_fold").execute()
        }
    }
}

extension [SQLiteLedgerFold.Entry] {
    /// What these entries add to one user's counters for `period` (0 day, 1 week, 2 month) of `start`.
    func user(_ userID: Int64, period: Int, start: String) -> (requests: Int64, cost: Int64) {
        var sum: (requests: Int64, cost: Int64) = (0, 0)
        for entry in self where entry.userID == userID && entry.keys.key(period) == start {
            sum = (Money.adding(sum.requests, entry.requests), Money.adding(sum.cost, entry.cost))
        }
        return sum
    }

    /// What these entries add to one provider's cost for `period` of `start`.
    func provider(_ provider: String, period: Int, start: String) -> Int64 {
        var cost: Int64 = 0
        for entry in self where entry.provider == provider && entry.keys.key(period) == start { cost = Money.adding(cost, entry.cost) }
        return cost
    }

    /// What these entries add to every provider's cost for `period` of `start`.
    func providers(period: Int, start: String) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for entry in self where entry.keys.key(period) == start { out[entry.provider] = Money.adding(out[entry.provider] ?? 0, entry.cost) }
        return out
    }

    /// What these entries add to the global cost for `period` of `start`.
    func global(period: Int, start: String) -> Int64 {
        var cost: Int64 = 0
        for entry in self where entry.keys.key(period) == start { cost = Money.adding(cost, entry.cost) }
        return cost
    }
}

extension PeriodKeys {
    /// The key of a period by index (0 day, 1 week, 2 month).
    func key(_ period: Int) -> String {
        switch period {
        case 0: day
        case 1: week
        default: month
        }
    }
}

extension SQLiteStore {
    /// Folds the usage log's unfolded entries into the counters now (a group-committed write).
    func foldLedger() async throws {
        _ = try await groupWrite { db in try SQLiteLedgerFold.run(db) }
    }
}
