import Hummingbird

/// Refuses, before any route runs, a request whose `Content-Length` is over the configured
/// limit (413). Bodies without a length are still capped when a route collects them.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = VigorRequestContext
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw APIError.tooLarge(limit: maxBytes)
        }
        return try await next(request, context)
    }
}
