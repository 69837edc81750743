import Foundation
import Synchronization
import Testing
import VigorPluginAPI
import VigorPluginSDK
import VigorPluginTesting

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - A provider and a generator, as a plugin author would write them

/// A small provider for a Chat-Completions-style upstream (enough for the recorded OpenAI fixtures).
struct MiniChatProvider: ProviderPlugin {
    let descriptor = ComponentDescriptor(
        id: "dev.test.mini-chat", name: "Mini chat", version: "0.1.0", kind: .llmProvider,
        capabilities: Capabilities(streaming: true), models: [ModelInfo(id: "gpt-4o-mini")],
        allowedHosts: ["api.openai.com"], secrets: ["OPENAI_API_KEY"], defaultBaseURL: "https://api.openai.com", provider: "mini")

    struct Body: Encodable {
        var model: String
        var messages: [ChatMessage]
        var stream: Bool
    }

    func buildRequest(_ input: BuildRequestInput, context: CallContext) throws -> UpstreamRequest {
        guard !input.request.messages.isEmpty else { throw PluginError.invalidInput("messages: at least one is needed") }
        let body = try WireJSON.encode(
            Body(
                model: input.request.model.isEmpty ? "gpt-4o-mini" : input.request.model, messages: input.request.messages,
                stream: input.request.stream))
        return UpstreamRequest(
            url: input.baseURL + "/v1/chat/completions", headers: [["content-type", "application/json"]],
            body: String(decoding: body, as: UTF8.self),
            secretHeaders: [SecretHeader(name: "Authorization", secret: "OPENAI_API_KEY", prefix: "Bearer ")])
    }

    struct Completion: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message?
            var delta: Message?
            var finish_reason: String?
        }
        struct Usage: Decodable {
            var prompt_tokens: Int
            var completion_tokens: Int
        }
        var model: String?
        var choices: [Choice]
        var usage: Usage?
    }

    func parseResponse(_ response: UpstreamResponse, context: CallContext) throws -> ProviderResult {
        guard response.status == 200 else {
            let kind: ProviderErrorKind =
                switch response.status {
                case 401, 403: .auth
                case 429: .rateLimited
                case 500...: .overloaded
                default: .badRequest
                }
            let retry = response.header("retry-after").flatMap(Int.init).map { $0 * 1000 }
            return .failure(
                ProviderError(kind: kind, message: "upstream answered \(response.status)", retryAfterMs: retry, status: response.status))
        }
        guard let completion = try? JSONDecoder().decode(Completion.self, from: Data(response.body.utf8)),
            let choice = completion.choices.first
        else {
            return .failure(ProviderError(kind: .badResponse, message: "unreadable completion"))
        }
        let usage = TokenUsage(
            promptTokens: completion.usage?.prompt_tokens ?? 0, completionTokens: completion.usage?.completion_tokens ?? 0)
        return .success(
            ChatResponse(
                text: choice.message?.content ?? "", finishReason: choice.finish_reason ?? "stop", model: completion.model ?? "",
                usage: usage))
    }

    func makeStreamParser(for request: ChatRequest, context: CallContext) throws -> any PluginStream { MiniChatStream() }
}

/// Parses the upstream's SSE body into stream events.
final class MiniChatStream: PluginStream {
    private var decoder = SSEDecoder()
    private var done = false
    private var model: String?

    func feed(_ bytes: [UInt8]) throws -> [StreamEvent] { decoder.feed(bytes).flatMap(events) }

    func finish() throws -> [StreamEvent] {
        let last = decoder.finish().flatMap(events)
        return done ? last : last + [.error(ProviderError(kind: .badResponse, message: "stream ended before completion"))]
    }

    private func events(_ event: SSEDecoder.Event) -> [StreamEvent] {
        if event.data == "[DONE]" {
            done = true
            return []
        }
        guard let chunk = try? JSONDecoder().decode(MiniChatProvider.Completion.self, from: Data(event.data.utf8)) else { return [] }
        var out: [StreamEvent] = []
        if model == nil, let name = chunk.model {
            model = name
            out.append(.model(name))
        }
        for choice in chunk.choices {
            if let text = choice.delta?.content, !text.isEmpty { out.append(.delta(text)) }
            if let reason = choice.finish_reason { out.append(.finish(reason)) }
        }
        if let usage = chunk.usage {
            out.append(.usage(TokenUsage(promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens)))
        }
        return out
    }
}

