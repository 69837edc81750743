import Hummingbird

/// CORS for the configured origins only (exact match). With no origins configured (the
/// default) it adds nothing, and browsers keep cross-origin pages out.
struct OriginPolicy: Sendable {
    let allowedOrigins: Set<String>

    static let allowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowHeaders = "Authorization, Content-Type, X-Request-Id, Accept"

    /// The answer to a CORS preflight (`OPTIONS` with `Origin` and
    /// `Access-Control-Request-Method`): 204 with the allowances for an allowed origin, 403
    /// for another. `nil` for every other request, which goes on to the routes.
    func preflight(_ request: Request, requestID: String) -> Response? {
        guard request.method == .options, let origin = request.headers.value(.origin),
            request.headers[.accessControlRequestMethod] != nil
        else { return nil }
        guard allowedOrigins.contains(origin) else {
            let error = APIError(.forbidden, code: "cors_origin_not_allowed", message: "this origin is not allowed")
            return ErrorMapping.render(error, requestID: requestID)
        }
        var response = Response(status: .noContent)
        add(to: &response, origin: origin)
        response.headers[.accessControlAllowMethods] = Self.allowMethods
        response.headers[.accessControlAllowHeaders] = Self.allowHeaders
        response.headers[.accessControlMaxAge] = "600"
        return response
    }

    /// Opens a routed answer (success or error) to the request's origin when it is allowed.
    func decorate(_ response: inout Response, for request: Request) {
        guard !allowedOrigins.isEmpty, let origin = request.headers.value(.origin), allowedOrigins.contains(origin) else { return }
        add(to: &response, origin: origin)
    }

    private func add(to response: inout Response, origin: String) {
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.accessControlExposeHeaders] = "X-Request-Id, Retry-After"
        response.headers[.vary] = "Origin"
    }
}
