import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

/// Models are routed through the host's catalogue, over the real HTTP stack, the real
/// provider plugins (dlopen), the real SQLite ledger and local mock upstreams for OpenAI and
/// Gemini. Each of these failed on the code before the catalogue: the requested model went
/// unchanged to whichever provider ranked first, an unlisted model was sent upstream and
/// billed at another model's price, `max_tokens = Int64.max` trapped, and an upstream 404
/// opened the provider's circuit.
@Suite("Security: model routing, pricing and limits")
struct ModelRoutingSecurityTests {
    static let plugins = PluginHost.defaultPlugins + ["libVigorOpenAI.so", "libVigorGemini.so"]
    static let openAISuccess = try? RouterFailoverTests.fixture("openai", "success.json")
    static let geminiSuccess = try? RouterFailoverTests.fixture("gemini", "success.json")

    struct Upstreams: Sendable {
        let openai: MockUpstream
        let gemini: MockUpstream
    }

    /// A host with the fallback, OpenAI and Gemini plugins; `openai` / `gemini` say whose key is configured.
    static func run(
        openai: Bool = true, gemini: Bool = true, _ body: @Sendable (PluginHost, any TestClientProtocol, Upstreams) async throws -> Void
    ) async throws {
        let upstreams = Upstreams(openai: try await MockUpstream.start(), gemini: try await MockUpstream.start())
        defer {
            upstreams.openai.stop()
            upstreams.gemini.stop()
        }
        upstreams.openai.script([], otherwise: .json(openAISuccess ?? ""))
        upstreams.gemini.script([], otherwise: .json(geminiSuccess ?? ""))
        var environment = ["VIGOR_OPENAI_BASE_URL": upstreams.openai.baseURL, "VIGOR_GEMINI_BASE_URL": upstreams.gemini.baseURL]
        if openai { environment["OPENAI_API_KEY"] = "sk-test-openai" }
        if gemini { environment["GEMINI_API_KEY"] = "gm-test-gemini" }
        try await PluginHost.run(plugins: plugins, environment: environment) { host, client in
            try await body(host, client, upstreams)
        }
    }

    static func chat(model: String, maxTokens: Int? = nil, stream: Bool = false) -> String {
        var body: [String: Any] = ["model": model, "messages": [["role": "user", "content": "How many rest days a week?"]]]
        if let maxTokens { body["max_tokens"] = maxTokens }
        if stream { body["stream"] = true }
        return jsonText(body)
    }