/// A generator that fetches drills over `vigor.http/1`, asks `vigor.llm/1` to pick them,
/// logs, and stamps the plan with the host's clock.
struct MobilityGenerator: GeneratorPlugin {
    struct Profile: Codable, Sendable { var days: Int }
    struct Request: Codable, Sendable {
        var focus: String
        var source = "drills.example.com"
    }
    struct Plan: Codable, Sendable, Hashable {
        var created: String
        var sessions: [String]
    }

    let services: HostServices
    let descriptor = ComponentDescriptor(
        id: "dev.test.mobility", name: "Mobility plan", version: "0.1.0", kind: .planGenerator,
        capabilities: Capabilities(usesLLM: true), allowedHosts: ["drills.example.com"])

    func generate(_ input: GenerateInput<Profile, Request>, context: CallContext) throws -> Plan {
        services.log(.info, "mobility plan: \(input.profile.days) days, focus \(input.request.focus)")
        let drills = try services.http(
            UpstreamRequest(method: "GET", url: "https://\(input.request.source)/\(input.request.focus).json", body: ""), context: context)
        guard drills.status == 200 else { throw PluginError.unavailable("drill list: status \(drills.status)") }
        let prompt =
            "Pick \(input.profile.days) sessions from \(drills.body). Answer a JSON list of strings."
            + input.feedback.joined(separator: " ")
        let answer = try services.complete(
            ChatRequest(messages: [ChatMessage(role: "user", content: prompt)], jsonMode: true), context: context)
        guard let sessions = try? JSONDecoder().decode([String].self, from: Data(answer.text.utf8)), sessions.count == input.profile.days
        else {
            services.log(.warning, "unusable LLM answer")
            throw PluginError.unavailable("the LLM answer was not a list of \(input.profile.days) sessions")
        }
        let formatter = ISO8601DateFormatter()
        return Plan(created: formatter.string(from: services.now()), sessions: sessions)
    }
}

// MARK: - Tests

@Suite("Mock host: a provider tested in-process")
struct MockHostProviderTests {
    let id = "dev.test.mini-chat"
    let fixtures = UpstreamFixtures("../Fixtures/providers/openai")
    let chat = ChatRequest(messages: [ChatMessage(role: "user", content: "How many rest days?")])

    @Test("the descriptor comes back through on_describe")
    func describe() throws {
        let host = try MockPluginHost(components: [MiniChatProvider()])
        #expect(host.components.map(\.id) == [id])
        #expect(host.component(id)?.allowedHosts == ["api.openai.com"])
    }

