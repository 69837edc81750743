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

    @Test func extremeReadingsDoNotTrap() {
        let far = VigorClock(now: { Date(timeIntervalSince1970: 1e300) })
        #expect(far.nowMs == .max)
        let before = VigorClock(now: { Date(timeIntervalSince1970: -1e300) })
        #expect(before.nowMs == .min)
    }
}
