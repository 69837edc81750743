import Hummingbird
import VigorCoaching

/// An error a route reports to the client as `{"error":{"code","message","request_id"}}`
/// with an HTTP status. Every failure the host serves goes through this type.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// Stable, machine-readable code (`validation_failed`, `not_found`, ...).
    public var code: String
    /// For a person to read.
    public var message: String
    /// Field errors of a 422, each naming its field by JSON path.
    public var fields: [FieldError]
    /// Seconds until a retry may succeed (sent as `Retry-After`).
    public var retryAfterSeconds: Int?
    /// The quota or budget limit that was hit (`requests_per_day`, ...), for 429s.
    public var limit: String?
    /// The caller's tightest request limit, sent as `X-RateLimit-*` (AI routes).
    public var rateLimit: RateLimitStatus?
    /// The methods a path serves, sent as `Allow` with a 405.
    public var allow: String?

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, fields: [FieldError] = [],
        retryAfterSeconds: Int? = nil, limit: String? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.retryAfterSeconds = retryAfterSeconds
        self.limit = limit
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// 400: the body is not valid JSON (or not the expected JSON type).
    public static func malformed(_ message: String) -> APIError {
        APIError(.badRequest, code: "malformed_request", message: message)
    }

    /// 422: one or more fields are invalid.
    public static func validation(_ fields: [FieldError]) -> APIError {
        let names = fields.map(\.field).joined(separator: ", ")
        let first = fields.first.map { "\($0.field): \($0.message)" } ?? "invalid input"
        return APIError(
            .unprocessableContent, code: "validation_failed",
            message: fields.count > 1 ? "invalid fields: \(names) — \(first)" : first, fields: fields)
    }

    /// 422 for a single field.
    public static func invalid(_ field: String, _ message: String) -> APIError {
        validation([FieldError(field: field, message: message)])
    }

    /// 401.
    public static func unauthorized(_ message: String = "missing or invalid access token", code: String = "unauthorized")
        -> APIError
    {
        APIError(.unauthorized, code: code, message: message)
    }

    /// 403.
    public static func forbidden(_ message: String = "this needs the admin role") -> APIError {
        APIError(.forbidden, code: "forbidden", message: message)
    }

    /// 404. Another user's resource is reported exactly like a missing one.
    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", message: "\(what) not found")
    }

    /// 409: a unique field is taken.
    public static func conflict(field: String, _ message: String) -> APIError {
        APIError(.conflict, code: "\(field)_taken", message: message, fields: [FieldError(field: field, message: message)])
    }

    /// 413: the body is over the configured limit.
    public static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "payload_too_large", message: "request body is larger than \(limit) bytes")
    }

    /// 429.
    public static func tooManyRequests(code: String, _ message: String, retryAfter: Int) -> APIError {
        APIError(.tooManyRequests, code: code, message: message, retryAfterSeconds: max(1, retryAfter))
    }

    /// Seconds a client is told to wait (`Retry-After`) when the database cannot be reached.
    public static let storeRetryAfterSeconds = 2

    /// 503 `store_unavailable` with `Retry-After`: the database cannot be reached (it restarts,
    /// fails over, or every connection is busy); the client may send the request again after `Retry-After`.
    public static let storeUnavailable = APIError(
        .serviceUnavailable, code: "store_unavailable", message: "storage is unavailable for a moment; retry shortly",
        retryAfterSeconds: storeRetryAfterSeconds)

    /// 500, with nothing internal in the message.
    public static let internalError = APIError(
        .internalServerError, code: "internal_error", message: "the server could not handle the request")
}
