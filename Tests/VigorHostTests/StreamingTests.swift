import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

#if canImport(Glibc)
    import Glibc
#endif

/// `POST /api/v1/ai/chat` with `Accept: text/event-stream`.
@Suite("Chat streaming (SSE)")
struct StreamingTests {
    static let sse: HTTPFields = [.accept: "text/event-stream", .contentType: "application/json"]

    @Test("the real plugin-backed AI streams delta events, then done with the stored answer")
    func deltasThenDone() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("streamer")
            let reply = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token, body: jsonText(["message": "How many rest days a week do I need?"]),
                headers: Self.sse)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(reply.headers[RateLimitHeaders.limit] == "10")
            #expect(reply.headers[RateLimitHeaders.remaining] == "9")
            let events = parseSSE(reply.text)
            let deltas = events.filter { $0.event == "delta" }
            #expect(deltas.count >= 2, "the fallback answer comes in several pieces: \(reply.text)")
            let done = try #require(events.last)
            #expect(done.event == "done")
            #expect(!events.contains { $0.event == "error" })
            let text = deltas.map { $0.json["text"] as? String ?? "" }.joined()
            let body = done.json
            #expect(body["reply"] as? String == text)
            #expect(body["provider"] as? String == "fallback")
            #expect(body["model"] is String)
            let usage = try #require(body["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] is Int && usage["completion_tokens"] is Int && usage["cost_usd"] != nil)
            // The whole answer was stored.
            let conversationID = try #require((body["conversation_id"] as? NSNumber)?.int64Value)
            let stored = try await host.store.recentMessages(conversationID: conversationID, userID: user.id, limit: 10)
            #expect(stored.map(\.role) == ["user", "assistant"])
            #expect(stored.last?.content == text)
            #expect(stored.last?.truncated == false)
        }
    }

    @Test("an error before the first piece is a normal JSON error with its status (429 + Retry-After)")
    func errorBeforeFirstPiece() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("blocked")
            try await host.limit(userID: user.id, perDay: 0)
            let reply = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token, body: jsonText(["message": "hello"]), headers: Self.sse)
            reply.expectError(.tooManyRequests, code: "quota_exceeded")
            #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(Int(reply.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect((reply.json["error"] as? [String: Any])?["limit"] as? String == "requests_per_day")
            #expect(reply.headers[RateLimitHeaders.remaining] == "0")
            #expect(try await host.store.conversations(userID: user.id, page: Page()).isEmpty)
        }
    }

    @Test("a 503 before the first piece stays a JSON 503")
    func unavailableBeforeFirstPiece() async throws {
        let ai = ScriptedCoachAI(pieces: [], errorBeforeFirst: AIError(.noProvider, "nothing loaded"))
        try await runHost(coachAI: ai) { _, client in
            let user = try await client.register("nobody")
            let reply = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token, body: jsonText(["message": "hello"]), headers: Self.sse)
            reply.expectError(.serviceUnavailable, code: "no_provider")
        }
    }

    @Test("a stream cut after text ends with event: error, never done; the partial answer is stored as truncated")
    func cutStream() async throws {
        let ai = ScriptedCoachAI(pieces: ["Rest ", "two ", "days "], ending: .cut)
        try await runHost(coachAI: ai) { store, client in
            let user = try await client.register("cutter")
            let reply = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token, body: jsonText(["message": "rest?"]), headers: Self.sse)
            #expect(reply.status == .ok)
            let events = parseSSE(reply.text)
            #expect(events.filter { $0.event == "delta" }.count == 3)
            #expect(!events.contains { $0.event == "done" })
            let last = try #require(events.last)
            #expect(last.event == "error")
            let error = try #require(last.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "stream_cut")
            #expect((error["message"] as? String)?.isEmpty == false)
            #expect((error["request_id"] as? String)?.isEmpty == false)
            let conversationID = try #require((last.json["conversation_id"] as? NSNumber)?.int64Value)
            let stored = try await store.recentMessages(conversationID: conversationID, userID: user.id, limit: 10)
            #expect(stored.last?.content == "Rest two days ")
            #expect(stored.last?.truncated == true)
            // The conversation view shows the flag.
            let detail = try await client.send(.get, "/api/v1/ai/conversations/\(conversationID)", token: user.token)
            let messages = detail.json["messages"] as? [[String: Any]] ?? []
            #expect(messages.last?["truncated"] as? Bool == true)
            #expect(messages.first?["truncated"] == nil)
        }
    }

    @Test("a client that disconnects mid-stream cancels the upstream stream; nothing is stored", .timeLimit(.minutes(1)))
    func clientDisconnectCancelsUpstream() async throws {
        let ai = ScriptedCoachAI(pieces: ["Warm ", "up "], ending: .endless)
        try await runHost(coachAI: ai, mode: .live) { store, client in
            let user = try await client.register("leaver")
            let port = try #require(client.port)
            let connection = try RawHTTPConnection(port: port)
            let body = jsonText(["message": "go"])
            try connection.send(
                "POST /api/v1/ai/chat HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(user.token)\r\n"
                    + "Accept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let head = await connection.readOffPool(until: "more ")
            #expect(head.contains("event: delta"))
            shutdown(connection.fd, Int32(SHUT_RDWR))
            // The next write fails, the stream is released and its producer cancelled: await that.
            let cancelled = await ai.cancellation()
            #expect(cancelled, "the upstream stream was not cancelled after the client left")
            #expect(try await store.conversations(userID: user.id, page: Page()).isEmpty)
        }
    }

    @Test("without Accept: text/event-stream the chat answer is JSON with X-RateLimit headers")
    func jsonChatHasRateLimitHeaders() async throws {
        try await PluginHost.run { _, client in
            let user = try await client.register("plain")
            let first = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "hello"])
            #expect(first.status == .ok)
            #expect(first.headers[RateLimitHeaders.limit] == "10")
            #expect(first.headers[RateLimitHeaders.remaining] == "9")
            #expect(first.headers[RateLimitHeaders.policy] == "requests_per_day")
            #expect(Int(first.headers[RateLimitHeaders.reset] ?? "") ?? 0 > 0)
            let second = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "again"])
            #expect(second.headers[RateLimitHeaders.remaining] == "8")
        }
    }
}
