import Foundation
import VigorCoaching

/// A tier as the API shows and accepts it (money in integer micro-dollars, with USD for display).
struct TierBody: Codable {
    var name: String
    var requestsPerDay: Int
    var requestsPerWeek: Int
    var requestsPerMonth: Int
    var monthlyBudgetMicros: Int64
    var priceMicros: Int64
    var monthlyBudgetUSD: Double?
    var priceUSD: Double?

    init(_ tier: TierRecord) {
        name = tier.name
        requestsPerDay = tier.requestsPerDay
        requestsPerWeek = tier.requestsPerWeek
        requestsPerMonth = tier.requestsPerMonth
        monthlyBudgetMicros = tier.monthlyBudgetMicros
        priceMicros = tier.priceMicros
        monthlyBudgetUSD = tier.monthlyBudgetMicros.usd
        priceUSD = tier.priceMicros.usd
    }

    var record: TierRecord {
        TierRecord(
            name: name, requestsPerDay: requestsPerDay, requestsPerWeek: requestsPerWeek,
            requestsPerMonth: requestsPerMonth, monthlyBudgetMicros: monthlyBudgetMicros, priceMicros: priceMicros)
    }

    /// Problems with a tier an admin sent, named by JSON path under `prefix`.
    func validate(prefix: String) -> [FieldError] {
        var errors: [FieldError] = []
        let validName =
            (1...32).contains(name.count)
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        if !validName {
            errors.append(FieldError(field: "\(prefix)name", message: "1–32 of a-z, 0-9, '_' and '-'"))
        }
        for (field, value) in [
            ("requests_per_day", requestsPerDay), ("requests_per_week", requestsPerWeek),
            ("requests_per_month", requestsPerMonth),
        ] where !(0...OpenAPISchemas.maxRequestLimit).contains(value) {
            errors.append(FieldError(field: "\(prefix)\(field)", message: "must be between 0 and \(OpenAPISchemas.maxRequestLimit)"))
        }
        if requestsPerDay > requestsPerWeek || requestsPerWeek > requestsPerMonth {
            errors.append(
                FieldError(field: "\(prefix)requests_per_week", message: "limits must satisfy day <= week <= month"))
        }
        for (field, value) in [("monthly_budget_micros", monthlyBudgetMicros), ("price_micros", priceMicros)]
        where !(0...Money.maxMicros).contains(value) {
            errors.append(FieldError(field: "\(prefix)\(field)", message: "must be between 0 and \(Money.maxMicros)"))
        }
        return errors
    }

    enum CodingKeys: String, CodingKey {
        case name
        case requestsPerDay = "requests_per_day"
        case requestsPerWeek = "requests_per_week"
        case requestsPerMonth = "requests_per_month"
        case monthlyBudgetMicros = "monthly_budget_micros"
        case priceMicros = "price_micros"
        case monthlyBudgetUSD = "monthly_budget_usd"
        case priceUSD = "price_usd"
    }
}

/// `PUT /api/v1/admin/tiers` body: tiers to create or replace.
struct TiersInput: Decodable {
    var tiers: [TierBody]
}

/// `PUT /api/v1/admin/users/{id}/tier` body.
struct TierAssignment: Decodable {
    var tier: String
}

/// `GET /api/v1/admin/usage`.
struct AdminUsageBody: Encodable {
    struct UserRow: Encodable {
        var userID: Int64
        var username: String
        var tier: String
        var requests: Int
        var promptTokens: Int
        var completionTokens: Int
        var costMicros: Int64
        var costUSD: Double

        enum CodingKeys: String, CodingKey {
            case username, tier, requests
            case userID = "user_id"
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case costMicros = "cost_micros"
            case costUSD = "cost_usd"
        }
    }

    var since: String
    var users: [UserRow]
    var totalRequests: Int
    var totalCostMicros: Int64
    /// Usage-log totals by provider, by provider+model and by UTC day (`requests` counts
    /// successes, `attempts` every logged attempt).
    var byProvider: [UsageGroupBody] = []
    var byModel: [UsageGroupBody] = []
    var byDay: [UsageGroupBody] = []

    enum CodingKeys: String, CodingKey {
        case since, users
        case totalRequests = "total_requests"
        case totalCostMicros = "total_cost_micros"
        case byProvider = "by_provider"
        case byModel = "by_model"
        case byDay = "by_day"
    }
}
