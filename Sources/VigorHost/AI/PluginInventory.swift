import VigorPluginLoader

/// The plugin folder as the AI layer sees it.
public struct PluginInventory: Sendable, Hashable {
    /// One loaded component, as its descriptor describes it.
    public struct Component: Sendable, Hashable {
        /// The component's reverse-DNS id, e.g. `dev.vigor.openai`.
        public var id: String
        /// Its display name.
        public var name: String
        /// Its version string.
        public var version: String
        /// `llm-provider` or `plan-generator`.
        public var kind: String
        /// The library file it was loaded from.
        public var path: String
        /// A provider's short name (`openai`); nil for a generator.
        public var provider: String?
        /// The model ids a provider serves.
        public var models: [String]
        /// Whether it can stream answers.
        public var streaming: Bool
        /// Whether it answers without the network.
        public var offline: Bool
        /// Whether it honours a JSON response format.
        public var jsonMode: Bool
        /// Whether a generator asks the host for LLM completions.
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

    /// A file in the folder that was not loaded.
    public struct Rejected: Sendable, Hashable {
        /// The file.
        public var path: String
        /// The rejection's stable code, e.g. `abi_major_mismatch`.
        public var code: String
        /// What is wrong with the file, in a sentence.
        public var reason: String

        public init(path: String, code: String, reason: String) {
            self.path = path
            self.code = code
            self.reason = reason
        }
    }

    /// The plugin folder scanned (nil when plugins were given otherwise).
    public var directory: String?
    /// The components loaded, from every file.
    public var loaded: [Component]
    /// The files refused, with their reasons.
    public var rejected: [Rejected]

    public init(directory: String?, loaded: [Component], rejected: [Rejected]) {
        self.directory = directory
        self.loaded = loaded
        self.rejected = rejected
    }
}
