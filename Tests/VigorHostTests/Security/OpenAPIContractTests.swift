import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

/// The document is the contract: every constraint the server enforces is declared in
/// `/openapi.json`, and every declared constraint is enforced (by the same declaration).
@Suite("Security: OpenAPI contract and sizes")
struct OpenAPIContractTests {
    @Test("a known path asked with another method is 405 with Allow; an unknown path stays 404")
    func wrongMethod() async throws {
        try await TestHost.run { _, client in
            let user = try await client.register("methods")
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.delete, "/api/v1/auth/login", "POST"), (.put, "/api/v1/workouts/plans/7", "GET"),
                (.patch, "/api/v1/users/me", "DELETE, GET, PUT"), (.get, "/api/v1/ai/chat", "POST"), (.delete, "/v1/models", "GET"),
            ]
            for (method, path, allow) in cases {
                let reply = try await client.send(method, path, token: user.token)
                #expect(reply.status == .methodNotAllowed, "\(method) \(path): \(reply.text)")
                #expect(reply.headers[.allow] == allow, "\(method) \(path)")
            }
            let missing = try await client.send(.get, "/api/v1/nothing-here", token: user.token)
            missing.expectError(.notFound)
        }
    }

    @Test("null where not nullable, a fraction in an integer, a missing required body: 422/400 naming the field")
    func bodyShapes() async throws {
        try await TestHost.run { _, client in
            let register = try await client.send(
                .post, "/api/v1/auth/register",
                body: #"{"email":"n@example.com","username":"nully","password":"correct-horse-1","goals":null}"#)
            register.expectError(.unprocessableContent)
            #expect(register.errorFields == ["goals"])
            let user = try await client.register("shapes")
            let fraction = try await client.send(.post, "/api/v1/ai/workout-plan", token: user.token, body: #"{"weeks": 1.5}"#)
            fraction.expectError(.unprocessableContent)
            #expect(fraction.errorFields == ["weeks"])
            let nested = try await client.send(
                .post, "/api/v1/workouts/logs", token: user.token,
                body: #"{"plan_id":1,"duration_minutes":30,"rating":3,"exercises":[{"exercise_id":"push_up","sets":2.5,"reps":10}]}"#)
            nested.expectError(.unprocessableContent)
            #expect(nested.errorFields.contains("exercises[0].sets"), "\(nested.text)")
            for (method, path) in [
                (HTTPRequest.Method.put, "/api/v1/users/me"), (.post, "/api/v1/ai/chat"), (.post, "/api/v1/workouts/logs"),
            ] {
                let empty = try await client.send(method, path, token: user.token, body: "")
                empty.expectError(.badRequest)
            }
            // Bodies documented as optional may be left out.
            #expect(try await client.send(.post, "/api/v1/users/me/api-keys", token: user.token).status == .created)
            let notes = try await client.send(.post, "/api/v1/users/me/progress", token: user.token, json: ["notes": NSNull()])
            notes.expectError(.unprocessableContent)
            #expect(notes.errorFields.contains("notes"), "\(notes.text)")
            let nothing = try await client.send(.post, "/api/v1/users/me/progress", token: user.token, json: [String: Any]())
            nothing.expectError(.unprocessableContent)
            #expect((nothing.json["error"] as? [String: Any])?["message"] as? String == "body: give at least one measurement or a note")
        }
    }

    @Test("text caps count bytes and code points: 150 000 combining marks after one letter are refused")
    func combiningMarks() async throws {
        try await TestHost.run { host, client in
            let user = try await client.register("zalgo")
            let zalgo = "a" + String(repeating: "\u{0301}", count: 150_000)
            #expect(zalgo.count == 1 && zalgo.utf8.count > 300_000)
            let chat = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": zalgo])
            chat.expectError(.unprocessableContent)
            #expect(chat.errorFields == ["message"])
            let progress = try await client.send(.post, "/api/v1/users/me/progress", token: user.token, json: ["notes": zalgo])
            progress.expectError(.unprocessableContent)
            #expect(progress.errorFields == ["notes"])
            let key = try await client.send(
                .post, "/api/v1/users/me/api-keys", token: user.token,
                json: ["name": "k" + String(zalgo.prefix(1)) + String(repeating: "\u{0301}", count: 200)])
            key.expectError(.unprocessableContent)
            // Nothing was stored for the refused chat.
            #expect(try await host.store.conversations(userID: user.id, page: Page()).isEmpty)
            // Within the caps, multi-byte text is fine.
            let fine = try await client.send(
                .post, "/api/v1/users/me/progress", token: user.token, json: ["notes": String(repeating: "é", count: 2000)])
            #expect(fine.status == .created, "\(fine.text)")
        }
    }

    @Test("a NUL character (U+0000) in a text or a field name is a 422 naming the field, on every route that stores text")
    func nulCharacters() async throws {
        try await TestHost.run { host, client in
            let user = try await client.register("nulls")
            let chat = try await client.send(.post, "/api/v1/ai/chat", token: user.token, body: #"{"message":"rest\u0000days?"}"#)
            chat.expectError(.unprocessableContent)
            #expect(chat.errorFields == ["message"])
            let progress = try await client.send(.post, "/api/v1/users/me/progress", token: user.token, body: #"{"notes":"\u0000"}"#)
            progress.expectError(.unprocessableContent)
            let key = try await client.send(.post, "/api/v1/users/me/api-keys", token: user.token, body: #"{"name":"a\u0000b"}"#)
            key.expectError(.unprocessableContent)
            let register = try await client.send(
                .post, "/api/v1/auth/register",
                body: #"{"email":"z@example.com","username":"zz\u0000","password":"correct-horse-1"}"#)
            register.expectError(.unprocessableContent)
            #expect(register.errorFields == ["username"])
            #expect(try await host.store.conversations(userID: user.id, page: Page()).isEmpty)
        }
    }

    @Test("a client-written plan is capped: 413 over 256 KiB, 422 past the week, day and exercise caps")
    func planCaps() async throws {
        try await TestHost.run { _, client in
            let user = try await client.register("planner")
            let huge = #"{"title":"\#(String(repeating: "x", count: 300_000))"}"#
            let tooBig = try await client.send(.post, "/api/v1/workouts/plans", token: user.token, body: huge)
            tooBig.expectError(.contentTooLarge)
            let day: [String: Any] = ["day": 1, "rest": true]
            let weeks = (1...17).map { ["number": $0, "deload": false, "days": [day]] as [String: Any] }
            let tooLong = try await client.send(.post, "/api/v1/workouts/plans", token: user.token, json: ["weeks": weeks])
            tooLong.expectError(.unprocessableContent)
            #expect(tooLong.errorFields.contains("weeks"), "\(tooLong.text)")
            let days = (1...8).map { _ in day }
            let tooManyDays = try await client.send(
                .post, "/api/v1/workouts/plans", token: user.token, json: ["weeks": [["number": 1, "deload": false, "days": days]]])
            #expect(tooManyDays.errorFields.contains("weeks[0].days"), "\(tooManyDays.text)")
        }
    }

    @Test("per-user counts are capped: past the cap a create is 409 limit_reached")
    func perUserCaps() async throws {
        try await TestHost.run(configure: { $0.userLimits = UserLimits(plans: 1, workoutLogs: 1, progressEntries: 2, conversations: 1) }) {
            _, client in
            let user = try await client.register("hoarder")
            for expected in [HTTPResponse.Status.created, .created, .conflict] {
                let reply = try await client.send(.post, "/api/v1/users/me/progress", token: user.token, json: ["weight_kg": 80])
                #expect(reply.status == expected, "\(reply.text)")
                if expected == .conflict { #expect(reply.errorCode == "limit_reached") }
            }
            #expect(try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "hi"]).status == .ok)
            let second = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "again"])
            second.expectError(.conflict, code: "limit_reached")
            #expect(try await client.send(.post, "/api/v1/ai/workout-plan", token: user.token).status == .created)
            try await client.send(.post, "/api/v1/ai/workout-plan", token: user.token).expectError(.conflict, code: "limit_reached")
        }
    }

    @Test("every request schema bounds what it accepts: texts in characters and bytes, numbers in a range, arrays in length")
    func documentDeclaresBounds() async throws {
        try await TestHost.run { _, client in
            let document = try #require(
                try JSONSerialization.jsonObject(with: try await client.send(.get, "/openapi.json").body) as? [String: Any])
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            var unbounded: [String] = []
            var seen = Set<String>()
            func walk(_ schema: [String: Any], _ path: String) {
                if let ref = schema["$ref"] as? String, let name = ref.split(separator: "/").last.map(String.init) {
                    guard seen.insert(name).inserted, let target = schemas[name] as? [String: Any] else { return }
                    walk(target, name)
                    return
                }
                let types = (schema["type"] as? [String]) ?? [(schema["type"] as? String)].compactMap { $0 }
                if (schema["readOnly"] as? Bool) == true { return }
                if types.contains("string"), schema["enum"] == nil, schema["format"] == nil {
                    if schema["maxLength"] == nil || schema["x-max-bytes"] == nil { unbounded.append(path) }
                }
                if types.contains("integer") || types.contains("number"), schema["enum"] == nil {
                    if schema["minimum"] == nil || schema["maximum"] == nil { unbounded.append(path) }
                }
                if types.contains("array"), schema["maxItems"] == nil { unbounded.append(path) }
                for (name, child) in (schema["properties"] as? [String: Any]) ?? [:] {
                    if let child = child as? [String: Any] { walk(child, "\(path).\(name)") }
                }
                if let items = schema["items"] as? [String: Any] { walk(items, "\(path)[]") }
                if let extra = schema["additionalProperties"] as? [String: Any] { walk(extra, "\(path).*") }
            }
            // `/v1/…` check their own bodies, OpenAI's way; `/admin/models` (model overrides) is checked by its own route.
            for (path, operations) in document["paths"] as? [String: Any] ?? [:]
            where !path.hasPrefix("/v1/") && !path.hasPrefix("/api/v1/admin/models") {
                for (method, operation) in operations as? [String: Any] ?? [:] {
                    guard let body = (operation as? [String: Any])?["requestBody"] as? [String: Any] else { continue }
                    let content = (body["content"] as? [String: Any])?["application/json"] as? [String: Any]
                    if let schema = content?["schema"] as? [String: Any] { walk(schema, "\(method.uppercased()) \(path)") }
                    #expect(body["required"] is Bool, "\(method) \(path)")
                }
            }
            #expect(unbounded.isEmpty, "unbounded request fields: \(unbounded)")
            let register = try #require(schemas["RegisterRequest"] as? [String: Any])
            let username = try #require((register["properties"] as? [String: Any])?["username"] as? [String: Any])
            #expect(username["pattern"] as? String == "^[A-Za-z0-9_.-]{3,50}$")
            let paths = try #require(document["paths"] as? [String: Any])
            let keys = try #require((paths["/api/v1/users/me/api-keys"] as? [String: Any])?["post"] as? [String: Any])
            #expect((keys["requestBody"] as? [String: Any])?["required"] as? Bool == false)
        }
    }
}
