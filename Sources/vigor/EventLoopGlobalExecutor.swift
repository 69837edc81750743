import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Swift concurrency's global executor on NIO's event loops, with jobs run as the *generic*
/// executor.
///
/// `NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor` puts
/// global jobs on the loops too, but runs each one as if isolated to its loop (the loop's own
/// serial executor). The runtime then sees every entry into a nonisolated async function, and
/// every call into an idle actor, as a switch to another executor: it parks the task and queues
/// it on the loop again. Callgrind counted 191 such round trips through the loop's queue per
/// request (`swift_task_switch` → `flagAsAndEnqueueOnExecutor`), about 2 000 instructions each.
/// A job run as the generic executor, as the runtime's own global executor runs them, continues
/// in place through those calls; only real suspensions (I/O, a busy actor, a sleep) queue a job.
/// I/O still runs on the same loops, so nothing hops between two sets of threads either.
enum EventLoopGlobalExecutor {
    /// The hook's type in the runtime (`swift_task_enqueueGlobal_hook`): the job and the
    /// runtime's own enqueue, which is not used.
    private typealias EnqueueHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// The runtime's generic executor: a null identity and implementation
    /// (`SerialExecutorRef::generic()`). There is no public spelling of it; its layout is two
    /// words, checked before use.
    private static let generic: UnownedSerialExecutor = unsafeBitCast((UInt(0), UInt(0)), to: UnownedSerialExecutor.self)

    /// Installs the hook; false (and nothing changed) when the runtime has no hook to take, its
    /// layout is not the one this code knows, or another hook is already installed. Call once,
    /// before any task starts.
    static func install() -> Bool {
        #if canImport(Glibc) && compiler(<6.6)
            guard MemoryLayout<UnownedSerialExecutor>.size == 2 * MemoryLayout<UInt>.size,
                let symbol = dlsym(dlopen(nil, RTLD_NOW), "swift_task_enqueueGlobal_hook")
            else { return false }
            let slot = symbol.assumingMemoryBound(to: UnsafeRawPointer?.self)
            guard slot.pointee == nil else { return false }
            let hook: EnqueueHook = { job, _ in
                // Sticky: a job queued from a loop's thread stays on that loop.
                MultiThreadedEventLoopGroup.singleton.any().execute {
                    job.runSynchronously(on: EventLoopGlobalExecutor.generic)
                }
            }
            withUnsafeBytes(of: hook) { bytes in
                slot.pointee = bytes.load(as: UnsafeRawPointer.self)
            }
            return true
        #else
            return false
        #endif
    }
}
