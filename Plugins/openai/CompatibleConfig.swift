import Foundation
import VigorPluginSDK

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// `openai-compatible.json`: the OpenAI-compatible servers this library serves besides
/// api.openai.com, each a named provider of its own. Read once, when the host initialises the
/// plugin (a change takes effect at the next load: a restart, or a new copy of the `.so`).
///
/// ```json
/// {"instances": [
///   {"provider": "groq", "base_url": "https://api.groq.com/openai/v1", "api_key_env": "GROQ_API_KEY",
///    "models": [{"id": "llama-3.3-70b-versatile", "input_per_mtok_usd": 0.59, "output_per_mtok_usd": 0.79}]},
///   {"provider": "azure", "style": "azure", "base_url": "https://my-resource.openai.azure.com",
///    "api_key_env": "AZURE_OPENAI_API_KEY", "api_version": "2024-10-21",
///    "models": [{"id": "gpt-4o-mini", "deployment": "coach-mini", "input_per_mtok_usd": 0.15, "output_per_mtok_usd": 0.6}]}
/// ]}
/// ```
///
/// Where it is looked for, first found wins: `openai-compatible.json` beside the loaded library
/// file (the most specific place: that very `.so`), then `$VIGOR_OPENAI_COMPATIBLE_CONFIG` (a
/// path), then `openai-compatible.json` in `$VIGOR_PLUGIN_DIR` and in `./plugins`. No file: OpenAI alone. A file that cannot be read or is invalid fails the
/// plugin's load with a message naming the file and the field.
struct CompatibleConfig: Decodable {
    static let fileName = "openai-compatible.json"

    /// One instance as written in the file.
    struct Entry: Decodable {
        struct Model: Decodable {
            var id: String
            var input_per_mtok_usd: Double?
            var output_per_mtok_usd: Double?
            var context_tokens: Int?
            /// Azure: the deployment serving this model (default: the model id).
            var deployment: String?
        }

        var provider: String
        var name: String?
        var base_url: String
        var api_key_env: String?
        /// `openai` (default) or `azure`.
        var style: String?
        var api_version: String?
        var models: [Model]?
        var allowed_hosts: [String]?
        var json_mode: Bool?
        var streaming: Bool?
        var max_tokens_field: String?
    }

    /// A validated instance.
    struct Instance: Sendable {
        var provider: String
        var baseURL: String
        var style: OpenAIProvider.Style
        var models: [ModelInfo]
        var maxCompletionTokens: Bool
        var descriptor: ComponentDescriptor
    }

    var instances: [Entry]

    /// The instances of the first config file found (none without one).
    static func load(host: HostServices, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [Instance] {
        guard let path = locate(environment: environment) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PluginError.invalidInput("\(path): cannot read the OpenAI-compatible instances file")
        }
        let instances = try parse(data, source: path)
        host.log(
            .info, "openai-compatible: \(instances.count) instance(s) from \(path): \(instances.map(\.provider).joined(separator: ", "))")
        return instances
    }

