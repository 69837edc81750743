import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

@Suite("Operations: health, readiness, metrics, OpenAPI, CORS")
struct OpsTests {
    @Test("/health is 200 ok; /ready reflects the store and the AI layer")
    func healthAndReady() async throws {
        try await TestHost.run { _, client in
            let health = try await client.send(.get, "/health")
            #expect(health.status == .ok)
            #expect(health.json["status"] as? String == "ok")
            let ready = try await client.send(.get, "/ready")
            #expect(ready.status == .ok)
            #expect((ready.json["checks"] as? [String: String])?["store"] == "ok")
        }
        try await TestHost.run(coachAI: TestCoachAI(ready: false)) { _, client in
            let ready = try await client.send(.get, "/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect((ready.json["checks"] as? [String: String])?["store"] == "ok")
        }
        try await TestHost.run { host, client in
            try await host.store.close()
            let ready = try await client.send(.get, "/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect((ready.json["checks"] as? [String: String])?["store"] == "failing")
        }
    }

    @Test("/metrics is Prometheus text with requests by route and status and a latency histogram")
    func metrics() async throws {
        try await TestHost.run { _, client in
            _ = try await client.send(.get, "/health")
            _ = try await client.send(.get, "/api/v1/auth/me")
            _ = try await client.send(.get, "/api/v1/workouts/plans/12")
            let reply = try await client.send(.get, "/metrics")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = reply.text
            #expect(text.contains(#"vigor_http_requests_total{route="/health",method="GET",status="200"} 1"#), "\(text)")
            #expect(text.contains(#"route="/api/v1/auth/me",method="GET",status="401""#))
            #expect(text.contains(#"route="/api/v1/workouts/plans/{id}""#))
            #expect(text.contains("# TYPE vigor_http_request_duration_seconds histogram"))
            #expect(text.contains("vigor_http_request_duration_seconds_bucket"))
        }
    }

    @Test("/openapi.json is OpenAPI 3.1 and names every route the router serves")
    func openAPICoversRouter() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-openapi-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = VigorConfiguration(
            databasePath: folder.appendingPathComponent("db.sqlite").path, jwtSecret: String(repeating: "s", count: 40),
            bcryptCost: 4)
        let store = try await VigorServer.openStore(configuration: configuration, logger: TestHost.logger)
        let built = try await VigorServer.buildRouter(
            configuration: configuration, store: store, coachAI: TestCoachAI(), logger: TestHost.logger)
        let served = built.router.routes.map { "\($0.method.rawValue) \($0.path.description)" }
        #expect(served.count >= 25)
        let app = Application(router: built.router, logger: TestHost.logger)
        try await app.test(.router) { client in
            let reply = try await client.send(.get, "/openapi.json")
            #expect(reply.status == .ok)
            #expect(reply.json["openapi"] as? String == "3.1.0")
            let paths = try #require(reply.json["paths"] as? [String: [String: Any]])
            for route in served {
                let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
                let operation = paths[parts[1]]?[parts[0].lowercased()] as? [String: Any]
                #expect(operation != nil, "\(route) is served but not documented")
                #expect(operation?["responses"] != nil)
            }
            let documented = paths.flatMap { path, methods in methods.keys.map { "\($0.uppercased()) \(path)" } }
            #expect(Set(documented) == Set(served))
            // Every schema a route refers to exists.
            let schemas = try #require((reply.json["components"] as? [String: Any])?["schemas"] as? [String: Any])
            for reference in Self.references(in: reply.text) {
                #expect(schemas[reference] != nil, "missing schema \(reference)")
            }
        }
        try await store.close()
    }

    static func references(in text: String) -> Set<String> {
        let marker = "#/components/schemas/"
        var found: Set<String> = []
        var rest = Substring(text)
        while let range = rest.range(of: marker) {
            let tail = rest[range.upperBound...]
            let name = tail.prefix { $0 != "\"" }
            found.insert(String(name))
            rest = tail
        }
        return found
    }

    @Test("CORS: nothing by default; configured origins get headers and preflights")
    func cors() async throws {
        let preflight: HTTPFields = [
            .origin: "https://app.example.com", .accessControlRequestMethod: "POST",
        ]
        try await TestHost.run { _, client in
            let plain = try await client.send(.get, "/health", headers: [.origin: "https://app.example.com"])
            #expect(plain.headers[.accessControlAllowOrigin] == nil)
            let refused = try await client.send(.options, "/api/v1/ai/chat", headers: preflight)
            refused.expectError(.forbidden, code: "cors_origin_not_allowed")
            // The refusal is answered before any route, and still carries the request's id.
            #expect(refused.headers[RequestIDs.header] != nil)
            #expect(refused.headers[RequestIDs.header] == (refused.json["error"] as? [String: Any])?["request_id"] as? String)
        }
        try await TestHost.run(configure: { $0.corsOrigins = ["https://app.example.com"] }) { _, client in
            let allowed = try await client.send(.options, "/api/v1/ai/chat", headers: preflight)
            #expect(allowed.status == .noContent)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(allowed.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            let simple = try await client.send(.get, "/health", headers: [.origin: "https://app.example.com"])
            #expect(simple.headers[.accessControlAllowOrigin] == "https://app.example.com")
            let other = try await client.send(.get, "/health", headers: [.origin: "https://evil.example.com"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            // Error answers are opened to the allowed origin too: a 401, a 405 and a 404, each
            // with its id, in the error shape.
            let origin: HTTPFields = [.origin: "https://app.example.com", RequestIDs.header: "cors-check-1"]
            let unauthorized = try await client.send(.post, "/api/v1/ai/chat", body: "{}", headers: origin)
            unauthorized.expectError(.unauthorized)
            let wrongMethod = try await client.send(.delete, "/health", headers: origin)
            wrongMethod.expectError(.methodNotAllowed, code: "method_not_allowed")
            #expect(wrongMethod.headers[.allow] == "GET")
            let unknown = try await client.send(.get, "/api/v1/no-such-thing", headers: origin)
            unknown.expectError(.notFound)
            for reply in [unauthorized, wrongMethod, unknown] {
                #expect(reply.headers[.accessControlAllowOrigin] == "https://app.example.com")
                #expect(reply.headers[RequestIDs.header] == "cors-check-1")
            }
        }
    }
}
