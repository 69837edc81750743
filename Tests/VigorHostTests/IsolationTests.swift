import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

@Suite("Every resource is scoped to its owner")
struct IsolationTests {
    @Test("another user's conversation, plan and log are 404 everywhere")
    func crossUser() async throws {
        try await TestHost.run { _, client in
            let owner = try await client.register("olga")
            let other = try await client.register("pete")

            let chat = try await client.send(.post, "/api/v1/ai/chat", token: owner.token, json: ["message": "hello"])
            let conversationID = try #require((chat.json["conversation_id"] as? NSNumber)?.int64Value)
            let plan = try await client.send(.post, "/api/v1/ai/workout-plan", token: owner.token, body: "{}")
            #expect(plan.status == .created)
            let planID = try #require((plan.json["id"] as? NSNumber)?.int64Value)
            let weeks = try #require(plan.json["weeks"] as? [[String: Any]])
            let exercise = try #require(
                (JourneyTests.firstSession(weeks)?["exercises"] as? [[String: Any]])?.first?["exercise_id"] as? String)
            let log = try await client.send(
                .post, "/api/v1/workouts/logs", token: owner.token,
                json: [
                    "plan_id": planID, "duration_minutes": 30, "rating": 3,
                    "exercises": [["exercise_id": exercise, "sets": 2, "reps": 8]],
                ])
            #expect(log.status == .created, "\(log.text)")
            let logID = try #require((log.json["id"] as? NSNumber)?.int64Value)
            let progress = try await client.send(
                .post, "/api/v1/users/me/progress", token: owner.token, json: ["weight_kg": 80])
            #expect(progress.status == .created)

            // Direct reads by id.
            try await client.send(.get, "/api/v1/ai/conversations/\(conversationID)", token: other.token)
                .expectError(.notFound)
            try await client.send(.get, "/api/v1/workouts/plans/\(planID)", token: other.token).expectError(.notFound)
            try await client.send(.post, "/api/v1/ai/analyze-workout/\(logID)", token: other.token)
                .expectError(.notFound)
            // Writes that reference the owner's rows.
            try await client.send(
                .post, "/api/v1/ai/chat", token: other.token,
                json: ["message": "sneaky", "conversation_id": conversationID]
            ).expectError(.notFound)
            try await client.send(
                .post, "/api/v1/workouts/logs", token: other.token,
                json: [
                    "plan_id": planID, "duration_minutes": 30, "rating": 3,
                    "exercises": [["exercise_id": exercise, "sets": 2, "reps": 8]],
                ]
            ).expectError(.notFound)
            // Lists show nothing of the owner's.
            for path in [
                "/api/v1/ai/conversations", "/api/v1/workouts/plans", "/api/v1/workouts/logs", "/api/v1/users/me/progress",
            ] {
                let list = try await client.send(.get, path, token: other.token)
                #expect(list.status == .ok)
                #expect(list.items.isEmpty, "\(path) leaked \(list.text)")
            }
            // The owner still sees everything, and the other user's attempt added no message.
            let detail = try await client.send(.get, "/api/v1/ai/conversations/\(conversationID)", token: owner.token)
            #expect((detail.json["messages"] as? [[String: Any]])?.count == 2)
            let usage = try await client.send(.get, "/api/v1/users/me/usage", token: other.token)
            let day = (usage.json["periods"] as? [[String: Any]])?.first { $0["period"] as? String == "day" }
            #expect(day?["requests_used"] as? Int == 0)
        }
    }

    @Test("the store itself scopes reads by owner")
    func storeScoping() async throws {
        try await TestHost.run { host, _ in
            let store = host.store
            let a = try await store.createUser(NewUser(email: "a@example.com", username: "user-a", passwordHash: "x"), now: Date())
            let b = try await store.createUser(NewUser(email: "b@example.com", username: "user-b", passwordHash: "x"), now: Date())
            let plan = try await store.createPlan(userID: a.id, source: "client", planJSON: "{}", now: Date())
            #expect(try await store.plan(id: plan.id, userID: a.id) != nil)
            #expect(try await store.plan(id: plan.id, userID: b.id) == nil)
            let conversation = try await store.createConversation(userID: a.id, title: "t", now: Date())
            #expect(try await store.conversation(id: conversation.id, userID: b.id) == nil)
            #expect(try await store.recentMessages(conversationID: conversation.id, userID: b.id, limit: 10).isEmpty)
            await #expect(throws: StoreError.self) {
                try await store.appendMessages(
                    [NewMessage(role: "user", content: "x")], conversationID: conversation.id, userID: b.id, now: Date())
            }
            await #expect(throws: StoreError.self) {
                try await store.createWorkoutLog(
                    NewWorkoutLog(
                        planID: plan.id, performedOn: "2026-01-01", durationMinutes: 10, exercisesJSON: "[]", notes: "",
                        rating: 3), userID: b.id, now: Date())
            }
        }
    }
}
