import Foundation
import Testing
import VigorPluginSDK

/// The header's comment and docs/plugin-abi.md name every JSON key the host reads from a
/// plugin, so the two cannot drift from the host again.
///
/// The keys are not listed here by hand: they are collected from the host's own wire types
/// (the ones the loader decodes plugin output with), by encoding a sample of each type with
/// every field set and walking the JSON. Three guards keep the samples honest:
/// - every optional of a sample is set (a new optional field left out fails the test);
/// - each sample struct encodes as many keys as it has stored properties;
/// - each sample decodes back, through the decoder the host uses, to itself — so the keys
///   found are the keys the decoders read.
@Suite("ABI docs: every key the host reads is documented in the header and plugin-abi.md")
struct ABIDocDriftTests {
    // MARK: Samples: every payload a plugin writes and the host decodes

    static let usage = TokenUsage(promptTokens: 12, completionTokens: 6)
    static let chatResponse = ChatResponse(
        text: "Rest two days.", finishReason: "length", model: "m-1", usage: usage, citations: ["https://example.org"])
    static let providerError = ProviderError(kind: .rateLimited, message: "slow down", retryAfterMs: 2000, status: 429)
    /// Both branches at once, so both keys are collected (the host reads either).
    static let providerResult: ProviderResult = {
        var result = ProviderResult.success(chatResponse)
        result.error = providerError
        return result
    }()
    static let secretHeader = SecretHeader(name: "Authorization", secret: "X_API_KEY", prefix: "Bearer ")
    static let upstreamRequest = UpstreamRequest(
        method: "PUT", url: "https://api.example.com/v1", headers: [["content-type", "application/json"]], body: "{}",
        secretHeaders: [secretHeader])
    static let model = ModelInfo(id: "m-1", inputPerMTokUSD: 0.1, outputPerMTokUSD: 0.2, contextTokens: 8000)
    static let capabilities = Capabilities(streaming: true, jsonMode: true, offline: true, usesLLM: true)
    static let component = ComponentDescriptor(
        id: "dev.example.x", name: "X", version: "1.0.0", kind: .llmProvider, capabilities: capabilities, models: [model],
        allowedHosts: ["api.example.com"], secrets: ["X_API_KEY"], defaultBaseURL: "https://api.example.com", provider: "x")
    static let descriptor = PluginDescriptor(plugins: [component])
    static let message = ChatMessage(role: "user", content: "hi")
    /// What a generator sends to `vigor.llm/1`.
    static let chatRequest = ChatRequest(
        model: "m-1", messages: [message], temperature: 0.5, maxTokens: 64, jsonMode: true, stream: true, profileJSON: "{}")
    static let events: [StreamEvent] = [
        .delta("a"), .usage(usage), .finish("stop"), .citations(["c"]), .model("m-1"), .error(providerError),
    ]
    static let generatorOutput = GenerateOutput(plan: [String: String]())

