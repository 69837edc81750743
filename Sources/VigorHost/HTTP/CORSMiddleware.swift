import Hummingbird

/// CORS for the configured origins only (exact match). With no origins configured (the
/// default) it adds nothing, and browsers keep cross-origin pages out.
struct OriginPolicyMiddleware: RouterMiddleware {
    typealias Context = VigorRequestContext
    let allowedOrigins: Set<String>

    static let allowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowHeaders = "Authorization, Content-Type, X-Request-Id, Accept"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let origin = request.headers.value(.origin)
        let allowed = origin.map { allowedOrigins.contains($0) } ?? false
        if request.method == .options, origin != nil, request.headers[.accessControlRequestMethod] != nil {
            guard allowed, let origin else {
                let error = APIError(.forbidden, code: "cors_origin_not_allowed", message: "this origin is not allowed")
                return ErrorMiddleware.render(error, requestID: context.requestID)
            }
            var response = Response(status: .noContent)
            add(to: &response, origin: origin)
            response.headers[.accessControlAllowMethods] = Self.allowMethods
            response.headers[.accessControlAllowHeaders] = Self.allowHeaders
            response.headers[.accessControlMaxAge] = "600"
            return response
        }
        var response = try await next(request, context)
        if allowed, let origin { add(to: &response, origin: origin) }
        return response
    }

    private func add(to response: inout Response, origin: String) {
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.accessControlExposeHeaders] = "X-Request-Id, Retry-After"
        response.headers[.vary] = "Origin"
    }
}
