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
