import Foundation
import GRDB
import Logging
import Synchronization

/// The embedded ``Store``: SQLite through GRDB, one `DatabasePool` in WAL mode
/// (many concurrent readers, one writer).
public final class SQLiteStore: Store {
    let pool: DatabasePool
    /// Batches the quota ledger's writes into shared commits (see ``GroupCommit``).
    let groupCommit: GroupCommit
    /// The router's provider priorities, read at most once a second (and again at once after
    /// an admin change through this host): routing order only; caps are enforced from the
    /// database inside each reservation.
    let prioritiesCache = Mutex<(rules: [ProviderPriority], readAt: UInt64)?>(nil)
    /// The quota ledger's allowance in memory (see ``SQLiteQuotaLedger``): every ledger over
    /// this store shares it; admin writes that change a limit invalidate its cached limits.
    let ledgerBook = SQLiteLedgerBook()
    /// When the settles fold the usage log into the counters (``SQLiteLedgerFold``).
    let ledgerFold = SQLiteLedgerFold.Schedule()
    /// The database file.
    public let path: String

    /// Opens (creating when missing) the database at `path`. Call ``migrate(logger:)`` before use.
    ///
    /// - Parameter path: a file path; its folder is created with mode 0700 when missing.
    public init(path: String) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Another process (`vigor migrate`, a second host) may hold the write lock briefly.
        configuration.busyMode = .timeout(5)
        configuration.label = "vigor"
        // Accounts and tokens live here: readable by the host's user only. SQLite gives the
        // `-wal` and `-shm` files the mode of the database file, so the file is created 0600
        // before SQLite opens it (an empty file is a valid empty database).
        Self.createIfMissing(path)
        do {
            pool = try Self.openPool(path: path, configuration: configuration)
        } catch {
            throw StoreError(.unavailable, "cannot open the database at \(path): \(error)")
        }
        groupCommit = GroupCommit(pool: pool)
        // A database made by an earlier build may have 0644 files: tighten all three.
        for file in [path, path + "-wal", path + "-shm"] {
            Self.restrictToOwner(file)
        }
    }

    /// How long opening waits for another process that holds the new file's lock.
    static let openBusyLimit: Duration = .seconds(5)

    /// Opens the pool, trying again while the file is busy: a process opening a new file
    /// switches it to WAL, which needs the file to itself, and SQLite's busy handler does not
    /// wait for that, so a second process opening it at the same moment failed at once with
    /// "database is locked". Real time, as the busy timeout is: this is the file system's wait.
    static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let giveUp = ContinuousClock.now + openBusyLimit
        var pause = 0.002
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < giveUp {
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 0.1)
            }
        }
    }

    /// Creates `path` empty with mode 0600 unless it exists, atomically: `O_EXCL` never touches
    /// a file that is there. `FileManager.createFile` writes a temporary file and renames it
    /// over the path, so two processes opening a new database at once (two `vigor migrate`, a
    /// host and `vigor migrate`) could replace the file the first had already opened and
    /// written: its next statement failed with a disk I/O error.
    static func createIfMissing(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 { try? FileHandle(fileDescriptor: fd, closeOnDealloc: true).close() }
    }

    /// Drops the group and other permission bits of `file`, if it exists.
    static func restrictToOwner(_ file: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0
        else { return }
        try? FileManager.default.setAttributes([.posixPermissions: mode & 0o700], ofItemAtPath: file)
    }

    /// The names of every migration this build knows, in order.
    public static var migrationNames: [String] { SQLiteMigrations.migrator(now: .distantPast).migrations }

    /// Applies the migrations not yet applied; returns their names.
    @discardableResult
    public func migrate(logger: Logger, now: Date) async throws -> [String] {
        let migrator = SQLiteMigrations.migrator(now: now)
        let before = try await pool.read { db in try migrator.appliedIdentifiers(db) }
        try migrator.migrate(pool)
        let applied = migrator.migrations.filter { !before.contains($0) }
        for name in applied {
            logger.info("applied migration", metadata: ["migration": "\(name)", "database": "\(path)"])
        }
        return applied
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func close() async throws {
        // A host that stops folds the usage log's last entries, so the counter rows it leaves
        // are whole (a killed one leaves them to the next start). Closing goes on regardless.
        try? await foldLedger()
        try pool.close()
    }
}

extension SQLiteStore {
    /// Runs a write transaction, mapping SQLite constraint errors to ``StoreError``.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as DatabaseError {
            throw Self.map(error)
        }
    }

    /// Runs `body` in a savepoint of a transaction it may share with other writes arriving
    /// at the same time (group commit); returns once that transaction has committed.
    func groupWrite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await groupCommit.write(body)
        } catch let error as DatabaseError {
            throw Self.map(error)
        }
    }

    /// Runs a read transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw Self.map(error)
        }
    }

    static func map(_ error: DatabaseError) -> any Error {
        let message = error.message ?? ""
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            // SQLite names the column: "UNIQUE constraint failed: users.email".
            let field = message.split(separator: ".").last.map(String.init)
            return StoreError(.conflict, field: field, "already exists")
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            return StoreError(.invalidReference, "a referenced row does not exist")
        default:
            return error
        }
    }
}

/// A stored value of another type than the store reads from its column (text in an integer
/// column, a real past `Int64`, bytes that are not UTF-8): a row written by hand, by an import or
/// by an older tool. The request fails (500, logged with this description); the host goes on.
struct StoredValueError: Error, CustomStringConvertible {
    let column: String
    let wanted: String
    /// The kind of value found ("text", "a real", …): never the value, which may be a hash.
    let found: String

    init(column: String, wanted: String, found: DatabaseValue) {
        self.column = column
        self.wanted = wanted
        self.found =
            switch found.storage {
            case .null: "NULL"
            case .int64: "an integer"
            case .double: "a real"
            case .string: "text"
            case .blob: "a blob"
            }
    }

    var description: String { "the database holds \(found) in column \(column), where the host reads \(wanted)" }
}

extension Row {
    /// The column `name` as `T` (an optional `T` for a nullable column). A stored value that
    /// is not a `T` (text in an integer column, a real past `Int64`, written by hand or by an
    /// older tool) throws here, where GRDB's subscript would stop the process: every row the
    /// store reads goes through this or ``date(_:)``.
    func get<T: DatabaseValueConvertible>(_ name: String, as type: T.Type = T.self) throws -> T {
        do {
            return try decode(T.self, forColumn: name)
        } catch is RowDecodingError {
            // GRDB's error prints the whole row, password and token hashes included: the log
            // gets the column and the kinds of value instead.
            throw StoredValueError(column: name, wanted: "\(T.self)", found: self[name] as DatabaseValue)
        }
    }

    /// A stored epoch-milliseconds column as a date.
    func date(_ column: String) throws -> Date {
        Date(epochMillis: try get(column, as: Int64?.self) ?? 0)
    }

    /// A nullable epoch-milliseconds column.
    func optionalDate(_ column: String) throws -> Date? {
        try get(column, as: Int64?.self).map(Date.init(epochMillis:))
    }
}
