import Foundation
import PostgresNIO

/// How ``PostgresStore`` reaches its database, parsed from a `postgres://` URL.
///
/// `postgres://user:password@host:port/database?sslmode=require&pool_max=20`
///
/// Query parameters (anything else is refused, so a typo is not silently ignored):
/// - `sslmode`: `disable`, `allow` or `prefer` (TLS when the server offers it, certificate
///   not checked), `require` (TLS, certificate not checked), `verify-ca` (TLS, chain checked),
///   `verify-full` (TLS, chain and host name checked). Default `prefer`, as libpq.
/// - `sslrootcert`: a PEM file of the certificate authorities to trust (verify modes);
///   default: the system's trust store.
/// - `connect_timeout`: seconds to wait for a connection (TCP, or a free one from the pool)
///   before the request fails as unavailable. Default 5.
/// - `pool_max`: connections the host may open. Default 20.
/// - `statement_timeout`: milliseconds any one statement may run before the server cancels
///   it (set on each connection at start-up). Default 5000; 0 disables it.
/// - `application_name`: shown in `pg_stat_activity`. Default `vigor`.
/// - `host`: a folder holding the server's Unix socket (`/var/run/postgresql`), instead of TCP.
public struct PostgresStoreConfiguration: Sendable, Hashable {
    /// How the connection is encrypted, as libpq's `sslmode`.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable
        case allow
        case prefer
        case require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// The server's host name or address (TCP).
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The folder holding the server's Unix socket, when connecting through one.
    public var socketFolder: String?
    public var username: String
    /// `nil` when the URL has none (trust or peer authentication).
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// A PEM file of trusted certificate authorities, or nil for the system's.
    public var sslRootCertificate: String?
    /// Connect timeout, and the longest a query waits for a pooled connection.
    public var connectTimeout: Duration
    /// The most connections the pool opens.
    public var poolMax: Int
    /// The server-side limit on one statement, in milliseconds (0 = none).
    public var statementTimeoutMs: Int

    /// The client's own limit on one call's work on a leased connection: twice the statement
    /// timeout plus the connect timeout (15 s by default). A server that has not answered by
    /// then is not cancelling statements either (a network partition, a frozen host): the
    /// connection is closed and the call fails as unavailable. None without a statement timeout.
    public var clientBodyLimit: Duration? {
        statementTimeoutMs == 0 ? nil : .milliseconds(Int64(statementTimeoutMs) * 2) + connectTimeout
    }
    public var applicationName: String

    /// The parameters a URL may carry.
    static let knownParameters: Set<String> = [
        "sslmode", "sslrootcert", "connect_timeout", "pool_max", "statement_timeout", "application_name", "host",
    ]

