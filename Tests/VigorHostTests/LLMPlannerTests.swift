import Foundation
import Synchronization
import Testing
import VigorCoaching

@testable import VigorHost

/// The LLM-backed generator through the whole host: its completion goes through the router
/// (a mock OpenAI upstream), its plan through the validator; unusable answers fall back.
@Suite("LLM-backed plan generator")
struct LLMPlannerTests {
    static let plugins = ["libVigorFallback.so", "libVigorPlanner.so", "libVigorLLMPlanner.so", "libVigorOpenAI.so"]

    static func completion(_ content: String) -> String {
        let body: [String: Any] = [
            "id": "chatcmpl-test", "object": "chat.completion", "created": 1_764_281_012, "model": "gpt-4o-mini",
            "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]],
            "usage": ["prompt_tokens": 300, "completion_tokens": 60, "total_tokens": 360],
        ]
        return jsonText(body)
    }

    @Test("a valid personalisation from the LLM becomes the stored plan; the LLM's cost is charged")
    func personalised() async throws {
        let upstream = try await MockUpstream.start()
        defer { upstream.stop() }
        // The skeleton the plugin starts from is the rule-based plan for the same profile and request.
        let skeleton = RuleBasedPlanner.generate(profile: .default, request: PlanRequest(daysPerWeek: 3, weeks: 4), catalog: .standard)
        let first = try #require(skeleton.allSessions.first?.exercises.first { !$0.substitutions.isEmpty })
        let swap = try #require(first.substitutions.first)
        let answer = jsonText([
            "title": "Ana's first block", "summary": "Three full-body days.", "swaps": [["from": first.exerciseID, "to": swap]],
        ])
        upstream.script([], otherwise: .json(Self.completion(answer)))
        let environment = [
            "OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL, "VIGOR_PLAN_GENERATOR": "dev.vigor.llm-planner",
        ]
        try await PluginHost.run(plugins: Self.plugins, environment: environment) { host, client in
            let user = try await client.register("llm-plan")
            let reply = try await client.send(.post, "/api/v1/ai/workout-plan", token: user.token, json: ["days_per_week": 3, "weeks": 4])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.json["generator"] as? String == "dev.vigor.llm-planner")
            #expect(reply.json["title"] as? String == "Ana's first block")
            #expect(reply.text.contains(swap))
            #expect(upstream.received.count == 1)
            let usage = try await host.store.usageCounters(userID: user.id, at: Date()).first { $0.period == .day }
            #expect(usage?.requests == 1)  // the plan took one request; its completion only cost
            #expect((usage?.costMicros ?? 0) > 0)
        }
    }

    /// An in-process generator's deadline was raced against the system clock, while it is set
    /// on the router's: a run slower than the default timeout in real time (a loaded test
    /// machine; any host whose clock is not the wall clock) got 504 at once.
    @Test("a plan's deadline is read on the host's clock: a host clock an hour behind the wall clock still plans")
    func planDeadlineOnTheHostClock() async throws {
        try await PluginHost.run { host, client in
            host.clock.manual.set(Date().addingTimeInterval(-3_600))
            let user = try await client.register("behind")
            let reply = try await client.send(.post, "/api/v1/ai/workout-plan", token: user.token, json: ["days_per_week": 3])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.json["generator"] as? String == "dev.vigor.planner")
        }
    }

    @Test("an answer outside the allowed ids is retried once with feedback, then the rule-based planner answers")
    func fallsBack() async throws {
        let upstream = try await MockUpstream.start()
        defer { upstream.stop() }
        let bad = jsonText(["title": "x", "swaps": [["from": "barbell_back_squat", "to": "made_up_exercise"]]])
        upstream.script([], otherwise: .json(Self.completion(bad)))
        let environment = [
            "OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL, "VIGOR_PLAN_GENERATOR": "dev.vigor.llm-planner",
        ]
        try await PluginHost.run(plugins: Self.plugins, environment: environment) { _, client in
            let user = try await client.register("llm-fallback")
            let reply = try await client.send(.post, "/api/v1/ai/workout-plan", token: user.token, json: ["days_per_week": 3])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.json["generator"] as? String == "dev.vigor.planner")
            #expect(upstream.received.count == 2)
            // The retry carried the reason the first answer was refused.
            #expect(upstream.received.last?.body.contains("rejected") == true)
        }
    }

    /// `vigor serve` runs Swift tasks on its NIO event loops. The in-process generator blocks its
    /// own thread on `vigor.llm/1`, and the host serves that call on a separate executor; four
    /// plans at once, each with a chat beside it, must all finish.
    @Test("through a real `vigor serve`: concurrent LLM plans and chats all finish", .timeLimit(.minutes(2)))
    func liveServe() async throws {
        let upstream = try await MockUpstream.start()
        defer { upstream.stop() }
        let skeleton = RuleBasedPlanner.generate(profile: .default, request: PlanRequest(daysPerWeek: 3, weeks: 4), catalog: .standard)
        let first = try #require(skeleton.allSessions.first?.exercises.first { !$0.substitutions.isEmpty })
        let answer = jsonText([
            "title": "Live block", "summary": "Three days.", "swaps": [["from": first.exerciseID, "to": first.substitutions[0]]],
        ])
        upstream.script([], otherwise: .json(Self.completion(answer)))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-live-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugins = try PluginHost.pluginFolder(Self.plugins, in: folder)
        let database = folder.appendingPathComponent("vigor.sqlite").path
        _ = try await VigorServer.createUser(
            configuration: VigorConfiguration(databasePath: database, bcryptCost: 4), email: "live@example.com",
            password: "correct-horse-battery", tier: "unlimited", logger: TestHost.logger)
        let port = RawHTTPConnection.freePort()
        let server = try DurabilityTests.startServer(
            database: database, plugins: plugins.path, port: port,
            environment: [
                "OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL, "VIGOR_PLAN_GENERATOR": "dev.vigor.llm-planner",
            ])
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        #expect(try await DurabilityTests.waitHealthy(port: port))
        let login = try RawHTTPConnection.request(
            port: port, method: "POST", path: "/api/v1/auth/login",
            body: jsonText(["email": "live@example.com", "password": "correct-horse-battery"]))
        let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(login.body.utf8)) as? [String: Any])?["access_token"] as? String)
        let headers = ["Authorization": "Bearer \(token)"]
        let statuses = Mutex<[String]>([])
        // Blocking clients on threads of their own (concurrentPerform here would hold the test's pool thread).
        try await onOwnThread {
            DispatchQueue.concurrentPerform(iterations: 8) { i in
                let reply =
                    i % 2 == 0
                    ? try? RawHTTPConnection.request(
                        port: port, method: "POST", path: "/api/v1/ai/workout-plan", headers: headers, body: jsonText(["days_per_week": 3]))
                    : try? RawHTTPConnection.request(
                        port: port, method: "POST", path: "/api/v1/ai/chat", headers: headers,
                        body: jsonText(["message": "How many rest days?"]))
                let generator =
                    reply.flatMap { try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any] }?["generator"] as? String
                statuses.withLock { $0.append("\(i % 2 == 0 ? "plan" : "chat"):\(reply?.status ?? 0):\(generator ?? "-")") }
            }
        }
        let all = statuses.withLock { $0 }.sorted()
        #expect(all == Array(repeating: "chat:200:-", count: 4) + Array(repeating: "plan:201:dev.vigor.llm-planner", count: 4), "\(all)")
    }
}
