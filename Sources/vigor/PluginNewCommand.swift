import ArgumentParser
import Foundation

/// `vigor plugin new NAME`: scaffolds a Swift plugin package — a provider that builds, passes
/// `vigor plugin check`, and comes with a unit test on the mock host (docs/plugin-guide.md).
struct PluginNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "Scaffold a Swift plugin package (a provider, with a mock-host unit test).")

    @Argument(help: "Plugin name, e.g. stretch-coach: letters, digits, '-' and '_', starting with a letter.")
    var name: String

    @Option(help: "Folder to create (default: ./NAME).")
    var output: String?

    @Option(
        help: "The Vigor checkout that provides VigorPluginSDK (default: $VIGOR_SDK_PATH, else the checkout this vigor was built from).")
    var sdk: String?

    @Option(help: "Component id, reverse-DNS (default: dev.example.NAME).")
    var id: String?

    @Flag(help: "Write into an existing folder, overwriting the scaffold's files.")
    var force = false

    func validate() throws {
        guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first),
            name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") })
        else {
            throw ValidationError("plugin name \"\(name)\": use ASCII letters, digits, '-' and '_', starting with a letter")
        }
    }

    func run() throws {
        let names = ScaffoldNames(name, id: id)
        let folder = URL(fileURLWithPath: output ?? name)
        let sdkPath = try Self.locateSDK(sdk)
        let files = PluginScaffold.files(names: names, sdkPath: sdkPath)
        let manager = FileManager.default
        if manager.fileExists(atPath: folder.path), !force {
            throw ValidationError("\(folder.path) already exists (use --force to write into it)")
        }
        for (relative, contents) in files {
            let url = folder.appendingPathComponent(relative)
            // Unchanged files are left alone, so a rerun with --force keeps the build warm.
            if manager.contents(atPath: url.path) == Data(contents.utf8) { continue }
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        let shown = output ?? name
        print(
            """
            Created \(shown)/ — provider \(names.id) (module \(names.module)), SDK from \(sdkPath)
              swift build --package-path \(shown)          # → \(shown)/.build/debug/lib\(names.module).so
              swift test --package-path \(shown)           # unit tests on the mock host
              vigor plugin check \(shown)/.build/debug/lib\(names.module).so
            Then copy the .so into the host's plugin folder (docs/plugin-guide.md).
            """)
    }

    /// The Vigor checkout: `--sdk`, else `$VIGOR_SDK_PATH`, else the checkout this binary was built from.
    static func locateSDK(_ flag: String?) throws -> String {
        func isCheckout(_ path: String) -> Bool {
            FileManager.default.fileExists(atPath: path + "/Package.swift")
                && FileManager.default.fileExists(atPath: path + "/Sources/VigorPluginSDK")
        }
        if let flag {
            let path = URL(fileURLWithPath: flag).standardizedFileURL.path
            guard isCheckout(path) else {
                throw ValidationError("--sdk \(flag): not a Vigor checkout (no Package.swift with Sources/VigorPluginSDK)")
            }
            return path
        }
        if let env = ProcessInfo.processInfo.environment["VIGOR_SDK_PATH"], !env.isEmpty {
            let path = URL(fileURLWithPath: env).standardizedFileURL.path
            guard isCheckout(path) else { throw ValidationError("VIGOR_SDK_PATH=\(env): not a Vigor checkout") }
            return path
        }
        // This file is <checkout>/Sources/vigor/PluginNewCommand.swift at build time.
        let built = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        guard isCheckout(built) else {
            throw ValidationError("cannot find the Vigor checkout this binary was built from (\(built)); pass --sdk PATH")
        }
        return built
    }
}

/// The names a scaffold uses, derived from the plugin name.
struct ScaffoldNames {
    /// The name as given (folder, package).
    var name: String
    /// UpperCamelCase Swift module and product name: `stretch-coach` → `StretchCoach`.
    var module: String
    /// Lowercase, hyphenated: the default id's last part.
    var slug: String
    /// Lowercase with underscores: the provider's short name (`VIGOR_<NAME>_BASE_URL` matches it).
    var provider: String
    /// Reverse-DNS component id.
    var id: String

