import Foundation
import VigorPluginLoader
import VigorPluginSDK

/// The router's catalogue, rebuilt when the loaded providers change and when the admin's
/// overrides change (read at most once a second, and at once after a change on this host).
struct CatalogCache {
    var providers: [PluginComponentHandle]
    var overrides: [ModelOverride]
    /// When the overrides were read, on the router's clock (Unix ms; `.min` forces a read).
    var overridesReadAtMs: Int64
    var catalog: ModelCatalog
    /// Whether the host holds every secret each of ``providers`` declares (the secrets never
    /// change while the host runs), by the handle's identity: the entry keeps its handles
    /// alive, so an identity here is never a later handle's.
    var secretsHeld: [ObjectIdentifier: Bool] = [:]
}

extension ProviderRouter {
    static let overridesMaxAgeMs: Int64 = 1_000

    /// The current catalogue over `providers` (the loaded LLM providers).
    func catalog(_ providers: [PluginComponentHandle]) async -> ModelCatalog {
        let now = clock.nowMs
        let cached = catalogCache.withLock { $0 }
        let overridesFresh =
            modelOverrides == nil
            || cached.map { $0.overridesReadAtMs != .min && (0..<Self.overridesMaxAgeMs).contains(now &- $0.overridesReadAtMs) } == true
        let sameProviders =
            cached.map { $0.providers.count == providers.count && zip($0.providers, providers).allSatisfy { $0 === $1 } } == true
        if let cached, overridesFresh, sameProviders { return cached.catalog }
        var overrides = cached?.overrides ?? []
        if !overridesFresh, let store = modelOverrides {
            do {
                overrides = try await store.modelOverrides()
            } catch {
                // Keep routing on the last overrides read; the store may be briefly busy.
                logger.warning("could not read the model overrides", metadata: ["error": "\(error)"])
            }
        }
        let catalog = ModelCatalog(providers: providers.map { ($0.providerName, $0.descriptor.models) }, overrides: overrides)
        if !sameProviders {
            for rejected in catalog.rejected {
                logger.warning(
                    "provider model left out of the catalogue",
                    metadata: ["provider": "\(rejected.provider)", "model": "\(rejected.model.prefix(80))", "reason": "\(rejected.reason)"])
            }
        }
        let entry = CatalogCache(
            providers: providers, overrides: overrides, overridesReadAtMs: overridesFresh ? cached?.overridesReadAtMs ?? now : now,
            catalog: catalog,
            secretsHeld: Dictionary(providers.map { (ObjectIdentifier($0), holdsSecrets($0)) }, uniquingKeysWith: { first, _ in first }))
        catalogCache.withLock { $0 = entry }
        return catalog
    }

    /// Forgets the cached overrides, so the next request reads them again (after an admin change).
    public func modelsChanged() {
        catalogCache.withLock { $0?.overridesReadAtMs = .min }
    }

    /// Whether the host holds every secret `provider` needs: from the catalogue's entry when
    /// it knows the provider (one lookup by identity, not one by name per secret).
    func hasSecrets(_ provider: PluginComponentHandle) -> Bool {
        catalogCache.withLock { $0?.secretsHeld[ObjectIdentifier(provider)] } ?? holdsSecrets(provider)
    }

    func holdsSecrets(_ provider: PluginComponentHandle) -> Bool {
        provider.descriptor.secrets.allSatisfy { egress?.secrets.has($0) ?? false }
    }

