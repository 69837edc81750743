import Foundation
import VigorPluginLoader
import VigorPluginSDK

extension ProviderRouter {
    /// The provider that owns the aliases in `GET /v1/models`.
    static let aliasOwner = "vigor"

    /// Exactly the model names that route now: the aliases (when any provider can answer
    /// them) and every model of a usable provider (loaded; offline, or not disabled by the
    /// admin and holding its secrets). A model two providers serve is listed once, owned by
    /// the first in priority order. `created` is the serving plugin file's modification time.
    func listModels(loadedAt: (String) -> Int) async -> [ModelListing] {
        let providers = registry.components(kind: .llmProvider)
        let catalog = await catalog(providers)
        let rules = ((try? await priorities.providerPriorities()) ?? []).sorted { $0.priority < $1.priority }
        let disabled = Set(rules.filter { !$0.enabled }.map(\.provider))
        let rank = Dictionary(rules.filter(\.enabled).enumerated().map { ($0.element.provider, $0.offset) }, uniquingKeysWith: min)
        let usable = providers.filter { $0.descriptor.capabilities.offline || (!disabled.contains($0.providerName) && hasSecrets($0)) }
            .sorted { a, b in
                let (ao, bo) = (a.descriptor.capabilities.offline, b.descriptor.capabilities.offline)
                if ao != bo { return !ao }
                return (rank[a.providerName] ?? Int.max) < (rank[b.providerName] ?? Int.max)
            }
        var seen = Set<String>()
        var out: [ModelListing] = []
        if let first = usable.first {
            let created = loadedAt(first.path)
            for alias in ModelCatalog.aliases where seen.insert(alias).inserted {
                out.append(ModelListing(id: alias, provider: Self.aliasOwner, created: created))
            }
        }
        for provider in usable {
            let created = loadedAt(provider.path)
            for offer in catalog.byProvider[provider.providerName] ?? [] where seen.insert(offer.id).inserted {
                out.append(ModelListing(id: offer.id, provider: provider.providerName, created: created))
            }
        }
        return out
    }
}

extension ProviderRouter: ModelAdministration {
    public func modelTable() async throws -> [ModelTableEntry] {
        let providers = registry.components(kind: .llmProvider)
        modelsChanged()
        let catalog = await catalog(providers)
        let rules = (try? await priorities.providerPriorities()) ?? []
        let disabled = Set(rules.filter { !$0.enabled }.map(\.provider))
        var usable = Set<String>()
        for provider in providers
        where provider.descriptor.capabilities.offline || (!disabled.contains(provider.providerName) && hasSecrets(provider)) {
            usable.insert(provider.providerName)
        }
        var entries = catalog.allOffers.map { ModelTableEntry(offer: $0, routable: usable.contains($0.provider)) }
        // Overrides for providers that are not loaded: kept, shown, not routable.
        let overrides = try await modelOverrides?.modelOverrides() ?? []
        for override in overrides where catalog.byProvider[override.provider] == nil {
            let offer = ModelOffer(
                model: ModelInfo(
                    id: override.id, inputPerMTokUSD: override.inputPerMTokUSD, outputPerMTokUSD: override.outputPerMTokUSD,
                    contextTokens: override.contextWindow),
                provider: override.provider, maxOutputTokens: override.maxOutputTokens, source: .admin)
            entries.append(ModelTableEntry(offer: offer, routable: false))
        }
        return entries
    }

    public func putModel(_ override: ModelOverride) async throws {
        guard let store = modelOverrides else { throw AIError(.noProvider, "this host keeps no model overrides") }
        try await store.upsertModelOverride(override, now: clock.now())
        modelsChanged()
    }

    public func deleteModel(id: String, provider: String) async throws -> Bool {
        guard let store = modelOverrides else { return false }
        let deleted = try await store.deleteModelOverride(id: id, provider: provider)
        modelsChanged()
        return deleted
    }
}