    init(_ name: String, id: String?) {
        self.name = name
        let parts = name.split(whereSeparator: { $0 == "-" || $0 == "_" })
        module = parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        slug = parts.map { $0.lowercased() }.joined(separator: "-")
        provider = parts.map { $0.lowercased() }.joined(separator: "_")
        self.id = id ?? "dev.example.\(slug)"
    }
}

// MARK: - The scaffold's files

/// The files `vigor plugin new` writes: a package with a provider and its mock-host test.
enum PluginScaffold {
    /// Relative path → contents.
    static func files(names: ScaffoldNames, sdkPath: String) -> [(String, String)] {
        let m = names.module
        return [
            ("Package.swift", packageManifest(names, sdkPath: sdkPath)),
            (".gitignore", ".build/\n.build-*/\n.swiftpm/\nPackage.resolved\n"),
            ("Sources/\(m)/\(m).swift", provider(names)),
            ("Sources/\(m)/Entry.swift", entry(names)),
            ("Tests/\(m)Tests/\(m)Tests.swift", tests(names)),
        ]
    }

    static func packageManifest(_ n: ScaffoldNames, sdkPath: String) -> String {
        """
        // swift-tools-version:6.1
        // A Vigor plugin. Build with `swift build`; the plugin is .build/debug/lib\(n.module).so.
        import PackageDescription

        let package = Package(
            name: "\(n.module)",
            platforms: [.macOS(.v15)],
            products: [
                // A plugin is a dynamic library exporting `vigor_plugin_entry`.
                .library(name: "\(n.module)", type: .dynamic, targets: ["\(n.module)"])
            ],
            dependencies: [
                // The Vigor checkout (VigorPluginSDK, VigorPluginTesting). Build the plugin with the
                // same Swift toolchain as the host that will load it.
                .package(name: "vigor", path: "\(sdkPath)")
            ],
            targets: [
                .target(name: "\(n.module)", dependencies: [.product(name: "VigorPluginSDK", package: "vigor")]),
                .testTarget(
                    name: "\(n.module)Tests",
                    dependencies: ["\(n.module)", .product(name: "VigorPluginTesting", package: "vigor")]
                ),
            ]
        )

        """
    }

    static func provider(_ n: ScaffoldNames) -> String {
        """
        import VigorPluginSDK

        /// An LLM provider: a translator between Vigor's chat types and one upstream API.
        /// It performs no I/O itself — the host sends the request it builds, applies the
        /// allow-list, injects the secret, and hands back the response to parse.
        ///
        /// This skeleton speaks a Chat-Completions-style API; change the URL, body and parsing
        /// for yours.
        public struct \(n.module): ProviderPlugin {
            public let descriptor = ComponentDescriptor(
                id: "\(n.id)",
                name: "\(n.module)",
                version: "0.1.0",
                kind: .llmProvider,
                models: [ModelInfo(id: "example-model", inputPerMTokUSD: 0.15, outputPerMTokUSD: 0.6, contextTokens: 128_000)],
                allowedHosts: ["api.example.com"],
                secrets: ["\(n.provider.uppercased())_API_KEY"],
                defaultBaseURL: "https://api.example.com",
                provider: "\(n.provider)"
            )

            public init() {}

            /// `provider.build_request`: the upstream HTTP request for a chat request.
            public func buildRequest(_ input: BuildRequestInput, context: CallContext) throws -> UpstreamRequest {
                guard !input.request.messages.isEmpty else { throw PluginError.invalidInput("messages: at least one is needed") }
                let body = UpstreamBody(
                    model: input.request.model.isEmpty ? descriptor.models[0].id : input.request.model,
                    messages: input.request.messages, max_tokens: input.request.maxTokens)
                return UpstreamRequest(
                    url: input.baseURL + "/v1/chat/completions",
                    headers: [["content-type", "application/json"]],
                    body: String(decoding: try WireJSON.encode(body), as: UTF8.self),
                    secretHeaders: [SecretHeader(name: "Authorization", secret: descriptor.secrets[0], prefix: "Bearer ")])
            }

            /// `provider.parse_response`: the answer, or a typed error the router can act on.
            public func parseResponse(_ response: UpstreamResponse, context: CallContext) throws -> ProviderResult {
                guard response.status == 200 else {
                    let kind: ProviderErrorKind = switch response.status {
                    case 401, 403: .auth
                    case 429: .rateLimited
                    case 500...: .overloaded
                    default: .badRequest
                    }
                    let retry = response.header("retry-after").flatMap(Int.init).map { $0 * 1000 }
                    return .failure(ProviderError(kind: kind, message: "upstream answered \\(response.status)", retryAfterMs: retry, status: response.status))
                }
                guard let answer = try? WireJSON.decode(UpstreamAnswer.self, from: Array(response.body.utf8)), let choice = answer.choices.first else {
                    return .failure(ProviderError(kind: .badResponse, message: "the upstream answer could not be read"))
                }
                return .success(
                    ChatResponse(
                        text: choice.message.content, finishReason: choice.finish_reason ?? "stop", model: answer.model,
                        usage: TokenUsage(promptTokens: answer.usage.prompt_tokens, completionTokens: answer.usage.completion_tokens)))
            }
        }

        /// The upstream's request body.
        struct UpstreamBody: Encodable {
            var model: String
            var messages: [ChatMessage]
            var max_tokens: Int?
        }

        /// The upstream's answer, as far as this provider reads it.
        struct UpstreamAnswer: Decodable {
            struct Choice: Decodable {
                struct Message: Decodable { var content: String }
                var message: Message
                var finish_reason: String?
            }
            struct Usage: Decodable {
                var prompt_tokens: Int
                var completion_tokens: Int
            }
            var model: String
            var choices: [Choice]
            var usage: Usage
        }

        """
    }

