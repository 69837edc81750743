import Foundation
import Hummingbird
import Logging
import VigorPluginLoader

/// What the route groups need, injected once by the application builder.
struct RouteServices: Sendable {
    let store: any Store
    let accounts: AccountService
    let coachAI: any CoachAI
    let body: JSONBody
    let clock: VigorClock
    let metrics: HostMetrics
    let configuration: VigorConfiguration

    /// `?limit=&offset=` of a list route (limit 1–200, default 50).
    func page(_ request: Request) -> Page {
        let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 50
        let offset = request.uri.queryParameters.get("offset", as: Int.self) ?? 0
        return Page(limit: min(max(limit, 1), 200), offset: max(offset, 0))
    }

    /// The `{id}` path parameter as a positive integer; 404 for anything else.
    func id(_ context: VigorRequestContext, _ name: String = "id", what: String) throws -> Int64 {
        guard let text = context.parameters.get(name), let id = Int64(text), id > 0 else {
            throw APIError.notFound(what)
        }
        return id
    }
}