    /// `kind|provider|model|cost_micros|outcome` of every usage-log row, oldest first.
    static func usageLog(_ host: PluginHost) async throws -> [String] {
        try await host.store.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT kind || '|' || provider || '|' || model || '|' || cost_micros || '|' || outcome FROM ai_usage_logs ORDER BY id"
            )
        }
    }

    static func openAIError(_ reply: Reply) -> [String: Any] {
        reply.json["error"] as? [String: Any] ?? [:]
    }

    @Test("vigor-coach-1 goes to each provider with that provider's own default model, never as 'vigor-coach-1'", .timeLimit(.minutes(1)))
    func aliasUsesEachProvidersModel() async throws {
        try await Self.run(openai: true, gemini: false) { host, client, up in
            let user = try await client.register("alias-openai")
            let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "vigor-coach-1"))
            #expect(reply.status == .ok, "\(reply.text)")
            let sent = try #require(up.openai.received.last)
            #expect(sent.body.contains("\"model\":\"gpt-4o-mini\""), "\(sent.body)")
            #expect(!sent.body.contains("vigor-coach"))
            #expect(try await Self.usageLog(host).last?.hasPrefix("openai_chat|openai|gpt-4o-mini|") == true)
            // The log keeps what the client asked for beside what was served.
            let requested = try await host.store.read { db in
                try String.fetchOne(db, sql: "SELECT requested_model FROM ai_usage_logs ORDER BY id DESC LIMIT 1")
            }
            #expect(requested == "vigor-coach-1")
            // For an alias, max_tokens is clamped to the served model's maximum output (its 128 000-token context).
            let clamped = try await client.send(
                .post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "vigor-coach-1", maxTokens: 500_000))
            #expect(clamped.status == .ok, "\(clamped.text)")
            let body = try #require(up.openai.received.last?.body)
            #expect(body.contains("128000") && !body.contains("500000"), "\(body)")
        }
        try await Self.run(openai: false, gemini: true) { _, client, up in
            let user = try await client.register("alias-gemini")
            for model in ["vigor-coach", "vigor-coach-1"] {
                let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.chat(model: model))
                #expect(reply.status == .ok, "\(reply.text)")
                let sent = try #require(up.gemini.received.last)
                #expect(sent.path.contains("/models/gemini-3.5-flash:"), "\(sent.path)")
                #expect(!sent.path.contains("vigor-coach"))
            }
            // Streaming takes the same route (and gemini answers it as a stream).
            up.gemini.script(
                [.sse([try RouterFailoverTests.fixture("gemini", "stream_usage.sse")])], otherwise: .json(Self.geminiSuccess ?? ""))
            let streamed = try await client.send(
                .post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "vigor-coach-1", stream: true))
            #expect(streamed.status == .ok)
            #expect(streamed.text.contains("[DONE]") && !streamed.text.contains("\"error\""), "\(streamed.text)")
            #expect(up.gemini.received.last?.path.contains("/models/gemini-3.5-flash:") == true)
            #expect(up.openai.received.isEmpty)
        }
    }

    @Test("a model only a disabled provider lists is 404 model_not_found; no upstream sees it, nothing is billed")
    func concreteModelOnlyToItsProviders() async throws {
        try await Self.run(openai: false, gemini: true) { host, client, up in
            let user = try await client.register("only-gemini")
            for stream in [false, true] {
                let reply = try await client.send(
                    .post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "gpt-4o-mini", stream: stream))
                #expect(reply.status == .notFound, "\(reply.text)")
                let error = Self.openAIError(reply)
                #expect(error["code"] as? String == "model_not_found")
                #expect(error["type"] as? String == "invalid_request_error")
                #expect(error["param"] is NSNull)
                #expect((error["message"] as? String)?.contains("gpt-4o-mini") == true)
            }
            #expect(up.gemini.received.isEmpty)
            #expect(up.openai.received.isEmpty)
            #expect(try await Self.usageLog(host).isEmpty)
            let day = try await host.store.usageCounters(userID: user.id, at: host.clock.now).first { $0.period == .day }
            #expect((day?.requests ?? 0) == 0)
            #expect((day?.costMicros ?? 0) == 0)
        }
    }

    @Test("an unlisted model (o1-pro) is never sent upstream and never billed at another model's price")
    func unlistedModelNeverBilled() async throws {
        try await Self.run { host, client, up in
            let user = try await client.register("unlisted")
            let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "o1-pro"))
            #expect(reply.status == .notFound, "\(reply.text)")
            #expect(Self.openAIError(reply)["code"] as? String == "model_not_found")
            #expect(up.openai.received.isEmpty && up.gemini.received.isEmpty)
            #expect(try await Self.usageLog(host).isEmpty)
            let counters = try await host.store.usageCounters(userID: user.id, at: host.clock.now)
            #expect(counters.allSatisfy { $0.costMicros == 0 && $0.requests == 0 })
            let info = try await client.send(.get, "/v1/models/o1-pro", token: user.token)
            #expect(info.status == .notFound)
            #expect(Self.openAIError(info)["code"] as? String == "model_not_found")
        }
    }

    @Test("a concrete model goes to the provider that lists it (not the first in priority) at its own price")
    func concreteModelPricedAtItsOwnPrice() async throws {
        try await Self.run { host, client, up in
            let user = try await client.register("gpt4o")
            let reply = try await client.send(
                .post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "gpt-4o", maxTokens: 100))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(up.gemini.received.isEmpty)  // gemini ranks first but does not list gpt-4o
            #expect(up.openai.received.last?.body.contains("\"model\":\"gpt-4o\"") == true)
            // 38 prompt tokens × 2.50 + 36 answer tokens × 10.00 (USD per million) = 455 micro-dollars.
            #expect(try await Self.usageLog(host) == ["openai_chat|openai|gpt-4o|455|success"])
            let day = try await host.store.usageCounters(userID: user.id, at: host.clock.now).first { $0.period == .day }
            #expect(day?.costMicros == 455)
        }
    }

    @Test("max_tokens = Int64.max is a 400 naming max_tokens, not a crash; the host keeps serving")
    func hugeMaxTokensIsRefused() async throws {
        try await Self.run { host, client, up in
            let user = try await client.register("overflow")
            let cases: [(String, Int, String)] = [
                ("gpt-4o", Int.max, "max_tokens"), ("vigor-coach-1", Int.max, "max_tokens"), ("gpt-4o", 128_001, "max_tokens"),
                ("vigor-coach", ModelCatalog.maxTokensCeiling + 1, "max_tokens"),
            ]
            for (model, maxTokens, param) in cases {
                for stream in [false, true] {
                    let reply = try await client.send(
                        .post, "/v1/chat/completions", token: user.token,
                        body: Self.chat(model: model, maxTokens: maxTokens, stream: stream))
                    #expect(reply.status == .badRequest, "\(model) \(maxTokens): \(reply.text)")
                    let error = Self.openAIError(reply)
                    #expect(error["type"] as? String == "invalid_request_error")
                    #expect(error["param"] as? String == param)
                    #expect(error["code"] as? String == "integer_above_max_value")
                    #expect((error["message"] as? String)?.contains("max_tokens is too large") == true)
                }
            }
            let completion = jsonText([
                "model": "gpt-4o", "max_completion_tokens": Int.max, "messages": [["role": "user", "content": "hi"]],
            ])
            let named = try await client.send(.post, "/v1/chat/completions", token: user.token, body: completion)
            #expect(Self.openAIError(named)["param"] as? String == "max_completion_tokens")
            #expect(up.openai.received.isEmpty && up.gemini.received.isEmpty)
            #expect(try await Self.usageLog(host).isEmpty)
            // Still serving. (The largest accepted value, 1 000 000 answer tokens at gemini's $9/M, is
            // refused by the free tier's $5 budget, as it should be: the estimate is sane, not wrapped.)
            let ok = try await client.send(
                .post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "vigor-coach", maxTokens: 1000))
            #expect(ok.status == .ok, "\(ok.text)")
            let ceiling = try await client.send(
                .post, "/v1/chat/completions", token: user.token,
                body: Self.chat(model: "vigor-coach", maxTokens: ModelCatalog.maxTokensCeiling))
            #expect(ceiling.status == .tooManyRequests, "\(ceiling.text)")
            #expect(Self.openAIError(ceiling)["code"] as? String == "insufficient_quota")
            #expect(up.gemini.received.count == 1)
        }
    }

    @Test("an upstream 404 for a model is the client's error: 404 to the client, the breaker stays closed")
    func upstream404DoesNotOpenBreaker() async throws {
        let notFound = try RouterFailoverTests.fixture("openai", "error_404_model_not_found.json")
        try await Self.run { host, client, up in
            let user = try await client.register("typo")
            up.openai.script([], otherwise: .json(notFound, status: 404))
            for _ in 0..<4 {
                let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "gpt-4o-mini"))
                #expect(reply.status == .notFound, "\(reply.text)")
                #expect(Self.openAIError(reply)["code"] as? String == "model_not_found")
            }
            #expect(up.openai.received.count == 4)
            #expect(host.ai.breakers.status("openai", nowMs: host.clock.now.epochMillis).state == .closed)
            #expect(host.ai.breakers.status("openai", nowMs: host.clock.now.epochMillis).consecutiveFailures == 0)
            up.openai.script([], otherwise: .json(Self.openAISuccess ?? ""))
            let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "gpt-4o-mini"))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(up.openai.received.count == 5)  // the next request still went to openai
            #expect(try await Self.usageLog(host).filter { $0.hasSuffix("|success") }.count == 1)
        }
    }

    @Test("/v1/models lists exactly what routes; /v1/models/{id} answers OpenAI's model object or 404")
    func modelListing() async throws {
        try await Self.run(openai: true, gemini: false) { host, client, _ in
            let user = try await client.register("lister2")
            let list = try await client.send(.get, "/v1/models", token: user.token)
            #expect(list.status == .ok)
            let ids = (list.json["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            let providers = host.ai.registry.components(kind: .llmProvider)
            let openAIModels = try #require(providers.first { $0.providerName == "openai" }).descriptor.models.map(\.id)
            let fallbackModels = try #require(providers.first { $0.providerName == "fallback" }).descriptor.models.map(\.id)
            #expect(Array(ids.prefix(2)) == ["vigor-coach", "vigor-coach-1"])
            var expected: [String] = []
            for id in ["vigor-coach", "vigor-coach-1"] + openAIModels + fallbackModels where !expected.contains(id) { expected.append(id) }
            #expect(ids == expected)
            #expect(!ids.contains { $0.hasPrefix("gemini") })  // no key: gemini does not route
            for id in ids {
                let one = try await client.send(.get, "/v1/models/\(id)", token: user.token)
                #expect(one.status == .ok, "\(id): \(one.text)")
                #expect(one.json["id"] as? String == id)
                #expect(one.json["object"] as? String == "model")
                #expect(one.json["created"] is Int)
                #expect(one.json["owned_by"] is String)
                #expect(one.json.keys.sorted() == ["created", "id", "object", "owned_by"])
            }
            let gemini = try await client.send(.get, "/v1/models/gemini-3.5-flash", token: user.token)
            #expect(gemini.status == .notFound)
            #expect(Self.openAIError(gemini)["code"] as? String == "model_not_found")
            let doc = try await client.send(.get, "/openapi.json")
            let paths = doc.json["paths"] as? [String: Any] ?? [:]
            #expect(paths["/v1/models/{id}"] != nil)
            #expect(paths["/api/v1/admin/models"] != nil)
        }
    }

    @Test("an admin adds a model to a provider: it routes, is listed and is priced at the admin's price; removing it stops it")
    func adminAddsModel() async throws {
        try await Self.run { host, client, up in
            let admin = try await host.adminToken(client)
            let user = try await client.register("pro-user")
            let body: [String: Any] = [
                "id": "o1-pro", "provider": "openai", "input_per_mtok_usd": 150, "output_per_mtok_usd": 600,
                "max_output_tokens": 100_000, "context_window": 200_000,
            ]
            let forbidden = try await client.send(.put, "/api/v1/admin/models", token: user.token, body: jsonText(body))
            #expect(forbidden.status == .forbidden)
            let put = try await client.send(.put, "/api/v1/admin/models", token: admin, body: jsonText(body))
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.json["source"] as? String == "admin")
            #expect(put.json["routable"] as? Bool == true)
            let listed = try await client.send(.get, "/v1/models/o1-pro", token: user.token)
            #expect(listed.json["owned_by"] as? String == "openai")
            let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "o1-pro"))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(up.openai.received.last?.body.contains("\"model\":\"o1-pro\"") == true)
            // 38 × 150 + 36 × 600 = 27 300 micro-dollars.
            #expect(try await Self.usageLog(host).last == "openai_chat|openai|o1-pro|27300|success")
            let table = try await client.send(.get, "/api/v1/admin/models", token: admin)
            #expect(table.items.contains { $0["id"] as? String == "o1-pro" && $0["provider"] as? String == "openai" })
            #expect(table.items.contains { $0["id"] as? String == "gemini-3.5-flash" && $0["source"] as? String == "plugin" })
            let deleted = try await client.send(.delete, "/api/v1/admin/models?provider=openai&id=o1-pro", token: admin)
            #expect(deleted.status == .noContent)
            let again = try await client.send(.delete, "/api/v1/admin/models?provider=openai&id=o1-pro", token: admin)
            #expect(again.status == .notFound)
            let gone = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "o1-pro"))
            #expect(gone.status == .notFound)
        }
    }

    @Test("an upstream reporting Int64.max tokens is bounded: no trap in the cost or the usage total, the host keeps serving")
    func hostileUsageIsBounded() async throws {
        let hostile = try #require(Self.openAISuccess)
            .replacingOccurrences(of: "\"prompt_tokens\": 38", with: "\"prompt_tokens\": 9223372036854775807")
            .replacingOccurrences(of: "\"completion_tokens\": 36", with: "\"completion_tokens\": 9223372036854775807")
        #expect(hostile.contains("9223372036854775807"))
        try await Self.run { host, client, up in
            let user = try await client.register("greedy")
            up.openai.script([.json(hostile)])
            let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "gpt-4o"))
            #expect(reply.status == .ok, "\(reply.text)")
            let usage = try #require(reply.json["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == Pricing.maxReportedTokens)
            #expect(usage["total_tokens"] as? Int == 2 * Pricing.maxReportedTokens)
            // 10^9 × 2.50 + 10^9 × 10.00 micro-dollars: large, exact, no wrap.
            #expect(try await Self.usageLog(host).last == "openai_chat|openai|gpt-4o|12500000000|success")
            up.openai.script([], otherwise: .json(Self.openAISuccess ?? ""))
            let next = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "gpt-4o"))
            #expect(next.status.code < 500, "\(next.text)")  // the budget is spent (429), but the host is up
        }
    }

    /// Numbers across the whole Int64 range and the extreme doubles JSON can carry, as raw text.
    static let hostileNumbers = [
        "-9223372036854775808", "-1", "0", "1", "2147483648", "9007199254740993", "9223372036854775807", "9223372036854775808",
        "1e308", "-1e308", "5e-324", "0.5", "1.0", "-0",
    ]

    @Test("every numeric field of the model routes, over the whole Int64 range and extreme doubles: a 4xx or a 2xx, never a 5xx")
    func numericFieldsNeverTrap() async throws {
        try await Self.run { host, client, _ in
            let admin = try await host.adminToken(client)
            let user = try await client.register("numbers")
            try await host.limit(userID: user.id, perDay: 1000)
            let messages = #""messages":[{"role":"user","content":"hi"}]"#
            for number in Self.hostileNumbers {
                for model in ["vigor-coach", "gpt-4o", "o1-pro"] {
                    for field in ["max_tokens", "max_completion_tokens"] {
                        let body = #"{"model":"\#(model)","\#(field)":\#(number),\#(messages)}"#
                        let reply = try await client.send(.post, "/v1/chat/completions", token: user.token, body: body)
                        #expect(reply.status.code < 500, "\(body): \(reply.text)")
                        if reply.status.code >= 400 { #expect(Self.openAIError(reply)["message"] is String, "\(body)") }
                    }
                }
                for field in ["input_per_mtok_usd", "output_per_mtok_usd", "max_output_tokens", "context_window"] {
                    var fields = [
                        "input_per_mtok_usd": "1", "output_per_mtok_usd": "2", "max_output_tokens": "1000", "context_window": "8000",
                    ]
                    fields[field] = number
                    let numbers = fields.map { #""\#($0)":\#($1)"# }.joined(separator: ",")
                    let body = #"{"id":"n-1","provider":"openai",\#(numbers)}"#
                    let reply = try await client.send(.put, "/api/v1/admin/models", token: admin, body: body)
                    #expect([200, 400, 422].contains(reply.status.code), "\(body): \(reply.text)")
                }
            }
            // Whatever was stored still routes and prices without a trap.
            let after = try await client.send(.post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "vigor-coach-1"))
            #expect(after.status == .ok, "\(after.text)")
        }
    }

    @Test("admin model input outside its range is 422 naming the field")
    func adminModelValidation() async throws {
        try await Self.run { host, client, _ in
            let admin = try await host.adminToken(client)
            let good: [String: Any] = [
                "id": "m-1", "provider": "openai", "input_per_mtok_usd": 1, "output_per_mtok_usd": 2, "max_output_tokens": 1000,
                "context_window": 8000,
            ]
            let cases: [(String, Any, String)] = [
                ("input_per_mtok_usd", -1, "input_per_mtok_usd"), ("output_per_mtok_usd", 1e308, "output_per_mtok_usd"),
                ("output_per_mtok_usd", "2", "output_per_mtok_usd"), ("max_output_tokens", 0, "max_output_tokens"),
                ("max_output_tokens", Int.max, "max_output_tokens"), ("max_output_tokens", 1.5, "max_output_tokens"),
                ("context_window", Int.min, "context_window"), ("id", "vigor-coach", "id"), ("id", "", "id"),
                ("provider", "Open AI", "provider"),
            ]
            for (field, value, named) in cases {
                var body = good
                body[field] = value
                let reply = try await client.send(.put, "/api/v1/admin/models", token: admin, body: jsonText(body))
                reply.expectError(.unprocessableContent)
                #expect(reply.errorFields.contains(named), "\(field)=\(value): \(reply.text)")
            }
            let missing = try await client.send(.put, "/api/v1/admin/models", token: admin, body: jsonText(["id": "m-1"]))
            missing.expectError(.unprocessableContent)
            let table = try await client.send(.get, "/api/v1/admin/models", token: admin)
            #expect(!table.items.contains { $0["id"] as? String == "m-1" })
        }
    }
}
