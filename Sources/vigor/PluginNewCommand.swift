import ArgumentParser
import Foundation

/// `vigor plugin new NAME`: scaffolds a Swift plugin package in the bundled providers' style — a
/// provider on the SDK's provider kit with direct wire coding and streaming that builds, passes
/// `vigor plugin check`, and comes with recorded-fixture tests on the mock host (docs/plugin-guide.md).
struct PluginNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Scaffold a Swift plugin package (a streaming provider on the SDK's provider kit, with recorded-fixture tests).")

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
            ("Sources/\(m)/\(m)Wire.swift", wire(names)),
            ("Sources/\(m)/\(m)Stream.swift", stream(names)),
            ("Sources/\(m)/Entry.swift", entry(names)),
            ("Tests/\(m)Tests/\(m)Tests.swift", tests(names)),
        ] + fixtures.map { ("Tests/\(m)Tests/Fixtures/\($0.0)", $0.1) }
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
                    dependencies: ["\(n.module)", .product(name: "VigorPluginTesting", package: "vigor")],
                    // Recorded upstream answers, read by the tests from beside their source file.
                    exclude: ["Fixtures"]
                ),
            ]
        )

        """
    }

    static func provider(_ n: ScaffoldNames) -> String {
        """
        import VigorPluginSDK

        /// An LLM provider: a translator between Vigor's chat types and one upstream API. It
        /// performs no I/O: the host sends the request built here (allow-list applied, the key
        /// injected) and hands back the response to parse.
        ///
        /// The SDK's provider kit (``ProviderKit``, ``SSEProviderStream``) does what every provider
        /// shares: the base URL, key redaction, `retry-after`, the status → error-kind mapping and
        /// SSE framing. This file, `\(n.module)Wire.swift` and `\(n.module)Stream.swift` hold only what
        /// the upstream speaks. The skeleton speaks a Chat-Completions-style API
        /// (`POST {base}/v1/chat/completions`); change the URL, the body and the parsing for yours.
        public struct \(n.module): ProviderPlugin {
            public static let defaultBaseURL = "https://api.example.com"
            public static let secret = "\(n.provider.uppercased())_API_KEY"

            public let descriptor = ComponentDescriptor(
                id: "\(n.id)",
                name: "\(n.module)",
                version: "0.1.0",
                kind: .llmProvider,
                capabilities: Capabilities(streaming: true),
                models: [ModelInfo(id: "example-model", inputPerMTokUSD: 0.15, outputPerMTokUSD: 0.6, contextTokens: 128_000)],
                allowedHosts: ["api.example.com"],
                secrets: [\(n.module).secret],
                defaultBaseURL: \(n.module).defaultBaseURL,
                provider: "\(n.provider)"
            )

            let kit: ProviderKit

            /// - Parameter host: the host's services; the kit reads `retry-after` dates on its clock.
            public init(host: HostServices) {
                kit = ProviderKit(provider: "\(n.provider)", defaultBaseURL: Self.defaultBaseURL, host: host)
            }

            /// `provider.build_request`: the upstream HTTP request for a chat request.
            public func buildRequest(_ input: BuildRequestInput, context: CallContext) throws -> UpstreamRequest {
                let request = input.request
                guard request.messages.contains(where: { $0.role == "user" }) else {
                    throw PluginError.invalidInput("messages: at least one user message is required")
                }
                let messages = try request.messages.map { message in
                    guard ["system", "user", "assistant"].contains(message.role) else {
                        throw PluginError.invalidInput("messages: unknown role " + message.role)
                    }
                    return ChatBody.Message(role: message.role, content: message.content)
                }
                let body = ChatBody(
                    model: request.model.isEmpty ? descriptor.models[0].id : request.model, messages: messages,
                    temperature: request.temperature, maxTokens: request.maxTokens, stream: request.stream)
                return UpstreamRequest(
                    url: ProviderKit.join(try kit.baseURL(input.baseURL), version: "/v1", path: "/chat/completions"),
                    headers: [["Content-Type", "application/json"], ["Accept", request.stream ? "text/event-stream" : "application/json"]],
                    body: String(decoding: WireJSON.bytes(of: body), as: UTF8.self),
                    // The prefix is joined as written: "Bearer " keeps its space.
                    secretHeaders: [SecretHeader(name: "Authorization", secret: Self.secret, prefix: "Bearer ")])
            }

            /// `provider.parse_response`: the answer, or a typed error the router can act on.
            /// An upstream error is a successful parse (`.failure`); throw only on unusable input.
            public func parseResponse(_ response: UpstreamResponse, context: CallContext) throws -> ProviderResult {
                guard (200...299).contains(response.status) else { return .failure(kit.upstreamError(for: response)) }
                guard let answer = WireJSON.read(ChatAnswer.self, from: response.body), let choice = answer.choice else {
                    if UpstreamErrorObject.parse(response.body) != nil { return .failure(kit.upstreamError(for: response)) }
                    return .failure(kit.badResponse("the body is not a chat completion", status: response.status))
                }
                return .success(
                    ChatResponse(
                        text: choice.content ?? "", finishReason: choice.finishReason ?? "stop",
                        model: answer.model ?? descriptor.models[0].id, usage: answer.usage ?? TokenUsage(promptTokens: 0, completionTokens: 0)))
            }

            /// `provider.stream`: parses the streamed (SSE) body.
            public func makeStreamParser(for request: ChatRequest, context: CallContext) throws -> any PluginStream {
                ChatStreamParser(kit: kit)
            }
        }

        extension ProviderKit {
            /// The typed error for an upstream error response: the kit's status mapping (401/403
            /// auth, 429 rate limited, 5xx overloaded, …) and `retry-after`, the upstream's message.
            func upstreamError(for response: UpstreamResponse) -> ProviderError {
                let object = UpstreamErrorObject.parse(response.body)
                let kind = ProviderKit.kind(forStatus: response.status) ?? object?.kind
                return httpError(response, detail: object?.message, kind: kind)
            }
        }

        """
    }

    static func wire(_ n: ScaffoldNames) -> String {
        """
        import VigorPluginSDK

        /// The upstream's wire format, reduced to the fields this provider sends and reads. Bodies
        /// are written and read directly (``WireEncodable``/``WireDecodable``), keys in sorted order;
        /// every field read is optional, so an unusual body is reported, never trapped on.

        /// The request body.
        struct ChatBody: WireEncodable {
            struct Message {
                var role: String
                var content: String
            }

            var model: String
            var messages: [Message]
            var temperature: Double?
            var maxTokens: Int?
            var stream: Bool

            func write(to out: inout WireWriter) {
                out.beginObject()
                if let maxTokens {
                    out.key("max_tokens")
                    out.int(maxTokens)
                }
                out.key("messages")
                out.array(messages) { out, message in
                    out.beginObject()
                    out.key("content")
                    out.string(message.content)
                    out.key("role")
                    out.string(message.role)
                    out.endObject()
                }
                out.key("model")
                out.string(model)
                if stream {
                    out.key("stream")
                    out.bool(true)
                }
                if let temperature {
                    out.key("temperature")
                    out.double(temperature)
                }
                out.endObject()
            }
        }

        /// A whole answer, or one streamed chunk (`delta` instead of `message`).
        struct ChatAnswer: WireDecodable {
            struct Choice {
                var content: String?
                var finishReason: String?
            }

            var model: String?
            var choice: Choice?
            var usage: TokenUsage?
            var error: UpstreamErrorObject?

            init(wire value: WireValue, at path: WirePath) throws {
                let o = try value.members(at: path)
                model = try o.optionalString("model")
                error = try o.optional("error")
                if let usage = try o["usage"].map({ try $0.members(at: path.key("usage")) }) {
                    self.usage = TokenUsage(
                        promptTokens: try usage.int("prompt_tokens", default: 0), completionTokens: try usage.int("completion_tokens", default: 0))
                }
                let choices: [Choice] = try o.array("choices", default: []) { item, at in
                    let fields = try item.members(at: at)
                    let text = try (fields["message"] ?? fields["delta"]).map { try $0.members(at: at).optionalString("content") } ?? nil
                    return Choice(content: text, finishReason: try fields.optionalString("finish_reason"))
                }
                choice = choices.first
            }
        }

        /// An error object: `{"error":{"message","type"}}`.
        struct UpstreamErrorObject: WireDecodable {
            var message: String?
            var type: String?

            init(wire value: WireValue, at path: WirePath) throws {
                let o = try value.members(at: path)
                message = try? o.optionalString("message")
                type = try? o.optionalString("type")
            }

            /// The error object of a body, or nil when it is not one.
            static func parse(_ text: String) -> UpstreamErrorObject? {
                guard let value = try? WireParser.parse(Array(text.utf8)), let object = try? value.members(at: .root),
                    let error = object["error"]
                else { return nil }
                return try? UpstreamErrorObject(wire: error, at: WirePath.root.key("error"))
            }

            /// The kind from the error `type`, for errors met without an HTTP status.
            var kind: ProviderErrorKind {
                let type = (type ?? "").lowercased()
                if type.contains("auth") { return .auth }
                if type.contains("rate_limit") { return .rateLimited }
                if type.contains("invalid_request") { return .badRequest }
                return .overloaded
            }
        }

        """
    }

    static func stream(_ n: ScaffoldNames) -> String {
        """
        import VigorPluginSDK

        /// Parses a streamed answer: `data: {chunk}` events, a finish reason in the last chunk,
        /// usage when the upstream sends it, then `data: [DONE]`. The SDK (``SSEProviderStream``)
        /// splits the bytes into events wherever they were cut, handles `[DONE]`, reads a plain
        /// JSON error body sent instead of a stream, and reports a stream that ends early.
        final class ChatStreamParser: SSEProviderStream {
            var state: ProviderStreamState
            private let kit: ProviderKit

            init(kit: ProviderKit) {
                self.kit = kit
                state = ProviderStreamState(provider: kit.provider)
            }

            func plainBodyError(_ body: String) -> ProviderError? {
                UpstreamErrorObject.parse(body).map { kit.error($0.kind, $0.message ?? "error body instead of a stream") }
            }

            func handle(_ event: SSEDecoder.Event, atEnd: Bool) -> [StreamEvent] {
                guard let chunk = WireJSON.read(ChatAnswer.self, from: event.data) else { return state.unparseable(atEnd: atEnd) }
                if let error = chunk.error { return state.fail(kit.error(error.kind, error.message ?? "error event in the stream")) }
                var events = state.model(chunk.model)
                if let text = chunk.choice?.content, !text.isEmpty { events.append(.delta(text)) }
                if let usage = chunk.usage { state.noteUsage(usage) }
                if let reason = chunk.choice?.finishReason { events += state.finish(reason) }
                return state.finished ? events + state.usageUpdate() : events
            }
        }

        """
    }

    static func entry(_ n: ScaffoldNames) -> String {
        """
        import VigorPluginSDK

        /// The one symbol a Vigor plugin exports; the SDK does the C side. The factory runs at
        /// `on_init` with the host's services.
        @_cdecl("vigor_plugin_entry")
        public func vigorPluginEntry() -> UnsafeRawPointer {
            PluginExport.table { host in [\(n.module)(host: host)] }
        }

        """
    }

    /// Recorded upstream material for the scaffold's tests (replace with your upstream's).
    static let fixtures: [(String, String)] = [
        (
            "success.json",
            """
            {"id":"chatcmpl-1","object":"chat.completion","model":"example-model-2025","choices":[{"index":0,"message":{"role":"assistant","content":"Two rest days a week."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":6}}

            """
        ),
        (
            "error_429.json",
            """
            {"error":{"message":"Rate limit reached for example-model. Key sk-ex****1234.","type":"rate_limit_error"}}

            """
        ),
        (
            "stream.sse",
            """
            data: {"model":"example-model-2025","choices":[{"delta":{"content":"Two rest"}}]}

            data: {"model":"example-model-2025","choices":[{"delta":{"content":" days."},"finish_reason":"stop"}]}

            data: {"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3}}

            data: [DONE]


            """
        ),
        (
            "stream_cut.sse",
            """
            data: {"model":"example-model-2025","choices":[{"delta":{"content":"Two rest"}}]}

            data: {"model":"example-mo
            """
        ),
    ]

    static func tests(_ n: ScaffoldNames) -> String {
        """
        import Testing
        import VigorPluginAPI
        import VigorPluginSDK
        import VigorPluginTesting

        @testable import \(n.module)

        /// Recorded-fixture tests on the Vigor mock host: the plugin runs in-process through the
        /// same C entry points the real host calls, against upstream answers in `Fixtures/`.
        @Suite struct \(n.module)Tests {
            let id = "\(n.id)"
            let url = "https://api.example.com/v1/chat/completions"
            let chat = ChatRequest(messages: [ChatMessage(role: "user", content: "How many rest days a week?")])
            let fixtures = UpstreamFixtures("Fixtures")

            func host() throws -> MockPluginHost {
                try MockPluginHost { services in [\(n.module)(host: services)] }
            }

            @Test func answersFromTheUpstream() throws {
                let host = try host()
                host.http.script(url: url, status: 200, body: String(decoding: try fixtures.bytes("success.json"), as: UTF8.self))
                let response = try #require(try host.complete(id, chat).response)
                #expect(response.text == "Two rest days a week.")
                #expect(response.model == "example-model-2025")
                #expect(response.usage == TokenUsage(promptTokens: 9, completionTokens: 6))
                #expect(host.http.requests.first?.secretHeaders == [SecretHeader(name: "Authorization", secret: "\(n.provider.uppercased())_API_KEY", prefix: "Bearer ")])
                #expect(host.violations.isEmpty)
            }

            @Test func typesUpstreamErrors() throws {
                let host = try host()
                let body = String(decoding: try fixtures.bytes("error_429.json"), as: UTF8.self)
                host.http.script(url: url, status: 429, headers: [["retry-after", "3"]], body: body)
                let error = try #require(try host.complete(id, chat).error)
                #expect(error.kind == .rateLimited && error.retryAfterMs == 3000)
                #expect(!error.message.contains("1234"))  // the kit masks key-like text
                host.http.reset()
                host.http.script(url: url, status: 200, body: "<html>not json</html>")
                #expect(try host.complete(id, chat).error?.kind == .badResponse)
            }

            @Test func streamsUnderAnySplit() throws {
                let host = try host()
                let bytes = try fixtures.bytes("stream.sse")
                let whole = try host.stream(id, input: chat, body: bytes, chunkSize: 0)
                #expect(whole.text == "Two rest days.")
                #expect(whole.finishReason == "stop")
                #expect(whole.usage == TokenUsage(promptTokens: 9, completionTokens: 3))
                #expect(whole.doneCount == 1 && whole.error == nil)
                for size in [1, 3, 7] { #expect(try host.stream(id, input: chat, body: bytes, chunkSize: size).events == whole.events) }
                let cut = try host.stream(id, input: chat, body: try fixtures.bytes("stream_cut.sse"), chunkSize: 5)
                #expect(cut.text == "Two rest")
                #expect(cut.error?.kind == .badResponse && cut.doneCount == 1)
            }

            @Test func refusesAConversationWithoutAUserMessage() throws {
                let host = try host()
                let error = #expect(throws: PluginError.self) {
                    try host.invoke(id, "provider.build_request", BuildRequestInput(request: ChatRequest(messages: []), baseURL: ""), as: UpstreamRequest.self)
                }
                #expect(error?.status == VIGOR_ERR_INVALID_INPUT)
            }
        }

        """
    }
}
