import Dispatch
import Hummingbird

/// Records every request by route template, method and status, with its latency.
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
        metrics.recordRequest(
            route: route == "NotFound" ? "unmatched" : route, method: request.method.rawValue,
            status: Int(response.status.code), nanoseconds: elapsed)
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
                "status": "\(response.status.code)", "duration_ms": "\(elapsed / 1_000_000)",
            ])
        return response
    }
}
