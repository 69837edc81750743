import Foundation
import Testing
import VigorCoaching

@testable import VigorHost

/// Crash isolation through the whole host: an isolated plugin that segfaults costs one
/// attempt (the router fails over), the host keeps serving, and the admin listing reports
/// the restart. An isolated generator's `vigor.llm/1` calls come back through the host.
@Suite("Isolated plugins in a running host", .serialized)
struct PluginCrashTests {
    static let runner = PluginHost.builtProducts.appendingPathComponent("vigor").path

    static func compileCrashy(into folder: URL) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "cc", "-shared", "-fPIC", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-I",
            root.appendingPathComponent("Sources/VigorPluginAPI/include").path,
            "-o", folder.appendingPathComponent("libcrashy.so").path, root.appendingPathComponent("Tests/Fixtures/crashy_plugin.c").path,
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    static func crashyEntry(_ reply: Reply) -> [String: Any]? {
        let loaded = reply.json["loaded"] as? [[String: Any]] ?? []
        return loaded.first { $0["id"] as? String == "dev.test.crashy" }
    }

    @Test("a segfaulting isolated provider costs one attempt; the host answers, restarts it and reports it")
    func segfaultInARunningHost() async throws {
        let environment = ["VIGOR_ISOLATE_PLUGINS": "libcrashy.so", "VIGOR_RUNNER_EXECUTABLE": Self.runner]
        try await PluginHost.run(environment: environment, preparePlugins: Self.compileCrashy) { host, client in
            let user = try await client.register("crash-user")
            let calm = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "hello"])
            #expect(calm.status == .ok, "\(calm.text)")
            #expect(calm.json["provider"] as? String == "crashy")
            #expect((calm.json["reply"] as? String)?.hasPrefix("steady from pid") == true)

            // The plugin segfaults: that attempt fails, the fallback coach answers, the host lives.
            let crash = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "please SEGV-NOW"])
            #expect(crash.status == .ok, "\(crash.text)")
            #expect(crash.json["provider"] as? String == "fallback")
            #expect(try await client.send(.get, "/health").status == .ok)

            let admin = try await host.adminToken(client)
            var entry: [String: Any]?
            for _ in 0..<100 {
                entry = Self.crashyEntry(try await client.send(.get, "/api/v1/admin/plugins", token: admin))
                if ((entry?["runner"] as? [String: Any])?["running"] as? Bool) == true { break }
                // The restart is a real child process spawned by the runner's supervisor thread,
                // which reports no event: poll the listing, bounded (5 s).
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(entry?["isolated"] as? Bool == true)
            let runner = entry?["runner"] as? [String: Any]
            #expect((runner?["restarts"] as? NSNumber)?.intValue == 1)
            #expect((runner?["last_exit"] as? String)?.contains("signal 11") == true)

            // The restarted runner serves the next request.
            let again = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "hello again"])
            #expect(again.json["provider"] as? String == "crashy", "\(again.text)")

            // Accounting stayed exact: the failed attempt is logged, not counted as a request.
            let usage = try await host.store.usageCounters(userID: user.id, at: Date()).first { $0.period == .day }
            #expect(usage?.requests == 3)
        }
    }

    @Test("an isolated LLM planner's completions come back through the host's router and quotas")
    func isolatedGeneratorUsesHostServices() async throws {
        try await MockUpstream.with { upstream in try await Self.isolatedPlanner(upstream) }
    }

    static func isolatedPlanner(_ upstream: MockUpstream) async throws {
        let skeleton = RuleBasedPlanner.generate(profile: .default, request: PlanRequest(daysPerWeek: 3, weeks: 4), catalog: .standard)
        let first = try #require(skeleton.allSessions.first?.exercises.first { !$0.substitutions.isEmpty })
        let swap = try #require(first.substitutions.first)
        let answer = jsonText(["title": "Isolated block", "summary": "From a runner.", "swaps": [["from": first.exerciseID, "to": swap]]])
        upstream.script([], otherwise: .json(LLMPlannerTests.completion(answer)))
        let environment = [
            "OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL, "VIGOR_PLAN_GENERATOR": "dev.vigor.llm-planner",
            "VIGOR_ISOLATE_PLUGINS": "libVigorLLMPlanner.so, libVigorOpenAI.so", "VIGOR_RUNNER_EXECUTABLE": Self.runner,
        ]
        try await PluginHost.run(plugins: LLMPlannerTests.plugins, environment: environment) { host, client in
            #expect(host.ai.registry.component(id: "dev.vigor.llm-planner")?.runner != nil)
            #expect(host.ai.registry.component(id: "dev.vigor.openai")?.runner != nil)
            let user = try await client.register("isolated-plan")
            let reply = try await client.send(.post, "/api/v1/ai/workout-plan", token: user.token, json: ["days_per_week": 3, "weeks": 4])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.json["generator"] as? String == "dev.vigor.llm-planner")
            #expect(reply.json["title"] as? String == "Isolated block")
            #expect(upstream.received.count == 1)
            // The secret was injected by the host: the runner never had it.
            #expect(upstream.received.first?.headers["authorization"] == "Bearer sk-test")
            let usage = try await host.store.usageCounters(userID: user.id, at: Date()).first { $0.period == .day }
            #expect(usage?.requests == 1)
            #expect((usage?.costMicros ?? 0) > 0)
        }
    }
}

