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
    public static func run(
        deadlineMs: Int64?, _ body: @escaping @Sendable () async throws -> [UInt8]
    ) -> Result<[UInt8], PluginError> {
        let box = Mutex<Result<[UInt8], PluginError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = Task(executorPreference: serviceExecutor) {
            let result: Result<[UInt8], PluginError>
            do {
                result = .success(try await body())
            } catch let error as PluginError {
                result = .failure(error)
            } catch {
                result = .failure(.unavailable("\(error)"))
            }
            box.withLock { $0 = result }
            done.signal()
        }
        if let deadlineMs {
            let remaining = max(0, deadlineMs - Int64(Date().timeIntervalSince1970 * 1000))
            if done.wait(timeout: .now() + .milliseconds(Int(remaining))) == .timedOut {
                task.cancel()
                return .failure(.deadline())
            }
        } else {
            done.wait()
        }
        return box.withLock { $0 } ?? .failure(.internalError("no result"))
    }

    /// Runs blocking `work` on a fresh thread and awaits it; the caller stops waiting at the
    /// deadline (the host enforces deadlines whatever the plugin does) and sets `cancelled`.
    public static func offload<T: Sendable>(
        deadlineMs: Int64?, cancelled: CancelFlag, _ work: @escaping @Sendable () -> T
    ) async -> T? {
        let state = Mutex<(result: T?, continuation: CheckedContinuation<T?, Never>?, finished: Bool)>((nil, nil, false))
        let thread = Thread {
            let value = work()
            let cont = state.withLock { s -> CheckedContinuation<T?, Never>? in
                guard !s.finished else { return nil }
                s.finished = true
                s.result = value
                let c = s.continuation
                s.continuation = nil
                return c
            }
            cont?.resume(returning: value)
        }
        thread.stackSize = 4 << 20
        return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let ready = state.withLock { s -> T?? in
                if s.finished { return .some(s.result) }
                s.continuation = continuation
                return nil
            }
            if let ready {
                continuation.resume(returning: ready)
                return
            }
            thread.start()
            if let deadlineMs {
                let remaining = max(0, deadlineMs - Int64(Date().timeIntervalSince1970 * 1000))
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(remaining))) {
                    cancelled.cancel()
                    let cont = state.withLock { s -> CheckedContinuation<T?, Never>? in
                        guard !s.finished else { return nil }
                        s.finished = true
                        let c = s.continuation
                        s.continuation = nil
                        return c
                    }
                    cont?.resume(returning: nil)
                }
            }
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
