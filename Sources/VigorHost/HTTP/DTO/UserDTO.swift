import Foundation
import VigorCoaching

/// `POST /api/v1/users/me/progress` body.
struct ProgressInput: Decodable {
    var date: String?
    var weightKg: Double?
    var bodyFatPercent: Double?
    var measurements: [String: Double]?
    var notes: String?

    enum CodingKeys: String, CodingKey {
        case date, measurements, notes
        case weightKg = "weight_kg"
        case bodyFatPercent = "body_fat_percent"
    }

    /// Every problem, each naming its field.
    func validate() -> [FieldError] {
        var errors: [FieldError] = []
        if let date, UsagePeriod.parseDay(date) == nil {
            errors.append(FieldError(field: "date", message: "must be a day as YYYY-MM-DD"))
        }
        if let weightKg, !(20...500).contains(weightKg) {
            errors.append(FieldError(field: "weight_kg", message: "must be between 20 and 500"))
        }
        if let bodyFatPercent, !(1...75).contains(bodyFatPercent) {
            errors.append(FieldError(field: "body_fat_percent", message: "must be between 1 and 75"))
        }
        let measurements = self.measurements ?? [:]
        if measurements.count > 30 {
            errors.append(FieldError(field: "measurements", message: "at most 30 measurements"))
        }
        for (name, value) in measurements.sorted(by: { $0.key < $1.key }) {
            if name.isEmpty || name.unicodeScalars.count > 50 {
                errors.append(FieldError(field: "measurements", message: "names must be 1–50 characters"))
            } else if !(1...500).contains(value) {
                errors.append(FieldError(field: "measurements.\(name)", message: "must be between 1 and 500 cm"))
            }
        }
        if let notes, notes.unicodeScalars.count > 2000 || notes.utf8.count > 8000 {
            errors.append(FieldError(field: "notes", message: "at most 2000 characters"))
        }
        if weightKg == nil, bodyFatPercent == nil, measurements.isEmpty, (notes ?? "").isEmpty {
            errors.append(FieldError(field: "weight_kg", message: "give at least one measurement or a note"))
        }
        return errors
    }
}

/// A stored progress entry.
struct ProgressResponse: Encodable {
    var id: Int64
    var date: String
    var weightKg: Double?
    var bodyFatPercent: Double?
    var measurements: [String: Double]
    var notes: String
    var createdAt: Date

    init(_ record: ProgressRecord) {
        id = record.id
        date = record.recordedOn
        weightKg = record.weightKg
        bodyFatPercent = record.bodyFatPercent
        measurements = record.measurementsCm
        notes = record.notes
        createdAt = record.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, date, measurements, notes
        case weightKg = "weight_kg"
        case bodyFatPercent = "body_fat_percent"
        case createdAt = "created_at"
    }
}

/// A list wrapper: `{"items": [...]}`.
struct ItemList<Item: Encodable>: Encodable {
    var items: [Item]
}

/// `GET /api/v1/users/me/usage`.
struct UsageResponse: Encodable {
    struct PeriodUsage: Encodable {
        var period: String
        var periodStart: String
        var resetsAt: Date
        var requestsUsed: Int
        var requestsLimit: Int
        var requestsRemaining: Int
        var costMicros: Int64
        var costUSD: Double

        enum CodingKeys: String, CodingKey {
            case period
            case periodStart = "period_start"
            case resetsAt = "resets_at"
            case requestsUsed = "requests_used"
            case requestsLimit = "requests_limit"
            case requestsRemaining = "requests_remaining"
            case costMicros = "cost_micros"
            case costUSD = "cost_usd"
        }
    }

    var tier: String
    var periods: [PeriodUsage]
    var monthlyBudgetMicros: Int64
    var budgetUsedMicros: Int64
    var budgetRemainingMicros: Int64

    enum CodingKeys: String, CodingKey {
        case tier, periods
        case monthlyBudgetMicros = "monthly_budget_micros"
        case budgetUsedMicros = "budget_used_micros"
        case budgetRemainingMicros = "budget_remaining_micros"
    }
}

extension Int64 {
    /// Micro-dollars as dollars, for display only (totals stay integers).
    var usd: Double { Double(self) / 1_000_000 }
}
