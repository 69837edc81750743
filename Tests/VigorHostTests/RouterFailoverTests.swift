import Foundation
import Logging
import Synchronization
import Testing
import VigorPluginLoader
import VigorPluginSDK

@testable import VigorHost

/// The router with the real provider plugins (dlopen), real egress, a real SQLite ledger
/// and local mock upstreams standing in for OpenAI and Gemini.
@Suite("Router failover, circuit breaker, deadlines, streaming")
struct RouterFailoverTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/providers")

    static func fixture(_ provider: String, _ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(provider).appendingPathComponent(name), encoding: .utf8)
    }

    static let secret = "sk-test-SECRET-0123456789abcdef"

    struct Setup {
        let quota: QuotaLedgerTests.Fixture
        let router: ProviderRouter
        let openai: MockUpstream
        let gemini: MockUpstream
        let logs: CapturingLogHandler.Lines
        let breakers: CircuitBreakers
        /// The router's clock: deadlines, backoffs and breaker cool-downs move only when a test advances it.
        let clock: ManualClock
        /// Every settled attempt, as the router settles it.
        let settled: SettlementWatch
        /// The folder of plugin copies the registry scanned.
        let pluginFolder: URL

        /// Now on the router's clock, in Unix ms.
        var nowMs: Int64 { VigorClock.manual(clock).nowMs }

        func context(_ id: String = UUID().uuidString, deadlineMs: Int64? = nil) -> AIRequestContext {
            AIRequestContext(userID: quota.userID, requestID: id, deadlineMs: deadlineMs)
        }

        func outcomes() async throws -> [String] {
            try await quota.store.read { db in
                try String.fetchAll(db, sql: "SELECT provider || ':' || outcome FROM ai_usage_logs ORDER BY id")
            }
        }

        func stop() async {
            openai.stop()
            gemini.stop()
            try? await router.egress?.shutdown()
            try? FileManager.default.removeItem(at: pluginFolder)
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: quota.store.path).deletingLastPathComponent())
        }
    }

    static func setup(
        perDay: Int = 1000, breakers: CircuitBreakers = CircuitBreakers(threshold: 3, baseCooldownMs: 300), backoffBaseMs: Int = 0
    ) async throws -> Setup {
        let quota = try await QuotaLedgerTests.fixture(perDay: perDay)
        let openai = try await MockUpstream.start()
        let gemini = try await MockUpstream.start()
        let lines = CapturingLogHandler.Lines()
        let logger = Logger(label: "router-test") { _ in CapturingLogHandler(sink: lines) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-router-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for product in ["VigorFallback", "VigorOpenAI", "VigorGemini"] {
            try FileManager.default.copyItem(
                at: QuotaLedgerTests.builtProducts.appendingPathComponent("lib\(product).so"),
                to: dir.appendingPathComponent("lib\(product).so"))
        }
        let registry = PluginRegistry(loader: PluginLoader(logger: logger))
        registry.scan(directory: dir.path)
        var configuration = ProviderRouter.Configuration()
        configuration.baseURLs = ["openai": openai.baseURL, "gemini": gemini.baseURL]
        // Retries go at once unless a test asks for a backoff (retryWaitsOnTheClock).
        configuration.backoffBaseMs = backoffBaseMs
        // Starts at the real time: the loader still checks plugin-call deadlines against it.
        let clock = ManualClock(start: Date())
        let settled = SettlementWatch(quota.ledger)
        let egress = Egress(secrets: Secrets(["OPENAI_API_KEY": secret, "GEMINI_API_KEY": "gm-\(secret)"]))
        let router = ProviderRouter(
            registry: registry, egress: egress, accounting: settled,
            priorities: StaticProviderPriorities([
                ProviderPriority(provider: "gemini", priority: 1), ProviderPriority(provider: "openai", priority: 2),
            ]),
            breakers: breakers, configuration: configuration, clock: .manual(clock), logger: logger)
        return Setup(
            quota: quota, router: router, openai: openai, gemini: gemini, logs: lines, breakers: breakers, clock: clock, settled: settled,
            pluginFolder: dir)
    }

    static let question = ChatRequest(messages: [ChatMessage(role: "user", content: "How many rest days?")], maxTokens: 200)

    @Test("fails over in priority order; each attempt is reserved, logged, and failures released")
    func failoverOrder() async throws {
        let s = try await Self.setup()
        defer { Task { await s.stop() } }
        let overloaded = MockUpstream.Answer.json(try Self.fixture("openai", "error_503_overloaded.json"), status: 503)
        s.gemini.script([], otherwise: overloaded)
        s.openai.script([.json(try Self.fixture("openai", "success.json"))])
        let reply = try await s.router.complete(Self.question, context: s.context())
        #expect(reply.provider == "openai")
        #expect(reply.text.hasPrefix("For a beginner lifting three days a week"))
        #expect(reply.usage == TokenUsage(promptTokens: 38, completionTokens: 36))
        #expect(reply.costMicros > 0)
        #expect(s.gemini.received.count == 2)  // one retry with backoff, then failover
        #expect(try await s.outcomes() == ["gemini:overloaded", "gemini:overloaded", "openai:success"])
        let day = try await s.quota.store.usageCounters(userID: s.quota.userID, at: Date()).first { $0.period == .day }
        #expect(day?.requests == 1)
        #expect(day?.costMicros == reply.costMicros)
        // The host injected the key; the plugin never saw it.
        let sent = try #require(s.openai.received.first)
        #expect(sent.headers["authorization"] == "Bearer \(Self.secret)")
        #expect(sent.path == "/v1/chat/completions")
        #expect(s.gemini.received.first?.headers["x-goog-api-key"] == "gm-\(Self.secret)")
        // No secret in any log line.
        #expect(!s.logs.all.isEmpty)
        #expect(s.logs.all.allSatisfy { !$0.contains(Self.secret) })
    }

    @Test("the offline fallback answers last when every upstream fails")
    func fallbackLast() async throws {
        let s = try await Self.setup()
        defer { Task { await s.stop() } }
        s.gemini.script([], otherwise: .json("{\"error\":{\"code\":500,\"message\":\"internal\",\"status\":\"INTERNAL\"}}", status: 500))
        s.openai.script([], otherwise: .json(try Self.fixture("openai", "error_401_invalid_api_key.json"), status: 401))
        let reply = try await s.router.complete(Self.question, context: s.context())
        #expect(reply.provider == "fallback")
        #expect(s.openai.received.count == 1)  // auth errors are not retried
        #expect(try await s.outcomes().last == "fallback:success")
    }

    @Test("a non-retryable upstream answer is the client's error, not a failover")
    func contextLengthIsClientError() async throws {
        let s = try await Self.setup()
        defer { Task { await s.stop() } }
        s.gemini.script([], otherwise: .json("{}", status: 503))
        s.openai.script([.json(try Self.fixture("openai", "error_400_context_length.json"), status: 400)])
        let error = await #expect(throws: AIError.self) { try await s.router.complete(Self.question, context: s.context()) }
        #expect(error?.code == .badRequest)
    }

    @Test("an upstream 400 for a concrete model is the client's 400: no failover, no breaker failure (plain and streaming)")
    func upstreamBadRequestIsNotAProviderFault() async throws {
        let s = try await Self.setup(breakers: CircuitBreakers(threshold: 1, baseCooldownMs: 60_000))
        defer { Task { await s.stop() } }
        s.openai.script([], otherwise: .json(try Self.fixture("openai", "error_400_bad_request.json"), status: 400))
        var request = Self.question
        request.model = "gpt-4o"
        let error = await #expect(throws: AIError.self) { try await s.router.complete(request, context: s.context()) }
        #expect(error?.code == .badRequest)
        #expect(error?.httpStatus == 400)
        await #expect(throws: AIError.self) {
            for try await _ in s.router.stream(request, context: s.context()) {}
        }
        #expect(s.openai.received.count == 2)
        #expect(s.gemini.received.isEmpty)  // gemini does not list gpt-4o: no failover to it
        #expect(s.breakers.status("openai", nowMs: s.nowMs).state == .closed)
        #expect(try await s.outcomes() == ["openai:bad_request", "openai:bad_request"])
    }

    /// Records every charge the router makes, then hands it to the real ledger.
    final class RecordingAccounting: AIAccounting {
        let inner: any AIAccounting
        let charges = Mutex<[AttemptCharge]>([])
        init(_ inner: any AIAccounting) { self.inner = inner }
        func reserve(_ charge: AttemptCharge) async throws -> Reservation {
            charges.withLock { $0.append(charge) }
            return try await inner.reserve(charge)
        }
        func settle(_ reservation: Reservation, _ outcome: AttemptOutcome) async throws { try await inner.settle(reservation, outcome) }
        func recordRefusal(_ charge: AttemptCharge, _ refusal: QuotaRefusal) async { await inner.recordRefusal(charge, refusal) }
    }

    @Test("each attempt is charged the requested and the served model, the context's kind and a bounded estimate")
    func chargeCarriesRequestedAndServedModel() async throws {
        let s = try await Self.setup()
        defer { Task { await s.stop() } }
        let recording = RecordingAccounting(s.quota.ledger)
        var configuration = ProviderRouter.Configuration()
        configuration.baseURLs = ["openai": s.openai.baseURL, "gemini": s.gemini.baseURL]
        let router = ProviderRouter(
            registry: s.router.registry, egress: s.router.egress, accounting: recording,
            priorities: StaticProviderPriorities([ProviderPriority(provider: "openai", priority: 1)]), breakers: s.breakers,
            configuration: configuration, logger: Logger(label: "test"))
        s.openai.script([], otherwise: .json(try Self.fixture("openai", "success.json")))
        var request = Self.question
        request.model = "vigor-coach"
        request.maxTokens = 900_000  // clamped to gpt-4o-mini's 128 000 for the alias
        var context = s.context()
        context.kind = "openai_chat"
        let reply = try await router.complete(request, context: context)
        #expect(reply.model == "gpt-4o-mini-2024-07-18")
        let charge = try #require(recording.charges.withLock { $0.first })
        #expect(charge.requestedModel == "vigor-coach")
        #expect(charge.model == "gpt-4o-mini")
        #expect(charge.kind == "openai_chat")
        // At most 128 000 answer tokens at $0.60/M plus the prompt: far from any overflow.
        #expect(charge.estimatedCostMicros > 76_800 && charge.estimatedCostMicros < 77_000)
        #expect(s.openai.received.last?.body.contains("128000") == true)
    }

    @Test("the circuit opens after repeated failures, probes after the cool-down, and closes on success")
    func circuitBreaker() async throws {
        let s = try await Self.setup(breakers: CircuitBreakers(threshold: 2, baseCooldownMs: 4_000))
        defer { Task { await s.stop() } }
        s.gemini.script([], otherwise: .json("{}", status: 503))
        s.openai.script([], otherwise: .json(try Self.fixture("openai", "success.json")))
        _ = try await s.router.complete(Self.question, context: s.context())
        #expect(s.gemini.received.count == 2, "\(s.logs.all)")
        #expect(s.breakers.status("gemini", nowMs: s.nowMs).state == .open)
        // While open, gemini is skipped entirely, also just before the cool-down ends.
        s.clock.advance(by: .milliseconds(3_999))
        _ = try await s.router.complete(Self.question, context: s.context())
        #expect(s.gemini.received.count == 2)
        // After the cool-down one probe goes through; it succeeds and closes the circuit.
        s.clock.advance(by: .milliseconds(1))
        #expect(s.breakers.status("gemini", nowMs: s.nowMs).state == .halfOpen)
        let geminiOK =
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Rest two days.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":4,\"totalTokenCount\":9},\"modelVersion\":\"gemini-3.5-flash\"}"
        s.gemini.script([.json(geminiOK)])
        let reply = try await s.router.complete(Self.question, context: s.context())
        #expect(reply.provider == "gemini")
        #expect(reply.text == "Rest two days.")
        #expect(s.breakers.status("gemini", nowMs: s.nowMs).state == .closed)
    }

    @Test("the request deadline, on the router's clock, bounds the whole attempt chain", .timeLimit(.minutes(1)))
    func deadline() async throws {
        let s = try await Self.setup()
        defer { Task { await s.stop() } }
        var slow = MockUpstream.Answer.json(try Self.fixture("openai", "success.json"))
        slow.delayMs = 20_000
        s.gemini.script([], otherwise: slow)
        s.openai.script([], otherwise: slow)
        let started = Date()
        let router = s.router
        let context = s.context(deadlineMs: s.nowMs + 400)
        let call = Task { try await router.complete(Self.question, context: context) }
        // The first attempt waits for the slow upstream; its deadline passes on the clock.
        await s.clock.waitForSleeper(dueWithin: .milliseconds(400))
        s.clock.advance(by: .milliseconds(400))
        let error = await #expect(throws: AIError.self) { try await call.value }
        #expect(error?.code == .timeout)
        #expect(Date().timeIntervalSince(started) < 8.0)  // far below one slow upstream answer (20 s)
        let day = try await s.quota.store.usageCounters(userID: s.quota.userID, at: Date()).first { $0.period == .day }
        #expect(day?.requests == 0)  // timed-out attempts were released
    }

    @Test("extreme deadlines (Int64.min, Int64.max) neither trap nor hang: past is a timeout, far future answers")
    func extremeDeadlines() async throws {
        let s = try await Self.setup()
        defer { Task { await s.stop() } }
        s.gemini.script([], otherwise: .json("{}", status: 503))
        s.openai.script([], otherwise: .json(try Self.fixture("openai", "success.json")))
        let error = await #expect(throws: AIError.self) {
            try await s.router.complete(Self.question, context: s.context(deadlineMs: .min))
        }
        #expect(error?.code == .timeout)
        #expect(s.gemini.received.isEmpty && s.openai.received.isEmpty)
        let reply = try await s.router.complete(Self.question, context: s.context(deadlineMs: .max))
        #expect(reply.provider == "openai")
    }

    @Test("a retry waits its backoff on the router's clock, then goes to the same provider", .timeLimit(.minutes(1)))
    func retryWaitsOnTheClock() async throws {
        // The first retry waits 500...1000 ms (jittered exponential backoff from 500 ms).
        let s = try await Self.setup(backoffBaseMs: 500)
        defer { Task { await s.stop() } }
        let geminiOK =
            #"{"candidates":[{"content":{"parts":[{"text":"Rest."}],"role":"model"},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":1,"totalTokenCount":6}}"#
        s.gemini.script([.json("{}", status: 503), .json(geminiOK)])
        let router = s.router
        let context = s.context()
        let call = Task { try await router.complete(Self.question, context: context) }
        await s.clock.waitForSleeper(dueWithin: .seconds(1))
        #expect(s.gemini.received.count == 1)  // waiting, not retried yet
        s.clock.advance(by: .seconds(1))
        let reply = try await call.value
        #expect(reply.provider == "gemini")
        #expect(s.gemini.received.count == 2)
        #expect(s.openai.received.isEmpty)
        #expect(try await s.outcomes() == ["gemini:overloaded", "gemini:success"])
    }

    @Test("quota is re-checked on each attempt: a released failure leaves room for the next provider")
    func quotaPerAttempt() async throws {
        let s = try await Self.setup(perDay: 1)
        defer { Task { await s.stop() } }
        s.gemini.script([], otherwise: .json("{}", status: 503))
        s.openai.script([], otherwise: .json(try Self.fixture("openai", "success.json")))
        let reply = try await s.router.complete(Self.question, context: s.context())
        #expect(reply.provider == "openai")
        let upstreamCalls = s.gemini.received.count + s.openai.received.count
        let error = await #expect(throws: AIError.self) { try await s.router.complete(Self.question, context: s.context()) }
        #expect(error?.code == .quotaExceeded)
        #expect(error?.limit == "requests_per_day")
        #expect(s.gemini.received.count + s.openai.received.count == upstreamCalls)  // refused before any upstream call
    }

    @Test("SSE from the upstream streams through the plugin parser, with usage")
    func streaming() async throws {
        let s = try await Self.setup()
        defer { Task { await s.stop() } }
        s.gemini.script([], otherwise: .json("{}", status: 503))
        let transcript = try Self.fixture("openai", "stream_usage.sse")
        // Split the recorded stream into small network chunks.
        let pieces = stride(from: 0, to: transcript.utf8.count, by: 37).map { start -> String in
            let bytes = Array(transcript.utf8)
            return String(decoding: bytes[start..<min(start + 37, bytes.count)], as: UTF8.self)
        }
        s.openai.script([.sse(pieces, chunkDelayMs: 1)])
        var text = ""
        var final: CoachReply?
        for try await event in s.router.stream(Self.question, context: s.context()) {
            switch event {
            case .delta(let piece): text += piece
            case .done(let reply): final = reply
            }
        }
        let reply = try #require(final)
        #expect(reply.provider == "openai")
        #expect(reply.text == text)
        #expect(!text.isEmpty)
        #expect(reply.usage.completionTokens > 0)
        #expect(try await s.outcomes().last == "openai:success")
    }

    @Test("a stream cut after text ends with an error, never a clean end; usage is still settled")
    func cutStream() async throws {
        let s = try await Self.setup()
        defer { Task { await s.stop() } }
        s.gemini.script([], otherwise: .json("{}", status: 503))
        s.openai.script([.sse([try Self.fixture("openai", "stream_cut.sse")])])
        var text = ""
        var cut: StreamCutError?
        do {
            for try await event in s.router.stream(Self.question, context: s.context()) {
                if case .delta(let piece) = event { text += piece }
                if case .done = event { Issue.record("a cut stream must not end cleanly") }
            }
        } catch let error as StreamCutError {
            cut = error
        }
        #expect(!text.isEmpty)
        #expect(cut?.provider == "openai")
        let outcome = try await s.outcomes().last
        #expect(outcome == "openai:bad_response")
        let day = try await s.quota.store.usageCounters(userID: s.quota.userID, at: Date()).first { $0.period == .day }
        #expect(day?.requests == 1)  // text was delivered: the request counts
    }

    @Test("a client that goes away mid-stream cancels the upstream and the attempt is settled", .timeLimit(.minutes(1)))
    func clientDisconnect() async throws {
        let s = try await Self.setup()
        defer { Task { await s.stop() } }
        s.gemini.script([], otherwise: .json("{}", status: 503))
        let transcript = try Self.fixture("openai", "stream_usage.sse")
        let lines = transcript.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        s.openai.script([.sse(lines, chunkDelayMs: 40)])
        let (firstText, signal) = AsyncStream<Void>.makeStream()
        let router = s.router
        let context = s.context()
        let consumer = Task {
            for try await event in router.stream(Self.question, context: context) {
                if case .delta = event { signal.yield(()) }
            }
        }
        var waiter = firstText.makeAsyncIterator()
        _ = await waiter.next()
        // The consumer goes away (as a disconnected client's request task does).
        consumer.cancel()
        // The router settles the cancelled attempt: await that, then read the usage log.
        #expect(await s.settled.next(provider: "openai") == "client_disconnected")
        let outcome = try await s.outcomes().last
        #expect(outcome == "openai:client_disconnected")
    }
}

