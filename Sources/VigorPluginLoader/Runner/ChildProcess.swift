import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// A `vigor` child process (plugin runner or probe) on a pair of pipes: the host writes to
/// its stdin and reads its stdout. The caller reaps it (``ChildProcess/reap(_:)``).
struct ChildProcess {
    var pid: pid_t
    /// The host's end of the child's stdin (close-on-exec).
    var toChild: Int32
    /// The host's end of the child's stdout (close-on-exec).
    var fromChild: Int32
    /// The host's end of the child's stderr when captured (close-on-exec), else -1.
    var errorsFromChild: Int32 = -1

    /// Starts `arguments[0]` with `arguments` and `environment`; nothing but the two pipes
    /// and stderr crosses over. With `captureStderr` the child's stderr is a third pipe the
    /// caller reads (``errorsFromChild``); otherwise it shares the host's.
    static func spawn(arguments: [String], environment: [String], captureStderr: Bool = false) throws(PluginRejection) -> ChildProcess {
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard makePipe(&toChild) else { throw PluginRejection(.initFailed, "cannot create a pipe: errno \(errno)") }
        guard makePipe(&fromChild) else {
            close(toChild[0])
            close(toChild[1])
            throw PluginRejection(.initFailed, "cannot create a pipe: errno \(errno)")
        }
        var errors: [Int32] = [-1, -1]
        guard !captureStderr || makePipe(&errors) else {
            for fd in toChild + fromChild { close(fd) }
            throw PluginRejection(.initFailed, "cannot create a pipe: errno \(errno)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], STDOUT_FILENO)
        if captureStderr { posix_spawn_file_actions_adddup2(&actions, errors[1], STDERR_FILENO) }
        // Nothing else crosses over. A descriptor another thread opened without close-on-exec
        // (Foundation's `Process` keeps one end of a socket pair open for its child to detect
        // that child's exit) would otherwise live on in a long-lived runner.
        _ = addCloseFrom?(&actions, 3)
        var pid = pid_t()
        let executable = arguments.first ?? ""
        let spawned = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in posix_spawn(&pid, executable, &actions, nil, argv, envp) }
        }
        close(toChild[0])
        close(fromChild[1])
        if captureStderr { close(errors[1]) }
        guard spawned == 0 else {
            close(toChild[1])
            close(fromChild[0])
            if captureStderr { close(errors[0]) }
            throw PluginRejection(.initFailed, "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        return ChildProcess(pid: pid, toChild: toChild[1], fromChild: fromChild[0], errorsFromChild: errors[0])
    }

    /// How a child ended, from `waitpid`'s status.
    enum Exit: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)
        case unknown

        var description: String {
            switch self {
            case .exited(let code): return "exited with status \(code)"
            case .signalled(let signal): return "killed by signal \(signal) (\(String(cString: strsignal(signal))))"
            case .unknown: return "exit status unknown"
            }
        }
    }

    /// Waits for `pid` (blocking) and says how it ended.
    static func reap(_ pid: pid_t) -> Exit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return .unknown }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    /// Waits for `pid` until `deadline` (`DispatchTime` uptime nanoseconds) and says how it
    /// ended; nil when it still runs at the deadline (it is not reaped then).
    static func reap(_ pid: pid_t, before deadline: UInt64) -> Exit? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                let signal = status & 0x7f
                return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
            }
            if result < 0 && errno != EINTR { return .unknown }
            if DispatchTime.now().uptimeNanoseconds >= deadline { return nil }
            usleep(1_000)
        }
    }

    /// `SIGABRT` for 6: the conventional name of a signal number.
    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT",
            SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1", SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2",
            SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
        ]
        return names[signal] ?? "signal \(signal)"
    }
}

/// A pipe whose ends are not inherited by other children (close-on-exec); the spawn's
/// `dup2` onto stdin and stdout clears the flag on the child's copies.
private func makePipe(_ fds: inout [Int32]) -> Bool {
    guard pipe(&fds) == 0 else { return false }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return true
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does
/// not import; nil on a libc without it.
private let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
}()

/// Calls `body` with a NULL-terminated C array of the strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
