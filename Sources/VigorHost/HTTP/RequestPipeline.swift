import Hummingbird

/// What every request goes through around its route, in order, in one place:
///
/// 1. its id ([RequestIDs](RequestIDs.swift)), echoed in `X-Request-Id` on every answer;
/// 2. a CORS preflight is answered here ([OriginPolicy](OriginPolicy.swift));
/// 3. a `Content-Length` over the limit is 413, an unreadable `Transfer-Encoding` 400,
///    before any body is read ([BodyLimit](BodyLimit.swift));
/// 4. the route (the router: access rule, request gate, handler);
/// 5. a path no route serves: the web client's file or screen for a GET or HEAD
///    ([WebApp](../Web/WebApp.swift)), else 405 with `Allow` when the path is served with other
///    methods ([RouteMethods](RouteMethods.swift)), else 404;
/// 6. every error becomes the JSON error shape with its status ([ErrorMapping](ErrorMapping.swift));
/// 7. an allowed origin is opened to the answer, errors included (``OriginPolicy``);
/// 8. the answer is counted and logged ([RequestRecord](RequestRecord.swift)).
///
/// One middleware, not one per step: each middleware layer costs an async frame and a task
/// switch or two per request, about 3 K instructions, whatever it does.
struct RequestPipeline: RouterMiddleware {
    typealias Context = VigorRequestContext
    let metrics: HostMetrics
    let origins: OriginPolicy
    let maxBodyBytes: Int
    let methods: RouteMethods
    let webApp: WebApp

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = RequestRecord.start()
        var context = context
        let id = RequestIDs.assign(request, to: &context)
        var response: Response
        if let preflight = origins.preflight(request, requestID: id) {
            response = preflight
        } else {
            do {
                try BodyLimit.check(request, maxBytes: maxBodyBytes)
                response = try await next(request, context)
            } catch let error as HTTPError where error.status == .notFound {
                response =
                    webApp.response(for: request)
                    ?? ErrorMapping.response(for: methods.refusal(for: request) ?? error, request: request, context: context)
            } catch {
                response = ErrorMapping.response(for: error, request: request, context: context)
            }
            origins.decorate(&response, for: request)
        }
        RequestRecord.record(request, context: context, status: response.status, since: start, metrics: metrics)
        response.headers[RequestIDs.header] = id
        return response
    }
}
