import Foundation
import Testing
import VigorPluginLoader
import VigorPluginSDK

/// `openai-compatible.json` beside a copy of the real `libVigorOpenAI.so`, loaded through
/// dlopen: the instances it lists become components, and a bad file is a load failure that
/// names the file, the instance and the field (never a crash, never a silent skip).
@Suite("OpenAI-compatible instances file")
struct OpenAICompatibleConfigTests {
    /// Loads a fresh copy of the OpenAI plugin with `config` beside it.
    static func load(_ config: String) throws(PluginRejection) -> [PluginComponentHandle] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-compatible-\(UUID().uuidString)")
        let library = folder.appendingPathComponent("libVigorOpenAI.so")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: TestSupport.bundledPlugin("VigorOpenAI"), toPath: library.path)
            try Data(config.utf8).write(to: folder.appendingPathComponent("openai-compatible.json"))
        } catch {
            throw PluginRejection(.notSharedLibrary, "test setup: \(error)")
        }
        return try PluginLoader(logger: TestSupport.quietLogger, probe: nil).load(path: library.path)
    }

    static let chat = ChatRequest(model: "", messages: [ChatMessage(role: "user", content: "Rest days?")])

    @Test("listed instances are components with their own name, URL, key header and models; OpenAI stays")
    func instances() throws {
        let components = try Self.load(
            """
            {"instances": [
              {"provider": "ollama", "base_url": "http://localhost:11434/v1", "models": [{"id": "llama3.2"}]},
              {"provider": "azure_eu", "style": "azure", "base_url": "https://coach.openai.azure.com/", "api_key_env": "AZURE_EU_API_KEY",
               "api_version": "2024-10-21", "models": [{"id": "coach-mini", "deployment": "gpt-4o-mini-eu", "input_per_mtok_usd": 0.15, "output_per_mtok_usd": 0.6}]}
            ]}
            """)
        #expect(
            components.map(\.descriptor.id).sorted() == [
                "dev.vigor.openai", "dev.vigor.openai-compatible.azure_eu", "dev.vigor.openai-compatible.ollama",
            ])
        let ollama = try #require(components.first { $0.descriptor.provider == "ollama" })
        #expect(ollama.descriptor.secrets.isEmpty && ollama.descriptor.allowedHosts == ["localhost"])
        let local = try ollama.invoke(
            "provider.build_request", BuildRequestInput(request: Self.chat, baseURL: ""), as: UpstreamRequest.self)
        #expect(local.url == "http://localhost:11434/v1/chat/completions")
        #expect(local.secretHeaders.isEmpty && local.body.contains("\"model\":\"llama3.2\""))
        let azure = try #require(components.first { $0.descriptor.provider == "azure_eu" })
        let built = try azure.invoke("provider.build_request", BuildRequestInput(request: Self.chat, baseURL: ""), as: UpstreamRequest.self)
        #expect(built.url == "https://coach.openai.azure.com/openai/deployments/gpt-4o-mini-eu/chat/completions?api-version=2024-10-21")
        #expect(built.secretHeaders == [SecretHeader(name: "api-key", secret: "AZURE_EU_API_KEY")])
        let answer = UpstreamResponse(status: 429, headers: [["retry-after-ms", "800"]], body: #"{"error":{"message":"Too many"}}"#)
        let error = try #require(try azure.invoke("provider.parse_response", answer, as: ProviderResult.self).error)
        #expect(error.kind == .rateLimited && error.retryAfterMs == 800 && error.message.hasPrefix("azure_eu: "))
    }

    @Test(
        "a bad file fails the load with the file, instance and field named",
        arguments: [
            (#"{"instances": [{"provider": "Bad Name", "base_url": "http://x.test"}]}"#, "instances[0]: provider"),
            (#"{"instances": [{"provider": "openai", "base_url": "http://x.test"}]}"#, "built-in"),
            (#"{"instances": [{"provider": "a", "base_url": "ftp://x.test"}]}"#, "base_url"),
            (#"{"instances": [{"provider": "a", "base_url": "http://x.test", "api_key_env": "A_TOKEN"}]}"#, "_API_KEY"),
            (
                #"{"instances": [{"provider": "a", "base_url": "http://x.test", "style": "azure", "api_key_env": "A_API_KEY"}]}"#,
                "api_version"
            ),
            (
                #"{"instances": [{"provider": "a", "base_url": "http://x.test", "models": [{"id": "m", "input_per_mtok_usd": -1}]}]}"#,
                "prices"
            ),
            (
                #"{"instances": [{"provider": "a", "base_url": "http://x.test", "models": [{"id": "m", "deployment": "../x"}]}]}"#,
                "deployment"
            ),
            (#"{"instances": [{"provider": "a", "base_url": "http://x.test"}, {"provider": "a", "base_url": "http://y.test"}]}"#, "twice"),
            (#"{"instances": [{"provider": "a"}]}"#, "base_url"),
            ("not json", "openai-compatible.json"),
        ])
    func refusals(config: String, needle: String) {
        do {
            let components = try Self.load(config)
            Issue.record("loaded \(components.map(\.descriptor.id)) from \(config)")
        } catch {
            #expect(error.code == .initFailed, "\(error)")
            #expect(error.reason.contains(needle) && error.reason.contains("openai-compatible.json"), "\(error.reason)")
        }
    }
}
