import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

@Suite("The whole user journey")
struct JourneyTests {
    @Test("register → profile → chat → plan → log → analysis → usage")
    func journey() async throws {
        try await TestHost.run { host, client in
            // Register with fitness fields: 201 and the contract's shape.
            let registered = try await client.send(
                .post, "/api/v1/auth/register",
                json: [
                    "email": "Ada@Example.com", "username": "ada", "password": "correct-horse-battery",
                    "fitness_level": "beginner", "goals": ["muscle_gain"], "equipment": ["body_only", "dumbbell"],
                ])
            #expect(registered.status == .created)
            let account = registered.json
            #expect(account["username"] as? String == "ada")
            #expect(account["email"] as? String == "ada@example.com")
            #expect(account["tier"] as? String == "free")
            #expect(account["token_type"] as? String == "bearer")
            #expect(account["expires_at"] is String)
            #expect(account["id"] is NSNumber)
            let token = try #require(account["access_token"] as? String)
            #expect((account["refresh_token"] as? String)?.isEmpty == false)
            #expect(registered.headers[.init("X-Request-Id")!] != nil)

            // The registration's fitness fields became the profile.
            let profile = try await client.send(.get, "/api/v1/users/me", token: token)
            #expect(profile.status == .ok)
            #expect(profile.json["fitness_level"] as? String == "beginner")
            #expect(profile.json["equipment"] as? [String] == ["body_only", "dumbbell"])

            // Replace the profile.
            let newProfile: [String: Any] = [
                "fitness_level": "intermediate", "goals": ["strength"],
                "equipment": ["body_only", "dumbbell", "bench", "barbell", "rack"], "days_per_week": 3,
                "session_minutes": 60,
                "injuries": [["area": "knee", "severity": "mild", "avoid": ["plyometric"]]],
            ]
            let put = try await client.send(.put, "/api/v1/users/me", token: token, json: newProfile)
            #expect(put.status == .ok)
            #expect(put.json["fitness_level"] as? String == "intermediate")
            let reread = try await client.send(.get, "/api/v1/users/me", token: token)
            #expect(reread.json["session_minutes"] as? Int == 60)

            // Progress.
            let progress = try await client.send(
                .post, "/api/v1/users/me/progress", token: token,
                json: ["date": "2026-01-05", "weight_kg": 72.5, "measurements": ["waist": 80], "notes": "start"])
            #expect(progress.status == .created)
            #expect(progress.json["weight_kg"] as? Double == 72.5)
            let progressList = try await client.send(.get, "/api/v1/users/me/progress", token: token)
            #expect(progressList.items.count == 1)

            // Chat twice in one conversation: the second turn carries history and profile.
            let first = try await client.send(.post, "/api/v1/ai/chat", token: token, json: ["message": "How do I squat?"])
            #expect(first.status == .ok, "\(first.text)")
            let conversationID = try #require((first.json["conversation_id"] as? NSNumber)?.int64Value)
            #expect(first.json["provider"] as? String == "test")
            #expect(first.json["model"] as? String == "test-coach-1")
            let usage = try #require(first.json["usage"] as? [String: Any])
            #expect(usage["completion_tokens"] as? Int == 12)
            #expect(usage["cost_usd"] as? Double == 0.0015)
            #expect((first.json["reply"] as? String)?.contains("How do I squat?") == true)

            let second = try await client.send(
                .post, "/api/v1/ai/chat", token: token,
                json: ["message": "And deadlifts?", "conversation_id": conversationID])
            #expect(second.status == .ok)
            #expect((second.json["conversation_id"] as? NSNumber)?.int64Value == conversationID)
            let sent = try #require(host.coachAI.requests.last)
            #expect(sent.messages.map(\.role) == ["system", "user", "assistant", "user"])
            #expect(sent.messages[1].content == "How do I squat?")
            #expect(sent.messages.last?.content == "And deadlifts?")
            #expect(sent.messages[0].content.contains("\"fitness_level\":\"intermediate\""))
            #expect(sent.profileJSON?.contains("intermediate") == true)

            let conversations = try await client.send(.get, "/api/v1/ai/conversations", token: token)
            #expect(conversations.items.count == 1)
            #expect(conversations.items.first?["title"] as? String == "How do I squat?")
            let detail = try await client.send(.get, "/api/v1/ai/conversations/\(conversationID)", token: token)
            #expect((detail.json["messages"] as? [[String: Any]])?.count == 4)

            // Generate a plan: 201, stored with an id, listed and fetchable.
            let generated = try await client.send(
                .post, "/api/v1/ai/workout-plan", token: token,
                json: ["days_per_week": 3, "session_minutes": 45, "weeks": 4])
            #expect(generated.status == .created, "\(generated.text)")
            let planID = try #require((generated.json["id"] as? NSNumber)?.int64Value)
            let weeks = try #require(generated.json["weeks"] as? [[String: Any]])
            #expect(weeks.count == 4)
            #expect((generated.json["disclaimer"] as? String)?.isEmpty == false)
            let plans = try await client.send(.get, "/api/v1/workouts/plans", token: token)
            #expect(plans.items.map { ($0["id"] as? NSNumber)?.int64Value } == [planID])
            let fetched = try await client.send(.get, "/api/v1/workouts/plans/\(planID)", token: token)
            #expect(fetched.status == .ok)
            #expect((fetched.json["weeks"] as? [[String: Any]])?.count == 4)

            // Log the first session of the plan, then analyse it.
            let session = try #require(Self.firstSession(weeks))
            let exercises = try #require(session["exercises"] as? [[String: Any]])
            let logged: [[String: Any]] = exercises.map {
                ["exercise_id": $0["exercise_id"] ?? "", "sets": $0["sets"] ?? 1, "reps": 10, "load_kg": 20]
            }
            let log = try await client.send(
                .post, "/api/v1/workouts/logs", token: token,
                json: [
                    "plan_id": planID, "date": "2026-01-06", "duration_minutes": 45, "exercises": logged, "rating": 4,
                    "notes": "felt good",
                ])
            #expect(log.status == .created, "\(log.text)")
            let logID = try #require((log.json["id"] as? NSNumber)?.int64Value)
            let logs = try await client.send(.get, "/api/v1/workouts/logs", token: token)
            #expect(logs.items.count == 1)

            let analysis = try await client.send(.post, "/api/v1/ai/analyze-workout/\(logID)", token: token)
            #expect(analysis.status == .ok, "\(analysis.text)")
            #expect(analysis.json["assessment"] is String)
            for key in ["strengths", "areas_to_improve", "recommendations", "next_steps"] {
                #expect(analysis.json[key] is [String], "missing \(key)")
            }
            let metrics = try #require(analysis.json["metrics"] as? [String: Any])
            #expect(metrics["completion_percent"] as? Int == 100)
            #expect(metrics["rating"] as? Int == 4)

            // Two successful chats are counted against the day, week and month.
            let usageReply = try await client.send(.get, "/api/v1/users/me/usage", token: token)
            let periods = try #require(usageReply.json["periods"] as? [[String: Any]])
            #expect(periods.count == 3)
            let day = try #require(periods.first { $0["period"] as? String == "day" })
            #expect(day["requests_used"] as? Int == 2)
            #expect(day["requests_limit"] as? Int == 10)
            #expect(day["requests_remaining"] as? Int == 8)
            #expect(usageReply.json["budget_used_micros"] as? Int == 3_000)
        }
    }

