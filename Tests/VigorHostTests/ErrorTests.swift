import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

@Suite("Error statuses and the error shape")
struct ErrorTests {
    @Test("malformed JSON is 400, wrong types are 422 naming the field")
    func malformedAndTyped() async throws {
        try await TestHost.run { _, client in
            let account = try await client.register("ivan")
            let broken = try await client.send(.post, "/api/v1/auth/login", body: "{\"email\": ")
            broken.expectError(.badRequest, code: "malformed_request")
            let notObject = try await client.send(.post, "/api/v1/auth/login", body: "[1, 2]")
            notObject.expectError(.badRequest, code: "malformed_request")
            let empty = try await client.send(.put, "/api/v1/users/me", token: account.token, body: "")
            empty.expectError(.badRequest)
            let typed = try await client.send(
                .put, "/api/v1/users/me", token: account.token, json: ["fitness_level": "beginner", "days_per_week": "3"])
            typed.expectError(.unprocessableContent)
            #expect(typed.errorFields == ["days_per_week"])
        }
    }

    @Test("field rules give 422 naming the field")
    func fieldRules() async throws {
        try await TestHost.run { _, client in
            let account = try await client.register("judy")
            let profile = try await client.send(
                .put, "/api/v1/users/me", token: account.token, json: ["fitness_level": "beginner", "days_per_week": 9])
            profile.expectError(.unprocessableContent, code: "validation_failed")
            #expect(profile.errorFields == ["days_per_week"])

            let long = try await client.send(
                .post, "/api/v1/ai/chat", token: account.token, json: ["message": String(repeating: "a", count: 4001)])
            long.expectError(.unprocessableContent)
            #expect(long.errorFields == ["message"])
            let blank = try await client.send(.post, "/api/v1/ai/chat", token: account.token, json: ["message": "  "])
            #expect(blank.errorFields == ["message"])

            let plan = try await client.send(.post, "/api/v1/ai/workout-plan", token: account.token, json: ["weeks": 40])
            #expect(plan.errorFields == ["weeks"])

            let progress = try await client.send(
                .post, "/api/v1/users/me/progress", token: account.token, json: ["date": "2026-02-30", "weight_kg": 70])
            #expect(progress.errorFields == ["date"])

            let log = try await client.send(
                .post, "/api/v1/workouts/logs", token: account.token,
                json: ["plan_id": 1, "duration_minutes": 30, "exercises": [], "rating": 6])
            #expect(log.errorFields == ["rating"])
        }
    }

    @Test("bodies over the configured limit are 413")
    func tooLarge() async throws {
        try await TestHost.run(configure: { $0.maxBodyBytes = 2048 }) { _, client in
            let account = try await client.register("kim")
            let big = jsonText(["message": String(repeating: "x", count: 5000)])
            let reply = try await client.send(.post, "/api/v1/ai/chat", token: account.token, body: big)
            reply.expectError(.contentTooLarge, code: "payload_too_large")
            // Also on a route that never reads its body, from Content-Length alone.
            let declared = try await client.send(.get, "/health", body: big)
            declared.expectError(.contentTooLarge, code: "payload_too_large")
        }
    }

    @Test("unknown routes are 404 in the error shape; another method on a known route is 405 with Allow")
    func unknownRoute() async throws {
        try await TestHost.run { _, client in
            try await client.send(.get, "/api/v1/nothing-here").expectError(.notFound)
            let wrongMethod = try await client.send(.delete, "/health")
            wrongMethod.expectError(.methodNotAllowed, code: "method_not_allowed")
            #expect(wrongMethod.headers[.allow] == "GET")
            let account = try await client.register("liam")
            try await client.send(.get, "/api/v1/workouts/plans/abc", token: account.token).expectError(.notFound)
            try await client.send(.get, "/api/v1/workouts/plans/99", token: account.token).expectError(.notFound)
        }
    }

    @Test("AI failures keep their status: 503 no provider, 429 quota with Retry-After")
    func aiFailures() async throws {
        let down = TestCoachAI(
            chatError: AIError(.noProvider, "no provider is loaded"), planError: AIError(.noProvider, "no generator"))
        try await TestHost.run(coachAI: down) { _, client in
            let account = try await client.register("mia")
            let chat = try await client.send(.post, "/api/v1/ai/chat", token: account.token, json: ["message": "hi"])
            chat.expectError(.serviceUnavailable, code: "no_provider")
            let plan = try await client.send(.post, "/api/v1/ai/workout-plan", token: account.token, body: "{}")
            plan.expectError(.serviceUnavailable, code: "no_provider")
            // Nothing was stored for the failed turn.
            let conversations = try await client.send(.get, "/api/v1/ai/conversations", token: account.token)
            #expect(conversations.items.isEmpty)
        }
        let limited = TestCoachAI(
            chatError: AIError(.quotaExceeded, "daily limit reached", retryAfterSeconds: 120, limit: "requests_per_day"))
        try await TestHost.run(coachAI: limited) { _, client in
            let account = try await client.register("noah")
            let chat = try await client.send(.post, "/api/v1/ai/chat", token: account.token, json: ["message": "hi"])
            chat.expectError(.tooManyRequests, code: "quota_exceeded")
            #expect(chat.headers[.retryAfter] == "120")
            #expect((chat.json["error"] as? [String: Any])?["limit"] as? String == "requests_per_day")
        }
    }

    @Test("every response carries a request id; a sane client id is echoed, a bad one replaced")
    func requestIDs() async throws {
        try await TestHost.run { _, client in
            let header = HTTPField.Name("X-Request-Id")!
            let echoed = try await client.send(.get, "/health", headers: [header: "client-abc.123"])
            #expect(echoed.headers[header] == "client-abc.123")
            let replaced = try await client.send(.get, "/health", headers: [header: "bad id with spaces"])
            let generated = try #require(replaced.headers[header])
            #expect(generated != "bad id with spaces" && !generated.isEmpty)
            #expect(UUID(uuidString: generated)?.uuidString.lowercased() == generated, "a lower-case UUID: \(generated)")
            let error = try await client.send(.get, "/api/v1/auth/me", headers: [header: "trace-42"])
            #expect(error.headers[header] == "trace-42")
            #expect((error.json["error"] as? [String: Any])?["request_id"] as? String == "trace-42")
        }
    }

    @Test("generated request ids are version-4 UUIDs: 36 characters, the version and variant bits set, all distinct")
    func generatedRequestIDs() {
        var seen = Set<String>()
        for _ in 0..<2000 {
            let id = RequestIDs.generate()
            let bytes = Array(id.utf8)
            #expect(bytes.count == 36 && RequestIDs.isSane(id))
            #expect([8, 13, 18, 23].allSatisfy { bytes[$0] == UInt8(ascii: "-") }, "dashes: \(id)")
            #expect(bytes[14] == UInt8(ascii: "4"), "version nibble: \(id)")
            #expect("89ab".utf8.contains(bytes[19]), "variant nibble: \(id)")
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
            seen.insert(id)
        }
        #expect(seen.count == 2000)
    }
}
