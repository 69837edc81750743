import Foundation
import PostgresNIO
import Synchronization

/// One settle (or refusal entry) waiting for the group commit.
struct SettleEntry: Sendable {
    /// The reservation's in-flight record (0: none, e.g. a refusal or a lease).
    var pendingID: Int64
    /// The host instance whose lease served the attempt (nil: reserved in the database).
    var leasedBy: String?
    var charge: AttemptCharge
    var keys: PeriodKeys
    var chargedMicros: Int64
    var countsAsRequest: Bool
    var promptTokens: Int
    var completionTokens: Int
    var latencyMs: Int64
    var outcome: String
    var createdAtMs: Int64
}

/// Group commit of settles on PostgreSQL: settles that arrive while a commit is running
/// wait and then go together in one call of `vigor_ledger_settle2`, one transaction and one
/// round trip for all of them. No caller returns before the commit holding its entry has
/// finished, so "committed before the response" holds.
///
/// If a batch fails for a reason other than the database being unavailable (say, one
/// entry names a user deleted meanwhile), each entry is retried alone, so one bad entry
/// cannot fail the others.
final class SettleBatcher: Sendable {
    private struct Waiting: Sendable {
        let entry: SettleEntry
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let store: PostgresStore
    private let state = Mutex<(queue: [Waiting], running: Int)>(([], 0))
    /// The largest batch (bounds one transaction's locks and its statement's size).
    static let maxBatch = 256
    /// Batches committed at once: one forming while another commits hides the round trip.
    static let maxConcurrent = 2

    init(store: PostgresStore) { self.store = store }

    /// Commits `entry` with whatever else is waiting; returns once it is committed.
    func submit(_ entry: SettleEntry) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start = state.withLock { state -> Bool in
                state.queue.append(Waiting(entry: entry, continuation: continuation))
                guard state.running < Self.maxConcurrent else { return false }
                state.running += 1
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    /// Commits batches until the queue is empty.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = Array(state.queue.prefix(Self.maxBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.running -= 1 }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try await commit(batch.map(\.entry))
                for waiting in batch { waiting.continuation.resume() }
            } catch let error as StoreError where error.code == .unavailable {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            } catch {
                guard batch.count > 1 else {
                    batch[0].continuation.resume(throwing: error)
                    continue
                }
                for waiting in batch {
                    do {
                        try await commit([waiting.entry])
                        waiting.continuation.resume()
                    } catch {
                        waiting.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }

    /// One call of `vigor_ledger_settle2` for `entries`, in one transaction.
    private func commit(_ entries: [SettleEntry]) async throws {
        var binds = PostgresBindings(capacity: 21)
        binds.append(entries.map { $0.leasedBy ?? "" })
        binds.append(entries.map { $0.leasedBy != nil })
        binds.append(entries.map(\.pendingID))
        binds.append(entries.map(\.charge.userID))
        binds.append(entries.map(\.charge.requestID.pgText))
        binds.append(entries.map(\.charge.kind.pgText))
        binds.append(entries.map(\.charge.provider.pgText))
        binds.append(entries.map(\.charge.model.pgText))
        binds.append(entries.map(\.charge.requestedModel.pgText))
        binds.append(entries.map(\.keys.day))
        binds.append(entries.map(\.keys.week))
        binds.append(entries.map(\.keys.month))
        binds.append(entries.map(\.charge.countsRequest))
        binds.append(entries.map(\.charge.reservedMicros))
        binds.append(entries.map(\.chargedMicros))
        binds.append(entries.map(\.countsAsRequest))
        binds.append(entries.map { Int64(clamping: $0.promptTokens) })
        binds.append(entries.map { Int64(clamping: $0.completionTokens) })
        binds.append(entries.map(\.latencyMs))
        binds.append(entries.map(\.outcome.pgText))
        binds.append(entries.map(\.createdAtMs))
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT vigor_ledger_settle2($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                    $20, $21)
                """, binds: binds)
        _ = try await store.withConnection { connection in
            try await connection.execute(query)
        }
    }
}
