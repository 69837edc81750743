/// The direct wire coding (``WireEncodable``/``WireDecodable``) of the payloads every provider
/// call carries. Keys are written in sorted order, as `WireJSON`'s `Codable` form writes them;
/// reads follow each type's `Codable` rules (which fields are required, which default).

extension ChatMessage: WireEncodable, WireDecodable {
    public func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("content")
        out.string(content)
        out.key("role")
        out.string(role)
        out.endObject()
    }

    public init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        self.init(role: try o.string("role"), content: try o.string("content"))
    }
}

extension ChatRequest: WireEncodable, WireDecodable {
    public func write(to out: inout WireWriter) {
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

    public init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        self.init(
            model: try o.string("model", default: ""),
            messages: try o.array("messages") { try ChatMessage(wire: $0, at: $1) },
            temperature: try o.optionalDouble("temperature"),
            maxTokens: try o.optionalInt("max_tokens"),
            jsonMode: try o.bool("json_mode", default: false),
            stream: try o.bool("stream", default: false),
            profileJSON: try o.optionalString("profile_json"))
        schema = try o.int("schema", default: 1)
    }
}

extension TokenUsage: WireEncodable, WireDecodable {
    public func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("completion_tokens")
        out.int(completionTokens)
        out.key("prompt_tokens")
        out.int(promptTokens)
        out.endObject()
    }

    public init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        self.init(promptTokens: try o.int("prompt_tokens"), completionTokens: try o.int("completion_tokens"))
    }
}

extension ChatResponse: WireEncodable, WireDecodable {
    public func write(to out: inout WireWriter) {
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

    public init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        self.init(
            text: try o.string("text"),
            finishReason: try o.string("finish_reason", default: "stop"),
            model: try o.string("model", default: ""),
            usage: try o.decode("usage"),
            citations: try o.array("citations", default: []) { try $0.string(at: $1) })
        schema = try o.int("schema", default: 1)
    }
}

extension BuildRequestInput: WireEncodable, WireDecodable {
    public func write(to out: inout WireWriter) {
        out.beginObject()
        out.key("base_url")
        out.string(baseURL)
        out.key("request")
        out.value(request)
        out.key("schema")
        out.int(schema)
        out.endObject()
    }

    public init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        self.init(request: try o.decode("request"), baseURL: try o.string("base_url"))
        schema = try o.int("schema")
    }
}

extension SecretHeader: WireEncodable, WireDecodable {
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

    public init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        self.init(name: try o.string("name"), secret: try o.string("secret"), prefix: try o.string("prefix"))
    }
}

/// Header lists: `[[name, value], ...]`.
extension WireWriter {
    mutating func headerPairs(_ headers: [[String]]) {
        array(headers) { out, pair in out.array(pair) { $0.string($1) } }
    }
}

extension WireObject {
    func headerPairs(_ key: String) throws -> [[String]] {
        try array(key, default: []) { pair, at in try pair.array(at: at) { try $0.string(at: $1) } }
    }
}

extension UpstreamRequest: WireEncodable, WireDecodable {
    public func write(to out: inout WireWriter) {
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

    public init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        self.init(
            method: try o.string("method", default: "POST"),
            url: try o.string("url"),
            headers: try o.headerPairs("headers"),
            body: try o.string("body", default: ""),
            secretHeaders: try o.array("secret_headers", default: []) { try SecretHeader(wire: $0, at: $1) })
        schema = try o.int("schema", default: 1)
    }
}

extension UpstreamResponse: WireEncodable, WireDecodable {
    public func write(to out: inout WireWriter) { write(to: &out, jsonBody: false) }

    /// With `jsonBody`, a body that is valid JSON is written as that value (`"body_json"`),
    /// byte for byte; any other body as a string (`"body"`).
    func write(to out: inout WireWriter, jsonBody: Bool) {
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

    /// Reads either form of the body; `body_json` (a parsed value here) becomes its compact
    /// JSON text. ``init(parseInput:)`` keeps the host's bytes instead, unparsed.
    public init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        let body: String
        if let json = value["body_json"] {  // JSON null included
            guard o["body"] == nil else { throw WireError(.invalid("body and body_json are both present"), at: path.key("body")) }
            body = String(decoding: WireJSON.bytes(of: json), as: UTF8.self)
        } else {
            body = try o.string("body")
        }
        try self.init(o, body: body, at: path)
    }

    private init(_ o: WireObject, body: String, at path: WirePath) throws {
        guard o["headers"] != nil else { throw WireError(.missing, at: path.key("headers")) }
        self.init(
            status: try o.int("status"), headers: try o.headerPairs("headers"), body: body, request: try o.optional("request"))
        schema = try o.int("schema")
    }

    /// Reads `provider.parse_response`'s input. A `body_json` member is checked but not
    /// parsed: its bytes, exactly as the host wrote them (the upstream's own), become
    /// ``body``, which the plugin parses once. Failures are ``PluginError/invalidInput(_:)``,
    /// as ``WireJSON/decode(_:from:)``'s are.
    public init(parseInput bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { throw PluginError.invalidInput("empty input: expected a JSON object") }
        do {
            self = try bytes.withUnsafeBufferPointer { buffer in
                let (value, raw) = try WireParser.parse(buffer, raw: "body_json")
                let o = try value.members(at: .root)
                guard let raw else { return try UpstreamResponse(wire: value, at: .root) }
                guard o["body"] == nil else { throw WireError(.invalid("body and body_json are both present"), at: .root.key("body")) }
                return try UpstreamResponse(o, body: String(decoding: UnsafeBufferPointer(rebasing: buffer[raw]), as: UTF8.self), at: .root)
            }
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

extension ProviderError: WireEncodable, WireDecodable {
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

    public init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        let kindName = try o.string("kind")
        guard let kind = ProviderErrorKind(rawValue: kindName) else {
            throw WireError(.invalid("unknown kind \(kindName)"), at: path.key("kind"))
        }
        self.init(
            kind: kind, message: try o.string("message"), retryAfterMs: try o.optionalInt("retry_after_ms"),
            status: try o.optionalInt("status"))
    }
}

extension ProviderResult: WireEncodable, WireDecodable {
    public func write(to out: inout WireWriter) {
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

    public init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        self.init(schema: try o.int("schema"), response: try o.optional("response"), error: try o.optional("error"))
    }
}
