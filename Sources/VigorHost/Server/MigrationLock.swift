import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Orders the migrations of processes that open one SQLite file at the same time (a host
/// starting while `vigor migrate` runs, two `vigor migrate`s): an exclusive `flock(2)` on
/// `<database>.migrate.lock`, waited for, held while one process migrates.
///
/// GRDB's migrator reads which migrations are applied before it runs the others, each in its
/// own transaction, so two processes starting together on a new file both ran `v1-seed` and
/// the second failed (`UNIQUE constraint failed: tiers.name`). Under this lock the second
/// process reads the applied list after the first has finished and applies nothing. Unlike
/// ``SingleHostLock`` it is held only while migrating, so `vigor migrate` still runs beside a
/// serving host. (PostgreSQL's migrations take an advisory lock in the database instead.)
enum MigrationLock {
    /// The lock file of the SQLite database at `databasePath`.
    static func path(database databasePath: String) -> String { databasePath + ".migrate.lock" }

    /// Runs `body` holding the migration lock of the SQLite database at `databasePath`,
    /// waiting for another process to release it first.
    static func withLock<T>(database databasePath: String, _ body: () async throws -> T) async throws -> T {
        let path = path(database: databasePath)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw StoreError(.unavailable, "cannot open the migration lock \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // Polled, not waited for in flock: a blocking wait would hold one of the concurrency
        // pool's threads, and two of them (this machine's whole pool) waiting for a holder in
        // this process, whose migration needs a thread to go on, never return.
        var pauseMs: Int64 = 1
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            switch errno {
            case EINTR: continue
            case EWOULDBLOCK:
                try await Task.sleep(for: .milliseconds(pauseMs))
                pauseMs = min(pauseMs * 2, 50)
            default: throw StoreError(.unavailable, "cannot lock \(path): \(String(cString: strerror(errno)))")
            }
        }
        return try await body()
    }
}