    static func json(_ value: some Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value), options: [.fragmentsAllowed])
    }

    /// Every object key anywhere in `json`.
    static func keys(in json: Any) -> Set<String> {
        switch json {
        case let object as [String: Any]: Set(object.keys).union(object.values.flatMap { keys(in: $0) })
        case let array as [Any]: array.reduce(into: Set<String>()) { $0.formUnion(keys(in: $1)) }
        default: []
        }
    }

    /// Every key the host reads from a plugin, derived from the wire types.
    static func hostReadKeys() throws -> Set<String> {
        var all = Set<String>()
        all.formUnion(keys(in: try json(descriptor)))
        all.formUnion(keys(in: try json(upstreamRequest)))
        all.formUnion(keys(in: try json(providerResult)))
        all.formUnion(keys(in: try json(chatRequest)))
        all.formUnion(keys(in: try json(generatorOutput)))
        for event in events { all.formUnion(keys(in: try json(event))) }
        return all
    }

    // MARK: Guards on the samples

    /// A path to every optional that is nil in `value`, recursively.
    static func unsetOptionals(_ value: Any, path: String) -> [String] {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return [path] }
            return unsetOptionals(wrapped, path: path)
        }
        guard mirror.displayStyle == .struct || mirror.displayStyle == .collection else { return [] }
        return mirror.children.enumerated().flatMap { index, child in
            unsetOptionals(child.value, path: "\(path).\(child.label ?? String(index))")
        }
    }

    @Test("the samples set every field, so every key is seen")
    func samplesAreComplete() throws {
        let samples: [(String, Any)] = [
            ("descriptor", Self.descriptor), ("upstreamRequest", Self.upstreamRequest), ("providerResult", Self.providerResult),
            ("chatRequest", Self.chatRequest),
        ]
        for (name, sample) in samples {
            #expect(Self.unsetOptionals(sample, path: name).isEmpty, "\(Self.unsetOptionals(sample, path: name))")
        }
        let structs: [(Any, Any)] = [
            (Self.component, try Self.json(Self.component)), (Self.model, try Self.json(Self.model)),
            (Self.capabilities, try Self.json(Self.capabilities)), (Self.upstreamRequest, try Self.json(Self.upstreamRequest)),
            (Self.secretHeader, try Self.json(Self.secretHeader)), (Self.providerResult, try Self.json(Self.providerResult)),
            (Self.chatResponse, try Self.json(Self.chatResponse)), (Self.providerError, try Self.json(Self.providerError)),
            (Self.usage, try Self.json(Self.usage)), (Self.chatRequest, try Self.json(Self.chatRequest)),
            (Self.message, try Self.json(Self.message)), (Self.descriptor, try Self.json(Self.descriptor)),
        ]
        for (value, json) in structs {
            let properties = Mirror(reflecting: value).children.count
            let encoded = (json as? [String: Any])?.count ?? -1
            #expect(properties == encoded, "\(type(of: value)): \(properties) stored properties, \(encoded) keys on the wire")
        }
    }

    @Test("the samples decode back through the host's decoders, so their keys are the keys the host reads")
    func samplesRoundTrip() throws {
        func roundTrip<T: Codable & Equatable>(_ value: T) throws {
            let bytes = Array(try JSONEncoder().encode(value))
            #expect(try WireJSON.decode(T.self, from: bytes) == value, "\(T.self) via the wire decoder")
            #expect(try JSONDecoder().decode(T.self, from: Data(bytes)) == value, "\(T.self) via Codable")
        }
        try roundTrip(Self.descriptor)
        try roundTrip(Self.upstreamRequest)
        try roundTrip(Self.providerResult)
        try roundTrip(Self.chatRequest)
        for event in Self.events { try roundTrip(event) }
    }

    // MARK: The documents

    static let root = TestSupport.packageRoot

    /// The comments of the C header (the code itself is the ABI; the keys live in comments).
    static func headerComments() throws -> String {
        let text = try String(contentsOf: root.appendingPathComponent("Sources/VigorPluginAPI/include/vigor_plugin.h"), encoding: .utf8)
        var comments = ""
        var rest = Substring(text)
        while let open = rest.range(of: "/*") {
            guard let close = rest.range(of: "*/", range: open.upperBound..<rest.endIndex) else { break }
            comments += rest[open.upperBound..<close.lowerBound] + "\n"
            rest = rest[close.upperBound...]
        }
        return comments
    }

    static func abiDoc() throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs/plugin-abi.md"), encoding: .utf8)
    }

    /// The keys of `keys` that `text` never names as a key (`"key"`, or `` `key` `` when backticks count).
    static func missing(_ keys: Set<String>, in text: String, backticks: Bool) -> [String] {
        keys.filter { key in !(text.contains("\"\(key)\"") || (backticks && text.contains("`\(key)`"))) }.sorted()
    }

    @Test("every key the host reads is named in the header's comments and in docs/plugin-abi.md")
    func documented() throws {
        let keys = try Self.hostReadKeys()
        // The derivation itself found the keys issue 14 was about.
        for key in ["secret_headers", "secret", "prefix", "provider", "default_base_url", "type", "schema", "plan"] {
            #expect(keys.contains(key), "\(key) not derived from the wire types")
        }
        #expect(keys.count >= 40, "\(keys.sorted())")
        let header = try Self.headerComments()
        #expect(
            Self.missing(keys, in: header, backticks: false).isEmpty,
            "missing from vigor_plugin.h comments: \(Self.missing(keys, in: header, backticks: false))")
        let doc = try Self.abiDoc()
        #expect(
            Self.missing(keys, in: doc, backticks: true).isEmpty,
            "missing from docs/plugin-abi.md: \(Self.missing(keys, in: doc, backticks: true))")
    }

    @Test("the check fails when a key is removed from either document")
    func detectsRemoval() throws {
        let keys = try Self.hostReadKeys()
        let header = try Self.headerComments()
        let doc = try Self.abiDoc()
        for key in ["secret_headers", "default_base_url", "prefix"] {
            let strippedHeader = header.replacingOccurrences(of: "\"\(key)\"", with: "")
            #expect(Self.missing(keys, in: strippedHeader, backticks: false) == [key])
            let strippedDoc = doc.replacingOccurrences(of: "\"\(key)\"", with: "").replacingOccurrences(of: "`\(key)`", with: "")
            #expect(Self.missing(keys, in: strippedDoc, backticks: true) == [key])
        }
    }
}