    static func firstSession(_ weeks: [[String: Any]]) -> [String: Any]? {
        for week in weeks {
            for day in week["days"] as? [[String: Any]] ?? [] {
                if let session = day["session"] as? [String: Any] { return session }
            }
        }
        return nil
    }

    @Test("chat answers as server-sent events when asked, and lists page")
    func eventStreamAndPaging() async throws {
        try await TestHost.run { _, client in
            let account = try await client.register("sse-user")
            let stream = try await client.send(
                .post, "/api/v1/ai/chat", token: account.token, body: jsonText(["message": "hi"]),
                headers: [.accept: "text/event-stream"])
            #expect(stream.status == .ok)
            #expect(stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            // delta events, then done with the whole stored answer (see StreamingTests).
            #expect(stream.text.hasPrefix("event: delta\ndata: {\"text\":"))
            #expect(stream.text.contains("event: done\ndata: {"))
            for index in 0..<3 {
                _ = try await client.send(.post, "/api/v1/ai/chat", token: account.token, json: ["message": "q\(index)"])
            }
            let page = try await client.send(.get, "/api/v1/ai/conversations?limit=2&offset=1", token: account.token)
            #expect(page.items.count == 2)
            let all = try await client.send(.get, "/api/v1/ai/conversations", token: account.token)
            #expect(all.items.count == 4)
            #expect(all.items.first?["title"] as? String == "q2")
        }
    }
}