extension RouterFailoverTests {
    @Test("a stream that completes without text (all tokens hidden, finish length) is still billed and counted")
    func completedEmptyStreamIsBilled() async throws {
        let s = try await Self.setup()
        defer { Task { await s.stop() } }
        s.gemini.script([], otherwise: .json("{}", status: 503))
        // A reasoning model that spent max_tokens on hidden tokens: no content, a usage chunk.
        let head = #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":"#
        let transcript =
            [
                "data: " + head + #"[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
                "data: " + head + #"[{"index":0,"delta":{},"finish_reason":"length"}]}"#,
                "data: " + head + #"[],"usage":{"prompt_tokens":50000,"completion_tokens":200,"total_tokens":50200}}"#,
                "data: [DONE]",
            ].joined(separator: "\n\n") + "\n\n"
        s.openai.script([.sse([transcript])])
        var final: CoachReply?
        for try await event in s.router.stream(Self.question, context: s.context()) {
            if case .done(let reply) = event { final = reply }
        }
        let reply = try #require(final)
        #expect(reply.provider == "openai")
        #expect(reply.text.isEmpty)
        #expect(reply.costMicros > 0)
        #expect(try await s.outcomes().last == "openai:success")
        let day = try await s.quota.store.usageCounters(userID: s.quota.userID, at: Date()).first { $0.period == .day }
        #expect(day?.costMicros == reply.costMicros)  // the upstream billed these tokens: so does the ledger
        #expect(day?.requests == 1)
    }
}
