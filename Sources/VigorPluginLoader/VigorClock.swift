import Foundation
import Synchronization

/// The one clock the host, the loader and the plugin runner read.
///
/// Production code never calls `Date()`, `ContinuousClock` or `Task.sleep` for time that
/// matters to behaviour (deadlines, breaker cool-downs, token lifetimes, throttle windows):
/// it asks the ``VigorClock`` it was given. Tests give a ``ManualClock`` and advance it,
/// so nothing in the suite waits for real time to pass.
public struct VigorClock: Sendable {
    /// The current instant.
    public var now: @Sendable () -> Date
    private let sleeper: @Sendable (Duration) async throws -> Void
    /// Waits until an instant, when the clock can do so exactly (a ``ManualClock``).
    private let untilSleeper: (@Sendable (Date) async throws -> Void)?

    /// A clock reading `now` and waiting with `sleep`.
    public init(now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleeper = sleep
        self.untilSleeper = nil
    }

    private init(
        now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Duration) async throws -> Void,
        sleepUntil: @escaping @Sendable (Date) async throws -> Void
    ) {
        self.now = now
        self.sleeper = sleep
        self.untilSleeper = sleepUntil
    }

    /// A clock reading `now` that waits in real time (for a fixed or hand-set wall clock).
    public init(now: @escaping @Sendable () -> Date) {
        self.init(now: now, sleep: { try await Task.sleep(for: $0) })
    }

    /// The current instant in Unix epoch milliseconds.
    public var nowMs: Int64 {
        let ms = (now().timeIntervalSince1970 * 1000).rounded(.down)
        guard ms.isFinite else { return 0 }
        return Int64(exactly: ms) ?? (ms < 0 ? .min : .max)
    }

    /// `deadlineMs` on this clock as the same distance from now on the real wall clock: what a
    /// plugin is given as `vigor_call.deadline_ms`, which the ABI defines as real wall-clock time
    /// (a plugin reads it against its own clock). Identity for the system clock; saturating;
    /// always positive (0 is the ABI's "no deadline", and a plugin may read any value below 1
    /// as none): a deadline long past is 1, the first millisecond of 1970.
    public func wallDeadline(_ deadlineMs: Int64) -> Int64 {
        let (remaining, over) = deadlineMs.subtractingReportingOverflow(nowMs)
        if over { return deadlineMs < 0 ? 1 : .max }
        let (wall, overWall) = VigorClock.system.nowMs.addingReportingOverflow(remaining)
        if overWall { return remaining < 0 ? 1 : .max }
        return max(1, wall)
    }

    /// Waits until `duration` has passed on this clock; throws `CancellationError` when cancelled.
    public func sleep(for duration: Duration) async throws {
        try await sleeper(duration)
    }

    /// Waits until this clock reads `deadlineMs` (Unix epoch milliseconds); returns at once when
    /// it already does. Throws `CancellationError` when cancelled, also when the time has come.
    ///
    /// A watchdog armed for a deadline sleeps until it, not for the time that was left when the
    /// deadline was set: the task that sleeps may start late (under load, after the clock has
    /// moved), and a relative sleep would then end late by as much.
    public func sleep(untilMs deadlineMs: Int64) async throws {
        try Task.checkCancellation()
        if let untilSleeper {
            try await untilSleeper(Date(timeIntervalSince1970: Double(deadlineMs) / 1000))
            return
        }
        let (remaining, overflow) = deadlineMs.subtractingReportingOverflow(nowMs)
        guard overflow ? deadlineMs > 0 : remaining > 0 else { return }
        try await sleeper(.milliseconds(overflow ? .max : remaining))
    }

    /// Blocks the calling thread until `duration` has passed on this clock. For dedicated
    /// threads that wait (a runner's supervisor), never for the concurrency pool's threads.
    /// The end is read now, before the sleeping task starts (see ``sleep(untilMs:)``).
    public func sleepBlocking(for duration: Duration) {
        let done = DispatchSemaphore(value: 0)
        let ms = (duration.timeInterval * 1_000).rounded(.up)
        let (sum, overflow) = nowMs.addingReportingOverflow(Int64(exactly: ms) ?? (ms < 0 ? .min : .max))
        let end = overflow ? (ms < 0 ? Int64.min : .max) : sum
        Task(executorPreference: BlockingBridge.serviceExecutor) {
            try? await sleep(untilMs: end)
            done.signal()
        }
        done.wait()
    }

    /// The system clock.
    public static let system = VigorClock(now: { Date() }, sleep: { try await Task.sleep(for: $0) })

    /// A clock driven by `manual`: time moves only when the test calls ``ManualClock/advance(by:)``.
    public static func manual(_ manual: ManualClock) -> VigorClock {
        VigorClock(now: { manual.now }, sleep: { try await manual.sleep(for: $0) }, sleepUntil: { try await manual.sleep(until: $0) })
    }
}

