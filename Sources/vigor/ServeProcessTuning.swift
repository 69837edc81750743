import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Process-wide settings `vigor serve` applies before it starts any thread. Each one removes
/// a cost the request path paid on every request (see bench/RESULTS.md, "Process tuning").
enum ServeProcessTuning {
    /// Where Swift concurrency runs its global jobs, as `apply` left it (for the start-up log).
    enum Executor: String {
        /// On the NIO event loops, as the generic executor (``EventLoopGlobalExecutor``).
        case eventLoops = "event loops"
        /// On the NIO event loops, as each loop's own executor (NIO's installer).
        case eventLoopsNIO = "event loops (NIO's installer)"
        /// The runtime's own thread pool.
        case pool = "the runtime's pool"
    }

    @discardableResult
    static func apply(environment: [String: String]) -> Executor {
        var executor = Executor.pool
        #if canImport(Glibc)
            // glibc hands freed memory at the top of a thread's heap back to the kernel as soon
            // as 128 KiB are free (`madvise(MADV_DONTNEED)`), and the next request faults the same
            // pages in again, zero-filled: 6 madvise calls and ~13 % of the CPU per request at c=1.
            // Keeping up to 32 MiB per heap stops that churn. Setting it also freezes glibc's
            // sliding mmap threshold at 128 KiB, so it is set to 4 MiB explicitly: a large request
            // body is not mapped and unmapped on every request either. An operator's own
            // GLIBC_TUNABLES for malloc win.
            if !(environment["GLIBC_TUNABLES"] ?? "").contains("glibc.malloc."), let mallopt {
                _ = mallopt(trimThreshold, 32 << 20)
                _ = mallopt(mmapThreshold, 4 << 20)
            }
            // One event loop per CPU this process may run on. NIO counts the machine's CPUs (and
            // cgroup limits) but not the affinity mask: under `taskset -c 1` it still made two
            // loops, and a request then hopped between them (the client socket on one, the
            // upstream connection on the other). NIO_SINGLETON_GROUP_LOOP_COUNT still wins.
            if environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil, let allowed = allowedCPUCount(), allowed < System.coreCount {
                NIOSingletons.groupLoopCountSuggestion = allowed
            }
            // Swift concurrency runs its jobs on those event loops, which also serve the sockets,
            // instead of on a separate thread pool: a request's handler, its awaits on the
            // upstream call and its response no longer hop between two sets of threads.
            // (Blocking plugin work never runs there: generators get their own threads and
            // host services their own executor, see BlockingBridge.) Jobs run as the generic
            // executor (see EventLoopGlobalExecutor). VIGOR_NIO_EXECUTOR=0 opts out;
            // VIGOR_NIO_EXECUTOR=nio takes NIO's own installer, which runs them as the loop's.
            switch environment["VIGOR_NIO_EXECUTOR"] {
            case "0": break
            case "nio":
                if NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() { executor = .eventLoopsNIO }
            default:
                if EventLoopGlobalExecutor.install() {
                    executor = .eventLoops
                } else if NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() {
                    executor = .eventLoopsNIO
                }
            }
            // With TZ unset, every strftime (one per log line) re-checks /etc/localtime with a
            // stat(2). Naming the same file once keeps the zone and drops the system call.
            if environment["TZ"] == nil {
                setenv("TZ", ":/etc/localtime", 0)
            }
        #endif
        return executor
    }

    #if canImport(Glibc)
        /// The number of CPUs in this process's affinity mask (`sched_getaffinity(2)`), or nil.
        static func allowedCPUCount() -> Int? {
            guard let getAffinity else { return nil }
            var mask = [UInt64](repeating: 0, count: 16)  // 1024 CPUs, glibc's cpu_set_t
            let result = mask.withUnsafeMutableBytes { getAffinity(0, $0.count, $0.baseAddress!) }
            guard result == 0 else { return nil }
            let count = mask.reduce(0) { $0 + $1.nonzeroBitCount }
            return count > 0 ? count : nil
        }

        /// glibc's `sched_getaffinity`, which Swift's Glibc module does not import (it needs
        /// _GNU_SOURCE); nil on a libc without it.
        private static let getAffinity: (@convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32)? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_getaffinity") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32).self)
        }()

        /// `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` in <malloc.h>.
        private static let trimThreshold: Int32 = -1
        private static let mmapThreshold: Int32 = -3

        /// glibc's `mallopt(3)`, which Swift's Glibc module does not import (<malloc.h> is not
        /// part of it); nil on a libc without it.
        private static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        }()
    #endif
}
