/// The direct wire coding (``WireEncodable``/``WireDecodable``) of the payloads every provider
/// call carries. Keys are written in sorted order, as `WireJSON`'s `Codable` form writes them;
/// reads follow each type's `Codable` rules (which fields are required, which default).

extension ChatMessage: WireEncodable, WireReadable {
    public func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("content")
        out.string(content)
        out.key("role")
        out.string(role)
        out.endObject()
    }

    static let wireKeys: WireKeys = ["role", "content"]

    public init(reading reader: inout WireReader) throws {
        var role: String?
        var content: String?
        try reader.members(Self.wireKeys) { key, r in
            if key == 0 { role = try r.optionalString() } else { content = try r.optionalString() }
        }
        guard let role else { throw reader.missing("role") }
        guard let content else { throw reader.missing("content") }
        self.init(role: role, content: content)
    }
}

extension ChatRequest: WireEncodable, WireReadable {
    /// About how many bytes the request's JSON takes: the messages' text and the keys around it.
    var wireSizeHint: Int { messages.reduce(128 &+ (profileJSON?.utf8.count ?? 0)) { $0 &+ $1.content.utf8.count &+ 40 } }

    public func write(to out: inout WireWriter) {
        out.reserve(wireSizeHint)
        out.beginObject()
        out.key("json_mode")
        out.bool(jsonMode)
        if let maxTokens {
            out.key("max_tokens")
            out.int(maxTokens)
        }
        out.key("messages")
        out.array(messages) { $0.value($1) }
        out.key("model")
        out.string(model)
        if let profileJSON {
            out.key("profile_json")
            out.string(profileJSON)
        }
        out.key("schema")
        out.int(schema)
        out.key("stream")
        out.bool(stream)
        if let temperature {
            out.key("temperature")
            out.double(temperature)
        }
        out.endObject()
    }

    static let wireKeys: WireKeys = ["model", "messages", "temperature", "max_tokens", "json_mode", "stream", "profile_json", "schema"]

    public init(reading reader: inout WireReader) throws {
        var model: String?
        var messages: [ChatMessage]?
        var temperature: Double?
        var maxTokens: Int?
        var jsonMode: Bool?
        var stream: Bool?
        var profileJSON: String?
        var schema: Int?
        try reader.members(Self.wireKeys) { key, r in
            switch key {
            case 0: model = try r.optionalString()
            case 1: messages = try r.optionalArray { try ChatMessage(reading: &$0) }
            case 2: temperature = try r.optionalDouble()
            case 3: maxTokens = try r.optionalInt()
            case 4: jsonMode = try r.optionalBool()
            case 5: stream = try r.optionalBool()
            case 6: profileJSON = try r.optionalString()
            default: schema = try r.optionalInt()
            }
        }
        guard let messages else { throw reader.missing("messages") }
        self.init(
            model: model ?? "", messages: messages, temperature: temperature, maxTokens: maxTokens, jsonMode: jsonMode ?? false,
            stream: stream ?? false, profileJSON: profileJSON)
        self.schema = schema ?? 1
    }
}

extension TokenUsage: WireEncodable, WireReadable {
    public func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("completion_tokens")
        out.int(completionTokens)
        out.key("prompt_tokens")
        out.int(promptTokens)
        out.endObject()
    }

    static let wireKeys: WireKeys = ["prompt_tokens", "completion_tokens"]

    public init(reading reader: inout WireReader) throws {
        var prompt: Int?
        var completion: Int?
        try reader.members(Self.wireKeys) { key, r in
            if key == 0 { prompt = try r.optionalInt() } else { completion = try r.optionalInt() }
        }
        guard let prompt else { throw reader.missing("prompt_tokens") }
        guard let completion else { throw reader.missing("completion_tokens") }
        self.init(promptTokens: prompt, completionTokens: completion)
    }
}