    @Test("build_request with typed input and output")
    func buildRequest() throws {
        let host = try MockPluginHost(components: [MiniChatProvider()])
        let request = try host.invoke(
            id, "provider.build_request", BuildRequestInput(request: chat, baseURL: "https://api.openai.com"), as: UpstreamRequest.self)
        #expect(request.url == "https://api.openai.com/v1/chat/completions")
        #expect(request.secretHeaders == [SecretHeader(name: "Authorization", secret: "OPENAI_API_KEY", prefix: "Bearer ")])
        #expect(request.body.contains("\"How many rest days?\""))
        let error = #expect(throws: PluginError.self) {
            try host.invoke(
                id, "provider.build_request", BuildRequestInput(request: ChatRequest(messages: []), baseURL: "x"), as: UpstreamRequest.self)
        }
        #expect(error?.status == VIGOR_ERR_INVALID_INPUT)
        #expect(error?.message.contains("at least one") == true)
        #expect(host.violations.isEmpty)
    }

    @Test("a call names its component by its exact id: a prefix, a longer id, another case or an empty id is refused")
    func componentByExactID() throws {
        let host = try MockPluginHost(components: [MiniChatProvider()])
        let input = try WireJSON.encode(BuildRequestInput(request: chat, baseURL: "https://api.openai.com"))
        #expect(try !host.invoke(id, "provider.build_request", input: input).isEmpty)
        for wrong in [
            "dev.test.mini-cha", "dev.test.mini-chat2", "DEV.test.mini-chat", "", "dev.test.mini-chat\u{0}", "dév.test.mini-chat",
        ] {
            let error = #expect(throws: PluginError.self, "\(wrong.debugDescription)") {
                try host.invoke(wrong, "provider.build_request", input: input)
            }
            #expect(error?.status == VIGOR_ERR_UNSUPPORTED)
            #expect(error?.message.contains("no component") == true)
        }
        #expect(host.violations.isEmpty)
    }

    @Test("two components with one id: the instance is refused at init, naming the id")
    func duplicateComponentID() {
        let error = #expect(throws: PluginError.self) { try MockPluginHost(components: [MiniChatProvider(), MiniChatProvider()]) }
        #expect(error?.message.contains("component id dev.test.mini-chat declared twice") == true, "\(String(describing: error))")
    }

    @Test("a full round trip over a scripted, recorded upstream response")
    func roundTrip() throws {
        let host = try MockPluginHost(components: [MiniChatProvider()])
        host.http.script(url: "https://api.openai.com/v1/chat/completions", try fixtures.response("success.json"))
        let response = try #require(try host.complete(id, chat).response)
        #expect(response.text.hasPrefix("For a beginner lifting three days a week"))
        #expect(response.usage == TokenUsage(promptTokens: 38, completionTokens: 36))
        #expect(response.model == "gpt-4o-mini-2024-07-18")
        #expect(host.http.requests.count == 1)
        #expect(host.http.requests.first?.secretHeaders.first?.secret == "OPENAI_API_KEY")
    }

    @Test("scripted sequences: rate limited once, then served")
    func sequence() throws {
        let host = try MockPluginHost(components: [MiniChatProvider()])
        let url = "https://api.openai.com/v1/chat/completions"
        host.http.script(
            url: url, try fixtures.response("error_429_rate_limit.json", status: 429, headers: [["retry-after", "2"]]), times: 1)
        host.http.script(url: url, try fixtures.response("success.json"))
        let first = try host.complete(id, chat)
        #expect(first.error?.kind == .rateLimited)
        #expect(first.error?.retryAfterMs == 2000)
        #expect(try host.complete(id, chat).response != nil)
    }

    @Test("transport failures, unscripted URLs and the allow-list")
    func failures() throws {
        let host = try MockPluginHost(components: [MiniChatProvider()])
        host.http.fail(url: "https://api.openai.com/v1/chat/completions", .unavailable("connection reset"))
        #expect(try host.complete(id, chat).error?.kind == .network)
        let unscripted = #expect(throws: PluginError.self) { try host.complete(id, chat, baseURL: "https://proxy.openai.com") }
        #expect(unscripted?.message.contains("no scripted HTTP response for POST https://proxy.openai.com/v1/chat/completions") == true)
    }

    @Test("a recorded SSE body parses the same whatever the chunk size", arguments: [1, 7, 64, 0])
    func stream(chunkSize: Int) throws {
        let host = try MockPluginHost(components: [MiniChatProvider()])
        let result = try host.stream(id, input: chat, body: try fixtures.bytes("stream_usage.sse"), chunkSize: chunkSize)
        #expect(result.text == "Two rest days a week — not back to back. 💪")
        #expect(result.finishReason == "stop")
        #expect(result.usage == TokenUsage(promptTokens: 38, completionTokens: 12))
        #expect(result.model == "gpt-4o-mini-2024-07-18")
        #expect(result.doneCount == 1 && result.doneStatus == VIGOR_OK)
        #expect(host.violations.isEmpty)
    }

    @Test("a cut stream, a cancelled stream, and a stream driven by hand")
    func streamEnds() throws {
        let host = try MockPluginHost(components: [MiniChatProvider()])
        let cut = try host.stream(id, input: chat, body: try fixtures.bytes("stream_cut.sse"))
        #expect(cut.error?.kind == .badResponse)
        let cancelled = try host.stream(
            id, input: chat, body: Array("data: {".utf8), closeWith: VIGOR_ERR_CANCELLED, message: "client left")
        #expect(cancelled.doneStatus == VIGOR_ERR_CANCELLED && cancelled.doneMessage == "client left" && cancelled.doneCount == 1)
        let stream = try host.openStream(id, input: chat)
        #expect(stream.feed("data: {\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n").isEmpty)
        #expect(stream.feed("\n") == [.model("m"), .delta("Hi")])
        stream.feed("data: [DONE]\n\n")
        stream.close()
        #expect(stream.doneCount == 1 && stream.doneStatus == VIGOR_OK)
    }

    @Test("a streaming round trip: build_request, scripted body, provider.stream")
    func streamingRoundTrip() throws {
        let host = try MockPluginHost(components: [MiniChatProvider()])
        host.http.script(url: "https://api.openai.com/v1/chat/completions", try fixtures.response("stream_usage.sse"))
        let result = try host.completeStreaming(id, chat, chunkSize: 5)
        #expect(result.text.hasPrefix("Two rest days"))
        #expect(host.http.requests.first?.body.contains("\"stream\":true") == true)
    }

    @Test("a recorded exchange file replays, its body read from a separate fixture")
    func recordedExchange() throws {
        let dir = try TestSupport.temporaryDirectory()
        try FileManager.default.copyItem(at: fixtures.url("success.json"), to: dir.appendingPathComponent("success.json"))
        let exchange =
            #"{"request":{"method":"POST","url":"https://api.openai.com/v1/chat/completions"},"response":{"status":200,"headers":[["x-request-id","r1"]],"body_file":"success.json"}}"#
        try Data(exchange.utf8).write(to: dir.appendingPathComponent("ok.exchange.json"))
        let local = UpstreamFixtures(directory: dir)
        let recorded = try local.exchange("ok.exchange.json")
        #expect(recorded.response.header("X-Request-Id") == "r1")
        let host = try MockPluginHost(components: [MiniChatProvider()])
        host.http.replay(recorded)
        #expect(try host.complete(id, chat).response?.usage.promptTokens == 38)
    }

    @Test("the mock host serves concurrent calls from many threads")
    func concurrent() throws {
        let host = try MockPluginHost(components: [MiniChatProvider()])
        host.http.script(url: "https://api.openai.com/v1/chat/completions", try fixtures.response("success.json"))
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            if (try? host.complete(id, chat).response?.usage.promptTokens) != 38 { failures.withLock { $0 += 1 } }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(host.http.requests.count == 64)
        #expect(host.violations.isEmpty)
    }

    @Test("cancelled calls and expired deadlines are refused by the SDK thunks")
    func cancellation() throws {
        let host = try MockPluginHost(components: [MiniChatProvider()])
        let input = BuildRequestInput(request: chat, baseURL: "https://api.openai.com")
        let cancelled = #expect(throws: PluginError.self) {
            try host.invoke(id, "provider.build_request", input, as: UpstreamRequest.self, cancelled: true)
        }
        #expect(cancelled?.status == VIGOR_ERR_CANCELLED)
        #expect(throws: PluginError.self) { try host.invoke(id, "provider.build_request", input, as: UpstreamRequest.self, deadlineMs: 1) }
        host.shutdown()
        #expect(throws: PluginError.self) { try host.invoke(id, "provider.build_request", input, as: UpstreamRequest.self) }
    }
}

