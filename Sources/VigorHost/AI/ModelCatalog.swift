import VigorPluginSDK

/// One model as one provider serves it: its prices and limits.
public struct ModelOffer: Sendable, Hashable {
    /// Where an offer comes from.
    public enum Source: String, Sendable, Hashable {
        /// The provider plugin's descriptor.
        case plugin
        /// An admin override (`PUT /api/v1/admin/models`), which adds a model or replaces a listed one's figures.
        case admin
    }

    /// The model id sent upstream, its prices (USD per million tokens) and context window.
    public var model: ModelInfo
    /// The provider's short name (`openai`, `gemini`, `fallback`, ...).
    public var provider: String
    /// The largest `max_tokens` this model accepts.
    public var maxOutputTokens: Int
    public var source: Source

    public var id: String { model.id }
    /// Prompt plus answer, in tokens, when known.
    public var contextWindow: Int? { model.contextTokens }

    public init(model: ModelInfo, provider: String, maxOutputTokens: Int, source: Source) {
        self.model = model
        self.provider = provider
        self.maxOutputTokens = maxOutputTokens
        self.source = source
    }
}

/// The host's model catalogue: which provider serves which model, at what price, with
/// which limits. Built from the loaded providers' descriptors plus the admin's overrides.
///
/// - A provider's models keep their descriptor order, the first being the provider's
///   default (what it serves for an alias); admin-added models follow.
/// - A descriptor model is dropped (and reported in ``rejected``) when its id is empty or
///   longer than 256 bytes, or a price is not a finite number in `0...maxPricePerMTokUSD`:
///   such a model is never routed, so it is never served for free or at a wrong price.
/// - A context window outside `1...maxContextWindow` is treated as unknown.
/// - A descriptor does not state a maximum output, so a plugin model's is its context
///   window, capped at ``maxTokensCeiling``; an admin override states its own.
public struct ModelCatalog: Sendable {
    /// Model names that route across the admin's priority chain, each provider serving its
    /// own default model, the offline fallback last. An empty or absent model means the same.
    public static let aliases = ["vigor-coach", "vigor-coach-1"]
    /// The documented range of `max_tokens` is `1...maxTokensCeiling` (and at most the
    /// served model's maximum output).
    public static let maxTokensCeiling = 1_000_000
    /// The highest accepted price, USD per million tokens (input or output).
    public static let maxPricePerMTokUSD = 10_000.0
    /// The largest context window accepted, in tokens.
    public static let maxContextWindow = 10_000_000
    /// The longest model id accepted from a descriptor, in UTF-8 bytes.
    public static let maxModelIDBytes = 256

    /// Whether `model` names the alias chain rather than one model.
    public static func isAlias(_ model: String) -> Bool {
        model.isEmpty || aliases.contains(model)
    }

    /// A descriptor model the catalogue refused, and why.
    public struct Rejected: Sendable, Hashable {
        public var provider: String
        public var model: String
        public var reason: String
    }

    /// Each provider's offers, by provider short name.
    public private(set) var byProvider: [String: [ModelOffer]] = [:]
    /// Descriptor models left out, and why.
    public private(set) var rejected: [Rejected] = []

    /// Builds the catalogue from each provider's listed models plus `overrides` (overrides
    /// for providers that are not loaded are kept out; they apply when the provider loads).
    public init(providers: [(name: String, models: [ModelInfo])], overrides: [ModelOverride] = []) {
        for (name, models) in providers {
            var offers = byProvider[name] ?? []
            for model in models {
                if let reason = Self.problem(with: model) {
                    rejected.append(Rejected(provider: name, model: model.id, reason: reason))
                    continue
                }
                guard !offers.contains(where: { $0.id == model.id }) else { continue }
                var info = model
                if let context = info.contextTokens, !(1...Self.maxContextWindow).contains(context) { info.contextTokens = nil }
                let maxOutput = min(info.contextTokens ?? Self.maxTokensCeiling, Self.maxTokensCeiling)
                offers.append(ModelOffer(model: info, provider: name, maxOutputTokens: maxOutput, source: .plugin))
            }
            byProvider[name] = offers
        }
        for override in overrides where byProvider[override.provider] != nil && override.problems.isEmpty {
            let offer = ModelOffer(
                model: ModelInfo(
                    id: override.id, inputPerMTokUSD: override.inputPerMTokUSD, outputPerMTokUSD: override.outputPerMTokUSD,
                    contextTokens: override.contextWindow),
                provider: override.provider, maxOutputTokens: override.maxOutputTokens, source: .admin)
            if let index = byProvider[override.provider]?.firstIndex(where: { $0.id == override.id }) {
                byProvider[override.provider]?[index] = offer
            } else {
                byProvider[override.provider]?.append(offer)
            }
        }
    }

    /// Why a descriptor model cannot be catalogued, or nil.
    static func problem(with model: ModelInfo) -> String? {
        if model.id.isEmpty || model.id.utf8.count > maxModelIDBytes { return "model id must be 1 to \(maxModelIDBytes) bytes" }
        for (name, price) in [("input", model.inputPerMTokUSD), ("output", model.outputPerMTokUSD)] where !Pricing.isValidPrice(price) {
            return "\(name) price \(price) is not a number in 0...\(Int(maxPricePerMTokUSD)) USD per million tokens"
        }
        return nil
    }

    /// `model` as `provider` serves it, or nil when the provider does not list it.
    public func offer(_ model: String, provider: String) -> ModelOffer? {
        byProvider[provider]?.first { $0.id == model }
    }

    /// What `provider` serves for an alias: its first listed model.
    public func defaultOffer(provider: String) -> ModelOffer? {
        byProvider[provider]?.first
    }

    /// Every offer, provider by provider (sorted by provider name), in list order.
    public var allOffers: [ModelOffer] {
        byProvider.keys.sorted().flatMap { byProvider[$0] ?? [] }
    }
}
