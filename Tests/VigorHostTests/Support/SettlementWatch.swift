import Synchronization
import VigorPluginSDK

@testable import VigorHost

/// An ``AIAccounting`` that hands every call to a real ledger and lets a test await the
/// router's settlements (an event) instead of sleeping until one has probably happened.
final class SettlementWatch: AIAccounting {
    private struct State {
        var settled: [(provider: String, outcome: String)] = []
        var waiters: [(provider: String, continuation: CheckedContinuation<String, Never>)] = []
    }

    let inner: any AIAccounting
    private let state = Mutex(State())

    init(_ inner: any AIAccounting) { self.inner = inner }

    func reserve(_ charge: AttemptCharge) async throws -> Reservation { try await inner.reserve(charge) }

    func settle(_ reservation: Reservation, _ outcome: AttemptOutcome) async throws {
        try await inner.settle(reservation, outcome)
        let provider = reservation.charge.provider
        let ready = state.withLock { state -> [CheckedContinuation<String, Never>] in
            state.settled.append((provider, outcome.outcome))
            let ready = state.waiters.filter { $0.provider == provider }.map(\.continuation)
            state.waiters.removeAll { $0.provider == provider }
            return ready
        }
        for continuation in ready { continuation.resume(returning: outcome.outcome) }
    }

    func recordRefusal(_ charge: AttemptCharge, _ refusal: QuotaRefusal) async { await inner.recordRefusal(charge, refusal) }

    /// The outcome of `provider`'s first settled attempt, once it is settled (and logged).
    func next(provider: String) async -> String {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> String? in
                if let found = state.settled.first(where: { $0.provider == provider }) { return found.outcome }
                state.waiters.append((provider, continuation))
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }
}
