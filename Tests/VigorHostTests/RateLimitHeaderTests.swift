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

    @Test("applied twice, the second status replaces the first: one field per name, other fields kept")
    func applyReplaces() {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let first = RateLimitStatus(name: "requests_per_day", limit: 5, remaining: 4, resetSeconds: 60)
        let second = RateLimitStatus(name: "requests_per_week", limit: 50, remaining: -3, resetSeconds: -1)
        RateLimitHeaders.apply(first, to: &headers, openAI: true)
        RateLimitHeaders.apply(second, to: &headers)
        #expect(headers[.contentType] == "application/json")
        for name in RateLimitHeaders.names { #expect(headers[fields: name].count <= 1, "\(name)") }
        #expect(headers[RateLimitHeaders.limit] == "50")
        #expect(headers[RateLimitHeaders.remaining] == "0")
        #expect(headers[RateLimitHeaders.reset] == "0")
        #expect(headers[RateLimitHeaders.policy] == "requests_per_week")
        // The second call was not OpenAI's: the OpenAI names from the first are gone, not stale.
        #expect(headers[RateLimitHeaders.openAILimit] == nil)
        RateLimitHeaders.apply(first, to: &headers, openAI: true)
        #expect(headers[RateLimitHeaders.openAIRemaining] == "4")
        #expect(headers[RateLimitHeaders.openAIReset] == "60s")
        #expect(headers.count == 8)
    }

    @Test("header numbers are spelled as String(_:) spells them, over the whole Int range")
    func decimals() {
        var values: [Int] = [0, 1, -1, 9, 10, -10, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var power = 1
        while power <= Int.max / 10 {
            power *= 10
            values += [power - 1, power, power + 1, -power, -(power - 1)]
        }
        for value in values { #expect(RateLimitHeaders.decimal(value) == String(value), "\(value)") }
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
