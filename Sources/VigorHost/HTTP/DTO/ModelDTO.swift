import Foundation
import VigorPluginSDK

/// `PUT /api/v1/admin/models` body: one model for one provider, with its prices (USD per
/// million tokens) and limits. Wrong types are 422 naming the field; ranges are
/// ``ModelOverride``'s (422 naming every field outside its range).
struct ModelInput: WireDecodable, Sendable {
    var override: ModelOverride

    init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        override = ModelOverride(
            id: try o.string("id"), provider: try o.string("provider"),
            inputPerMTokUSD: try o.required("input_per_mtok_usd").double(at: path.key("input_per_mtok_usd")),
            outputPerMTokUSD: try o.required("output_per_mtok_usd").double(at: path.key("output_per_mtok_usd")),
            maxOutputTokens: try o.int("max_output_tokens"), contextWindow: try o.int("context_window"))
    }
}

/// One row of `GET /api/v1/admin/models`: a model as one provider serves it.
struct ModelBody: Encodable, Sendable {
    var id: String
    var provider: String
    var inputPerMTokUSD: Double
    var outputPerMTokUSD: Double
    var maxOutputTokens: Int
    var contextWindow: Int?
    /// `plugin` (the provider's descriptor) or `admin` (an override).
    var source: String
    /// Whether requests for this model can reach this provider now.
    var routable: Bool

    enum CodingKeys: String, CodingKey {
        case id, provider, source, routable
        case inputPerMTokUSD = "input_per_mtok_usd"
        case outputPerMTokUSD = "output_per_mtok_usd"
        case maxOutputTokens = "max_output_tokens"
        case contextWindow = "context_window"
    }

    init(_ entry: ModelTableEntry) {
        id = entry.offer.id
        provider = entry.offer.provider
        inputPerMTokUSD = entry.offer.model.inputPerMTokUSD
        outputPerMTokUSD = entry.offer.model.outputPerMTokUSD
        maxOutputTokens = entry.offer.maxOutputTokens
        contextWindow = entry.offer.contextWindow
        source = entry.offer.source.rawValue
        routable = entry.routable
    }
}
