/// What a plugin says about itself (`on_describe`): one entry per component.

/// The kind of a component.
public enum ComponentKind: String, Codable, Sendable, CaseIterable {
    case llmProvider = "llm-provider"
    case planGenerator = "plan-generator"
}

/// A model a provider serves, with its list price (USD per million tokens).
public struct ModelInfo: Codable, Sendable, Hashable {
    public var id: String
    public var inputPerMTokUSD: Double
    public var outputPerMTokUSD: Double
    public var contextTokens: Int?

    enum CodingKeys: String, CodingKey {
        case id
        case inputPerMTokUSD = "input_per_mtok_usd"
        case outputPerMTokUSD = "output_per_mtok_usd"
        case contextTokens = "context_tokens"
    }

    public init(id: String, inputPerMTokUSD: Double = 0, outputPerMTokUSD: Double = 0, contextTokens: Int? = nil) {
        self.id = id
        self.inputPerMTokUSD = inputPerMTokUSD
        self.outputPerMTokUSD = outputPerMTokUSD
        self.contextTokens = contextTokens
    }
}

/// Optional abilities of a component.
public struct Capabilities: Codable, Sendable, Hashable {
    /// Parses streamed upstream bodies (`provider.stream`).
    public var streaming: Bool
    /// Honours `json_mode`.
    public var jsonMode: Bool
    /// Answers without any upstream (`provider.complete`); no HTTP egress.
    public var offline: Bool
    /// A generator that asks the host for completions (`vigor.llm/1`).
    public var usesLLM: Bool
    /// Reads `provider.parse_response`'s `body_json`: the host then sends an upstream body
    /// that is valid JSON as that JSON value, not as one escaped string in `body`. Providers
    /// built with this SDK declare it whatever their descriptor says (``UpstreamResponse``
    /// reads both forms).
    public var jsonBody: Bool

    enum CodingKeys: String, CodingKey {
        case streaming, offline
        case jsonMode = "json_mode"
        case usesLLM = "uses_llm"
        case jsonBody = "json_body"
    }

    public init(streaming: Bool = false, jsonMode: Bool = false, offline: Bool = false, usesLLM: Bool = false, jsonBody: Bool = false) {
        self.streaming = streaming
        self.jsonMode = jsonMode
        self.offline = offline
        self.usesLLM = usesLLM
        self.jsonBody = jsonBody
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        streaming = try c.decodeIfPresent(Bool.self, forKey: .streaming) ?? false
        jsonMode = try c.decodeIfPresent(Bool.self, forKey: .jsonMode) ?? false
        offline = try c.decodeIfPresent(Bool.self, forKey: .offline) ?? false
        usesLLM = try c.decodeIfPresent(Bool.self, forKey: .usesLLM) ?? false
        jsonBody = try c.decodeIfPresent(Bool.self, forKey: .jsonBody) ?? false
    }
}

/// One component (a provider or a generator) of a plugin library.
public struct ComponentDescriptor: Codable, Sendable, Hashable {
    /// Reverse-DNS id, e.g. `dev.vigor.openai`. Unique across loaded plugins.
    public var id: String
    public var name: String
    /// Semantic version of the component.
    public var version: String
    public var kind: ComponentKind
    public var capabilities: Capabilities
    public var models: [ModelInfo]
    /// Hosts the component's upstream requests may reach (exact names, or `*.example.com`).
    public var allowedHosts: [String]
    /// Secrets the host must provide (e.g. `OPENAI_API_KEY`); a provider without them is skipped.
    public var secrets: [String]
    /// Default upstream base URL (providers); operators may override it.
    public var defaultBaseURL: String?
    /// The provider's short name used in routing and reports (e.g. `openai`).
    public var provider: String?

    enum CodingKeys: String, CodingKey {
        case id, name, version, kind, capabilities, models, secrets, provider
        case allowedHosts = "allowed_hosts"
        case defaultBaseURL = "default_base_url"
    }

    public init(
        id: String, name: String, version: String, kind: ComponentKind, capabilities: Capabilities = Capabilities(),
        models: [ModelInfo] = [], allowedHosts: [String] = [], secrets: [String] = [], defaultBaseURL: String? = nil,
        provider: String? = nil
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.kind = kind
        self.capabilities = capabilities
        self.models = models
        self.allowedHosts = allowedHosts
        self.secrets = secrets
        self.defaultBaseURL = defaultBaseURL
        self.provider = provider
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? id
        version = try c.decode(String.self, forKey: .version)
        kind = try c.decode(ComponentKind.self, forKey: .kind)
        capabilities = try c.decodeIfPresent(Capabilities.self, forKey: .capabilities) ?? Capabilities()
        models = try c.decodeIfPresent([ModelInfo].self, forKey: .models) ?? []
        allowedHosts = try c.decodeIfPresent([String].self, forKey: .allowedHosts) ?? []
        secrets = try c.decodeIfPresent([String].self, forKey: .secrets) ?? []
        defaultBaseURL = try c.decodeIfPresent(String.self, forKey: .defaultBaseURL)
        provider = try c.decodeIfPresent(String.self, forKey: .provider)
    }
}

/// The whole `on_describe` payload.
public struct PluginDescriptor: Codable, Sendable, Hashable {
    public var schema: Int
    public var plugins: [ComponentDescriptor]

    public init(plugins: [ComponentDescriptor]) {
        self.schema = 1
        self.plugins = plugins
    }
}

/// Input of `generator.generate`: `{"schema":1,"profile":{…},"request":{…},"feedback":[…]}`.
/// Generic over the profile and request types so the SDK does not fix the coaching schema;
/// the bundled generators use the `VigorCoaching` types.
public struct GenerateInput<Profile: Codable & Sendable, Request: Codable & Sendable>: Codable, Sendable {
    public var schema: Int
    public var profile: Profile
    public var request: Request
    /// The host's plan-validator findings on a previous attempt (empty on the first).
    public var feedback: [String]

    public init(profile: Profile, request: Request, feedback: [String] = []) {
        self.schema = 1
        self.profile = profile
        self.request = request
        self.feedback = feedback
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decodeIfPresent(Int.self, forKey: .schema) ?? 1
        profile = try c.decode(Profile.self, forKey: .profile)
        request = try c.decode(Request.self, forKey: .request)
        feedback = try c.decodeIfPresent([String].self, forKey: .feedback) ?? []
    }

    enum CodingKeys: String, CodingKey { case schema, profile, request, feedback }
}

/// Output of `generator.generate`: `{"schema":1,"plan":{…}}`.
public struct GenerateOutput<Plan: Codable & Sendable>: Codable, Sendable {
    public var schema: Int
    public var plan: Plan

    public init(plan: Plan) {
        self.schema = 1
        self.plan = plan
    }
}