extension ChatResponse: WireEncodable, WireReadable {
    public func write(to out: inout WireWriter) {
        out.reserve(text.utf8.count &+ model.utf8.count &+ 256)
        out.beginObject()
        out.key("citations")
        out.array(citations) { $0.string($1) }
        out.key("finish_reason")
        out.string(finishReason)
        out.key("model")
        out.string(model)
        out.key("schema")
        out.int(schema)
        out.key("text")
        out.string(text)
        out.key("usage")
        out.value(usage)
        out.endObject()
    }

    static let wireKeys: WireKeys = ["text", "finish_reason", "model", "usage", "citations", "schema"]

    public init(reading reader: inout WireReader) throws {
        var text: String?
        var finishReason: String?
        var model: String?
        var usage: TokenUsage?
        var citations: [String]?
        var schema: Int?
        try reader.members(Self.wireKeys) { key, r in
            switch key {
            case 0: text = try r.optionalString()
            case 1: finishReason = try r.optionalString()
            case 2: model = try r.optionalString()
            case 3: usage = try r.optional(TokenUsage.self)
            case 4: citations = try r.null() ? nil : r.strings()
            default: schema = try r.optionalInt()
            }
        }
        guard let text else { throw reader.missing("text") }
        guard let usage else { throw reader.missing("usage") }
        self.init(text: text, finishReason: finishReason ?? "stop", model: model ?? "", usage: usage, citations: citations ?? [])
        self.schema = schema ?? 1
    }
}

extension BuildRequestInput: WireEncodable, WireReadable {
    public func write(to out: inout WireWriter) {
        out.reserve(request.wireSizeHint &+ baseURL.utf8.count &+ 64)
        out.beginObject()
        out.key("base_url")
        out.string(baseURL)
        out.key("request")
        out.value(request)
        out.key("schema")
        out.int(schema)
        out.endObject()
    }

    static let wireKeys: WireKeys = ["request", "base_url", "schema"]

    public init(reading reader: inout WireReader) throws {
        var request: ChatRequest?
        var baseURL: String?
        var schema: Int?
        try reader.members(Self.wireKeys) { key, r in
            switch key {
            case 0: request = try r.optional(ChatRequest.self)
            case 1: baseURL = try r.optionalString()
            default: schema = try r.optionalInt()
            }
        }
        guard let request else { throw reader.missing("request") }
        guard let baseURL else { throw reader.missing("base_url") }
        guard let schema else { throw reader.missing("schema") }
        self.init(request: request, baseURL: baseURL)
        self.schema = schema
    }
}

extension SecretHeader: WireEncodable, WireReadable {
    public func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("name")
        out.string(name)
        out.key("prefix")
        out.string(prefix)
        out.key("secret")
        out.string(secret)
        out.endObject()
    }

    static let wireKeys: WireKeys = ["name", "secret", "prefix"]

    public init(reading reader: inout WireReader) throws {
        var name: String?
        var secret: String?
        var prefix: String?
        try reader.members(Self.wireKeys) { key, r in
            switch key {
            case 0: name = try r.optionalString()
            case 1: secret = try r.optionalString()
            default: prefix = try r.optionalString()
            }
        }
        guard let name else { throw reader.missing("name") }
        guard let secret else { throw reader.missing("secret") }
        guard let prefix else { throw reader.missing("prefix") }
        self.init(name: name, secret: secret, prefix: prefix)
    }
}

/// Header lists: `[[name, value], ...]`.
extension WireWriter {
    mutating func headerPairs(_ headers: [[String]]) {
        array(headers) { out, pair in out.array(pair) { $0.string($1) } }
    }
}

extension WireReader {
    /// A header list, `[[name, value], ...]`; nil for `null`. Written out, not through the
    /// generic `optionalArray`, whose element closure looked up `[String]`'s metadata per call.
    mutating func headerPairs() throws -> [[String]]? {
        guard try !null() else { return nil }
        var pairs: [[String]] = []
        pairs.reserveCapacity(16)
        try elements { _, reader in pairs.append(try reader.strings()) }
        return pairs
    }
}

