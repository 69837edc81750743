import Logging
import ServiceLifecycle

/// Keeps the store open while the server runs and closes it cleanly after the HTTP server
/// has stopped (services stop in reverse order, so in-flight requests finish first); then
/// lets go of the SQLite database's ``SingleHostLock``, so another host may serve it.
struct StoreService: Service {
    let store: any Store
    var hostLock: SingleHostLock? = nil
    let logger: Logger

    func run() async throws {
        // Returns on graceful shutdown; throws CancellationError if the group is cancelled.
        try? await gracefulShutdown()
        do {
            try await store.close()
            logger.info("store closed")
        } catch {
            logger.error("closing the store failed", metadata: ["error": "\(error)"])
        }
        hostLock?.release()
    }
}

/// Returns this host's quota leases and deregisters it from the PostgreSQL ledger on a
/// graceful shutdown. It stops right after the HTTP server has drained (the last of the
/// ``HostAssembly/services``, so the first to stop), so the settles of the requests that
/// drained still reach the ledger, and before the store closes. It first waits (bounded) for
/// settles still running in tasks of their own (a stream ended by its client or by the drain
/// deadline settles after its response ends); what it does not wait for is released at once.
/// The other hosts can then use the whole allowance immediately, not after the registration
/// expires (``PostgresQuotaLedger/hostTTL``).
struct LedgerService: Service {
    let ledger: PostgresQuotaLedger
    let logger: Logger
    /// The longest wait for reservations in flight to be settled.
    var settleWait: Duration = .seconds(5)

    func run() async throws {
        // Returns on graceful shutdown; on cancellation the leases are returned all the same.
        try? await gracefulShutdown()
        let instance = ledger.instance
        await ledger.shutdown(settleWait: settleWait)
        logger.info("quota ledger host deregistered, its leases returned", metadata: ["instance": "\(instance)"])
    }
}