    /// The attempts for `request`, in the order they are tried.
    ///
    /// - An alias (``ModelCatalog/isAlias(_:)``) goes down the admin's priority chain (enabled
    ///   rules in priority order; a rule's model, or else the provider's default), then every
    ///   other upstream provider the admin has not disabled with its default, then offline
    ///   providers. `max_tokens` is clamped to each served model's maximum output.
    /// - A concrete model goes only to usable providers that list it (loaded, not disabled, with
    ///   their secrets; offline ones last), in the same order; none: ``AIError/Code/modelNotFound``.
    ///   `max_tokens` above every such provider's maximum output is refused (400); providers
    ///   with a lower maximum are left out.
    /// - `max_tokens` outside `1...ModelCatalog.maxTokensCeiling` is refused (400) in both cases.
    func plan(for request: ChatRequest) async throws -> [Candidate] {
        let providers = registry.components(kind: .llmProvider)
        let catalog = await catalog(providers)
        let rules = ((try? await priorities.providerPriorities()) ?? []).sorted { $0.priority < $1.priority }
        let disabled = Set(rules.filter { !$0.enabled }.map(\.provider))
        let alias = ModelCatalog.isAlias(request.model)
        var offers: [(PluginComponentHandle, ModelOffer?)] = []
        func add(_ provider: PluginComponentHandle, _ offer: ModelOffer?) {
            guard !offers.contains(where: { $0.0 === provider && $0.1?.id == offer?.id }) else { return }
            offers.append((provider, offer))
        }
        let upstream = providers.filter { !$0.descriptor.capabilities.offline }
        if alias {
            for rule in rules where rule.enabled {
                for provider in upstream where provider.providerName == rule.provider {
                    let name = provider.providerName
                    if let offer = rule.model.isEmpty ? catalog.defaultOffer(provider: name) : catalog.offer(rule.model, provider: name) {
                        add(provider, offer)
                    }
                }
            }
            for provider in upstream where !disabled.contains(provider.providerName) {
                if let offer = catalog.defaultOffer(provider: provider.providerName) { add(provider, offer) }
            }
            for provider in providers where provider.descriptor.capabilities.offline {
                add(provider, catalog.defaultOffer(provider: provider.providerName))
            }
        } else {
            func serving(_ provider: PluginComponentHandle) -> ModelOffer? {
                guard provider.descriptor.capabilities.offline || (!disabled.contains(provider.providerName) && hasSecrets(provider)) else {
                    return nil
                }
                return catalog.offer(request.model, provider: provider.providerName)
            }
            for rule in rules where rule.enabled {
                for provider in upstream where provider.providerName == rule.provider {
                    if let offer = serving(provider) { add(provider, offer) }
                }
            }
            for provider in upstream + providers.filter(\.descriptor.capabilities.offline) {
                if let offer = serving(provider) { add(provider, offer) }
            }
            guard !offers.isEmpty else { throw AIError.modelNotFound(request.model) }
        }
        if let maxTokens = request.maxTokens {
            guard maxTokens >= 1 else {
                throw AIError(.integerBelowMinValue, "max_tokens must be at least 1, but got \(maxTokens)", param: "max_tokens")
            }
            let limit =
                alias ? ModelCatalog.maxTokensCeiling : offers.compactMap { $0.1?.maxOutputTokens }.max() ?? ModelCatalog.maxTokensCeiling
            guard maxTokens <= limit else {
                throw AIError(
                    .integerAboveMaxValue,
                    "max_tokens is too large: \(maxTokens). This model supports at most \(limit) completion tokens, whereas you provided \(maxTokens).",
                    param: "max_tokens")
            }
            if !alias { offers.removeAll { ($0.1?.maxOutputTokens ?? Int.max) < maxTokens } }
        }
        return offers.map { provider, offer in
            let limit = offer?.maxOutputTokens ?? ModelCatalog.maxTokensCeiling
            return Candidate(
                provider: provider, model: offer?.model, modelID: offer?.id ?? "", maxTokens: request.maxTokens.map { min($0, limit) },
                estimateTokens: min(request.maxTokens ?? configuration.defaultMaxTokens, limit))
        }
    }
}

extension AIError {
    /// 404 for a model no usable provider lists, in OpenAI's words.
    static func modelNotFound(_ model: String) -> AIError {
        AIError(.modelNotFound, "The model `\(model.prefix(200))` does not exist or you do not have access to it.")
    }
}
