import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one serving host of a SQLite database: an exclusive `flock(2)` on `<database>.lock`,
/// taken before the host opens the database and held until it has closed it.
///
/// Why: a host releases, at start-up, the quota reservations a stopped host left in flight.
/// A second host serving the same file would release the first one's *live* reservations,
/// and a limit could be passed by one request per reservation in flight. So a second
/// `vigor serve` on the same file refuses to start (``DatabaseInUseError``). Several hosts
/// share a PostgreSQL database instead.
///
/// The kernel drops the lock when the holder exits, however it exits (SIGKILL included), so a
/// restarted host starts at once. `vigor migrate` and `vigor user create` do not take it: they
/// serve nothing and recover nothing, and SQLite's own locking orders their writes with a
/// running host's. The lock is per open file description, so it also refuses a second host
/// built in the same process. The file holds the holder's process id, for the message.
public final class SingleHostLock: Sendable {
    /// The lock file.
    public let path: String
    /// The open lock file, or -1 once released.
    private let descriptor: Mutex<Int32>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    /// The lock file of the SQLite database at `databasePath`.
    public static func lockPath(database databasePath: String) -> String { databasePath + ".lock" }

    /// Takes the lock of the SQLite database at `databasePath`, creating the lock file (mode
    /// 0600, its folder 0700) when missing. Does not wait.
    ///
    /// - Throws: ``DatabaseInUseError`` when another host holds it; ``StoreError/Code/unavailable``
    ///   when the lock file cannot be opened or locked.
    public static func acquire(database databasePath: String) throws -> SingleHostLock {
        let path = lockPath(database: databasePath)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Close-on-exec: a plugin runner started by this host must not inherit (and outlive
        // the host holding) the lock. No-follow: the file is truncated, never through a link.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw StoreError(.unavailable, "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            let holder = readHolder(fd)
            close(fd)
            if failure == EWOULDBLOCK {
                throw DatabaseInUseError(databasePath: databasePath, lockPath: path, holderPID: holder)
            }
            throw StoreError(.unavailable, "cannot lock \(path): \(String(cString: strerror(failure)))")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return SingleHostLock(path: path, descriptor: fd)
    }

    /// Releases the lock (closing the file; the file itself stays). Later calls do nothing.
    public func release() {
        let fd = descriptor.withLock { fd in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 { close(fd) }
    }

    /// Whether this lock is still held.
    public var isHeld: Bool { descriptor.withLock { $0 >= 0 } }

    deinit {
        release()
    }

    /// The process id a holder wrote into the lock file, if readable.
    private static func readHolder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Another host is serving this SQLite database (it holds the ``SingleHostLock``).
public struct DatabaseInUseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The SQLite database.
    public var databasePath: String
    /// The lock file the other host holds.
    public var lockPath: String
    /// The other host's process id, as it wrote it into the lock file.
    public var holderPID: Int32?

    public var description: String {
        "another vigor host\(holderPID.map { " (pid \($0))" } ?? "") is serving the SQLite database \(databasePath) "
            + "(it holds \(lockPath)); one SQLite file serves one host, since a second host's start-up would release the "
            + "first one's live quota reservations. Stop that host first, or share a PostgreSQL database between hosts "
            + "(VIGOR_DATABASE_URL=postgres://…)."
    }
}
