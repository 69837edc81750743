import Foundation
import Testing

@testable import VigorHost

/// What `vigor serve` sets up for its own process (Sources/vigor/ServeProcessTuning.swift),
/// checked on a real server process.
@Suite("vigor serve: process set-up")
struct ServeProcessTests {
    /// The names of the server's NIO event-loop threads.
    static func eventLoopThreads(_ pid: Int32) -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { try? String(contentsOfFile: "/proc/\(pid)/task/\($0)/comm", encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { $0.hasPrefix("NIO-SGLTN") }
    }

    /// The first CPU this test process may run on (`Cpus_allowed_list` in /proc/self/status), so
    /// the server can be pinned to a CPU that exists in this container's set.
    static func firstAllowedCPU() -> String {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
        let list = line?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "0"
        return String(list.prefix { $0.isNumber }.isEmpty ? "0" : list.prefix { $0.isNumber })
    }

    /// Starts `vigor serve` pinned to one allowed CPU (`taskset -c N`) and returns its thread names once it listens.
    static func loopsUnderOneCPU(environment: [String: String]) async throws -> [String] {
        try await TestHost.withFolder("vigor-loops") { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return try await ServeProcess.with(
                database: folder.appendingPathComponent("vigor.sqlite").path, plugins: folder.path, environment: environment,
                launcher: ["/usr/bin/taskset", "-c", firstAllowedCPU()]
            ) { server in
                eventLoopThreads(server.pid)
            }
        }
    }

    @Test(
        "under a one-CPU affinity mask the server runs one event loop; NIO_SINGLETON_GROUP_LOOP_COUNT overrides it",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset")), .timeLimit(.minutes(1)))
    func oneLoopPerAllowedCPU() async throws {
        #expect(try await Self.loopsUnderOneCPU(environment: [:]).count == 1)
        #expect(try await Self.loopsUnderOneCPU(environment: ["NIO_SINGLETON_GROUP_LOOP_COUNT": "3"]).count == 3)
    }

    /// Each place `VIGOR_NIO_EXECUTOR` can put Swift concurrency's jobs, and the start-up log's
    /// name for it.
    static let executors: [(setting: String?, logged: String)] = [
        (nil, "Swift concurrency runs on event loops"), ("nio", "Swift concurrency runs on event loops (NIO's installer)"),
        ("0", "Swift concurrency runs on the runtime's pool"),
    ]

    @Test(
        "every executor setting serves: a chat, a stream and 6 chats at once through a provider; the log names the executor",
        .timeLimit(.minutes(2)), arguments: 0..<3)
    func executorServes(_ index: Int) async throws {
        let (setting, logged) = Self.executors[index]
        try await TestHost.withFolder("vigor-executor") { folder in
            let plugins = try PluginHost.pluginFolder(["libVigorFallback.so", "libVigorOpenAI.so"], in: folder)
            try await MockUpstream.with { upstream in
                upstream.script([], otherwise: .json(LLMPlannerTests.completion("Rest two days a week.")))
                var environment = ["OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL]
                environment["VIGOR_NIO_EXECUTOR"] = setting
                try await ServeProcess.with(
                    database: folder.appendingPathComponent("vigor.sqlite").path, plugins: plugins.path, environment: environment,
                    launcher: ["/usr/bin/taskset", "-c", Self.firstAllowedCPU()]
                ) { server in
                    #expect(server.lines.contains { $0.hasSuffix(logged) }, "\(server.lines.prefix(5))")
                    try await Self.chatsAndStream(port: server.port, upstream: upstream)
                }
            }
        }
    }

    /// Registers `name` (`name@example.com`) over HTTP; returns its access token.
    static func register(port: Int, name: String) async throws -> String {
        try await onOwnThread { () throws -> String in
            let register = try RawHTTPConnection.request(
                port: port, method: "POST", path: "/api/v1/auth/register",
                body: jsonText(["email": "\(name)@example.com", "username": name, "password": "correct-horse-battery"]))
            return try #require(
                (try JSONSerialization.jsonObject(with: Data(register.body.utf8)) as? [String: Any])?["access_token"] as? String)
        }
    }

    /// Registers a user, then: one chat, one streamed chat (the recorded OpenAI stream), and 6
    /// chats at once, all answered by the openai provider through the mock upstream.
    static func chatsAndStream(port: Int, upstream: MockUpstream) async throws {
        let token = try await register(port: port, name: "execuser")
        let headers = ["Authorization": "Bearer \(token)"]
        let chat = jsonText(["model": "vigor-coach", "messages": [["role": "user", "content": "How many rest days?"]]])
        let one = try await onOwnThread {
            try RawHTTPConnection.request(port: port, method: "POST", path: "/v1/chat/completions", headers: headers, body: chat)
        }
        #expect(one.status == 200, "\(one.body)")
        #expect(one.body.contains("Rest two days a week."))

        upstream.script([.sse([try RouterFailoverTests.fixture("openai", "stream_usage.sse")])])
        let streamBody = jsonText([
            "model": "vigor-coach", "stream": true, "messages": [["role": "user", "content": "How many rest days?"]],
        ])
        let stream = try await onOwnThread {
            try RawHTTPConnection.request(port: port, method: "POST", path: "/v1/chat/completions", headers: headers, body: streamBody)
        }
        #expect(stream.status == 200, "\(stream.body)")
        #expect(stream.body.contains("chat.completion.chunk"))
        #expect(stream.body.hasSuffix("data: [DONE]\n\n"), "\(stream.body.suffix(200))")

        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    try await onOwnThread {
                        try RawHTTPConnection.request(
                            port: port, method: "POST", path: "/v1/chat/completions", headers: headers, body: chat
                        )
                        .status
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 6))
    }

    @Test(
        "SIGTERM: the request in flight finishes, then the services stop in reverse order of start",
        .timeLimit(.minutes(2)))
    func sigtermShutsDownInReverseOrder() async throws {
        try await TestHost.withFolder("vigor-sigterm") { folder in
            let plugins = try PluginHost.pluginFolder(["libVigorFallback.so", "libVigorOpenAI.so"], in: folder)
            let database = folder.appendingPathComponent("vigor.sqlite").path
            try await MockUpstream.with { upstream in
                var answer = MockUpstream.Answer.json(LLMPlannerTests.completion("Rest two days a week."))
                answer.heldUntilReleased = true
                upstream.script([], otherwise: answer)
                let server = try await ServeProcess.start(
                    database: database, plugins: plugins.path,
                    environment: [
                        "OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL,
                        // The provider runs in a runner process, so stopping the plugins has a child to stop.
                        "VIGOR_ISOLATE_PLUGINS": "libVigorOpenAI.so",
                    ])
                let result = await Result(catching: { try await Self.chatThroughSIGTERM(server, upstream: upstream) })
                if server.isRunning { await server.stop(signal: SIGKILL) }
                let requestID = try result.get()
                #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0, "\(server.lines.suffix(10))")

                // Shutdown order in the log: the notice, the watch, the plugins (their runner
                // exited), the egress client, the store — the reverse of the start order.
                let lines = server.lines
                func index(_ text: String) -> Int? { lines.firstIndex { $0.contains(text) } }
                let steps = [
                    "shutting down: requests in flight may finish", "plugin watcher stopped", "plugins stopped", "egress client shut down",
                    "store closed",
                ]
                let positions = steps.map(index)
                #expect(
                    positions.allSatisfy { $0 != nil }, "\(steps.filter { index($0) == nil }) not logged:\n\(lines.joined(separator: "\n"))"
                )
                let found = positions.compactMap { $0 }
                #expect(found == found.sorted(), "out of order: \(zip(steps, positions).map { "\($0.0)@\($0.1 ?? -1)" })")
                #expect(lines.first { $0.contains("plugins stopped") }?.contains("exited=1") == true, "the runner process exited")
                // The chat's access line carries the client's id, as the one id of the request.
                let access = lines.first { $0.contains("request_id=\(requestID) ") && $0.hasSuffix("[VigorHost] request") }
                #expect(access?.contains(" method=POST path=/api/v1/ai/chat ") == true, "\(lines.suffix(12))")
                #expect(access?.contains("hb.request.id") == false)

                // The request that was in flight when SIGTERM came was settled before the store closed.
                let store = try SQLiteStore(path: database)
                let outcome = try await store.read { db in
                    try String.fetchOne(db, sql: "SELECT outcome FROM ai_usage_logs WHERE request_id = ?", arguments: [requestID])
                }
                try await store.close()
                #expect(outcome == "success")
            }
        }
    }

    /// Sends a chat the upstream holds, SIGTERMs the server while it is in flight, releases the
    /// upstream once the shutdown has begun, and checks the chat still gets its answer. Returns
    /// the chat's request id.
    static func chatThroughSIGTERM(_ server: ServeProcess, upstream: MockUpstream) async throws -> String {
        let port = server.port
        let token = try await register(port: port, name: "termuser")
        let requestID = UUID().uuidString
        let chat = Task {
            try await onOwnThread {
                try RawHTTPConnection.request(
                    port: port, method: "POST", path: "/api/v1/ai/chat",
                    headers: ["Authorization": "Bearer \(token)", "X-Request-Id": requestID],
                    body: jsonText(["message": "How many rest days?"]))
            }
        }
        await upstream.waitForRequests(1)
        kill(server.pid, SIGTERM)
        _ = await server.firstLine(containing: "shutting down: requests in flight may finish")
        #expect(server.isRunning, "the server waits for the request in flight")
        upstream.release()
        let reply = try await chat.value
        #expect(reply.status == 200, "\(reply.body)")
        #expect(reply.body.contains("Rest two days a week."))
        await server.waitForExit()
        return requestID
    }
}