extension Duration {
    /// This duration in seconds, for `Date` arithmetic.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// A clock that moves only when told to: `sleep(for:)` returns when ``advance(by:)`` has moved
/// the clock past the sleeper's deadline (or at once for a non-positive duration).
public final class ManualClock: Sendable {
    private struct Sleeper {
        let id: UInt64
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// What a test waits for before it advances the clock.
    private enum Condition {
        /// At least this many sleepers.
        case count(Int)
        /// A sleeper due within this many seconds from now.
        case dueWithin(TimeInterval)
    }

    private struct Waiter {
        let condition: Condition
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Date
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var cancelled: Set<UInt64> = []
        var waiters: [Waiter] = []

        func holds(_ condition: Condition) -> Bool {
            switch condition {
            case .count(let count): sleepers.count >= count
            case .dueWithin(let interval): sleepers.contains { $0.deadline <= now + interval }
            }
        }

        /// Removes and returns the waiters whose condition now holds.
        mutating func readyWaiters() -> [CheckedContinuation<Void, Never>] {
            guard !waiters.isEmpty else { return [] }
            var ready: [CheckedContinuation<Void, Never>] = []
            var waiting: [Waiter] = []
            for waiter in waiters {
                if holds(waiter.condition) { ready.append(waiter.continuation) } else { waiting.append(waiter) }
            }
            waiters = waiting
            return ready
        }
    }

    private let state: Mutex<State>

    /// A clock starting at `start` (default: 2026-01-01T00:00:00Z).
    public init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        state = Mutex(State(now: start))
    }

    /// The current time on this clock.
    public var now: Date { state.withLock { $0.now } }

    /// The current time on this clock in Unix epoch milliseconds.
    public var nowMs: Int64 { VigorClock.manual(self).nowMs }

    /// How many sleepers are waiting; tests await a count before advancing past them.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Moves the clock forward and wakes every sleeper whose deadline has passed.
    public func advance(by duration: Duration) {
        let interval = duration.timeInterval
        let (due, ready) = state.withLock { state -> ([Sleeper], [CheckedContinuation<Void, Never>]) in
            state.now += max(0, interval)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return (due, state.readyWaiters())
        }
        for sleeper in due { sleeper.continuation.resume() }
        for waiter in ready { waiter.resume() }
    }

    /// Sets the wall time (forwards or back) without waking anyone.
    public func set(_ date: Date) {
        let ready = state.withLock { state in
            state.now = date
            return state.readyWaiters()
        }
        for waiter in ready { waiter.resume() }
    }

    /// Waits until at least `count` sleepers are registered (a test's way to know that the code
    /// under test has reached its wait before the test advances the clock). Suspends without
    /// spinning: the sleeper that makes the count resumes it.
    public func waitForSleepers(_ count: Int = 1) async {
        await wait(for: .count(count))
    }

    /// Waits until a sleeper is registered that is due within `duration` from now (a test's
    /// way to wait for one short wait, such as a retry's backoff, among longer ones such as a
    /// request's deadline).
    public func waitForSleeper(dueWithin duration: Duration) async {
        await wait(for: .dueWithin(duration.timeInterval))
    }

    private func wait(for condition: Condition) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let holds = state.withLock { state -> Bool in
                guard !state.holds(condition) else { return true }
                state.waiters.append(Waiter(condition: condition, continuation: continuation))
                return false
            }
            if holds { continuation.resume() }
        }
    }

    /// Returns when the clock has moved `duration` past now.
    public func sleep(for duration: Duration) async throws {
        try await sleep(.after(duration.timeInterval))
    }

    /// Returns when the clock has reached `date` (at once if it has).
    public func sleep(until date: Date) async throws {
        try await sleep(.at(date))
    }

    private enum Wake {
        /// This many seconds after the clock's time when the sleep is registered.
        case after(TimeInterval)
        case at(Date)
    }

    private func sleep(_ wake: Wake) async throws {
        let id: UInt64 = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (immediate, ready) = state.withLock { state -> ((any Error)??, [CheckedContinuation<Void, Never>]) in
                    if state.cancelled.remove(id) != nil { return (.some(CancellationError()), []) }
                    let deadline: Date
                    switch wake {
                    case .after(let interval): deadline = state.now + interval
                    case .at(let date): deadline = date
                    }
                    if deadline <= state.now { return (.some(nil), []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (nil, state.readyWaiters())
                }
                for waiter in ready { waiter.resume() }
                switch immediate {
                case .some(.some(let error)): continuation.resume(throwing: error)
                case .some(.none): continuation.resume()
                case .none: break
                }
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLock { state in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
