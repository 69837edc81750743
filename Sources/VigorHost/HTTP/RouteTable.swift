import Foundation
import Hummingbird
import VigorCoaching

/// Who may call a route.
public enum RouteAccess: String, Sendable {
    /// Anyone.
    case open
    /// A signed-in user (`Authorization: Bearer <access_token>`).
    case user
    /// A signed-in admin; other users get 403.
    case admin
    /// A user's API key (`Authorization: Bearer vgr_…`) or an access token: the
    /// OpenAI-compatible routes.
    case apiKey = "api_key"
}

/// One documented response of a route.
public struct RouteResponse: Sendable {
    public var status: Int
    public var description: String
    /// Name of a schema in the OpenAPI components, or `nil` for no body.
    public var schema: String?

    public init(_ status: Int, _ description: String, schema: String? = nil) {
        self.status = status
        self.description = description
        self.schema = schema
    }
}

/// What the OpenAPI document says about one route; the same value drives its registration.
public struct RouteDoc: Sendable {
    public var method: HTTPRequest.Method
    /// Path in OpenAPI form, e.g. `/api/v1/workouts/plans/{id}` (Hummingbird reads the same form).
    public var path: String
    public var summary: String
    public var tag: String
    public var access: RouteAccess
    /// Name of the request body schema, if the route takes a body.
    public var requestSchema: String?
    public var responses: [RouteResponse]
    /// Query parameters (name, description).
    public var query: [(name: String, description: String)]

    public init(
        _ method: HTTPRequest.Method, _ path: String, summary: String, tag: String, access: RouteAccess,
        request: String? = nil, responses: [RouteResponse], query: [(name: String, description: String)] = []
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        self.tag = tag
        self.access = access
        self.requestSchema = request
        self.responses = responses
        self.query = query
    }

    /// Whether a body must be sent (a route with a request schema not listed in
    /// ``OpenAPISchemas/optionalBodies``).
    public var bodyRequired: Bool {
        requestSchema.map { !OpenAPISchemas.optionalBodies.contains($0) } ?? false
    }

    /// Whether the table checks the body and query against the document before the route
    /// runs. The OpenAI-compatible routes (`/v1/…`) check their own, in OpenAI's error shape.
    var checkedByTable: Bool { !path.hasPrefix("/v1/") }

    /// The schema of each query parameter the routes take, by name (`/openapi.json` and the
    /// check before the route read the same).
    static let querySchemas: [String: JSONValue] = [
        "limit": OpenAPISchemas.int(1...200, description: "default 50"),
        "offset": OpenAPISchemas.int(0...1_000_000_000, description: "default 0"),
        "since": .day,
        "narrative": ["type": "boolean"],
        "provider": [
            "type": "string", "minLength": 1, "maxLength": 64, "x-max-bytes": 64, "pattern": "^[a-z0-9_.-]{1,64}$",
            "x-pattern-message": "1 to 64 of a-z 0-9 _ . -",
        ],
        "id": OpenAPISchemas.text(max: 200, min: 1),
        "q": OpenAPISchemas.text(max: 200),
        "equipment": OpenAPISchemas.enumOf(Equipment.allCases.map(\.rawValue)),
        "muscle": OpenAPISchemas.enumOf(MuscleGroup.allCases.map(\.rawValue)),
        "level": OpenAPISchemas.enumOf(FitnessLevel.allCases.map(\.rawValue)),
    ]

    /// Whether the query parameter `name` must be given: its description ends with "(required)".
    func queryRequired(_ name: String) -> Bool {
        query.first { $0.name == name }?.description.hasSuffix("(required)") ?? false
    }

    /// The schema of a path parameter (`{id}`, `{log_id}`): a row id.
    static let pathParameterSchema: JSONValue = OpenAPISchemas.int(1...OpenAPISchemas.maxID)
}

/// The single table of served routes: registering a route here adds it to the router,
/// enforces its access rule, and lists it in `/openapi.json`.
final class RouteTable {
    typealias Handler = @Sendable (Request, VigorRequestContext) async throws -> Response

    let router: Router<VigorRequestContext>
    /// The table's authenticator (route groups reach its API-key cache to invalidate revoked keys).
    let authenticator: Authenticator
    /// Checks bodies and query strings against the document's schemas.
    let gate: RequestGate
    /// The methods served at each path (for 405 answers).
    let methods: RouteMethods
    private(set) var docs: [RouteDoc] = []

    init(
        router: Router<VigorRequestContext>, authenticator: Authenticator, gate: RequestGate = RequestGate(),
        methods: RouteMethods = RouteMethods()
    ) {
        self.router = router
        self.authenticator = authenticator
        self.gate = gate
        self.methods = methods
    }

    /// Registers `handler` for `doc.method doc.path`: access rule first, then the body and
    /// query checked against the document, then the handler.
    func add(_ doc: RouteDoc, handler: @escaping Handler) {
        docs.append(doc)
        methods.add(doc.method, at: doc.path)
        let access = doc.access
        let authenticator = self.authenticator
        let gate = self.gate
        router.on(RouterPath(doc.path), method: doc.method) { request, context -> Response in
            var request = request
            guard access != .open else {
                try await gate.check(&request, doc: doc)
                return try await handler(request, context)
            }
            var context = context
            let identity = try await authenticator.identity(for: request, acceptAPIKeys: access == .apiKey)
            if access == .admin, !identity.isAdmin { throw APIError.forbidden() }
            context.identity = identity
            context.logger[metadataKey: "user_id"] = .stringConvertible(identity.userID)
            try await gate.check(&request, doc: doc)
            return try await handler(request, context)
        }
    }
}

/// Resolves the bearer token of a request to the current account: an access token (JWT)
/// on every route, or a user API key (`vgr_…`) on the routes that accept one.
struct Authenticator: Sendable {
    let accounts: AccountService
    let apiKeys: APIKeyAuthenticator

    /// The token without surrounding white space; Foundation's trimming only when an end
    /// is not a visible ASCII character (a token as sent needs none).
    static func trimmed(_ text: Substring) -> String {
        if let first = text.utf8.first, let last = text.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return String(text)
        }
        return String(text).trimmingCharacters(in: .whitespaces)
    }

    init(accounts: AccountService) {
        self.accounts = accounts
        self.apiKeys = APIKeyAuthenticator(store: accounts.store, clock: accounts.clock)
    }

    func identity(for request: Request, acceptAPIKeys: Bool = false) async throws -> Identity {
        guard let header = request.headers.value(.authorization) else {
            throw APIError.unauthorized("missing Authorization: Bearer <access_token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("the Authorization header must be 'Bearer <access_token>'")
        }
        let token = Self.trimmed(parts[1])
        if token.hasPrefix(APIKeyAuthenticator.keyPrefix) {
            guard acceptAPIKeys else {
                throw APIError.unauthorized("API keys are accepted on the /v1 routes only; use an access token", code: "invalid_token")
            }
            guard let identity = try await apiKeys.identity(forKey: token) else {
                throw APIError.unauthorized("invalid or revoked API key", code: "invalid_api_key")
            }
            return identity
        }
        // Also refuses a token whose session was revoked (logout, refresh-token reuse).
        guard let identity = try await accounts.identity(bearer: token) else {
            throw APIError.unauthorized("invalid or expired access token", code: acceptAPIKeys ? "invalid_api_key" : "invalid_token")
        }
        return identity
    }
}
