import Foundation
import Logging
import Testing
import VigorPluginLoader
import VigorPluginSDK

@testable import VigorHost

/// A running host against hostile plugin files: a constructor that aborts or spins, dropped
/// into its folder, is probed in a child process and rejected while the host keeps serving;
/// a plugin asking the egress for a secret it did not declare gets nothing sent upstream.
@Suite("Plugin security: probing, permissions, declared secrets")
struct PluginSecurityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let header = root.appendingPathComponent("Sources/VigorPluginAPI/include").path

    /// Compiles a C fixture with `cc` (as the other loader tests do) to a staging file beside
    /// `folder`, then renames it into `folder` as `name`, as an operator's deploy step would.
    static func drop(_ fixture: String, defines: [String] = [], into folder: URL, name: String) throws {
        let staging = folder.deletingLastPathComponent().appendingPathComponent("staging-\(UUID().uuidString).so")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["cc", "-shared", "-fPIC", "-O1", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-I", header]
            + defines.map { "-D\($0)" } + ["-o", staging.path, root.appendingPathComponent("Tests/Fixtures/\(fixture)").path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        guard rename(staging.path, folder.appendingPathComponent(name).path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    @Test("a constructor calling abort(), dropped into a running host's folder, is rejected; the host keeps serving")
    func abortDroppedIntoRunningHost() async throws {
        try await PluginHost.run { host, client in
            let admin = try await host.adminToken(client)
            let user = try await client.register("survivor")
            try Self.drop("hostile_ctor_plugin.c", defines: ["CTOR_ABORT"], into: host.pluginFolder, name: "libabort.so")
            // The host's own folder watch scans when its clock passes the interval. Before probing,
            // the watch dlopen'ed this file in-process and the test process died here.
            let report = await host.watchScan()
            let rejected = try #require(report.rejected.first { $0.path.hasSuffix("/libabort.so") })
            #expect(rejected.code == "crashed_while_loading")
            #expect(rejected.reason == "crashed in constructor: signal 6 (SIGABRT)")

            #expect(try await client.send(.get, "/health").status == .ok)
            let chat = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "How many rest days?"])
            #expect(chat.status == .ok, "\(chat.text)")
            #expect((chat.json["reply"] as? String)?.isEmpty == false)
            let listing = try await client.send(.get, "/api/v1/admin/plugins", token: admin)
            let entries = listing.json["rejected"] as? [[String: Any]] ?? []
            let entry = entries.first { ($0["path"] as? String)?.hasSuffix("libabort.so") == true }
            #expect(entry?["reason"] as? String == "crashed in constructor: signal 6 (SIGABRT)")
            #expect(Set(host.ai.registry.components.map(\.descriptor.id)) == ["dev.vigor.fallback", "dev.vigor.planner"])
        }
    }

    @Test("a constructor that spins is rejected as timed out; the reload route answers and the host serves", .timeLimit(.minutes(1)))
    func spinDroppedIntoRunningHost() async throws {
        try await PluginHost.run { host, client in
            let admin = try await host.adminToken(client)
            try Self.drop("hostile_ctor_plugin.c", defines: ["CTOR_SPIN"], into: host.pluginFolder, name: "libspin.so")
            // Before probing, this reload never answered: dlopen spun in the constructor for ever.
            let reload = try await client.send(.post, "/api/v1/admin/plugins/reload", token: admin)
            #expect(reload.status == .ok)
            let rejected = host.ai.registry.rejected.first { $0.path.hasSuffix("/libspin.so") }
            #expect(rejected?.code == "load_timed_out")
            #expect(rejected?.reason.hasPrefix("timed out loading after ") == true)
            #expect(rejected?.reason.hasSuffix(" ms (in constructor)") == true)
            #expect(try await client.send(.get, "/health").status == .ok)
            let user = try await client.register("patient")
            #expect(try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "hello"]).status == .ok)
        }
    }

    @Test("a world-writable plugin file dropped into a running host is refused with its mode")
    func writableFileRefused() async throws {
        try await PluginHost.run { host, client in
            let admin = try await host.adminToken(client)
            try Self.drop("hostile_ctor_plugin.c", into: host.pluginFolder, name: "libopen.so")
            let open = host.pluginFolder.appendingPathComponent("libopen.so").path
            try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: open)
            let reload = try await client.send(.post, "/api/v1/admin/plugins/reload", token: admin)
            #expect(reload.status == .ok)
            let rejected = host.ai.registry.rejected.first { $0.path.hasSuffix("/libopen.so") }
            #expect(rejected?.code == "insecure_permissions")
            #expect(rejected?.reason.hasPrefix("plugin file is writable by other users (mode 0666)") == true)
            #expect(host.ai.registry.component(id: "dev.test.ctor") == nil)
        }
    }

    // MARK: Declared secrets

    struct Egressed {
        let router: ProviderRouter
        let upstream: MockUpstream
        let quota: QuotaLedgerTests.Fixture

        func stop() async {
            await upstream.shutdown()
            try? await router.egress?.shutdown()
        }
    }

    /// Runs `body` with ``greedyRouter(defines:)`` and awaits its shutdown (mock upstream, egress).
    static func withGreedyRouter<T>(defines: [String], _ body: (Egressed) async throws -> T) async throws -> T {
        let s = try await greedyRouter(defines: defines)
        do {
            let value = try await body(s)
            await s.stop()
            return value
        } catch {
            await s.stop()
            throw error
        }
    }

    /// The router over the greedy test provider (built with `defines`), real egress holding
    /// its key and OpenAI's, and a mock upstream.
    static func greedyRouter(defines: [String]) async throws -> Egressed {
        let quota = try await QuotaLedgerTests.fixture()
        let upstream = try await MockUpstream.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-greedy-\(UUID().uuidString)")
        let plugins = dir.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        try drop("greedy_secret_plugin.c", defines: defines, into: plugins, name: "libgreedy.so")
        let registry = PluginRegistry(loader: PluginLoader(logger: TestHost.logger))
        let report = registry.scan(directory: plugins.path)
        try #require(report.loaded.map(\.id) == ["dev.test.greedy"], "\(report.rejected)")
        var configuration = ProviderRouter.Configuration()
        configuration.baseURLs = ["greedy": upstream.baseURL]
        let egress = Egress(secrets: Secrets(["GREEDY_API_KEY": "greedy-key", "OPENAI_API_KEY": "sk-openai-not-for-greedy"]))
        let router = ProviderRouter(
            registry: registry, egress: egress, accounting: quota.ledger,
            priorities: StaticProviderPriorities([ProviderPriority(provider: "greedy", priority: 1)]),
            breakers: CircuitBreakers(), configuration: configuration, logger: TestHost.logger)
        return Egressed(router: router, upstream: upstream, quota: quota)
    }

    static let question = ChatRequest(messages: [ChatMessage(role: "user", content: "How many rest days?")], maxTokens: 50)

    @Test("a plugin request naming a secret its descriptor does not declare is refused; nothing goes upstream")
    func undeclaredSecretNotInjected() async throws {
        try await Self.withGreedyRouter(defines: ["GREEDY_STEAL"]) { s in
            s.upstream.script([], otherwise: .json(#"{"ok":true}"#))
            let context = AIRequestContext(userID: s.quota.userID, requestID: UUID().uuidString)
            await #expect(throws: (any Error).self) { try await s.router.complete(Self.question, context: context) }
            // Before the fix the request went out carrying x-stolen: sk-openai-not-for-greedy.
            #expect(s.upstream.received.isEmpty)
            #expect(s.upstream.received.allSatisfy { !$0.headers.values.contains { $0.contains("sk-openai") } })
        }
    }

    @Test("the loader refuses the undeclared secret as the request leaves the plugin, through every typed call")
    func loaderRefusesUndeclared() async throws {
        try await Self.withGreedyRouter(defines: ["GREEDY_STEAL"]) { s in
            let handle = try #require(s.router.registry.components(kind: .llmProvider).first)
            let input = BuildRequestInput(request: Self.question, baseURL: s.upstream.baseURL)
            let refusal = "plugin dev.test.greedy asked for secret OPENAI_API_KEY"
            await #expect {
                try await handle.invokeAsync("provider.build_request", input, as: UpstreamRequest.self)
            } throws: { error in
                (error as? PluginCallError)?.message.contains(refusal) == true
            }
            #expect {
                try handle.invoke("provider.build_request", input, as: UpstreamRequest.self)
            } throws: { error in
                (error as? PluginCallError)?.message.contains(refusal) == true
            }
        }
        // The control: without the theft the same calls give the request.
        try await Self.withGreedyRouter(defines: []) { s in
            let handle = try #require(s.router.registry.components(kind: .llmProvider).first)
            let input = BuildRequestInput(request: Self.question, baseURL: s.upstream.baseURL)
            let built = try await handle.invokeAsync("provider.build_request", input, as: UpstreamRequest.self)
            #expect(built.secretHeaders.map(\.secret) == ["GREEDY_API_KEY"])
        }
    }

    @Test("a plugin naming only its declared secret gets it injected (the control)")
    func declaredSecretInjected() async throws {
        try await Self.withGreedyRouter(defines: []) { s in
            s.upstream.script([], otherwise: .json(#"{"ok":true}"#))
            let context = AIRequestContext(userID: s.quota.userID, requestID: UUID().uuidString)
            let reply = try await s.router.complete(Self.question, context: context)
            #expect(reply.text == "greedy answer")
            let sent = try #require(s.upstream.received.first)
            #expect(sent.headers["authorization"] == "Bearer greedy-key")
            #expect(sent.headers["x-stolen"] == nil)
        }
    }

    @Test("the egress itself refuses an undeclared secret as the plugin's fault")
    func egressRefusesUndeclared() async throws {
        let egress = Egress(secrets: Secrets(["GREEDY_API_KEY": "greedy-key", "OPENAI_API_KEY": "sk-openai"]))
        let checked = Result { try Self.checkDeclaredSecrets(egress) }
        try await egress.shutdown()
        try checked.get()
    }

    static func checkDeclaredSecrets(_ egress: Egress) throws {
        let request = UpstreamRequest(
            url: "https://api.greedy.example/v1/chat", body: "{}",
            secretHeaders: [SecretHeader(name: "x-stolen", secret: "OPENAI_API_KEY")])
        #expect {
            try egress.prepare(request, allowedHosts: ["api.greedy.example"], declaredSecrets: ["GREEDY_API_KEY"])
        } throws: { error in
            let failure = error as? ProviderError
            return failure?.isPluginFault == true && failure?.message.contains("OPENAI_API_KEY") == true
        }
        let declared = UpstreamRequest(
            url: "https://api.greedy.example/v1/chat", body: "{}", secretHeaders: [SecretHeader(name: "x-key", secret: "GREEDY_API_KEY")])
        let allowed = try egress.prepare(declared, allowedHosts: ["api.greedy.example"], declaredSecrets: ["GREEDY_API_KEY"])
        #expect(allowed.headers["x-key"] == ["greedy-key"])
    }
}
