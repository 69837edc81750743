import Foundation
import Synchronization
import VigorPluginAPI
import VigorPluginSDK

/// Bridges between blocking plugin calls and the host's async code.
///
/// Plugin operations that may block (generators calling back into `vigor.llm/1`) run on
/// a dedicated thread, never on the Swift concurrency pool; host services answer such a
/// thread by running async work in a task and waiting for it, bounded by the deadline.
public enum BlockingBridge {
    /// Runs `body` in a task and blocks the current thread for its result.
    ///
    /// The task runs on ``serviceExecutor``, never where the caller is: a provider may call a
    /// service from inside an operation the host runs inline on one of its executor threads
    /// (the ABI allows it on any thread), and a task queued behind that blocked thread would
    /// wait for it forever.
    ///
    /// `deadlineMs` is read on `clock` (the loader's, the one the call's deadline was set on).
    public static func run(
        deadlineMs: Int64?, clock: VigorClock, _ body: @escaping @Sendable () async throws -> [UInt8]
    ) -> Result<[UInt8], PluginError> {
        let race = FirstAnswer<Result<[UInt8], PluginError>>()
        let task = Task(executorPreference: serviceExecutor) {
            do {
                race.offer(.success(try await body()))
            } catch let error as PluginError {
                race.offer(.failure(error))
            } catch {
                race.offer(.failure(.unavailable("\(error)")))
            }
        }
        let watchdog = deadlineMs.map { deadlineMs in
            Task(executorPreference: serviceExecutor) {
                guard (try? await clock.sleep(untilMs: deadlineMs)) != nil else { return }
                race.offer(.failure(.deadline()), byDeadline: true)
            }
        }
        race.wait()
        watchdog?.cancel()
        let (result, byDeadline) = race.outcome
        if byDeadline { task.cancel() }
        return result ?? .failure(.internalError("no result"))
    }

    /// Runs blocking `work` on a fresh thread and awaits it; the caller stops waiting at the
    /// deadline (the host enforces deadlines whatever the plugin does) and sets `cancelled`.
    /// `deadlineMs` is read on `clock`.
    public static func offload<T: Sendable>(
        deadlineMs: Int64?, clock: VigorClock, cancelled: CancelFlag, _ work: @escaping @Sendable () -> T
    ) async -> T? {
        let race = FirstAnswer<T?>()
        let thread = Thread {
            race.offer(work())
        }
        thread.stackSize = 4 << 20
        thread.start()
        if let deadlineMs {
            let timer = Task(executorPreference: serviceExecutor) {
                guard (try? await clock.sleep(untilMs: deadlineMs)) != nil else { return }
                cancelled.cancel()
                race.offer(nil, byDeadline: true)
            }
            let value = await race.value()
            timer.cancel()
            return value ?? nil
        }
        return await race.value() ?? nil
    }
}

/// The answer of a call that its deadline may beat: the first offer wins; the caller waits
/// for it blocking (``wait()``) or suspended (``value()``).
final class FirstAnswer<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var byDeadline = false
        var waiter: CheckedContinuation<Value?, Never>?
    }

    private let state = Mutex(State())
    private let done = DispatchSemaphore(value: 0)

    /// Offers an answer; ignored when one was already given.
    func offer(_ value: Value, byDeadline: Bool = false) {
        let (won, waiter) = state.withLock { s -> (Bool, CheckedContinuation<Value?, Never>?) in
            guard s.value == nil, !s.byDeadline else { return (false, nil) }
            s.value = value
            s.byDeadline = byDeadline
            defer { s.waiter = nil }
            return (true, s.waiter)
        }
        guard won else { return }
        done.signal()
        waiter?.resume(returning: value)
    }

    /// Blocks the calling thread until an answer is offered.
    func wait() { done.wait() }

    /// The answer, and whether the deadline gave it.
    var outcome: (Value?, Bool) { state.withLock { ($0.value, $0.byDeadline) } }

    /// Suspends until an answer is offered.
    func value() async -> Value? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s -> Bool in
                if s.value != nil || s.byDeadline { return true }
                s.waiter = continuation
                return false
            }
            if ready { continuation.resume(returning: outcome.0) }
        }
    }
}

/// Where host services run for a blocked plugin thread: Dispatch's pool, which is separate
/// from the threads the host's own tasks and sockets run on.
public final class ServiceExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "vigor.host-services", attributes: .concurrent)

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

extension BlockingBridge {
    /// The one executor of ``run(deadlineMs:_:)``.
    public static let serviceExecutor = ServiceExecutor()
}

/// The cancellation flag a `vigor_call` points at: heap memory that outlives the call
/// (a plugin thread past its deadline may still read it). The ABI declares it
/// `const volatile int32_t *`: one aligned 32-bit word, written once from 0 to 1 by the
/// host and only read by the plugin, so a plain store is race-free in effect; this small
/// type is the one place that relies on it, hence `@unchecked Sendable`.
public final class CancelFlag: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>

    public init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: 0)
    }

    deinit { pointer.deallocate() }

    public func cancel() { pointer.pointee = 1 }

    public var isCancelled: Bool { pointer.pointee != 0 }
}
