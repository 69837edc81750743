import Foundation

/// Where a host keeps its data, parsed from a database URL (`--database-url`,
/// `VIGOR_DATABASE_URL`, `database_url`).
///
/// - `postgres://…` or `postgresql://…` is a PostgreSQL database, which several hosts may share;
/// - `sqlite://PATH`, `sqlite:PATH`, `file://PATH`, `file:PATH` or a plain path is a SQLite file,
///   which one serving host holds at a time (see ``SingleHostLock``).
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// An embedded SQLite database file.
    case sqlite(path: String)
    /// A PostgreSQL database, by its `postgres://` URL (credentials included).
    case postgres(url: String)

    /// Parses a database URL; throws ``ConfigurationError`` saying what is wrong (never
    /// repeating a password).
    public init(url: String) throws {
        let text = url.trimmingCharacters(in: .whitespaces)
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            try Self.checkPostgres(text)
            self = .postgres(url: text)
            return
        }
        for prefix in ["sqlite://", "sqlite:", "file://", "file:"] where lowered.hasPrefix(prefix) {
            let path = String(text.dropFirst(prefix.count))
            guard !path.isEmpty else { throw ConfigurationError("the database URL \(text) names no SQLite file") }
            self = .sqlite(path: path)
            return
        }
        guard !text.isEmpty else { throw ConfigurationError("the database URL is empty") }
        guard !text.contains("://") else {
            throw ConfigurationError(
                "unsupported database URL \(Self.redact(text)): use postgres://…, postgresql://…, sqlite:PATH or a SQLite file path")
        }
        self = .sqlite(path: text)
    }

    /// Whether several hosts may serve this database at once (PostgreSQL).
    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The location for logs and messages: a PostgreSQL URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): Self.redact(url)
        }
    }

    /// `url` with the password of its user-info part replaced by `***` (a password holding
    /// `/` or `@` unescaped is still hidden whole: the user info ends at the last `@`).
    static func redact(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let queryStart = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<queryStart].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + rest[at...]
    }

    /// The checks a PostgreSQL URL must pass before the host tries to connect: it parses, it
    /// names a host (or a socket folder with `?host=/path`), its port is in range, and
    /// ``PostgresStoreConfiguration`` accepts its parameters.
    static func checkPostgres(_ url: String) throws {
        guard let components = URLComponents(string: url) else {
            throw ConfigurationError("the database URL \(redact(url)) is not a valid URL")
        }
        let socketFolder = components.queryItems?.first { $0.name == "host" }?.value ?? ""
        guard !(components.host ?? "").isEmpty || !socketFolder.isEmpty else {
            throw ConfigurationError("the database URL \(redact(url)) names no PostgreSQL server host")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw ConfigurationError("the database URL \(redact(url)) has port \(port), outside 1...65535")
        }
        // The store's own parser: parameters (sslmode, pool_max, statement_timeout, …) refused here, at start.
        do {
            _ = try PostgresStoreConfiguration(url: url)
        } catch let error as StoreError {
            throw ConfigurationError("the database URL \(redact(url)) is not usable: \(error.message)")
        }
    }
}