extension UpstreamRequest: WireEncodable, WireReadable {
    public func write(to out: inout WireWriter) {
        out.reserve(body.utf8.count + url.utf8.count + 256)
        out.beginObject()
        out.key("body")
        out.string(body)
        out.key("headers")
        out.headerPairs(headers)
        out.key("method")
        out.string(method)
        out.key("schema")
        out.int(schema)
        out.key("secret_headers")
        out.array(secretHeaders) { $0.value($1) }
        out.key("url")
        out.string(url)
        out.endObject()
    }

    static let wireKeys: WireKeys = ["method", "url", "headers", "body", "secret_headers", "schema"]

    public init(reading reader: inout WireReader) throws {
        var method: String?
        var url: String?
        var headers: [[String]]?
        var body: String?
        var secretHeaders: [SecretHeader]?
        var schema: Int?
        try reader.members(Self.wireKeys) { key, r in
            switch key {
            case 0: method = try r.optionalString()
            case 1: url = try r.optionalString()
            case 2: headers = try r.headerPairs()
            case 3: body = try r.optionalString()
            case 4: secretHeaders = try r.optionalArray { try SecretHeader(reading: &$0) }
            default: schema = try r.optionalInt()
            }
        }
        guard let url else { throw reader.missing("url") }
        self.init(method: method ?? "POST", url: url, headers: headers ?? [], body: body ?? "", secretHeaders: secretHeaders ?? [])
        self.schema = schema ?? 1
    }
}

extension UpstreamResponse: WireEncodable, WireReadable {
    public func write(to out: inout WireWriter) { write(to: &out, jsonBody: false) }

    /// With `jsonBody`, a body that is valid JSON is written as that value (`"body_json"`),
    /// byte for byte; any other body as a string (`"body"`).
    func write(to out: inout WireWriter, jsonBody: Bool) {
        out.reserve(body.utf8.count + 512)
        out.beginObject()
        var body = body
        if jsonBody, body.withUTF8({ WireParser.isValid($0, depth: 1) }) {
            out.key("body_json")
            body.withUTF8 { out.rawJSON($0) }
        } else {
            out.key("body")
            out.string(body)
        }
        out.key("headers")
        out.headerPairs(headers)
        if let request {
            out.key("request")
            out.value(request)
        }
        out.key("schema")
        out.int(schema)
        out.key("status")
        out.int(status)
        out.endObject()
    }

    static let wireKeys: WireKeys = ["body", "body_json", "headers", "request", "schema", "status"]

    /// Reads either form of the body. A `body_json` value (JSON `null` included) is checked but
    /// not parsed: its bytes, exactly as they stand in the input (the upstream's own, as the
    /// host wrote them), become ``body``, which the plugin parses once.
    public init(reading reader: inout WireReader) throws {
        var body: String?
        var bodyJSON: String?
        var headers: [[String]]?
        var request: ChatRequest?
        var schema: Int?
        var status: Int?
        try reader.members(Self.wireKeys) { key, r in
            switch key {
            case 0: body = try r.optionalString()
            case 1: bodyJSON = String(decoding: try r.raw(), as: UTF8.self)
            case 2: headers = try r.headerPairs()
            case 3: request = try r.optional(ChatRequest.self)
            case 4: schema = try r.optionalInt()
            default: status = try r.optionalInt()
            }
        }
        if bodyJSON != nil, body != nil {
            throw WireError(.invalid("body and body_json are both present"), at: reader.path.key("body"))
        }
        guard let body = bodyJSON ?? body else { throw reader.missing("body") }
        guard let headers else { throw reader.missing("headers") }
        guard let status else { throw reader.missing("status") }
        guard let schema else { throw reader.missing("schema") }
        self.init(status: status, headers: headers, body: body, request: request)
        self.schema = schema
    }

