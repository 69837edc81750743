/// An LLM provider: a pure translator between the normalised chat types and one
/// upstream API. It performs no I/O: the host sends the request it builds and hands
/// back the bytes it receives.
///
/// Operations (the `op` names on the wire):
/// - `provider.build_request`: ``BuildRequestInput`` → ``UpstreamRequest``
/// - `provider.parse_response`: ``UpstreamResponse`` (with `request`) → ``ProviderResult``
/// - `provider.stream` (stream): upstream body bytes → ``StreamEvent``s
/// - `provider.complete`: ``ChatRequest`` → ``ProviderResult`` (offline providers only)
public protocol ProviderPlugin: PluginComponent {
    func buildRequest(_ input: BuildRequestInput, context: CallContext) throws -> UpstreamRequest
    func parseResponse(_ response: UpstreamResponse, context: CallContext) throws -> ProviderResult
    func makeStreamParser(for request: ChatRequest, context: CallContext) throws -> any PluginStream
    func complete(_ request: ChatRequest, context: CallContext) throws -> ProviderResult
}

extension ProviderPlugin {
    public func buildRequest(_ input: BuildRequestInput, context: CallContext) throws -> UpstreamRequest {
        throw PluginError.unsupported("\(descriptor.id) does not build upstream requests")
    }

    public func parseResponse(_ response: UpstreamResponse, context: CallContext) throws -> ProviderResult {
        throw PluginError.unsupported("\(descriptor.id) does not parse upstream responses")
    }

    public func makeStreamParser(for request: ChatRequest, context: CallContext) throws -> any PluginStream {
        throw PluginError.unsupported("\(descriptor.id) does not stream")
    }

    public func complete(_ request: ChatRequest, context: CallContext) throws -> ProviderResult {
        throw PluginError.unsupported("\(descriptor.id) is not an offline provider")
    }

    public func invoke(op: String, input: [UInt8], context: CallContext) throws -> [UInt8] {
        switch op {
        case "provider.build_request":
            return try WireJSON.encode(buildRequest(WireJSON.decode(BuildRequestInput.self, from: input), context: context))
        case "provider.parse_response":
            return try WireJSON.encode(parseResponse(UpstreamResponse(parseInput: input), context: context))
        case "provider.complete":
            return try WireJSON.encode(complete(WireJSON.decode(ChatRequest.self, from: input), context: context))
        default:
            throw PluginError.unsupported("\(descriptor.id) has no operation \(op)")
        }
    }

    public func openStream(op: String, input: [UInt8], context: CallContext) throws -> any PluginStream {
        guard op == "provider.stream" else { throw PluginError.unsupported("\(descriptor.id) has no stream operation \(op)") }
        return try makeStreamParser(for: WireJSON.decode(ChatRequest.self, from: input), context: context)
    }
}

extension PluginComponent {
    /// The descriptor as the SDK exports it. A provider reads `provider.parse_response`'s
    /// input through ``UpstreamResponse``, which takes `body_json` as well as `body`, so it
    /// declares ``Capabilities/jsonBody``.
    var exportedDescriptor: ComponentDescriptor {
        var exported = descriptor
        if self is any ProviderPlugin { exported.capabilities.jsonBody = true }
        return exported
    }
}

/// A workout-plan generator. It may ask the host for LLM completions through
/// ``HostServices/complete(_:context:)``; it never calls a provider itself.
///
/// Operation: `generator.generate`: ``GenerateInput`` → ``GenerateOutput``.
public protocol GeneratorPlugin: PluginComponent {
    associatedtype Profile: Codable & Sendable
    associatedtype Request: Codable & Sendable
    associatedtype Plan: Codable & Sendable

    func generate(_ input: GenerateInput<Profile, Request>, context: CallContext) throws -> Plan
}

extension GeneratorPlugin {
    public func invoke(op: String, input: [UInt8], context: CallContext) throws -> [UInt8] {
        guard op == "generator.generate" else { throw PluginError.unsupported("\(descriptor.id) has no operation \(op)") }
        let decoded = try WireJSON.decode(GenerateInput<Profile, Request>.self, from: input)
        return try WireJSON.encode(GenerateOutput(plan: generate(decoded, context: context)))
    }
}
