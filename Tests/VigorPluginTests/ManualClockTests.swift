import Foundation
import Synchronization
import Testing
import VigorPluginLoader

/// The test clock every suite advances instead of sleeping: sleepers wake exactly when the clock
/// passes their deadline, never before, and cancellation wakes them with an error.
@Suite struct ManualClockTests {
    @Test func sleeperWakesOnlyWhenTheClockPassesItsDeadline() async throws {
        let manual = ManualClock()
        let clock = VigorClock.manual(manual)
        let start = clock.now()
        let woke = Mutex(false)
        let sleeper = Task {
            try await clock.sleep(for: .seconds(5))
            woke.withLock { $0 = true }
        }
        await manual.waitForSleepers(1)
        manual.advance(by: .seconds(4))
        await Task.yield()
        #expect(woke.withLock { $0 } == false)
        #expect(manual.sleeperCount == 1)
        manual.advance(by: .seconds(1))
        try await sleeper.value
        #expect(woke.withLock { $0 })
        #expect(clock.now().timeIntervalSince(start) == 5)
        #expect(clock.nowMs == Int64(start.timeIntervalSince1970 * 1000) + 5000)
    }

    @Test func nonPositiveDurationsReturnAtOnce() async throws {
        let manual = ManualClock()
        try await VigorClock.manual(manual).sleep(for: .zero)
        try await VigorClock.manual(manual).sleep(for: .seconds(-3))
        #expect(manual.sleeperCount == 0)
    }

    @Test func cancellingASleeperThrowsAndUnregistersIt() async throws {
        let manual = ManualClock()
        let sleeper = Task { try await manual.sleep(for: .seconds(60)) }
        await manual.waitForSleepers(1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(manual.sleeperCount == 0)
    }

    @Test func aSleeperCancelledBeforeItRegistersNeverWaits() async throws {
        let manual = ManualClock()
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await manual.sleep(for: .seconds(60))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(manual.sleeperCount == 0)
    }

    @Test func oneAdvanceWakesEveryDueSleeperAndLeavesTheRest() async throws {
        let manual = ManualClock()
        let early = Task { try await manual.sleep(for: .seconds(1)) }
        let middle = Task { try await manual.sleep(for: .seconds(2)) }
        let late = Task { try await manual.sleep(for: .seconds(10)) }
        await manual.waitForSleepers(3)
        manual.advance(by: .seconds(2))
        try await early.value
        try await middle.value
        #expect(manual.sleeperCount == 1)
        late.cancel()
        await #expect(throws: CancellationError.self) { try await late.value }
    }

    /// A watchdog task that starts after the clock has passed its deadline (a busy executor)
    /// fires at once; one that starts before sleeps until exactly the deadline, not for the
    /// time that was left when it was armed.
    @Test func sleepingUntilAnInstantIsNotDelayedByALateStart() async throws {
        let manual = ManualClock()
        let clock = VigorClock.manual(manual)
        let deadline = clock.nowMs + 1_000
        manual.advance(by: .milliseconds(1_500))
        try await clock.sleep(untilMs: deadline)
        #expect(manual.sleeperCount == 0)

        let next = clock.nowMs + 1_000
        let sleeper = Task { try await clock.sleep(untilMs: next) }
        await manual.waitForSleepers(1)
        manual.advance(by: .milliseconds(999))
        #expect(manual.sleeperCount == 1)
        manual.advance(by: .milliseconds(1))
        try await sleeper.value
        #expect(clock.nowMs == next)

        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(untilMs: .min)
        }
        await #expect(throws: CancellationError.self, "cancelled wins over a deadline already passed") { try await cancelled.value }
    }

    /// A clock that sleeps only for durations (any `VigorClock(now:sleep:)`) still sleeps until
    /// the instant: the time left is read when the sleep starts. Extreme deadlines do not trap.
    @Test func sleepingUntilAnInstantOnARelativeClock() async throws {
        let manual = ManualClock()
        let asked = Mutex<[Duration]>([])
        let clock = VigorClock(
            now: { manual.now },
            sleep: { duration in
                asked.withLock { $0.append(duration) }
                try await manual.sleep(for: duration)
            })
        let deadline = clock.nowMs + 1_000
        manual.advance(by: .milliseconds(400))
        let sleeper = Task { try await clock.sleep(untilMs: deadline) }
        await manual.waitForSleepers(1)
        manual.advance(by: .milliseconds(600))
        try await sleeper.value
        #expect(asked.withLock { $0 } == [.milliseconds(600)])
        try await clock.sleep(untilMs: .min)
        let forever = Task { try await clock.sleep(untilMs: .max) }
        await manual.waitForSleepers(1)
        forever.cancel()
        await #expect(throws: CancellationError.self) { try await forever.value }
        #expect(asked.withLock { $0.count } == 2)
    }

    /// A dedicated thread's blocking sleep ends when the clock reaches the end it read at the
    /// call; non-positive and extreme durations do not trap.
    @Test func blockingSleepOnAThread() async throws {
        let manual = ManualClock()
        let clock = VigorClock.manual(manual)
        let start = clock.nowMs
        let woke = Mutex<Int64?>(nil)
        let finished = AsyncStream<Void>.makeStream()
        Thread {
            clock.sleepBlocking(for: .milliseconds(2_500))
            woke.withLock { $0 = clock.nowMs }
            clock.sleepBlocking(for: .seconds(-5))
            clock.sleepBlocking(for: .seconds(Int64.min))
            finished.continuation.finish()
        }.start()
        await manual.waitForSleepers(1)
        manual.advance(by: .milliseconds(2_499))
        #expect(manual.sleeperCount == 1)
        manual.advance(by: .milliseconds(1))
        for await _ in finished.stream {}
        #expect(woke.withLock { $0 } == start + 2_500)
    }

    @Test func extremeReadingsDoNotTrap() {
        let far = VigorClock(now: { Date(timeIntervalSince1970: 1e300) })
        #expect(far.nowMs == .max)
        let before = VigorClock(now: { Date(timeIntervalSince1970: -1e300) })
        #expect(before.nowMs == .min)
    }
}