    /// Reads `provider.parse_response`'s input. Failures are ``PluginError/invalidInput(_:)``,
    /// as ``WireJSON/decode(_:from:)``'s are.
    public init(parseInput bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { throw PluginError.invalidInput("empty input: expected a JSON object") }
        do {
            self = try bytes.withUnsafeBufferPointer { try Self.wireDocument($0) }
        } catch let error as WireError {
            throw PluginError.invalidInput("invalid input: \(error)")
        }
    }
}

/// `provider.parse_response`'s input as the host writes it: the upstream's answer, with the
/// request it answers in ``UpstreamResponse/request``. For a provider that declares
/// ``Capabilities/jsonBody``, a body that is valid JSON goes as the JSON value itself
/// (`"body_json"`), which spares escaping it here and unescaping it in the plugin.
public struct ParseResponseInput: Encodable, WireEncodable, Sendable {
    public var response: UpstreamResponse
    public var jsonBody: Bool

    public init(_ response: UpstreamResponse, jsonBody: Bool) {
        self.response = response
        self.jsonBody = jsonBody
    }

    public func write(to out: inout WireWriter) { response.write(to: &out, jsonBody: jsonBody) }

    /// The `Codable` form (never used by ``WireJSON``, which takes the direct one): the body as a string.
    public func encode(to encoder: any Encoder) throws { try response.encode(to: encoder) }
}

/// A parsed value writes itself back as compact JSON (numbers as ``WireWriter`` spells them).
extension WireValue: WireEncodable {
    public func write(to out: inout WireWriter) {
        switch self {
        case .null: out.null()
        case .bool(let flag): out.bool(flag)
        case .int(let number): out.int(number)
        case .double(let number): out.double(number)
        case .string(let text): out.string(text)
        case .array(let values): out.array(values) { $0.value($1) }
        case .object(let members):
            out.beginObject()
            for member in members {
                out.memberKey(member.key)
                out.value(member.value)
            }
            out.endObject()
        }
    }
}

extension ProviderError: WireEncodable, WireReadable {
    public func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("kind")
        out.string(kind.rawValue)
        out.key("message")
        out.string(message)
        if let retryAfterMs {
            out.key("retry_after_ms")
            out.int(retryAfterMs)
        }
        if let status {
            out.key("status")
            out.int(status)
        }
        out.endObject()
    }

    static let wireKeys: WireKeys = ["kind", "message", "retry_after_ms", "status"]

    public init(reading reader: inout WireReader) throws {
        var kindName: String?
        var message: String?
        var retryAfterMs: Int?
        var status: Int?
        try reader.members(Self.wireKeys) { key, r in
            switch key {
            case 0: kindName = try r.optionalString()
            case 1: message = try r.optionalString()
            case 2: retryAfterMs = try r.optionalInt()
            default: status = try r.optionalInt()
            }
        }
        guard let kindName else { throw reader.missing("kind") }
        guard let kind = ProviderErrorKind(rawValue: kindName) else {
            throw WireError(.invalid("unknown kind \(kindName)"), at: reader.path.key("kind"))
        }
        guard let message else { throw reader.missing("message") }
        self.init(kind: kind, message: message, retryAfterMs: retryAfterMs, status: status)
    }
}

extension ProviderResult: WireEncodable, WireReadable {
    public func write(to out: inout WireWriter) {
        out.reserve((response?.text.utf8.count ?? 0) &+ 320)
        out.beginObject()
        if let error {
            out.key("error")
            out.value(error)
        }
        if let response {
            out.key("response")
            out.value(response)
        }
        out.key("schema")
        out.int(schema)
        out.endObject()
    }

    static let wireKeys: WireKeys = ["schema", "response", "error"]

    public init(reading reader: inout WireReader) throws {
        var schema: Int?
        var response: ChatResponse?
        var error: ProviderError?
        try reader.members(Self.wireKeys) { key, r in
            switch key {
            case 0: schema = try r.optionalInt()
            case 1: response = try r.optional(ChatResponse.self)
            default: error = try r.optional(ProviderError.self)
            }
        }
        guard let schema else { throw reader.missing("schema") }
        self.init(schema: schema, response: response, error: error)
    }
}
