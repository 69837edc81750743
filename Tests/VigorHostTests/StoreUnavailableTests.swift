import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigorCoaching
import VigorPluginSDK

@testable import VigorHost

/// A database that cannot be used answers 503 with `Retry-After` in the route's error shape,
/// never 500: clients retry instead of reporting a bug.
@Suite("Store unavailable: 503 with Retry-After, never 500")
struct StoreUnavailableTests {
    /// Checks a 503 `store_unavailable` reply in Vigor's error shape.
    static func expectUnavailable(_ reply: Reply, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == .serviceUnavailable, "\(what): \(reply.status) \(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.headers[.retryAfter] == String(APIError.storeRetryAfterSeconds), "\(what)", sourceLocation: sourceLocation)
        let error = reply.json["error"] as? [String: Any]
        #expect(error?["code"] as? String == "store_unavailable", "\(what): \(reply.text)", sourceLocation: sourceLocation)
        #expect((error?["request_id"] as? String)?.isEmpty == false, "\(what)", sourceLocation: sourceLocation)
        #expect(error?["message"] is String, "\(what)", sourceLocation: sourceLocation)
    }

    @Test("a closed store: login, profile, chat, plans and the OpenAI route all answer 503 with Retry-After")
    func closedStore() async throws {
        try await TestHost.run { host, client in
            let user = try await client.register("outage")
            try await host.store.close()

            Self.expectUnavailable(
                try await client.send(
                    .post, "/api/v1/auth/login", json: ["email": "outage@example.com", "password": "correct-horse-battery"]),
                "login")
            Self.expectUnavailable(
                try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": user.refresh]), "refresh")
            Self.expectUnavailable(try await client.send(.get, "/api/v1/users/me", token: user.token), "profile")
            Self.expectUnavailable(
                try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "Plan my week"]), "chat")
            Self.expectUnavailable(try await client.send(.get, "/api/v1/workouts/plans", token: user.token), "plans")

            // The OpenAI-compatible route keeps OpenAI's error shape, with the same status and header.
            let openAI = try await client.send(
                .post, "/v1/chat/completions", token: user.token,
                json: ["model": "vigor-coach", "messages": [["role": "user", "content": "hi"]]])
            #expect(openAI.status == .serviceUnavailable, "\(openAI.text)")
            #expect(openAI.headers[.retryAfter] == String(APIError.storeRetryAfterSeconds))
            #expect((openAI.json["error"] as? [String: Any])?["message"] is String, "\(openAI.text)")
        }
    }

    @Test("StoreError(.unavailable) from the AI layer (the ledger's database) is 503 with Retry-After on chat and plans")
    func unavailableFromAILayer() async throws {
        try await runHost(coachAI: UnavailableCoachAI()) { _, client in
            let user = try await client.register("ledger")
            Self.expectUnavailable(try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "hello"]), "chat")
            Self.expectUnavailable(
                try await client.send(.post, "/api/v1/ai/workout-plan", token: user.token, json: ["days_per_week": 3]), "plan")
        }
        // The mapping itself, for every path that asks it (the SSE relay's error event included).
        let mapped = ErrorMapping.apiError(for: StoreError(.unavailable, "connection refused"))
        #expect(mapped.status == .serviceUnavailable && mapped.retryAfterSeconds == APIError.storeRetryAfterSeconds)
        #expect(ChatStreamRelay.streamError(StoreError(.unavailable, "gone")).code == "store_unavailable")
    }
}

/// A ``CoachAI`` whose database is away: every call fails as the store would.
struct UnavailableCoachAI: CoachAI {
    var isReady: Bool { true }

    func chat(_ request: ChatRequest, context: AIRequestContext) async throws -> CoachReply {
        throw StoreError(.unavailable, "the ledger's database is restarting")
    }

    func generatePlan(profile: FitnessProfile, request: PlanRequest, context: AIRequestContext) async throws -> GeneratedPlan {
        throw StoreError(.unavailable, "the ledger's database is restarting")
    }
}
