import Logging
import ServiceLifecycle

/// Keeps the egress HTTP client alive while the host serves and shuts it down once everything
/// started after it (the plugins, the HTTP server) has stopped: no upstream call can still be
/// in flight, and the client's connection pool is closed instead of leaked.
struct EgressService: Service {
    let egress: Egress
    let logger: Logger

    func run() async throws {
        // Returns on graceful shutdown; throws CancellationError if the group is cancelled.
        try? await gracefulShutdown()
        do {
            try await egress.shutdown()
            logger.info("egress client shut down")
        } catch {
            logger.error("shutting down the egress client failed", metadata: ["error": "\(error)"])
        }
    }
}
