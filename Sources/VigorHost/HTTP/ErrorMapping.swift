import Foundation
import GRDB
import Hummingbird
import Logging
import NIOHTTP1

/// Turns every error a route throws into the JSON error shape
/// `{"error":{"code","message","request_id"}}` with the right status (OpenAI's shape on the
/// `/v1` routes). Nothing escapes as a bare 500: unknown errors are logged and reported as
/// `internal_error`.
enum ErrorMapping {
    /// The response for an error a route threw, logged by its gravity.
    static func response(for error: any Error, request: Request, context: VigorRequestContext) -> Response {
        let apiError = apiError(for: error)
        if apiError.code == APIError.internalError.code {
            context.logger.error(
                "request failed", metadata: ["error": "\(String(reflecting: error))", "status": "\(apiError.status.code)"])
        } else if apiError.status.code >= 500 {
            context.logger.warning(
                "request failed", metadata: ["error": "\(String(reflecting: error))", "status": "\(apiError.status.code)"])
        } else {
            context.logger.debug("request refused", metadata: ["error": "\(apiError)"])
        }
        var response =
            OpenAIErrorBody.applies(to: request)
            ? OpenAIErrorBody.render(apiError) : render(apiError, requestID: context.requestID)
        if let allow = apiError.allow { response.headers[.allow] = allow }
        return response
    }

    /// Maps any error to the ``APIError`` the client sees.
    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as AIError:
            let status = HTTPResponse.Status(code: error.httpStatus)
            return APIError(
                status, code: error.code.rawValue, message: error.message, retryAfterSeconds: error.retryAfterSeconds,
                limit: error.limit)
        case let error as StoreError:
            switch error.code {
            case .notFound: return .notFound(error.field ?? "resource")
            case .conflict: return .conflict(field: error.field ?? "resource", "\(error.field ?? "resource") already exists")
            case .invalidReference: return .invalid(error.field ?? "reference", error.message)
            case .unavailable: return .storeUnavailable
            }
        case let error as DatabaseError where storeUnavailable(error):
            return .storeUnavailable
        case let error as HTTPError:
            return APIError(error.status, code: code(for: error.status), message: error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            return APIError(error.status, code: code(for: error.status), message: error.status.reasonPhrase)
        case is DecodingError:
            return .malformed("request body is not valid JSON for this route")
        case is HTTPParserError:
            // Malformed framing (a bad chunk size, an unknown transfer coding) met while reading the body.
            return .malformed("the request's HTTP framing is invalid")
        default:
            return .internalError
        }
    }

    /// Whether a SQLite error means the database cannot be used now (503 with `Retry-After`,
    /// as ``StoreError/Code/unavailable``), not that the request or the code is wrong. The SQLite
    /// store maps constraint errors to ``StoreError`` and passes the others on as they are:
    /// a write lock held past the busy timeout (another process migrating), I/O errors, a full
    /// or read-only disk, a damaged file, and a store already closed (during shutdown).
    static func storeUnavailable(_ error: DatabaseError) -> Bool {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_NOMEM,
            .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_PROTOCOL:
            return true
        case .SQLITE_MISUSE:
            // A closed pool: GRDB says "Connection is closed" on a read, and a write on the
            // closed writer gets SQLite's own misuse text ("out of memory"). The store makes no
            // other misuse; the error is logged whole with the 503.
            return true
        default:
            return false
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 429: "too_many_requests"
        case 503: "service_unavailable"
        default: status.code >= 500 ? "internal_error" : "http_\(status.code)"
        }
    }

    /// The response for an error.
    static func render(_ error: APIError, requestID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if let retry = error.retryAfterSeconds { headers[.retryAfter] = String(retry) }
        if let status = error.rateLimit { RateLimitHeaders.apply(status, to: &headers) }
        let body = ErrorEnvelope(
            error: .init(
                code: error.code, message: error.message, requestID: requestID, limit: error.limit,
                fields: error.fields.isEmpty ? nil : error.fields.map { .init(field: $0.field, message: $0.message) }))
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":{"code":"internal_error"}}"#.utf8)
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The JSON error shape.
struct ErrorEnvelope: Codable {
    struct Body: Codable {
        struct Field: Codable {
            var field: String
            var message: String
        }
        var code: String
        var message: String
        var requestID: String
        var limit: String?
        var fields: [Field]?

        enum CodingKeys: String, CodingKey {
            case code, message, fields, limit
            case requestID = "request_id"
        }
    }
    var error: Body
}