@Suite("Mock host: a generator tested in-process")
struct MockHostGeneratorTests {
    let id = "dev.test.mobility"

    func makeHost(_ options: MockHostOptions = MockHostOptions()) throws -> MockPluginHost {
        let host = try MockPluginHost(options: options) { services in [MobilityGenerator(services: services)] }
        host.http.script(url: "https://drills.example.com/hips.json", status: 200, body: #"["90/90","couch stretch","deep squat hold"]"#)
        return host
    }

    @Test("LLM, HTTP, log and clock all come from the mock")
    func generates() throws {
        let host = try makeHost()
        host.llm.reply(#"["90/90","couch stretch","deep squat hold"]"#)
        let plan = try host.generate(
            id, profile: MobilityGenerator.Profile(days: 3), request: MobilityGenerator.Request(focus: "hips"),
            as: MobilityGenerator.Plan.self)
        #expect(plan.sessions == ["90/90", "couch stretch", "deep squat hold"])
        #expect(plan.created == "2026-01-01T00:00:00Z")
        #expect(host.logLines == ["mobility plan: 3 days, focus hips"])
        #expect(host.logEntries.first?.level == .info)
        #expect(host.llm.requests.count == 1)
        #expect(host.llm.requests.first?.messages.first?.content.contains("Pick 3 sessions from [\"90/90\"") == true)
        #expect(host.http.requests.map(\.url) == ["https://drills.example.com/hips.json"])

        host.clock.advance(by: .seconds(86_400 + 30))
        let later = try host.generate(
            id, profile: MobilityGenerator.Profile(days: 3), request: MobilityGenerator.Request(focus: "hips"),
            as: MobilityGenerator.Plan.self)
        #expect(later.created == "2026-01-02T00:00:30Z")
        #expect(host.violations.isEmpty)
    }

    @Test("scripted LLM steps are used in order; the last one repeats")
    func llmSequence() throws {
        let host = try makeHost()
        host.llm.reply("not json")
        host.llm.reply(#"["a","b"]"#)
        let profile = MobilityGenerator.Profile(days: 2)
        let request = MobilityGenerator.Request(focus: "hips")
        let first = #expect(throws: PluginError.self) {
            try host.generate(id, profile: profile, request: request, as: MobilityGenerator.Plan.self)
        }
        #expect(first?.status == VIGOR_ERR_UNAVAILABLE)
        #expect(host.logEntries.last == MockLogEntry(level: .warning, message: "unusable LLM answer"))
        #expect(try host.generate(id, profile: profile, request: request, as: MobilityGenerator.Plan.self).sessions == ["a", "b"])
        #expect(try host.generate(id, profile: profile, request: request, as: MobilityGenerator.Plan.self).sessions == ["a", "b"])
    }

    @Test("failures of host services reach the plugin with their status")
    func serviceFailures() throws {
        let host = try makeHost()
        host.llm.fail(.deadline("quota exhausted"))
        let error = #expect(throws: PluginError.self) {
            try host.generate(
                id, profile: MobilityGenerator.Profile(days: 1), request: MobilityGenerator.Request(focus: "hips"),
                as: MobilityGenerator.Plan.self)
        }
        #expect(error?.status == VIGOR_ERR_DEADLINE && error?.message == "quota exhausted")
        // A host without vigor.llm/1: the SDK reports it as unsupported.
        let bare = try makeHost(MockHostOptions(services: [.log, .clock, .http]))
        let unsupported = #expect(throws: PluginError.self) {
            try bare.generate(
                id, profile: MobilityGenerator.Profile(days: 1), request: MobilityGenerator.Request(focus: "hips"),
                as: MobilityGenerator.Plan.self)
        }
        #expect(unsupported?.status == VIGOR_ERR_UNSUPPORTED)
        // Outside allowed_hosts, the mock's vigor.http/1 refuses like the real host.
        let outside = #expect(throws: PluginError.self) {
            try host.generate(
                id, profile: MobilityGenerator.Profile(days: 1),
                request: MobilityGenerator.Request(focus: "hips", source: "evil.example.com"),
                as: MobilityGenerator.Plan.self)
        }
        #expect(outside?.message.contains("\"evil.example.com\" is not in the plugin's allowed_hosts") == true)
    }

    @Test("the plugin refuses a host of another ABI major in on_init")
    func negotiation() throws {
        let error = #expect(throws: PluginError.self) { try makeHost(MockHostOptions(abiMajor: 2)) }
        #expect(error?.status == VIGOR_ERR_INCOMPATIBLE)
    }

    @Test("one process may host several plugins side by side")
    func sideBySide() throws {
        let a = try MockPluginHost(components: [MiniChatProvider()])
        let b = try makeHost()
        #expect(a.components.map(\.id) == ["dev.test.mini-chat"])
        #expect(b.components.map(\.id) == [id])
    }
}

