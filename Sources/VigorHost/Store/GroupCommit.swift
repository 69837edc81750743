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

    /// Runs groups on the writer connection until nothing is waiting.
    private func drain(_ db: Database) {
        while true {
            let group = state.withLock { s -> [Pending] in
                let group = Array(s.queue.prefix(Self.maxGroup))
                s.queue.removeFirst(group.count)
                if group.isEmpty { s.running = false }
                return group
            }
            guard !group.isEmpty else { return }
            var results: [Result<any Sendable, any Error>] = []
            results.reserveCapacity(group.count)
            do {
                try db.inTransaction(.immediate) {
                    for pending in group {
                        if group.count == 1 {
                            results.append(Result { try pending.body(db) })
                            if case .failure = results[0] { return .rollback }
                            continue
                        }
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
                // The commit itself failed: nothing in the group was written.
                results = group.map { _ in .failure(error) }
            }
            for (pending, result) in zip(group, results) { pending.finish(result) }
        }
    }
}