    static func entry(_ n: ScaffoldNames) -> String {
        """
        import VigorPluginSDK

        /// The one symbol a Vigor plugin exports; the SDK does the C side.
        @_cdecl("vigor_plugin_entry")
        public func vigorPluginEntry() -> UnsafeRawPointer {
            PluginExport.table { _ in [\(n.module)()] }
        }

        """
    }

    static func tests(_ n: ScaffoldNames) -> String {
        """
        import Testing
        import VigorPluginAPI
        import VigorPluginSDK
        import VigorPluginTesting

        @testable import \(n.module)

        /// Unit tests on the Vigor mock host: the plugin runs in-process through the same C entry
        /// points the real host calls, against a scripted upstream.
        @Suite struct \(n.module)Tests {
            let id = "\(n.id)"
            let url = "https://api.example.com/v1/chat/completions"
            let chat = ChatRequest(messages: [ChatMessage(role: "user", content: "How many rest days a week?")])

            @Test func answersFromTheUpstream() throws {
                let host = try MockPluginHost(components: [\(n.module)()])
                host.http.script(url: url, status: 200, body: \"""
                    {"model":"example-model","choices":[{"message":{"content":"Two."},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":9,"completion_tokens":1}}
                    \""")
                let response = try #require(try host.complete(id, chat).response)
                #expect(response.text == "Two.")
                #expect(response.usage == TokenUsage(promptTokens: 9, completionTokens: 1))
                #expect(host.http.requests.first?.secretHeaders.first?.name == "Authorization")
                #expect(host.violations.isEmpty)
            }

            @Test func reportsRateLimits() throws {
                let host = try MockPluginHost(components: [\(n.module)()])
                host.http.script(url: url, status: 429, headers: [["retry-after", "3"]], body: "{}")
                let error = try #require(try host.complete(id, chat).error)
                #expect(error.kind == .rateLimited && error.retryAfterMs == 3000)
            }

            @Test func refusesAnEmptyConversation() throws {
                let host = try MockPluginHost(components: [\(n.module)()])
                let error = #expect(throws: PluginError.self) {
                    try host.invoke(id, "provider.build_request", BuildRequestInput(request: ChatRequest(messages: []), baseURL: "https://api.example.com"), as: UpstreamRequest.self)
                }
                #expect(error?.status == VIGOR_ERR_INVALID_INPUT)
            }
        }

        """
    }
}