// MARK: - Plugins that break the rules

/// A C plugin with selectable faults, to prove the mock host and the checker notice them.
enum SloppyPlugin {
    static let source = #"""
        #include <stdlib.h>
        #include <string.h>
        #include "vigor_plugin.h"

        static const char DESC[] = "{\"schema\":1,\"plugins\":[{\"id\":\"dev.test.sloppy\",\"name\":\"Sloppy\",\"version\":\"1.0.0\","
            "\"kind\":\"llm-provider\",\"capabilities\":{\"offline\":true,\"streaming\":true}}]}";
        static const char REPLY[] = "{\"schema\":1,\"response\":{\"schema\":1,\"text\":\"ok\",\"model\":\"s\","
            "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}}";

        static void release_buf(vigor_buf *b) { free(b->ptr); b->ptr = NULL; b->len = 0; b->release = NULL; }
        static vigor_status put(vigor_buf *out, const char *s, size_t n, vigor_status st) {
            if (!out) return st;
            out->ptr = malloc(n ? n : 1); memcpy(out->ptr, s, n); out->len = n; out->release = release_buf; return st;
        }

        static vigor_status on_init(const vigor_host_api *host, vigor_instance **inst, vigor_buf *err) {
        #ifdef STRICT_INIT
            if (host->abi_major != VIGOR_ABI_MAJOR) return put(err, "host ABI major differs", 22, VIGOR_ERR_INCOMPATIBLE);
        #endif
            (void)host; (void)err; *inst = NULL; return VIGOR_OK;
        }
        static vigor_status on_describe(vigor_instance *i, vigor_buf *out) {
            (void)i;
        #ifdef NO_RELEASE
            out->ptr = (char *)DESC; out->len = sizeof DESC - 1; out->release = NULL; return VIGOR_OK;
        #else
            return put(out, DESC, sizeof DESC - 1, VIGOR_OK);
        #endif
        }
        static vigor_status on_invoke(vigor_instance *i, const vigor_call *c, vigor_str comp, vigor_str op, vigor_str in, vigor_buf *out) {
            (void)i; (void)c; (void)comp; (void)op; (void)in;
            return put(out, REPLY, sizeof REPLY - 1, VIGOR_OK);
        }
        typedef struct { vigor_stream_sink sink; } sloppy_stream;
        static vigor_status on_stream_open(vigor_instance *i, const vigor_call *c, vigor_str comp, vigor_str op, vigor_str in,
                                           const vigor_stream_sink *sink, vigor_stream **out, vigor_buf *err) {
            (void)i; (void)c; (void)comp; (void)op; (void)in; (void)err;
            sloppy_stream *s = malloc(sizeof *s); s->sink = *sink; *out = (vigor_stream *)s; return VIGOR_OK;
        }
        static void on_stream_feed(vigor_stream *st, vigor_str bytes) {
            static const char EV[] = "{\"type\":\"delta\",\"text\":\"x\"}";
            sloppy_stream *s = (sloppy_stream *)st; (void)bytes;
            vigor_str e = { EV, sizeof EV - 1 }; s->sink.on_event(s->sink.user, e);
        }
        static void on_stream_close(vigor_stream *st, vigor_status status, vigor_str message) {
            sloppy_stream *s = (sloppy_stream *)st;
            s->sink.on_done(s->sink.user, status, message);
        #ifdef DOUBLE_DONE
            s->sink.on_done(s->sink.user, status, message);
        #endif
            free(s);
        }
        static void on_shutdown(vigor_instance *i) { (void)i; }
        static const vigor_plugin_table TABLE = {
            sizeof(vigor_plugin_table), VIGOR_PLUGIN_MAGIC, VIGOR_ABI_MAJOR, VIGOR_ABI_MINOR, "c",
            on_init, on_describe, on_invoke, on_stream_open, on_stream_feed, on_stream_close, on_shutdown,
        };
        const vigor_plugin_table *vigor_plugin_entry(void) { return &TABLE; }
        """#

    /// Builds the plugin with the given faults and returns the library path.
    static func build(_ defines: [String]) throws -> String {
        let dir = try TestSupport.temporaryDirectory()
        let source = dir.appendingPathComponent("sloppy.c")
        try Data(Self.source.utf8).write(to: source)
        return try TestSupport.compileC(source.path, to: dir.appendingPathComponent("libsloppy.so").path, defines: defines)
    }

    /// The entry table of a built library, for ``MockPluginHost/init(entryTable:options:)``.
    static func entryTable(_ path: String) throws -> UnsafeRawPointer {
        let handle = try #require(dlopen(path, RTLD_NOW | RTLD_LOCAL))
        let symbol = try #require(dlsym(handle, VIGOR_ENTRY_SYMBOL))
        return UnsafeRawPointer(try #require(unsafeBitCast(symbol, to: vigor_plugin_entry_fn.self)()))
    }
}

@Suite("Mock host and checker: rule breaches are caught")
struct RuleBreachTests {
    func check(_ report: ConformanceReport, _ prefix: String) throws -> ConformanceCheck {
        try #require(report.checks.first { $0.name.hasPrefix(prefix) }, "\(report.text)")
    }

    @Test("a C plugin runs in the mock host through its entry table")
    func cEntryTable() throws {
        let path = try TestSupport.compileC(
            LoaderTests.cCoach, to: try TestSupport.temporaryDirectory().appendingPathComponent("libc_coach.so").path)
        let host = try MockPluginHost(entryTable: try SloppyPlugin.entryTable(path))
        let result = try host.complete(
            "dev.example.c-coach", ChatRequest(messages: [ChatMessage(role: "user", content: "How do I stretch?")]))
        #expect(result.response?.text.contains("Stretch") == true)
        #expect(host.violations.isEmpty)
    }

    @Test("a buffer without release and a double on_done are recorded as violations")
    func violations() throws {
        let host = try MockPluginHost(
            entryTable: try SloppyPlugin.entryTable(try SloppyPlugin.build(["STRICT_INIT", "NO_RELEASE", "DOUBLE_DONE"])))
        #expect(host.violations.contains { $0.contains("on_describe output") && $0.contains("no release function") })
        let result = try host.stream("dev.test.sloppy", input: ChatRequest(messages: []), body: Array("abc".utf8), chunkSize: 1)
        #expect(result.text == "xxx")
        #expect(result.doneCount == 2)
        #expect(host.violations.contains { $0.contains("on_done called 2 times") })
        #expect(host.violations.contains { $0.contains("event arrived after on_done") } == false)
    }

    @Test("the checker fails a plugin that accepts a host it cannot serve")
    func laxInit() throws {
        let report = ConformanceSuite(threads: 2, callsPerThread: 2).run(path: try SloppyPlugin.build([]))
        let refusal = try check(report, "negotiation: on_init refuses a host of ABI 2.0")
        #expect(!refusal.passed)
        #expect(refusal.detail.contains("accepted"))
        #expect(try check(report, "ownership:").passed)
        #expect(!report.passed)
    }

    @Test("the checker fails a plugin whose output has no release function")
    func noRelease() throws {
        let report = ConformanceSuite(threads: 2, callsPerThread: 2).run(path: try SloppyPlugin.build(["STRICT_INIT", "NO_RELEASE"]))
        #expect(try check(report, "negotiation: on_init refuses a host of ABI 2.0").passed)
        let ownership = try check(report, "ownership:")
        #expect(!ownership.passed)
        #expect(ownership.detail.contains("without release"))
    }

    @Test("the C example passes the new checks, with reasons in the report")
    func cExamplePasses() throws {
        let path = try TestSupport.compileC(
            LoaderTests.cCoach, to: try TestSupport.temporaryDirectory().appendingPathComponent("libc_coach.so").path)
        let report = ConformanceSuite(threads: 2, callsPerThread: 2).run(path: path)
        #expect(report.passed, "\(report.text)")
        #expect(try check(report, "negotiation: on_init refuses a host of ABI 2.0").detail.contains("status 3"))
        #expect(try check(report, "ownership:").detail.contains("buffers released by their own release function"))
    }
}
