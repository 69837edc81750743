import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigorCoaching
import VigorPluginSDK

@testable import VigorHost

/// The host's safety screen before any provider: a red flag gets the emergency answer with
/// no provider call and no quota spent, on every chat path; the escalation is recorded
/// without the text and counted in the admin report; other messages go on, annotated.
@Suite("Safety screen in the host")
struct SafetyScreenTests {
    static let redFlag = "I feel dizzy and my left arm is numb after my workout"
    static let sse: HTTPFields = [.accept: "text/event-stream", .contentType: "application/json"]

    /// Provider attempts logged (every provider call, served or failed, writes one row).
    static func providerCalls(_ store: SQLiteStore) async throws -> Int {
        try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ai_usage_logs") ?? 0 }
    }

    static func requestsCounted(_ store: SQLiteStore, userID: Int64, at date: Date) async throws -> Int {
        try await store.usageCounters(userID: userID, at: date).map(\.requests).reduce(0, +)
    }

    /// Every escalation row, every column as text.
    static func escalationRows(_ store: SQLiteStore) async throws -> [[String: String]] {
        try await store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM safety_escalations ORDER BY id").map { row in
                Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0].map { "\($0)" } ?? "") })
            }
        }
    }

    @Test("red flag over /api/v1/ai/chat: emergency answer from 'safety', no provider call, no request spent, stored, recorded")
    func plainChat() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("redflag")
            let reply = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": Self.redFlag])
            #expect(reply.status == .ok, "\(reply.text)")
            let text = try #require(reply.json["reply"] as? String)
            #expect(text.contains("stop exercising now"))
            #expect(text.contains(VigorConfiguration.defaultEmergencyNumber))
            #expect(reply.json["provider"] as? String == "safety")
            #expect((reply.json["usage"] as? [String: Any])?["cost_micros"] as? Int == 0)
            #expect(try await Self.providerCalls(host.store) == 0, "no provider was called")
            #expect(try await Self.requestsCounted(host.store, userID: user.id, at: host.clock.now) == 0, "no request spent")
            #expect(reply.headers[RateLimitHeaders.remaining] == "10")
            // Stored like any answer.
            let conversationID = try #require((reply.json["conversation_id"] as? NSNumber)?.int64Value)
            let stored = try await host.store.recentMessages(conversationID: conversationID, userID: user.id, limit: 10)
            #expect(stored.map(\.role) == ["user", "assistant"])
            #expect(stored.last?.provider == "safety")
            #expect(stored.last?.content == text)
            // Recorded: the type, the user, the request; never the text.
            let rows = try await Self.escalationRows(host.store)
            #expect(rows.count == 1)
            #expect(rows.first?["red_flag"] == "one_sided_weakness")
            #expect(rows.first?["user_id"] == "\(user.id)")
            #expect(rows.first?["request_id"]?.isEmpty == false)
            #expect(rows.first?["request_id"] == reply.headers[HTTPField.Name("x-request-id")!])
            for value in rows.flatMap(\.values) {
                #expect(!value.lowercased().contains("dizzy") && !value.lowercased().contains("numb"), "message text in the log")
            }
            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.text.contains(#"vigor_safety_escalations_total{type="one_sided_weakness"} 1"#), "\(metrics.text)")
        }
    }

    @Test("a red flag is answered even when the user's quota is used up")
    func quotaExhausted() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("noquota")
            try await host.limit(userID: user.id, perDay: 0)
            let reply = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "I get chest pain when I run"])
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["provider"] as? String == "safety")
            let blocked = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "How do I squat?"])
            blocked.expectError(.tooManyRequests, code: "quota_exceeded")
        }
    }

    @Test("red flag over SSE: one delta and done, no provider call")
    func streaming() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("redstream")
            let reply = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token, body: jsonText(["message": "I fainted during my squats"]), headers: Self.sse)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let events = parseSSE(reply.text)
            #expect(events.map(\.event) == ["delta", "done"])
            let text = try #require(events.first?.json["text"] as? String)
            #expect(text.contains("Fainting or nearly fainting"))
            #expect(events.last?.json["provider"] as? String == "safety")
            #expect(events.last?.json["reply"] as? String == text)
            #expect(try await Self.providerCalls(host.store) == 0)
            #expect(try await Self.requestsCounted(host.store, userID: user.id, at: host.clock.now) == 0)
            #expect(try await Self.escalationRows(host.store).map { $0["red_flag"] } == ["fainting"])
        }
    }

    @Test("red flag over /v1/chat/completions, plain and streaming: the emergency answer, no provider call")
    func openAICompatible() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("redsdk")
            let key = try await client.createAPIKey(token: user.token)
            func body(stream: Bool) -> String {
                jsonText([
                    "model": "vigor-coach-1", "stream": stream,
                    "messages": [
                        ["role": "system", "content": "You are a helpful coach."],
                        ["role": "user", "content": "Hi!"], ["role": "assistant", "content": "Hello, how can I help?"],
                        ["role": "user", "content": "My heart is racing and skipping beats during cardio"],
                    ],
                ])
            }
            let plain = try await client.send(.post, "/v1/chat/completions", token: key.key, body: body(stream: false))
            #expect(plain.status == .ok, "\(plain.text)")
            let choices = try #require(plain.json["choices"] as? [[String: Any]])
            let content = try #require((choices.first?["message"] as? [String: Any])?["content"] as? String)
            #expect(content.contains("stop exercising now"))
            #expect(choices.first?["finish_reason"] as? String == "stop")
            let streamed = try await client.send(
                .post, "/v1/chat/completions", token: key.key, body: body(stream: true), headers: [.contentType: "application/json"])
            #expect(streamed.status == .ok, "\(streamed.text)")
            let chunks = parseSSE(streamed.text)
            #expect(chunks.last?.data == "[DONE]")
            let pieces = chunks.compactMap { chunk -> String? in
                let choice = (chunk.json["choices"] as? [[String: Any]])?.first
                return (choice?["delta"] as? [String: Any])?["content"] as? String
            }
            #expect(pieces.joined() == content)
            #expect(try await Self.providerCalls(host.store) == 0)
            #expect(try await Self.requestsCounted(host.store, userID: user.id, at: host.clock.now) == 0)
            #expect(try await Self.escalationRows(host.store).map { $0["red_flag"] } == ["palpitations", "palpitations"])

            // A long pasted context: the end of the message is still screened.
            let long = String(repeating: "Here is my training log for the week. ", count: 800) + "Now I have chest pain."
            let longReply = try await client.send(
                .post, "/v1/chat/completions", token: key.key,
                json: ["model": "vigor-coach-1", "messages": [["role": "user", "content": long]]])
            #expect(longReply.status == .ok, "\(longReply.text)")
            #expect(longReply.text.contains("stop exercising now"))
            #expect(try await Self.providerCalls(host.store) == 0)

            // A reaction with first aid of its own, cried for in a clause of its own: the answer
            // names the auto-injector and the escalation is recorded under its own type.
            let allergy = try await client.send(
                .post, "/v1/chat/completions", token: key.key,
                json: [
                    "model": "vigor-coach-1", "messages": [["role": "user", "content": "stung by a bee, my tongue is swelling?? help"]],
                ])
            #expect(allergy.status == .ok, "\(allergy.text)")
            #expect(allergy.text.contains("adrenaline auto-injector"), "\(allergy.text)")
            #expect(try await Self.escalationRows(host.store).map { $0["red_flag"] }.suffix(1) == ["anaphylaxis"])
            #expect(try await Self.providerCalls(host.store) == 0)
        }
    }

    @Test("a near-miss goes to the provider and is counted; the admin report counts escalations by type and day")
    func nearMissAndReport() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("nearmiss")
            let calm = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token, json: ["message": "No chest pain today, legs are sore"])
            #expect(calm.status == .ok, "\(calm.text)")
            #expect(calm.json["provider"] as? String == "fallback")
            #expect(try await Self.providerCalls(host.store) == 1)
            #expect(try await Self.requestsCounted(host.store, userID: user.id, at: host.clock.now) == 3, "day, week and month")
            for message in ["I get chest pain when I run", "tightness in my chest on the stairs", "I passed out on the bike"] {
                let reply = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": message])
                #expect(reply.json["provider"] as? String == "safety")
            }
            let admin = try await host.adminToken(client)
            let forbidden = try await client.send(.get, "/api/v1/admin/safety", token: user.token)
            #expect(forbidden.status == .forbidden)
            let report = try await client.send(.get, "/api/v1/admin/safety", token: admin)
            #expect(report.status == .ok, "\(report.text)")
            #expect(report.json["total"] as? Int == 3)
            let byType = try #require(report.json["by_type"] as? [[String: Any]])
            #expect(byType.first?["type"] as? String == "chest_pain")
            #expect(byType.first?["count"] as? Int == 2)
            #expect(byType.last?["type"] as? String == "fainting")
            let byDay = try #require(report.json["by_day"] as? [[String: Any]])
            #expect(Set(byDay.compactMap { $0["day"] as? String }) == [UsagePeriod.dayString(Date())])
            #expect(!report.text.contains("stairs") && !report.text.contains("bike"))
            let bad = try await client.send(.get, "/api/v1/admin/safety?since=yesterday", token: admin)
            #expect(bad.status.code == 400 || bad.status.code == 422, "\(bad.text)")
            let later = try await client.send(.get, "/api/v1/admin/safety?since=2099-01-01", token: admin)
            #expect(later.json["total"] as? Int == 0)
        }
    }

    @Test("the configured emergency number; conditions and unsafe goals reach the provider in a Safety context section")
    func configuredNumberAndContext() async throws {
        let coach = TestCoachAI()
        try await TestHost.run(coachAI: coach, configure: { $0.emergencyNumber = "999" }) { host, client in
            let user = try await client.register("context")
            let red = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "My face is drooping"])
            #expect((red.json["reply"] as? String)?.contains("Call 999 now") == true)
            #expect(coach.requests.isEmpty, "the counting provider was not called")

            let pregnant = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token, json: ["message": "I am 20 weeks pregnant, can I do crunches?"])
            #expect(pregnant.json["provider"] as? String == "test")
            let system = try #require(coach.requests.last?.messages.first)
            #expect(system.role == "system")
            #expect(system.content.contains("Safety context"))
            #expect(system.content.contains("pregnancy"))
            #expect(system.content.contains("Referral"))

            // A later turn of the same conversation still carries the condition.
            let conversationID = try #require((pregnant.json["conversation_id"] as? NSNumber)?.int64Value)
            _ = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token,
                json: ["message": "And what about planks?", "conversation_id": conversationID])
            #expect(coach.requests.last?.messages.first?.content.contains("pregnancy") == true)

            _ = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "I want to lose 10 kg in 2 weeks"])
            let goal = try #require(coach.requests.last?.messages.first?.content)
            #expect(goal.contains("Unsafe goal"))
            #expect(goal.contains("0.5–1 kg a week"))

            _ = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token, json: ["message": "What should I do if a gym friend faints?"])
            let mention = try #require(coach.requests.last?.messages.first?.content)
            #expect(mention.contains("fainting"))
            #expect(mention.contains("call 999"))

            _ = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "How many sets should I do?"])
            #expect(coach.requests.last?.messages.first?.content.contains("Safety context") == false)
            #expect(coach.requests.count == 5)
        }
    }

    @Test("words of suicide or self-harm get the crisis answer on every path; a question about it reaches the provider with crisis lines")
    func crisis() async throws {
        let coach = TestCoachAI()
        try await TestHost.run(coachAI: coach, configure: { $0.emergencyNumber = "999" }) { host, client in
            let user = try await client.register("crisis")
            let plain = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token, json: ["message": "honestly I don't want to live anymore"])
            #expect(plain.status == .ok, "\(plain.text)")
            let text = try #require(plain.json["reply"] as? String)
            #expect(text.contains("988") && text.contains("116 123") && text.contains("call 999 now"))
            #expect(!text.contains("stop exercising"))
            #expect(plain.json["provider"] as? String == "safety")

            let key = try await client.createAPIKey(token: user.token)
            let sdk = try await client.send(
                .post, "/v1/chat/completions", token: key.key,
                json: ["model": "vigor-coach-1", "messages": [["role": "user", "content": "ｉ ｗａｎｔ ｔｏ ｋｉｌｌ ｍｙｓｅｌｆ"]]])
            #expect(sdk.status == .ok, "\(sdk.text)")
            #expect(sdk.text.contains("988"))
            #expect(coach.requests.isEmpty, "no provider was asked")
            #expect(try await Self.escalationRows(host.store).map { $0["red_flag"] } == ["self_harm", "self_harm"])
            for value in try await Self.escalationRows(host.store).flatMap(\.values) {
                #expect(!value.contains("live") && !value.contains("ｋｉｌｌ"), "message text in the log")
            }

            _ = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token,
                json: ["message": "How can I support a client who self-harms?"])
            let system = try #require(coach.requests.last?.messages.first?.content)
            #expect(system.contains("suicide or self-harm"))
            #expect(system.contains("988") && system.contains("999"))
            #expect(!system.contains("stop at once"), "not the exercise-symptom line")
        }
    }

    /// An escalation log whose database is gone.
    struct BrokenLog: SafetyEscalationLog {
        func recordSafetyEscalations(_ escalations: [SafetyEscalation], at date: Date) async throws {
            throw StoreError(.unavailable, "the database is gone")
        }

        func safetyEscalationCounts(since: Date) async throws -> [SafetyEscalationCount] { [] }
    }

    @Test("a log that cannot record never holds back the emergency answer (plain and streamed)")
    func brokenLog() async throws {
        let inner = TestCoachAI()
        let screened = SafetyScreenedCoachAI(wrapping: inner, emergencyNumber: "112", log: BrokenLog(), logger: TestHost.logger)
        let request = ChatRequest(messages: [ChatMessage(role: "user", content: "I passed out on the treadmill")])
        let context = AIRequestContext(userID: 1, requestID: "r-1")
        let reply = try await screened.chat(request, context: context)
        #expect(reply.provider == SafetyScreenedCoachAI.provider)
        #expect(reply.text.contains("Call 112 now"))
        var events: [ChatStreamEvent] = []
        for try await event in screened.chatStream(request, context: context) { events.append(event) }
        #expect(events == [.delta(reply.text), .done(reply)])
        #expect(inner.requests.isEmpty)
        // No user message at all: passed on untouched.
        let systemOnly = ChatRequest(messages: [ChatMessage(role: "system", content: "chest pain")])
        _ = try await screened.chat(systemOnly, context: context)
        #expect(inner.requests == [systemOnly])
    }

    @Test("the emergency number is read from VIGOR_EMERGENCY_NUMBER and the config file; blank is rejected")
    func configuration() throws {
        #expect(try VigorConfiguration.load(environment: [:]).emergencyNumber == VigorConfiguration.defaultEmergencyNumber)
        #expect(try VigorConfiguration.load(environment: ["VIGOR_EMERGENCY_NUMBER": " 000 "]).emergencyNumber == "000")
        #expect(throws: ConfigurationError.self) { try VigorConfiguration.load(environment: ["VIGOR_EMERGENCY_NUMBER": "  "]) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-safety-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"emergency_number": "112"}"#.utf8).write(to: file)
        var flags = VigorConfiguration.Flags()
        flags.configFile = file.path
        #expect(try VigorConfiguration.load(environment: [:], flags: flags).emergencyNumber == "112")
    }

    @Test(
        "the crisis lines are read from VIGOR_CRISIS_LINES and the config file and reach the answer and the prompt; blank, long or multi-line values are refused"
    )
    func crisisLines() async throws {
        #expect(try VigorConfiguration.load(environment: [:]).crisisLines == nil)
        let lifeline = "call Lifeline on 13 11 14 in Australia"
        #expect(try VigorConfiguration.load(environment: ["VIGOR_CRISIS_LINES": " \(lifeline) "]).crisisLines == lifeline)
        for refused in ["  ", String(repeating: "x", count: 501), "call 988\nor not", "call\u{1B}[31m 988"] {
            #expect(throws: ConfigurationError.self, "\(refused.debugDescription)") {
                try VigorConfiguration.load(environment: ["VIGOR_CRISIS_LINES": refused])
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-crisis-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"crisis_lines": "call Lifeline on 13 11 14"}"#.utf8).write(to: file)
        var flags = VigorConfiguration.Flags()
        flags.configFile = file.path
        #expect(try VigorConfiguration.load(environment: [:], flags: flags).crisisLines == "call Lifeline on 13 11 14")

        let coach = TestCoachAI()
        try await TestHost.run(
            coachAI: coach,
            configure: {
                $0.emergencyNumber = "000"
                $0.crisisLines = lifeline
            }
        ) { _, client in
            let user = try await client.register("crisislines")
            let answer = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "I want to end my life"])
            let text = try #require(answer.json["reply"] as? String)
            #expect(text.contains("You can also reach a crisis line, free and at any hour: \(lifeline).") && text.contains("call 000 now"))
            #expect(!text.contains("988"), "only the configured lines")
            _ = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token, json: ["message": "what are the warning signs of suicide?"])
            let system = try #require(coach.requests.last?.messages.first?.content)
            #expect(system.contains(lifeline) && !system.contains("988"))
        }
    }

    @Test("a message in Spanish gets the Spanish answer and crisis lines on the host, and is recorded by type")
    func spanish() async throws {
        let coach = TestCoachAI()
        try await TestHost.run(coachAI: coach, configure: { $0.emergencyNumber = "112" }) { host, client in
            let user = try await client.register("espanol")
            let chest = try await client.send(
                .post, "/api/v1/ai/chat", token: user.token, json: ["message": "tengo una opresión en el pecho y me falta el aire"])
            let text = try #require(chest.json["reply"] as? String)
            #expect(text.contains("Llama ahora al 112") && text.contains("Dolor u opresión en el pecho"), "\(text)")
            let crisis = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "ya no quiero vivir"])
            let crisisText = try #require(crisis.json["reply"] as? String)
            #expect(crisisText.contains("024") && !crisisText.contains("988"), "\(crisisText)")
            #expect(coach.requests.isEmpty, "no provider was asked")
            #expect(try await Self.escalationRows(host.store).map { $0["red_flag"] } == ["chest_pain", "self_harm"])
        }
    }
}

