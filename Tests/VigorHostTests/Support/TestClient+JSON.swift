import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A response as tests read it.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Data

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// `error.code` of an error body.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }

    /// The fields named by a 422.
    var errorFields: [String] {
        ((json["error"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    /// `items` of a list body.
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }

    /// Checks the JSON error shape and the status.
    func expectError(_ status: HTTPResponse.Status, code: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.status == status, "body: \(text)", sourceLocation: sourceLocation)
        let error = json["error"] as? [String: Any]
        #expect(error?["message"] is String, "no error.message in \(text)", sourceLocation: sourceLocation)
        #expect((error?["request_id"] as? String)?.isEmpty == false, "no request_id in \(text)", sourceLocation: sourceLocation)
        if let code { #expect(errorCode == code, "body: \(text)", sourceLocation: sourceLocation) }
    }
}

/// Serialises a JSON literal written as a Swift dictionary or array.
func jsonText(_ value: Any) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}

extension TestClientProtocol {
    /// Sends a request with an optional bearer token and raw body.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let buffer = body.map { ByteBuffer(string: $0) }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            Reply(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }

    /// Sends a JSON value.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: Any) async throws -> Reply {
        let text = jsonText(json)
        return try await send(method, uri, token: token, body: text)
    }

    /// Registers an account and returns `(id, access token, refresh token)`.
    @discardableResult
    func register(
        _ username: String, email: String? = nil, password: String = "correct-horse-battery"
    ) async throws -> (id: Int64, token: String, refresh: String) {
        let body = jsonText(["email": email ?? "\(username)@example.com", "username": username, "password": password])
        let reply = try await send(.post, "/api/v1/auth/register", body: body)
        #expect(reply.status == .created, "register failed: \(reply.text)")
        let json = reply.json
        return (
            (json["id"] as? NSNumber)?.int64Value ?? 0, json["access_token"] as? String ?? "",
            json["refresh_token"] as? String ?? ""
        )
    }
}
