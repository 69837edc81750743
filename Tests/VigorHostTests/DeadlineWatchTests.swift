import Foundation
import Synchronization
import Testing
import VigorPluginLoader

@testable import VigorHost

/// The router's one watcher for every attempt's deadline: each expires once, in deadline order,
/// only when the injected clock reaches it; a cancelled one never does; one sleeper serves them
/// all, outlives cancellations until its deadline, and none is left once that has passed.
@Suite(.timeLimit(.minutes(1)))
struct DeadlineWatchTests {
    /// The names of the deadlines that expired, in order; a test awaits a count (no spinning:
    /// a waiter is resumed by the expiry that reaches its count).
    final class Fired: Sendable {
        private struct State {
            var names: [String] = []
            var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        }
        private let state = Mutex(State())

        func add(_ name: String) {
            let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
                s.names.append(name)
                let ready = s.waiters.filter { $0.count <= s.names.count }.map(\.continuation)
                s.waiters.removeAll { $0.count <= s.names.count }
                return ready
            }
            for continuation in ready { continuation.resume() }
        }

        var all: [String] { state.withLock { $0.names } }

        func wait(count: Int) async {
            await withCheckedContinuation { continuation in
                let now = state.withLock { s -> Bool in
                    guard s.names.count < count else { return true }
                    s.waiters.append((count, continuation))
                    return false
                }
                if now { continuation.resume() }
            }
        }
    }

    @Test func deadlinesExpireInOrderOnlyWhenDue() async {
        let manual = ManualClock()
        let watch = DeadlineWatch(clock: .manual(manual))
        let fired = Fired()
        let start = manual.nowMs
        _ = watch.register(deadlineMs: start + 300) { fired.add("c") }
        _ = watch.register(deadlineMs: start + 100) { fired.add("a") }
        let b = watch.register(deadlineMs: start + 200) { fired.add("b") }
        // The earlier deadline replaced the first watcher: one sleeper, due at +100.
        await manual.waitForSleeper(dueWithin: .milliseconds(100))
        manual.advance(by: .milliseconds(99))
        await Task.yield()
        #expect(fired.all.isEmpty, "nothing expires before its deadline")
        manual.advance(by: .milliseconds(1))
        await fired.wait(count: 1)
        #expect(fired.all == ["a"])
        watch.cancel(b)
        await manual.waitForSleeper(dueWithin: .milliseconds(200))
        manual.advance(by: .milliseconds(250))
        await fired.wait(count: 2)
        #expect(fired.all == ["a", "c"], "a cancelled deadline never expires")
        #expect(watch.count == 0)
    }

    @Test func oneSleeperServesManyAndNoneIsLeftWhenIdle() async {
        let manual = ManualClock()
        let watch = DeadlineWatch(clock: .manual(manual))
        let fired = Fired()
        let start = manual.nowMs
        var ids: [UInt64] = []
        for i in 0..<50 { ids.append(watch.register(deadlineMs: start + 1_000 + Int64(i)) { fired.add("\(i)") }) }
        await manual.waitForSleepers(1)
        #expect(manual.sleeperCount == 1, "later deadlines share the watcher's one sleep")
        for id in ids { watch.cancel(id) }
        // The watcher sleeps on: a registration while it does (requests one at a time) starts
        // no task and no timer.
        _ = watch.cancel(watch.register(deadlineMs: start + 2_000) { fired.add("reused") })
        #expect(manual.sleeperCount == 1, "cancelled registrations leave the one sleeper")
        // Woken at its deadline with nothing left, it ends: no sleeper is left behind.
        manual.advance(by: .seconds(5))
        for _ in 0..<10_000 where watch.isWatching { await Task.yield() }
        #expect(!watch.isWatching && manual.sleeperCount == 0, "the watcher ended")
        #expect(fired.all.isEmpty)
        // A deadline registered after that starts a watcher again, and one already passed expires at once.
        _ = watch.register(deadlineMs: start) { fired.add("late") }
        await fired.wait(count: 1)
        #expect(fired.all == ["late"])
    }

    @Test func concurrentRegistrationsEachExpireExactlyOnce() async {
        let manual = ManualClock()
        let watch = DeadlineWatch(clock: .manual(manual))
        let fired = Fired()
        let start = manual.nowMs
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask {
                    let id = watch.register(deadlineMs: start + Int64(200 - i)) { fired.add("\(i)") }
                    if i.isMultiple(of: 2) { watch.cancel(id) }
                }
            }
        }
        await manual.waitForSleepers(1)
        manual.advance(by: .milliseconds(250))
        await fired.wait(count: 100)
        #expect(fired.all.count == 100)
        #expect(Set(fired.all) == Set((0..<200).filter { !$0.isMultiple(of: 2) }.map { "\($0)" }))
    }
}