/// The operator's path end to end against a real `vigor serve` process: a plugin dropped in
/// goes live on SIGHUP (polling off), isolated; its segfault leaves the server serving.
@Suite("SIGHUP and isolation in a live vigor serve")
struct LiveIsolationTests {
    @Test("SIGHUP loads a dropped plugin; its crash in a runner leaves the server up and is counted", .timeLimit(.minutes(2)))
    func sighupThenCrash() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-sighup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugins = try PluginHost.pluginFolder(in: folder)
        let database = folder.appendingPathComponent("vigor.sqlite").path
        let configuration = VigorConfiguration(databasePath: database, bcryptCost: 4)
        _ = try await VigorServer.createUser(
            configuration: configuration, email: "ops@example.com", password: "correct-horse-battery", admin: true, tier: "unlimited",
            logger: TestHost.logger)
        try await ServeProcess.with(
            database: database, plugins: plugins.path,
            environment: ["VIGOR_PLUGIN_POLL_SECONDS": "0", "VIGOR_ISOLATE_PLUGINS": "libcrashy.so"]
        ) { server in
            let auth = try await onOwnThread { try Self.login(port: server.port) }
            try await Self.sighupThenCrash(server, plugins: plugins, auth: auth)
        }
    }

    static func login(port: Int) throws -> [String: String] {
        let login = try RawHTTPConnection.request(
            port: port, method: "POST", path: "/api/v1/auth/login",
            body: jsonText(["email": "ops@example.com", "password": "correct-horse-battery"]))
        let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(login.body.utf8)) as? [String: Any])?["access_token"] as? String)
        return ["Authorization": "Bearer \(token)"]
    }

    static func sighupThenCrash(_ server: ServeProcess, plugins: URL, auth: [String: String]) async throws {
        let port = server.port
        func crashyListed() throws -> [String: Any]? {
            let reply = try RawHTTPConnection.request(port: port, method: "GET", path: "/api/v1/admin/plugins", headers: auth)
            let loaded = (try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])?["loaded"] as? [[String: Any]]
            return loaded?.first { $0["id"] as? String == "dev.test.crashy" }
        }

        // Dropped in: with polling off, nothing loads it but SIGHUP. The watch logs every rescan
        // with its reason, so the log shows which one loaded it (no waiting to see nothing happen).
        try PluginCrashTests.compileCrashy(into: plugins)
        #expect(try crashyListed() == nil)
        kill(server.pid, SIGHUP)
        let reloaded = await server.firstLine(containing: "plugins reloaded")
        #expect(reloaded?.contains("reason=SIGHUP") == true, "\(reloaded ?? "no reload logged")")
        #expect(!server.lines.contains { $0.contains("folder watch") }, "with polling off, the folder watch never scanned")
        let entry = try crashyListed()
        #expect(entry?["isolated"] as? Bool == true, "the SIGHUP rescan loaded it, isolated")
        #expect(server.isRunning, "SIGHUP does not terminate the host")

        // Its segfault costs one attempt; the fallback answers; the host is still up.
        let chat = try RawHTTPConnection.request(
            port: port, method: "POST", path: "/api/v1/ai/chat", headers: auth, body: jsonText(["message": "SEGV-NOW please"]))
        #expect(chat.status == 200, "\(chat.body)")
        #expect(chat.body.contains("\"provider\":\"fallback\""))
        #expect(server.isRunning)
        #expect(try RawHTTPConnection.request(port: port, method: "GET", path: "/health").status == 200)
        let metrics = try RawHTTPConnection.request(port: port, method: "GET", path: "/metrics")
        #expect(metrics.body.contains("vigor_plugin_crashes_total{plugin=\"libcrashy.so\"} 1"), "\(metrics.body.prefix(300))")
    }
}