    /// Parses a `postgres://` or `postgresql://` URL; throws ``StoreError/Code/unavailable``
    /// naming the bad part (field `url`, or the query parameter) otherwise.
    public init(url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw StoreError(.unavailable, field: "url", "not a postgres:// or postgresql:// URL")
        }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard Self.knownParameters.contains(item.name) else {
                let known = Self.knownParameters.sorted().joined(separator: ", ")
                throw StoreError(.unavailable, field: item.name, "unknown database URL parameter '\(item.name)' (known: \(known))")
            }
            guard parameters[item.name] == nil else {
                throw StoreError(.unavailable, field: item.name, "database URL parameter '\(item.name)' given twice")
            }
            parameters[item.name] = item.value ?? ""
        }

        var host = components.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let folder = parameters["host"] {
            guard folder.hasPrefix("/") else {
                throw StoreError(.unavailable, field: "host", "the host parameter must be a socket folder (an absolute path)")
            }
            socketFolder = folder
        } else if host.isEmpty {
            throw StoreError(.unavailable, field: "url", "the database URL has no host")
        }
        self.host = host.isEmpty ? "localhost" : host
        if let port = components.port {
            guard (1...65535).contains(port) else { throw StoreError(.unavailable, field: "url", "port \(port) out of range") }
            self.port = port
        } else {
            self.port = 5432
        }
        let user = components.user ?? ""
        username = user.isEmpty ? "postgres" : user
        password = components.password
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else {
            throw StoreError(.unavailable, field: "url", "the database name must not contain '/'")
        }
        database = path.isEmpty ? username : path

        if let raw = parameters["sslmode"] {
            guard let mode = SSLMode(rawValue: raw) else {
                let known = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw StoreError(.unavailable, field: "sslmode", "unknown sslmode '\(raw)' (one of: \(known))")
            }
            sslMode = mode
        } else {
            sslMode = .prefer
        }
        sslRootCertificate = parameters["sslrootcert"].flatMap { $0.isEmpty ? nil : $0 }
        connectTimeout = .seconds(try Self.integer(parameters, "connect_timeout", default: 5, in: 1...3600))
        poolMax = try Self.integer(parameters, "pool_max", default: 20, in: 1...10_000)
        statementTimeoutMs = try Self.integer(parameters, "statement_timeout", default: 5000, in: 0...86_400_000)
        applicationName = parameters["application_name"] ?? "vigor"
        guard applicationName.utf8.count <= 63, !applicationName.utf8.contains(0) else {
            throw StoreError(.unavailable, field: "application_name", "application_name must be at most 63 bytes")
        }
    }

    private static func integer(_ parameters: [String: String], _ name: String, default value: Int, in range: ClosedRange<Int>)
        throws -> Int
    {
        guard let raw = parameters[name] else { return value }
        guard let number = Int(raw), range.contains(number) else {
            throw StoreError(
                .unavailable, field: name,
                "database URL parameter \(name)=\(raw) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// The URL without its password, for logs.
    public var redactedDescription: String {
        let credentials = password == nil ? username : "\(username):***"
        let place = socketFolder.map { "\($0) (socket)" } ?? "\(host):\(port)"
        return "postgres://\(credentials)@\(place)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// Whether TLS is off, preferred or required, with its settings.
    enum TLSPolicy {
        case disable
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)
    }

    /// The TLS setting for postgres-nio's pool.
    func tls() throws -> PostgresClient.Configuration.TLS {
        switch try tlsPolicy() {
        case .disable: return .disable
        case .prefer(let tls): return .prefer(tls)
        case .require(let tls): return .require(tls)
        }
    }

    /// The TLS policy `sslmode` and `sslrootcert` ask for.
    func tlsPolicy() throws -> TLSPolicy {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = sslRootCertificate {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw StoreError(.unavailable, field: "sslrootcert", "cannot read the sslrootcert file \(file)")
            }
            tls.trustRoots = .file(file)
        }
        switch sslMode {
        case .disable:
            return .disable
        case .allow, .prefer:
            tls.certificateVerification = .none
            return .prefer(tls)
        case .require:
            tls.certificateVerification = .none
            return .require(tls)
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return .require(tls)
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            return .require(tls)
        }
    }

    /// The configuration of one connection outside the pool (the store's reachability
    /// probe): the same server, login and TLS, with `connect_timeout`.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let folder = socketFolder {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            let connectionTLS: PostgresConnection.Configuration.TLS
            switch try tlsPolicy() {
            case .disable: connectionTLS = .disable
            case .prefer(let tls): connectionTLS = .prefer(try NIOSSLContext(configuration: tls))
            case .require(let tls): connectionTLS = .require(try NIOSSLContext(configuration: tls))
            }
            configuration = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: connectionTLS)
        }
        configuration.options.connectTimeout = .milliseconds(Int64(connectTimeout.components.seconds * 1000))
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        return configuration
    }

    /// The postgres-nio client configuration: TLS, pool size, timeouts, and the start-up
    /// parameters every connection opens with (`statement_timeout`, `application_name`).
    func clientConfiguration() throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let folder = socketFolder {
            configuration = PostgresClient.Configuration(
                unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            configuration = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: try tls())
        }
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = poolMax
        configuration.options.minimumConnections = 0
        configuration.options.additionalStartupParameters = [
            ("statement_timeout", "\(statementTimeoutMs)"),
            ("application_name", applicationName),
            // A transaction left open by a dead client must not hold locks for long.
            ("idle_in_transaction_session_timeout", "\(max(statementTimeoutMs * 4, 60_000))"),
            ("TimeZone", "UTC"),
        ]
        return configuration
    }
}
