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
    private static func run(_ group: [Pending], _ db: Database) -> [Result<any Sendable, any Error>] {
        var results: [Result<any Sendable, any Error>] = []
        do {
            try db.inTransaction(.immediate) {
                if let only = group.first, group.count == 1 {
                    results = [Result { try only.body(db) }]
                    if case .failure = results[0] { return .rollback }
                    return .commit
                }
                for pending in group {
                    var value: (any Sendable)?
                    do {
                        try db.inSavepoint {
                            value = try pending.body(db)
                            return .commit
                        }
                        results.append(.success(value!))
                    } catch {
                        results.append(.failure(error))
                    }
                }
                return .commit
            }
        } catch {
            return group.map { _ in .failure(error) }
        }
        return results
    }
}
