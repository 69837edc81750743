import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Outage handling: while PostgreSQL cannot be reached, every call fails at once as
/// ``StoreError/Code/unavailable`` (503 with `Retry-After`) instead of each waiting out
/// `connect_timeout`, and the store watches for the server's return itself.
///
/// postgres-nio's pool, once its connection attempts fail, queues every lease and retries
/// after a backoff that grows by 1.25× per attempt up to 60 s, so after an outage of a minute
/// the pool would only try again some 15 s after the server came back. The store instead
/// probes the server with a connection of its own every ``PostgresStore/recoveryProbeInterval``
/// and, when one succeeds, replaces the pool with a fresh one: requests are served again
/// within about that interval of the server accepting connections.
extension PostgresStore {
    /// How long a call waits for a pooled connection before the store checks, with a
    /// connection of its own, whether the server is reachable at all.
    static let reachabilityCheckDelay: Duration = .milliseconds(250)
    /// How long a successful reachability check is trusted (a saturated pool makes many
    /// calls wait past the delay at once; they share one check).
    static let reachableFor: Duration = .seconds(1)
    /// Time between connection attempts while the server is down.
    static let recoveryProbeInterval: Duration = .milliseconds(200)
    /// How long a replaced pool keeps running for the calls that were already waiting on it.
    static let retiredPoolGrace: Duration = .seconds(30)

    /// Whether calls fail at once because the server was found unreachable.
    public var isDatabaseDown: Bool { availability.withLock { $0.down } }

    /// The error a call gets while the server is down.
    static func databaseDownError() -> StoreError {
        StoreError(.unavailable, "PostgreSQL is unreachable; the host reconnects by itself")
    }

    /// Whether the server accepts a connection now, from one shared check: a check in flight
    /// is joined, and a success is trusted for ``reachableFor``. An unreachable server marks
    /// the store down (see ``markDown(_:)``).
    func checkReachable() async -> Bool {
        let now = ContinuousClock.now
        let task = availability.withLock { state -> Task<Bool, Never>? in
            if state.down { return nil }
            if let last = state.lastReachable, now - last < Self.reachableFor { return nil }
            if let running = state.check { return running }
            let check = Task { await self.probe() }
            state.check = check
            return check
        }
        guard let task else { return !isDatabaseDown }
        let reachable = await task.value
        availability.withLock { state in
            if state.check == task { state.check = nil }
            if reachable { state.lastReachable = ContinuousClock.now }
        }
        if !reachable { markDown("a pooled connection did not come and the server refused a direct one") }
        return reachable
    }

    /// Marks the server down: calls fail at once and the recovery watch starts (once).
    func markDown(_ reason: String) {
        guard !isClosed.load(ordering: .acquiring) else { return }
        let started = availability.withLock { state -> Bool in
            guard !state.down else { return false }
            state.down = true
            state.lastReachable = nil
            return true
        }
        guard started else { return }
        logger.error(
            "PostgreSQL is unreachable: requests are refused (503) until it is back",
            metadata: ["reason": "\(reason)", "database": "\(configuration.redactedDescription)"])
        let watch = Task { await self.watchForRecovery() }
        availability.withLock { $0.recovery = watch }
    }

    /// Probes the server until it accepts a connection, then puts a fresh pool in place of
    /// the old one (whose reconnect backoff may have grown long) and lets calls through.
    private func watchForRecovery() async {
        let began = ContinuousClock.now
        while !Task.isCancelled, !isClosed.load(ordering: .acquiring) {
            if await probe() {
                do {
                    try replacePool()
                } catch {
                    logger.error("PostgreSQL is back but a new pool could not be made", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: Self.recoveryProbeInterval)
                    continue
                }
                availability.withLock { state in
                    state.down = false
                    state.lastReachable = ContinuousClock.now
                    state.recovery = nil
                }
                logger.notice("PostgreSQL is reachable again", metadata: ["down_for": "\(ContinuousClock.now - began)"])
                return
            }
            try? await Task.sleep(for: Self.recoveryProbeInterval)
        }
    }

    /// Whether a new connection (TCP, TLS, login) to the server succeeds within
    /// `connect_timeout`. A server too busy to accept one more (SQLSTATE 53300) counts as
    /// reachable: it is up, only full.
    func probe() async -> Bool {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try self.configuration.connectionConfiguration()
        } catch {
            return false
        }
        let logger = Self.quietLogger
        let attempt = Task { () throws -> Bool in
            let connection: PostgresConnection = try await PostgresConnection.connect(
                configuration: configuration, id: 0, logger: logger)
            let closing: EventLoopFuture<Void> = connection.close()
            try? await closing.get()
            return true
        }
        let deadline = Task {
            try await Task.sleep(for: self.configuration.connectTimeout)
            attempt.cancel()
        }
        defer { deadline.cancel() }
        do {
            return try await attempt.value
        } catch let error as PSQLError where error.code == .server {
            return error.serverInfo?[.sqlState] == "53300"
        } catch {
            return false
        }
    }

    /// A logger that drops the probe connection's own messages (its failures are expected).
    static let quietLogger: Logger = {
        var logger = Logger(label: "vigor.postgres.probe")
        logger.logLevel = .critical
        return logger
    }()
}

/// What the store knows of the server's reachability.
struct PostgresAvailability: Sendable {
    /// Calls fail at once (the server was found unreachable and has not come back).
    var down = false
    /// When a reachability check last succeeded.
    var lastReachable: ContinuousClock.Instant?
    /// The reachability check in flight, joined by every caller.
    var check: Task<Bool, Never>?
    /// The watch that probes for the server's return while it is down.
    var recovery: Task<Void, Never>?
}
