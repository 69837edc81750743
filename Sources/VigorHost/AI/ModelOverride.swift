import Foundation
import VigorCoaching

/// An admin's model entry for one provider (`PUT /api/v1/admin/models`): adds a model the
/// provider's plugin does not list, or replaces a listed model's prices and limits, without
/// a plugin release.
///
/// Ranges (checked by ``problems``; the HTTP layer answers 422 naming the field):
/// - `id`: 1–128 characters of `A–Z a–z 0–9 . _ : -`, not an alias (`vigor-coach`, `vigor-coach-1`);
/// - `provider`: 1–64 characters of `a–z 0–9 _ -`;
/// - `input_per_mtok_usd`, `output_per_mtok_usd`: finite, `0...10000` USD per million tokens;
/// - `max_output_tokens`: `1...1000000` and at most `context_window`;
/// - `context_window`: `1...10000000` tokens.
public struct ModelOverride: Sendable, Hashable {
    public var id: String
    public var provider: String
    public var inputPerMTokUSD: Double
    public var outputPerMTokUSD: Double
    public var maxOutputTokens: Int
    public var contextWindow: Int

    public init(id: String, provider: String, inputPerMTokUSD: Double, outputPerMTokUSD: Double, maxOutputTokens: Int, contextWindow: Int) {
        self.id = id
        self.provider = provider
        self.inputPerMTokUSD = inputPerMTokUSD
        self.outputPerMTokUSD = outputPerMTokUSD
        self.maxOutputTokens = maxOutputTokens
        self.contextWindow = contextWindow
    }

    static let idCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-".utf8)
    static let providerCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_-".utf8)

    /// The fields outside their range, named as in the HTTP body; empty when valid.
    public var problems: [FieldError] {
        var out: [FieldError] = []
        if id.isEmpty || id.utf8.count > 128 || !id.utf8.allSatisfy(Self.idCharacters.contains) {
            out.append(FieldError(field: "id", message: "must be 1 to 128 characters of A-Z a-z 0-9 . _ : -"))
        } else if ModelCatalog.isAlias(id) {
            out.append(FieldError(field: "id", message: "'\(id)' is the host's alias and cannot be a model"))
        }
        if provider.isEmpty || provider.utf8.count > 64 || !provider.utf8.allSatisfy(Self.providerCharacters.contains) {
            out.append(FieldError(field: "provider", message: "must be 1 to 64 characters of a-z 0-9 _ -"))
        }
        let maxPrice = Int(ModelCatalog.maxPricePerMTokUSD)
        if !Pricing.isValidPrice(inputPerMTokUSD) {
            out.append(FieldError(field: "input_per_mtok_usd", message: "must be a number between 0 and \(maxPrice)"))
        }
        if !Pricing.isValidPrice(outputPerMTokUSD) {
            out.append(FieldError(field: "output_per_mtok_usd", message: "must be a number between 0 and \(maxPrice)"))
        }
        if !(1...ModelCatalog.maxContextWindow).contains(contextWindow) {
            out.append(FieldError(field: "context_window", message: "must be between 1 and \(ModelCatalog.maxContextWindow)"))
        }
        if !(1...ModelCatalog.maxTokensCeiling).contains(maxOutputTokens) {
            out.append(FieldError(field: "max_output_tokens", message: "must be between 1 and \(ModelCatalog.maxTokensCeiling)"))
        } else if maxOutputTokens > contextWindow, (1...ModelCatalog.maxContextWindow).contains(contextWindow) {
            out.append(FieldError(field: "max_output_tokens", message: "must not exceed context_window (\(contextWindow))"))
        }
        return out
    }
}

/// Where the admin's model overrides are kept (the SQLite store in the server).
public protocol ModelOverrideStore: Sendable {
    /// Every override, by provider then model id.
    func modelOverrides() async throws -> [ModelOverride]
    /// Creates or replaces the override for `(override.provider, override.id)`.
    func upsertModelOverride(_ override: ModelOverride, now: Date) async throws
    /// Removes one override; false when there was none.
    func deleteModelOverride(id: String, provider: String) async throws -> Bool
}

/// One row of the admin's model table: an offer and whether it routes now.
public struct ModelTableEntry: Sendable, Hashable {
    public var offer: ModelOffer
    /// The provider is loaded, not disabled by the admin, and has its secrets.
    public var routable: Bool

    public init(offer: ModelOffer, routable: Bool) {
        self.offer = offer
        self.routable = routable
    }
}

/// The admin side of the model catalogue (`/api/v1/admin/models`).
public protocol ModelAdministration: Sendable {
    /// Every catalogued offer plus overrides for providers that are not loaded (not routable).
    func modelTable() async throws -> [ModelTableEntry]
    /// Validates and stores an override; it routes at once on this host.
    func putModel(_ override: ModelOverride) async throws
    /// Removes an override; false when there was none.
    func deleteModel(id: String, provider: String) async throws -> Bool
}
