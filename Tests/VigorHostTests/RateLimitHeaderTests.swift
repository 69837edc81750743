import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

/// `X-RateLimit-*` on every AI response, and 429s with `Retry-After` naming the limit.
@Suite("Rate-limit headers")
struct RateLimitHeaderTests {
    @Test("chat, plan and analysis answers carry X-RateLimit-Limit/Remaining/Reset for the tightest limit")
    func headersOnEveryAIRoute() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("counted")
            try await host.limit(userID: user.id, perDay: 5)
            let chat = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "hi"])
            #expect(chat.status == .ok)
            #expect(chat.headers[RateLimitHeaders.limit] == "5")
            #expect(chat.headers[RateLimitHeaders.remaining] == "4")
            let reset = try #require(Int(chat.headers[RateLimitHeaders.reset] ?? ""))
            #expect(reset > 0 && reset <= 86_400)

            let plan = try await client.send(.post, "/api/v1/ai/workout-plan", token: user.token, json: [:] as [String: Any])
            #expect(plan.status == .created, "\(plan.text)")
            #expect(plan.headers[RateLimitHeaders.limit] == "5")
            #expect(plan.headers[RateLimitHeaders.remaining] == "3")
        }
    }

    @Test("over the limit: 429 with Retry-After, the limit named in the body, and X-RateLimit-Remaining 0")
    func refusal() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("limited")
            try await host.limit(userID: user.id, perDay: 1)
            #expect(try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "one"]).status == .ok)
            let refused = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "two"])
            refused.expectError(.tooManyRequests, code: "quota_exceeded")
            let retry = try #require(Int(refused.headers[.retryAfter] ?? ""))
            #expect(retry > 0 && retry <= 86_400)
            #expect((refused.json["error"] as? [String: Any])?["limit"] as? String == "requests_per_day")
            #expect(refused.headers[RateLimitHeaders.limit] == "1")
            #expect(refused.headers[RateLimitHeaders.remaining] == "0")
            #expect(refused.headers[RateLimitHeaders.reset] == String(retry))

            let plan = try await client.send(.post, "/api/v1/ai/workout-plan", token: user.token, json: [:] as [String: Any])
            plan.expectError(.tooManyRequests, code: "quota_exceeded")
            #expect(plan.headers[.retryAfter] != nil)
            #expect(plan.headers[RateLimitHeaders.remaining] == "0")
        }
    }
}
