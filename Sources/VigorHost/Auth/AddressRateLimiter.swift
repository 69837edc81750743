import Foundation
import Synchronization

/// A sliding-window count of requests per client address, in memory (one host's view):
/// ``admit(_:now:)`` counts and decides in one step under a lock, so concurrent requests
/// cannot overtake it. Used for registration, which costs a bcrypt hash each time.
final class AddressRateLimiter: Sendable {
    /// Requests allowed per address in `window`.
    let limit: Int
    /// The window, in seconds.
    let window: TimeInterval
    private let state = Mutex(State())

    private struct State {
        /// The admitted times of each address, oldest first (never more than `limit`).
        var times: [String: [Date]] = [:]
        var admittedSincePrune = 0
    }

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = min(max(window, 1), LoginThrottle.longestWindow)
    }

    /// `nil` when admitted (and counted); otherwise the seconds until the address may try again.
    func admit(_ address: String, now: Date) -> Int? {
        let cutoff = now.addingTimeInterval(-window)
        return state.withLock { state -> Int? in
            var times = state.times[address, default: []]
            times.removeAll { $0 <= cutoff }
            if times.count >= limit, let oldest = times.first {
                state.times[address] = times
                return Int(min(max(oldest.addingTimeInterval(window).timeIntervalSince(now), 1), window).rounded(.up))
            }
            times.append(now)
            state.times[address] = times
            // Forget idle addresses now and then, so the table stays the size of the window's traffic.
            state.admittedSincePrune += 1
            if state.admittedSincePrune >= 1024 {
                state.admittedSincePrune = 0
                state.times = state.times.filter { $0.value.last.map { $0 > cutoff } ?? false }
            }
            return nil
        }
    }
}