    /// The config file's path, or nil when there is none.
    static func locate(environment: [String: String]) -> String? {
        func existing(in folder: String) -> String? {
            let path = (folder as NSString).appendingPathComponent(fileName)
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        if let library = libraryFolder(), let path = existing(in: library) { return path }
        if let explicit = environment["VIGOR_OPENAI_COMPATIBLE_CONFIG"], !explicit.isEmpty { return explicit }
        if let dir = environment["VIGOR_PLUGIN_DIR"], !dir.isEmpty, let path = existing(in: dir) { return path }
        return existing(in: "plugins")
    }

    /// The folder of the library file this code was loaded from, as the dynamic linker names
    /// it. glibc declares `dladdr` only under `_GNU_SOURCE`, which Swift's Glibc module does
    /// not set, so it is looked up by name; `Dl_info` is four pointers, the first the file
    /// name. (Reading `/proc/self/maps` instead misses lines while other threads map
    /// libraries: the kernel documents that a concurrent change can skip entries.)
    static func libraryFolder() -> String? {
        #if os(Linux)
            typealias Dladdr = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> Int32
            guard let symbol = dlsym(nil, "dladdr") else { return nil }
            let dladdr = unsafeBitCast(symbol, to: Dladdr.self)
            var info: [UnsafeRawPointer?] = [nil, nil, nil, nil]
            let found = info.withUnsafeMutableBytes { dladdr(#dsohandle, $0.baseAddress) }
            guard found != 0, let name = info[0] else { return nil }
            let path = String(cString: name.assumingMemoryBound(to: CChar.self))
        #else
            var info = Dl_info()
            guard dladdr(#dsohandle, &info) != 0, let name = info.dli_fname else { return nil }
            let path = String(cString: name)
        #endif
        return path.hasPrefix("/") ? (path as NSString).deletingLastPathComponent : nil
    }

    /// Validates a config document; every error names the file, the instance and the field.
    static func parse(_ data: Data, source: String) throws -> [Instance] {
        let config: CompatibleConfig
        do {
            config = try JSONDecoder().decode(CompatibleConfig.self, from: data)
        } catch let error as DecodingError {
            throw PluginError.invalidInput("\(source): \(WireJSON.describe(error))")
        }
        var seen = Set<String>()
        return try config.instances.enumerated().map { index, entry in
            let instance = try validate(entry, at: "\(source): instances[\(index)]")
            guard seen.insert(instance.provider).inserted else {
                throw PluginError.invalidInput("\(source): instances[\(index)]: provider \(instance.provider) is listed twice")
            }
            return instance
        }
    }

    static func validate(_ entry: Entry, at place: String) throws -> Instance {
        func fail(_ message: String) -> PluginError { PluginError.invalidInput("\(place): \(message)") }
        let provider = entry.provider
        guard !provider.isEmpty, provider.count <= 40, provider.first?.isLetter == true,
            provider.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
        else { throw fail("provider \"\(provider)\": lowercase letters, digits and '_', starting with a letter") }
        guard provider != "openai" else { throw fail("provider \"openai\" is the built-in api.openai.com provider; pick another name") }
        let kit = ProviderKit(provider: provider, defaultBaseURL: "", now: { Date() })
        let base: String
        do { base = try kit.baseURL(entry.base_url) } catch {
            throw fail("base_url \"\(entry.base_url)\" is not an http(s) URL without a query")
        }
        guard let host = URL(string: base)?.host, !host.isEmpty else { throw fail("base_url has no host") }
        if let key = entry.api_key_env {
            guard key.hasSuffix("_API_KEY"), key.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }) else {
                throw fail("api_key_env \"\(key)\": an upper-case variable name ending in _API_KEY (the host reads only those)")
            }
        }
        var models: [ModelInfo] = []
        var deployments: [String: String] = [:]
        for (index, model) in (entry.models ?? []).enumerated() {
            let input = model.input_per_mtok_usd ?? 0
            let output = model.output_per_mtok_usd ?? 0
            guard !model.id.isEmpty, model.id.count <= 200, !model.id.contains(where: \.isNewline) else {
                throw fail("models[\(index)].id: required, one line")
            }
            guard input.isFinite, output.isFinite, input >= 0, output >= 0, input <= 10_000, output <= 10_000 else {
                throw fail("models[\(index)]: prices must be between 0 and 10000 USD per million tokens")
            }
            if let context = model.context_tokens, context < 1 { throw fail("models[\(index)].context_tokens: must be positive") }
            if let deployment = model.deployment {
                guard isPathSafe(deployment) else {
                    throw fail("models[\(index)].deployment \"\(deployment)\": letters, digits, '.', '-', '_'")
                }
                deployments[model.id] = deployment
            }
            models.append(
                ModelInfo(id: model.id, inputPerMTokUSD: input, outputPerMTokUSD: output, contextTokens: model.context_tokens))
        }
        let style: OpenAIProvider.Style
        switch entry.style ?? "openai" {
        case "openai":
            style = .openAI(secret: entry.api_key_env)
        case "azure":
            guard let key = entry.api_key_env else { throw fail("api_key_env: required for style azure (sent as the api-key header)") }
            guard let version = entry.api_version, !version.isEmpty,
                version.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            else { throw fail("api_version: required for style azure, e.g. 2024-10-21") }
            style = .azure(secret: key, apiVersion: version, deployments: deployments)
        case let other:
            throw fail("style \"\(other)\": openai or azure")
        }
        let field = entry.max_tokens_field ?? (entry.style == "azure" ? "max_completion_tokens" : "max_tokens")
        guard field == "max_tokens" || field == "max_completion_tokens" else {
            throw fail("max_tokens_field \"\(field)\": max_tokens or max_completion_tokens")
        }
        let descriptor = ComponentDescriptor(
            id: "dev.vigor.openai-compatible.\(provider)", name: entry.name ?? provider, version: "1.0.0", kind: .llmProvider,
            capabilities: Capabilities(streaming: entry.streaming ?? true, jsonMode: entry.json_mode ?? false), models: models,
            allowedHosts: entry.allowed_hosts ?? [host], secrets: entry.api_key_env.map { [$0] } ?? [], defaultBaseURL: base,
            provider: provider)
        return Instance(
            provider: provider, baseURL: base, style: style, models: models, maxCompletionTokens: field == "max_completion_tokens",
            descriptor: descriptor)
    }

    /// A URL path segment that cannot change the path or the query.
    static func isPathSafe(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 200
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }
            && text != "." && text != ".."
    }
}
