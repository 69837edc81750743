import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

/// `POST /v1/chat/completions` and `GET /v1/models` in OpenAI's exact shapes, over the
/// real plugin-backed AI layer.
@Suite("OpenAI-compatible API")
struct OpenAICompatTests {
    static func body(stream: Bool = false, includeUsage: Bool = false, extra: [String: Any] = [:]) -> String {
        var body: [String: Any] = [
            "model": "vigor-coach-1",
            "messages": [
                ["role": "system", "content": "You are a fitness coach."],
                ["role": "user", "content": [["type": "text", "text": "How many rest days"], ["type": "text", "text": "per week?"]]],
            ],
            "temperature": 0.3, "max_tokens": 200, "user": "client-123",
        ]
        if stream { body["stream"] = true }
        if includeUsage { body["stream_options"] = ["include_usage": true] }
        for (key, value) in extra { body[key] = value }
        return jsonText(body)
    }

    @Test("non-streaming: chat.completion with choices, message, finish_reason and usage; nothing is stored")
    func completion() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("sdkuser")
            let key = try await client.createAPIKey(token: user.token)
            let reply = try await client.send(.post, "/v1/chat/completions", token: key.key, body: Self.body())
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.headers[.contentType] == "application/json")
            let json = reply.json
            #expect((json["id"] as? String)?.hasPrefix("chatcmpl-") == true)
            #expect(json["object"] as? String == "chat.completion")
            #expect(json["created"] is Int)
            #expect((json["model"] as? String)?.isEmpty == false)
            let choices = try #require(json["choices"] as? [[String: Any]])
            #expect(choices.count == 1)
            #expect(choices[0]["index"] as? Int == 0)
            #expect(choices[0]["finish_reason"] as? String == "stop")
            let message = try #require(choices[0]["message"] as? [String: Any])
            #expect(message["role"] as? String == "assistant")
            #expect((message["content"] as? String)?.isEmpty == false)
            let usage = try #require(json["usage"] as? [String: Any])
            let prompt = try #require(usage["prompt_tokens"] as? Int)
            let completion = try #require(usage["completion_tokens"] as? Int)
            #expect(usage["total_tokens"] as? Int == prompt + completion)
            // Rate-limit headers, ours and OpenAI's.
            #expect(reply.headers[RateLimitHeaders.limit] == "10")
            #expect(reply.headers[RateLimitHeaders.remaining] == "9")
            #expect(reply.headers[HTTPField.Name("x-ratelimit-remaining-requests")!] == "9")
            // Stateless, but counted and logged like chat.
            #expect(try await host.store.conversations(userID: user.id, page: Page()).isEmpty)
            let counters = try await host.store.usageCounters(userID: user.id, at: host.clock.now)
            #expect(counters.first { $0.period == .day }?.requests == 1)
        }
    }

    @Test("streaming: chunks with a role, content pieces, finish_reason stop, the usage chunk, then [DONE]")
    func streaming() async throws {
        try await PluginHost.run { _, client in
            let user = try await client.register("streamsdk")
            let key = try await client.createAPIKey(token: user.token)
            let reply = try await client.send(
                .post, "/v1/chat/completions", token: key.key, body: Self.body(stream: true, includeUsage: true))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(reply.headers[RateLimitHeaders.remaining] == "9")
            let events = parseSSE(reply.text)
            #expect(events.allSatisfy { $0.event == nil })
            #expect(events.last?.data == "[DONE]")
            let chunks = events.dropLast().map(\.json)
            #expect(chunks.count >= 4)
            let id = try #require(chunks.first?["id"] as? String)
            #expect(id.hasPrefix("chatcmpl-"))
            for chunk in chunks {
                #expect(chunk["id"] as? String == id)
                #expect(chunk["object"] as? String == "chat.completion.chunk")
                #expect(chunk["created"] is Int)
                #expect(chunk["model"] as? String == "vigor-coach-1")
                #expect(chunk.keys.contains("usage"))
            }
            let content = chunks.dropLast()
            let firstDelta = try #require((content.first?["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])
            #expect(firstDelta["role"] as? String == "assistant")
            var text = ""
            for chunk in content.dropLast() {
                let choice = try #require((chunk["choices"] as? [[String: Any]])?.first)
                #expect(choice["index"] as? Int == 0)
                #expect(choice["finish_reason"] is NSNull)
                text += (choice["delta"] as? [String: Any])?["content"] as? String ?? ""
            }
            #expect(!text.isEmpty)
            let finish = try #require((content.last?["choices"] as? [[String: Any]])?.first)
            #expect(finish["finish_reason"] as? String == "stop")
            let usageChunk = try #require(chunks.last)
            #expect((usageChunk["choices"] as? [Any])?.isEmpty == true)
            let usage = try #require(usageChunk["usage"] as? [String: Any])
            #expect((usage["completion_tokens"] as? Int ?? 0) > 0)
            #expect(usage["total_tokens"] as? Int == (usage["prompt_tokens"] as? Int ?? 0) + (usage["completion_tokens"] as? Int ?? 0))
        }
    }

    @Test("streaming without include_usage has no usage chunk and no usage field")
    func streamingWithoutUsage() async throws {
        try await PluginHost.run { _, client in
            let user = try await client.register("nousage")
            let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.body(stream: true))
            let events = parseSSE(reply.text)
            #expect(events.last?.data == "[DONE]")
            let chunks = events.dropLast().map(\.json)
            #expect(chunks.allSatisfy { !$0.keys.contains("usage") })
            #expect(chunks.allSatisfy { ($0["choices"] as? [Any])?.count == 1 })
        }
    }

    @Test("a cut stream ends with an OpenAI error event and no [DONE]")
    func cutStream() async throws {
        let ai = ScriptedCoachAI(pieces: ["a ", "b "], ending: .cut)
        try await runHost(coachAI: ai) { _, client in
            let user = try await client.register("cutsdk")
            let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.body(stream: true))
            let events = parseSSE(reply.text)
            #expect(!events.contains { $0.data == "[DONE]" })
            let error = try #require(events.last?.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "stream_cut")
            #expect(error["type"] as? String == "server_error")
            #expect(error.keys.sorted() == ["code", "message", "param", "type"])
        }
    }

    @Test("invalid requests are 400 invalid_request_error naming the param")
    func invalidRequests() async throws {
        try await PluginHost.run { _, client in
            let user = try await client.register("badreq")
            let cases: [(String, String)] = [
                (Self.body(extra: ["n": 2]), "n"),
                (jsonText(["messages": [["role": "user", "content": "hi"]]]), "model"),
                (jsonText(["model": "m", "messages": [] as [Any]]), "messages"),
                (jsonText(["model": "m", "messages": [["role": "tool", "content": "x"]]]), "messages[0].role"),
                (jsonText(["model": "m", "messages": [["role": "user", "content": [["type": "image_url"]]]]]), "messages[0].content"),
                (Self.body(extra: ["temperature": 3]), "temperature"),
                (jsonText(["model": "m", "messages": "nope"]), "messages"),
                (Self.body(extra: ["max_tokens": "9"]), "max_tokens"),
                (Self.body(extra: ["stream_options": ["include_usage": "yes"]]), "stream_options.include_usage"),
                (jsonText(["model": "m", "messages": [["content": "no role"]]]), "messages[0].role"),
                (jsonText(["model": 7, "messages": [["role": "user", "content": "hi"]]]), "model"),
            ]
            for (body, param) in cases {
                let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: body)
                #expect(reply.status == .badRequest, "\(param): \(reply.text)")
                let error = try #require(reply.json["error"] as? [String: Any])
                #expect(error["type"] as? String == "invalid_request_error")
                #expect(error["param"] as? String == param, "\(reply.text)")
                #expect(error["message"] is String)
                #expect(error.keys.sorted() == ["code", "message", "param", "type"])
            }
            for text in ["{nope", "[]", "\"text\"", "{\"model\": \"m\"} trailing"] {
                let malformed = try await client.send(.post, "/v1/chat/completions", token: user.token, body: text)
                #expect(malformed.status == .badRequest, "\(text)")
                #expect((malformed.json["error"] as? [String: Any])?["param"] is NSNull, "\(text): \(malformed.text)")
            }
        }
    }

    @Test("json_object response format routes through the alias; an unknown model is 404 model_not_found, not routed")
    func unknownModelIsNotFound() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("anymodel")
            let reply = try await client.send(
                .post, "/v1/chat/completions", token: user.token,
                body: Self.body(extra: ["response_format": ["type": "json_object"], "max_completion_tokens": 50]))
            #expect(reply.status == .ok, "\(reply.text)")
            let unknown = try await client.send(
                .post, "/v1/chat/completions", token: user.token, body: Self.body(extra: ["model": "no-such-model-7b"]))
            #expect(unknown.status == .notFound, "\(unknown.text)")
            let error = try #require(unknown.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "model_not_found")
            #expect(error["type"] as? String == "invalid_request_error")
            #expect(error.keys.sorted() == ["code", "message", "param", "type"])
            // The usage log: one openai_chat row for the routed call, none for the unknown model.
            let kinds = try await host.store.read { db in try String.fetchAll(db, sql: "SELECT kind || ':' || model FROM ai_usage_logs") }
            #expect(kinds == ["openai_chat:vigor-coach-1"])
        }
    }

    @Test("over quota: 429 rate_limit_exceeded in OpenAI's shape with Retry-After")
    func rateLimited() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("sdklimited")
            try await host.limit(userID: user.id, perDay: 0)
            for stream in [false, true] {
                let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.body(stream: stream))
                #expect(reply.status == .tooManyRequests)
                #expect(reply.headers[.contentType] == "application/json")
                #expect(Int(reply.headers[.retryAfter] ?? "") ?? 0 > 0)
                #expect(reply.headers[RateLimitHeaders.remaining] == "0")
                let error = try #require(reply.json["error"] as? [String: Any])
                #expect(error["type"] as? String == "requests")
                #expect(error["code"] as? String == "rate_limit_exceeded")
                #expect((error["message"] as? String)?.contains("requests_per_day") == true)
            }
        }
    }

    @Test("GET /v1/models lists the aliases and the loaded providers' models in OpenAI's list shape")
    func models() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("lister")
            let reply = try await client.send(.get, "/v1/models", token: user.token)
            #expect(reply.status == .ok)
            #expect(reply.json["object"] as? String == "list")
            let data = try #require(reply.json["data"] as? [[String: Any]])
            let listed = host.ai.registry.components(kind: .llmProvider).flatMap { $0.descriptor.models.map(\.id) }
            #expect(!listed.isEmpty)
            #expect(Set(data.compactMap { $0["id"] as? String }) == Set(listed + ModelCatalog.aliases))
            for model in data {
                #expect(model["object"] as? String == "model")
                #expect(model["created"] is Int)
                let alias = ModelCatalog.aliases.contains(model["id"] as? String ?? "")
                #expect(model["owned_by"] as? String == (alias ? "vigor" : "fallback"))
            }
        }
    }
}