extension SafetyScreenTests {
    /// The screen runs before any quota is reserved, so one request must not make it read an
    /// unbounded history: earlier turns share one budget, newest first.
    @Test("earlier turns are screened newest first within one character budget per request")
    func historyBudget() throws {
        let ai = SafetyScreenedCoachAI(wrapping: TestCoachAI(), log: nil, logger: TestHost.logger)
        let filler = String(repeating: "not ", count: SafetyScreenedCoachAI.historyCharacters / 4)
        func request(_ history: [String]) -> ChatRequest {
            ChatRequest(
                messages: history.map { ChatMessage(role: "user", content: $0) } + [
                    ChatMessage(role: "user", content: "Any tips for today?")
                ])
        }
        func carriesPregnancy(_ decision: SafetyScreenedCoachAI.Decision) -> Bool {
            guard case .forward(let sent) = decision else { return false }
            return sent.messages.contains { $0.role == "system" && $0.content.lowercased().contains("pregnan") }
        }
        let context = AIRequestContext(userID: 1, requestID: "budget")
        // Stated in the newest earlier turn: carried into the prompt.
        #expect(carriesPregnancy(ai.decide(request([filler, "I am 20 weeks pregnant."]), context: context)))
        // Stated behind a full budget of newer turns: not read (an attacker's 40 × 20 000
        // characters of history cost one budget, not forty).
        #expect(!carriesPregnancy(ai.decide(request(["I am 20 weeks pregnant.", filler, filler]), context: context)))
    }
}
