import Foundation
import Hummingbird

/// Errors on the OpenAI-compatible routes (`/v1/…`) in OpenAI's shape,
/// `{"error":{"message","type","param","code"}}`, so OpenAI SDKs raise their usual
/// exceptions (`AuthenticationError`, `RateLimitError`, `BadRequestError`, ...).
/// The status codes are the host's; a 422 (invalid field) is reported as 400, as OpenAI does.
struct OpenAIErrorBody: Encodable {
    struct Body: Encodable {
        var message: String
        var type: String
        var param: String?
        var code: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(message, forKey: .message)
            try c.encode(type, forKey: .type)
            try c.encode(param, forKey: .param)
            try c.encode(code, forKey: .code)
        }

        enum CodingKeys: String, CodingKey { case message, type, param, code }
    }

    var error: Body

    /// Whether a request is on an OpenAI-compatible route.
    static func applies(to request: Request) -> Bool {
        request.uri.path.hasPrefix("/v1/")
    }

    /// OpenAI's `type` and `code` for an error.
    init(_ error: APIError) {
        var message = error.message
        let type: String
        var code: String? = error.code
        switch error.status.code {
        case 401:
            type = "invalid_request_error"
            code = "invalid_api_key"
        case 429:
            if error.limit?.hasSuffix("budget") == true {
                type = "insufficient_quota"
                code = "insufficient_quota"
            } else {
                type = "requests"
                code = "rate_limit_exceeded"
            }
            if let limit = error.limit { message += " (limit: \(limit))" }
        case 400..<500:
            type = "invalid_request_error"
        default:
            type = "server_error"
        }
        self.error = Body(message: message, type: type, param: error.fields.first?.field, code: code)
    }

    /// The response for `error` on a `/v1` route.
    static func render(_ error: APIError) -> Response {
        let status: HTTPResponse.Status = error.status == .unprocessableContent ? .badRequest : error.status
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let retry = error.retryAfterSeconds { headers[.retryAfter] = String(retry) }
        if let rateLimit = error.rateLimit { RateLimitHeaders.apply(rateLimit, to: &headers, openAI: true) }
        let data =
            (try? JSONEncoder().encode(OpenAIErrorBody(error)))
            ?? Data(#"{"error":{"message":"internal error","type":"server_error","param":null,"code":null}}"#.utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// One SSE `data:` line carrying an error (a stream cut after text was sent).
    static func eventData(_ error: APIError) -> String {
        let data = (try? JSONEncoder().encode(OpenAIErrorBody(error))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
