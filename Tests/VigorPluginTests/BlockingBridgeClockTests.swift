import Foundation
import Synchronization
import Testing
import VigorPluginLoader
import VigorPluginSDK

/// The blocking bridge reads deadlines on the clock it is given, so tests advance time
/// instead of waiting for it.
@Suite("BlockingBridge on an injected clock", .timeLimit(.minutes(1)))
struct BlockingBridgeClockTests {
    /// Runs `BlockingBridge.run` on a thread of its own (it blocks its caller).
    static func runOffPool(
        deadlineMs: Int64, clock: VigorClock, _ body: @escaping @Sendable () async throws -> [UInt8]
    ) async -> Result<[UInt8], PluginError> {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: BlockingBridge.run(deadlineMs: deadlineMs, clock: clock, body)) }.start()
        }
    }

    @Test("a service that answers before the deadline on the clock is served, however late the wall clock is")
    func answersBeforeTheDeadline() async throws {
        let manual = ManualClock()
        let clock = VigorClock.manual(manual)
        let call = Task {
            await Self.runOffPool(deadlineMs: manual.nowMs + 10_000, clock: clock) {
                try await clock.sleep(for: .seconds(5))
                return [1, 2, 3]
            }
        }
        await manual.waitForSleepers(2)  // the body and the deadline
        manual.advance(by: .seconds(5))
        #expect(try await call.value.get() == [1, 2, 3])
        #expect(manual.sleeperCount == 0, "the deadline's timer is cancelled")
    }

    @Test("at the deadline on the clock the caller is answered with a deadline error and the service is cancelled")
    func deadlineCancelsTheService() async throws {
        let manual = ManualClock()
        let clock = VigorClock.manual(manual)
        let cancelled = Atomic<Bool>(false)
        let call = Task {
            await Self.runOffPool(deadlineMs: manual.nowMs + 1_000, clock: clock) {
                do {
                    try await clock.sleep(for: .seconds(60))
                } catch {
                    cancelled.store(true, ordering: .sequentiallyConsistent)
                    throw error
                }
                return [1]
            }
        }
        await manual.waitForSleepers(2)
        manual.advance(by: .seconds(1))
        let result = await call.value
        guard case .failure(let error) = result else {
            Issue.record("served past its deadline: \(result)")
            return
        }
        #expect(error.status == PluginCallError.Kind.deadline.status)
        await manual.waitForSleepers(0)
        while !cancelled.load(ordering: .sequentiallyConsistent) { await Task.yield() }
        #expect(manual.sleeperCount == 0)
    }

    @Test("offload stops waiting at the deadline on the clock and raises the cancel flag")
    func offloadDeadline() async throws {
        let manual = ManualClock()
        let flag = CancelFlag()
        let gate = DispatchSemaphore(value: 0)
        defer { gate.signal() }  // frees the blocked work thread
        let call = Task {
            await BlockingBridge.offload(deadlineMs: manual.nowMs + 1_000, clock: .manual(manual), cancelled: flag) { () -> Int in
                gate.wait()
                return 1
            }
        }
        await manual.waitForSleepers(1)
        #expect(!flag.isCancelled)
        manual.advance(by: .seconds(1))
        #expect(await call.value == nil)
        #expect(flag.isCancelled)
    }
}
