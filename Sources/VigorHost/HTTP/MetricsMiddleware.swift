import Dispatch
import Hummingbird
import Logging

/// Records every request by route template, method and status, with its latency, and logs
/// it: one `info` line `request` with `method`, `path` (no query), `status` and `duration_ms`.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = VigorRequestContext
    let metrics: HostMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let elapsed = DispatchTime.now().uptimeNanoseconds &- start
        let status = Int(response.status.code)
        metrics.recordRequest(
            route: route == "NotFound" ? "unmatched" : route, method: request.method.rawValue, status: status, nanoseconds: elapsed)
        Self.logRequest(context.logger, method: request.method.rawValue, path: request.uri.path, status: status, elapsed: elapsed)
        return response
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
