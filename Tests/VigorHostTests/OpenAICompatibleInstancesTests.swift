import Foundation
import GRDB
import Testing

@testable import VigorHost

/// OpenAI-compatible servers as named instances from `openai-compatible.json` beside the
/// OpenAI plugin: the real `libVigorOpenAI.so` (dlopen), the real router and ledger, two local
/// mock upstreams. Before the provider kit the plugin served one provider, `openai`, only.
@Suite("OpenAI-compatible instances from configuration")
struct OpenAICompatibleInstancesTests {
    static let plugins = PluginHost.defaultPlugins + ["libVigorOpenAI.so"]

    static func config(groq: MockUpstream, azure: MockUpstream) -> String {
        jsonText([
            "instances": [
                [
                    "provider": "groq", "name": "Groq", "base_url": groq.baseURL + "/openai/v1", "api_key_env": "GROQ_API_KEY",
                    "json_mode": true,
                    "models": [
                        [
                            "id": "llama-3.3-70b-versatile", "input_per_mtok_usd": 0.59, "output_per_mtok_usd": 0.79,
                            "context_tokens": 131_072,
                        ]
                    ],
                ],
                [
                    "provider": "azure", "style": "azure", "base_url": azure.baseURL, "api_key_env": "AZURE_OPENAI_API_KEY",
                    "api_version": "2024-10-21",
                    "models": [
                        ["id": "coach-gpt-4o-mini", "deployment": "coach-mini", "input_per_mtok_usd": 0.15, "output_per_mtok_usd": 0.6]
                    ],
                ],
            ]
        ])
    }

    static func chat(model: String, stream: Bool = false) -> String {
        jsonText(["model": model, "stream": stream, "messages": [["role": "user", "content": "How many rest days a week?"]]])
    }

    @Test(
        "vigor serve --plugins <folder>: openai-compatible.json in that folder, beside the .so, is found (the host names the folder to its plugins), in-process and isolated",
        .timeLimit(.minutes(2)), arguments: [false, true])
    func fileInThePluginFolder(isolated: Bool) async throws {
        let groq = try await MockUpstream.start()
        let azure = try await MockUpstream.start()
        defer {
            groq.stop()
            azure.stop()
        }
        groq.script([], otherwise: .json(try RouterFailoverTests.fixture("openai", "success.json")))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-compatible-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugins = try PluginHost.pluginFolder(Self.plugins, in: folder)
        try Data(Self.config(groq: groq, azure: azure).utf8).write(to: plugins.appendingPathComponent("openai-compatible.json"))
        let server = try await ServeProcess.start(
            database: folder.appendingPathComponent("vigor.sqlite").path, plugins: plugins.path,
            environment: ["GROQ_API_KEY": "gsk-test-groq"].merging(isolated ? ["VIGOR_ISOLATE_PLUGINS": "libVigorOpenAI.so"] : [:]) { $1 })
        // The requests block: on a thread of their own, so the mock upstream, which answers on
        // this process's concurrency threads, is never starved by them.
        let port = server.port
        let chat = Self.chat(model: "llama-3.3-70b-versatile")
        let result = await Result {
            try await onOwnThread { () throws -> (register: (Int, String), answer: (Int, String)) in
                let register = try RawHTTPConnection.request(
                    port: port, method: "POST", path: "/api/v1/auth/register",
                    body: jsonText([
                        "email": "groq\(isolated)@example.com", "username": "groquser\(isolated)", "password": "correct-horse-battery",
                    ]))
                let token =
                    (try? JSONSerialization.jsonObject(with: Data(register.body.utf8)) as? [String: Any])?["access_token"] as? String ?? ""
                let answer = try RawHTTPConnection.request(
                    port: port, method: "POST", path: "/v1/chat/completions", headers: ["Authorization": "Bearer \(token)"], body: chat)
                return ((register.status, register.body), (answer.status, answer.body))
            }
        }
        await server.stop()
        let (register, answer) = try result.get()
        #expect(register.0 == 201, "\(register.1)")
        #expect(answer.0 == 200, "\(answer.1)")
        #expect(groq.received.last?.headers["authorization"] == "Bearer gsk-test-groq")
    }

    @Test("two instances from one file serve side by side, each with its own URL, key header, models and provider name")
    func twoInstances() async throws {
        let groq = try await MockUpstream.start()
        let azure = try await MockUpstream.start()
        defer {
            groq.stop()
            azure.stop()
        }
        let success = try RouterFailoverTests.fixture("openai", "success.json")
        groq.script([], otherwise: .json(success))
        azure.script([], otherwise: .json(success))
        let environment = ["GROQ_API_KEY": "gsk-test-groq", "AZURE_OPENAI_API_KEY": "az-test-key"]
        // The host serves plugins from shadow copies in its data folder's plugin-cache, and the
        // plugin looks beside the file it was loaded from first: the file goes there. (Not
        // through $VIGOR_OPENAI_COMPATIBLE_CONFIG: setting a variable in this process races
        // with the tests that start processes meanwhile, which copy the environment.)
        let config = Self.config(groq: groq, azure: azure)
        let prepare: (URL) throws -> Void = { plugins in
            let cache = plugins.deletingLastPathComponent().appendingPathComponent("plugin-cache")
            try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
            try Data(config.utf8).write(to: cache.appendingPathComponent("openai-compatible.json"))
        }
        try await PluginHost.run(plugins: Self.plugins, environment: environment, preparePlugins: prepare) { host, client in
            let user = try await client.register("compatible")
            let first = try await client.send(
                .post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "llama-3.3-70b-versatile"))
            #expect(first.status == .ok, "\(first.text)")
            let toGroq = try #require(groq.received.last)
            #expect(toGroq.path == "/openai/v1/chat/completions")
            #expect(toGroq.headers["authorization"] == "Bearer gsk-test-groq")
            #expect(toGroq.headers["api-key"] == nil)
            #expect(toGroq.body.contains("\"model\":\"llama-3.3-70b-versatile\""), "\(toGroq.body)")

            let second = try await client.send(
                .post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "coach-gpt-4o-mini"))
            #expect(second.status == .ok, "\(second.text)")
            let toAzure = try #require(azure.received.last)
            #expect(toAzure.path == "/openai/deployments/coach-mini/chat/completions?api-version=2024-10-21")
            #expect(toAzure.headers["api-key"] == "az-test-key")
            #expect(toAzure.headers["authorization"] == nil)
            #expect(groq.received.count == 1 && azure.received.count == 1)

            // A stream goes to the instance serving the model too.
            azure.script([
                .sse([
                    "data: {\"model\":\"gpt-4o-mini\",\"choices\":[{\"delta\":{\"content\":\"Two.\"}}]}\n\n",
                    "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
                ])
            ])
            let streamed = try await client.send(
                .post, "/v1/chat/completions", token: user.token, body: Self.chat(model: "coach-gpt-4o-mini", stream: true))
            #expect(streamed.status == .ok)
            #expect(streamed.text.contains("Two."), "\(streamed.text)")
            #expect(azure.received.count == 2)

            // Each instance is billed under its own provider name at its own prices.
            let log = try await host.store.read { db in
                try String.fetchAll(db, sql: "SELECT provider FROM ai_usage_logs ORDER BY id")
            }
            #expect(log == ["groq", "azure", "azure"], "\(log)")
        }
    }
}
