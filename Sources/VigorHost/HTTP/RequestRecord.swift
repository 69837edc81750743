import Dispatch
import Hummingbird
import Logging

/// Every request, once answered, recorded by route template, method and status, with its
/// latency, and logged: one `info` line `request` with `method`, `path` (no query), `status`
/// and `duration_ms`.
enum RequestRecord {
    /// The moment a request's latency is measured from.
    static func start() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func record(
        _ request: Request, context: VigorRequestContext, status: HTTPResponse.Status, since start: UInt64, metrics: HostMetrics
    ) {
        let route = context.endpointPath ?? "unmatched"
        let elapsed = DispatchTime.now().uptimeNanoseconds &- start
        let status = Int(status.code)
        metrics.recordRequest(
            route: route == "NotFound" ? "unmatched" : route, method: request.method.rawValue, status: status, nanoseconds: elapsed)
        logRequest(context.logger, method: request.method.rawValue, path: request.uri.path, status: status, elapsed: elapsed)
    }

    /// The access line. `vigor serve`'s ``VigorLogHandler`` writes it directly; any other
    /// handler gets the same line through the logger.
    static func logRequest(_ logger: Logger, method: String, path: String, status: Int, elapsed: UInt64) {
        guard logger.logLevel <= .info else { return }
        if let handler = logger.handler as? VigorLogHandler {
            handler.logRequest(method: method, path: path, status: status, durationMs: elapsed / 1_000_000)
            return
        }
        logger.info(
            "request",
            metadata: ["method": "\(method)", "path": "\(path)", "status": "\(status)", "duration_ms": "\(elapsed / 1_000_000)"])
    }
}
