import VigorPluginLoader

/// The plugin folder as the AI layer sees it.
public struct PluginInventory: Sendable, Hashable {
    public struct Component: Sendable, Hashable {
        public var id: String
        public var name: String
        public var version: String
        /// `llm-provider` or `plan-generator`.
        public var kind: String
        public var path: String
        public var provider: String?
        public var models: [String]
        public var streaming: Bool
        public var offline: Bool
        public var jsonMode: Bool
        public var usesLLM: Bool
        /// Set when the component runs isolated, in a `vigor plugin-runner` process.
        public var runner: RunnerStatus?

        public init(
            id: String, name: String, version: String, kind: String, path: String, provider: String?, models: [String],
            streaming: Bool, offline: Bool, jsonMode: Bool, usesLLM: Bool, runner: RunnerStatus? = nil
        ) {
            self.runner = runner
            self.id = id
            self.name = name
            self.version = version
            self.kind = kind
            self.path = path
            self.provider = provider
            self.models = models
            self.streaming = streaming
            self.offline = offline
            self.jsonMode = jsonMode
            self.usesLLM = usesLLM
        }
    }

    public struct Rejected: Sendable, Hashable {
        public var path: String
        public var code: String
        public var reason: String

        public init(path: String, code: String, reason: String) {
            self.path = path
            self.code = code
            self.reason = reason
        }
    }

    public var directory: String?
    public var loaded: [Component]
    public var rejected: [Rejected]

    public init(directory: String?, loaded: [Component], rejected: [Rejected]) {
        self.directory = directory
        self.loaded = loaded
        self.rejected = rejected
    }
}
