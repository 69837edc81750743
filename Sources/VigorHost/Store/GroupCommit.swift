import Foundation
import GRDB
import Synchronization

/// Group commit for the hot write path (quota reserve and settle).
///
/// Writes that arrive while a commit is running wait and then go together: one SQLite
/// transaction runs each of them in its own savepoint, in arrival order, and commits once.
/// Each write still sees the effect of every write before it, so conditional updates stay
/// exact; one that throws (a quota refusal) rolls back only its savepoint. No caller is
/// answered before the commit that holds its write has finished, so "committed before the
/// response" holds as before. Under load this turns N commits (WAL page writes, lock
/// traffic, queue hops) into one.
final class GroupCommit: Sendable {
    private struct Pending: Sendable {
        let body: @Sendable (Database) throws -> any Sendable
        let finish: @Sendable (Result<any Sendable, any Error>) -> Void
    }

    private let pool: DatabasePool
    private let state = Mutex<(queue: [Pending], running: Bool)>(([], false))
    /// The largest group (bounds the time one transaction holds the write lock).
    static let maxGroup = 256

    init(pool: DatabasePool) { self.pool = pool }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = Pending(
                body: { try body($0) },
                finish: { result in
                    // The stored value is the T `body` returned.
                    continuation.resume(with: result.map { $0 as! T })  // swiftlint:disable:this force_cast
                })
            let start = state.withLock { s -> Bool in
                s.queue.append(pending)
                guard !s.running else { return false }
                s.running = true
                return true
            }
            if start { pool.asyncWriteWithoutTransaction { [self] db in drain(db) } }
        }
    }

    /// Runs one group on the writer connection, then yields the writer: if more writes are
    /// waiting, the next group is queued behind whatever other writes (accounts, plans) came
    /// in meanwhile, so a steady stream of AI requests cannot starve them.
    private func drain(_ db: Database) {
        let group = state.withLock { s -> [Pending] in
            let group = Array(s.queue.prefix(Self.maxGroup))
            s.queue.removeFirst(group.count)
            return group
        }
        let results = Self.run(group, db)
        for (pending, result) in zip(group, results) { pending.finish(result) }
        let more = state.withLock { s -> Bool in
            s.running = !s.queue.isEmpty
            return s.running
        }
        if more { pool.asyncWriteWithoutTransaction { [self] db in drain(db) } }
    }

    /// One transaction for the group: each write in its own savepoint (a lone write needs
    /// none), committed once. If the commit fails, every write in the group failed.
    ///
    /// The transaction statements are prepared once per connection (`cachedStatement`)
    /// instead of GRDB's `inTransaction`/`inSavepoint`, which compile `BEGIN`, `COMMIT`,
    /// `SAVEPOINT` and `RELEASE` afresh every time (about a tenth of a request's CPU).
    private static func run(_ group: [Pending], _ db: Database) -> [Result<any Sendable, any Error>] {
        func rollback() {
            if db.isInsideTransaction { try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute() }
        }
        func fail(_ error: any Error) -> [Result<any Sendable, any Error>] {
            rollback()
            return group.map { _ in .failure(error) }
        }
        do {
            try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        } catch {
            return fail(error)
        }
        var results: [Result<any Sendable, any Error>] = []
        results.reserveCapacity(group.count)
        if let only = group.first, group.count == 1 {
            let result = Result { try only.body(db) }
            guard case .success = result else {
                rollback()
                return [result]
            }
            results.append(result)
        } else {
            for pending in group {
                do {
                    try db.cachedStatement(sql: "SAVEPOINT vigor_group").execute()
                    do {
                        let value = try pending.body(db)
                        try db.cachedStatement(sql: "RELEASE SAVEPOINT vigor_group").execute()
                        results.append(.success(value))
                    } catch {
                        // Undo this write only; the ones before it stay in the transaction.
                        try db.cachedStatement(sql: "ROLLBACK TRANSACTION TO SAVEPOINT vigor_group").execute()
                        try db.cachedStatement(sql: "RELEASE SAVEPOINT vigor_group").execute()
                        results.append(.failure(error))
                    }
                } catch {
                    // The savepoint machinery itself failed (SQLite may have rolled the whole
                    // transaction back, e.g. on a full disk): nothing in the group holds.
                    return fail(error)
                }
            }
        }
        do {
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
        } catch {
            return fail(error)
        }
        return results
    }
}
