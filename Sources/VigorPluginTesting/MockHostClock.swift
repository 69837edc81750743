import Foundation
import Synchronization
import VigorPluginLoader

/// The `vigor.clock/1` a ``MockPluginHost`` offers: it only moves when the test moves it.
///
/// `now_ms` reads ``now``; `monotonic_ns` reads ``monotonicNanoseconds``, which advances with
/// ``advance(by:)-(TimeInterval)`` but never goes back when ``set(_:)`` moves the wall clock.
/// Call deadlines (`vigor_call.deadline_ms`) are real wall-clock times, not this clock.
public final class MockClock: Sendable {
    private let state: Mutex<(now: Date, monotonic: UInt64)>

    init(start: Date) {
        state = Mutex((start, 1_000_000_000))
    }

    /// The current mock wall-clock time.
    public var now: Date { state.withLock { $0.now } }

    /// The current mock time in Unix epoch milliseconds (what `now_ms` returns).
    public var nowMs: Int64 { Int64((now.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The current monotonic reading in nanoseconds (what `monotonic_ns` returns).
    public var monotonicNanoseconds: UInt64 { state.withLock { $0.monotonic } }

    /// Moves both clocks forward.
    public func advance(by seconds: TimeInterval) {
        precondition(seconds >= 0, "a clock only advances")
        state.withLock {
            $0.now += seconds
            $0.monotonic += UInt64(seconds * 1e9)
        }
    }

    /// Moves both clocks forward.
    public func advance(by duration: Duration) {
        advance(by: duration.timeInterval)
    }

    /// Sets the wall clock (forwards or back); the monotonic clock is unaffected.
    public func set(_ date: Date) { state.withLock { $0.now = date } }
}
