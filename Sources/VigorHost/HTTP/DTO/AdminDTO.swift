import Foundation
import VigorCoaching

/// A field of a partial update: absent (keep), `null` (clear) or a value.
enum Patch<Value: Decodable & Sendable>: Sendable {
    case absent
    case null
    case value(Value)

    func applied(to current: Value?) -> Value? {
        switch self {
        case .absent: current
        case .null: nil
        case .value(let value): value
        }
    }
}

extension KeyedDecodingContainer {
    func decodePatch<Value: Decodable & Sendable>(_ type: Value.Type, forKey key: Key) throws -> Patch<Value> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(type, forKey: key))
    }
}

/// One provider routing rule. Caps are integer micro-dollars (1 USD = 1 000 000), like every
/// amount the host stores; `null` means no cap. `*_usd` fields are read-only conveniences.
struct ProviderRuleBody: Codable, Sendable {
    var provider: String
    /// Empty = the request's model (or the provider's default).
    var model: String
    var priority: Int
    var enabled: Bool
    var dailyCapMicros: Int64?
    var weeklyCapMicros: Int64?
    var monthlyCapMicros: Int64?
    /// Whether a loaded plugin serves this provider (output only).
    var loaded: Bool?
    /// Cost charged to the provider in the current day / week / month (output only).
    var spentMicros: [String: Int64]?

    enum CodingKeys: String, CodingKey {
        case provider, model, priority, enabled, loaded
        case dailyCapMicros = "daily_cap_micros"
        case weeklyCapMicros = "weekly_cap_micros"
        case monthlyCapMicros = "monthly_cap_micros"
        case spentMicros = "spent_micros"
    }

    init(_ rule: ProviderPriority, loaded: Bool, spent: [String: Int64]) {
        provider = rule.provider
        model = rule.model
        priority = rule.priority
        enabled = rule.enabled
        dailyCapMicros = rule.dailyCapMicros
        weeklyCapMicros = rule.weeklyCapMicros
        monthlyCapMicros = rule.monthlyCapMicros
        self.loaded = loaded
        spentMicros = spent
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        provider = try c.decode(String.self, forKey: .provider)
        model = try c.decodeIfPresent(String.self, forKey: .model) ?? ""
        priority = try c.decode(Int.self, forKey: .priority)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        dailyCapMicros = try c.decodeIfPresent(Int64.self, forKey: .dailyCapMicros)
        weeklyCapMicros = try c.decodeIfPresent(Int64.self, forKey: .weeklyCapMicros)
        monthlyCapMicros = try c.decodeIfPresent(Int64.self, forKey: .monthlyCapMicros)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(provider, forKey: .provider)
        try c.encode(model, forKey: .model)
        try c.encode(priority, forKey: .priority)
        try c.encode(enabled, forKey: .enabled)
        try c.encode(dailyCapMicros, forKey: .dailyCapMicros)
        try c.encode(weeklyCapMicros, forKey: .weeklyCapMicros)
        try c.encode(monthlyCapMicros, forKey: .monthlyCapMicros)
        try c.encodeIfPresent(loaded, forKey: .loaded)
        try c.encodeIfPresent(spentMicros, forKey: .spentMicros)
    }

    var rule: ProviderPriority {
        ProviderPriority(
            provider: provider, model: model, priority: priority, enabled: enabled, dailyCapMicros: dailyCapMicros,
            weeklyCapMicros: weeklyCapMicros, monthlyCapMicros: monthlyCapMicros)
    }

    /// Field errors, named `prefix` + field.
    func validate(prefix: String) -> [FieldError] {
        var errors: [FieldError] = []
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_.-")
        if provider.isEmpty || provider.count > 64 || !provider.allSatisfy(allowed.contains) {
            errors.append(FieldError(field: prefix + "provider", message: "1 to 64 of a-z 0-9 _ . -"))
        }
        if model.count > 200 { errors.append(FieldError(field: prefix + "model", message: "at most 200 characters")) }
        if !(0...1_000_000).contains(priority) {
            errors.append(FieldError(field: prefix + "priority", message: "must be between 0 and 1000000"))
        }
        for (name, cap) in [
            ("daily_cap_micros", dailyCapMicros), ("weekly_cap_micros", weeklyCapMicros), ("monthly_cap_micros", monthlyCapMicros),
        ] {
            if let cap, !(0...Money.maxMicros).contains(cap) {
                errors.append(FieldError(field: prefix + name, message: "must be between 0 and \(Money.maxMicros)"))
            }
        }
        return errors
    }
}

/// `PUT /api/v1/admin/providers` body: rules to create or replace, keyed by (provider, model).
struct ProvidersInput: Decodable, Sendable {
    var providers: [ProviderRuleBody]
}

/// `PUT /api/v1/admin/budget` body: a partial update — absent fields keep their value,
/// `null` clears a budget.
struct BudgetInput: Decodable, Sendable {
    var weeklyBudgetMicros: Patch<Int64>
    var monthlyBudgetMicros: Patch<Int64>
    var alertThresholdPercent: Int?
    var autoDisable: Bool?

    enum CodingKeys: String, CodingKey {
        case weeklyBudgetMicros = "weekly_budget_micros"
        case monthlyBudgetMicros = "monthly_budget_micros"
        case alertThresholdPercent = "alert_threshold_percent"
        case autoDisable = "auto_disable"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        weeklyBudgetMicros = try c.decodePatch(Int64.self, forKey: .weeklyBudgetMicros)
        monthlyBudgetMicros = try c.decodePatch(Int64.self, forKey: .monthlyBudgetMicros)
        alertThresholdPercent = try c.decodeIfPresent(Int.self, forKey: .alertThresholdPercent)
        autoDisable = try c.decodeIfPresent(Bool.self, forKey: .autoDisable)
    }

    func applied(to current: BudgetSettings) throws -> BudgetSettings {
        var next = current
        next.weeklyBudgetMicros = weeklyBudgetMicros.applied(to: current.weeklyBudgetMicros)
        next.monthlyBudgetMicros = monthlyBudgetMicros.applied(to: current.monthlyBudgetMicros)
        next.alertThresholdPercent = alertThresholdPercent ?? current.alertThresholdPercent
        next.autoDisable = autoDisable ?? current.autoDisable
        var errors: [FieldError] = []
        for (field, value) in [("weekly_budget_micros", next.weeklyBudgetMicros), ("monthly_budget_micros", next.monthlyBudgetMicros)] {
            if let value, !(0...Money.maxMicros).contains(value) {
                errors.append(FieldError(field: field, message: "must be between 0 and \(Money.maxMicros)"))
            }
        }
        if !(1...100).contains(next.alertThresholdPercent) {
            errors.append(FieldError(field: "alert_threshold_percent", message: "must be between 1 and 100"))
        }
        guard errors.isEmpty else { throw APIError.validation(errors) }
        return next
    }
}

/// `GET|PUT /api/v1/admin/budget` answer.
struct BudgetBody: Encodable, Sendable {
    struct Spend: Encodable, Sendable {
        var period: String
        var periodStart: String
        var resetsAt: Date
        var spentMicros: Int64
        var spentUSD: Double
        var budgetMicros: Int64?
        /// Share of the budget spent, in percent (null without a budget).
        var percentUsed: Double?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(period, forKey: .period)
            try c.encode(periodStart, forKey: .periodStart)
            try c.encode(resetsAt, forKey: .resetsAt)
            try c.encode(spentMicros, forKey: .spentMicros)
            try c.encode(spentUSD, forKey: .spentUSD)
            try c.encode(budgetMicros, forKey: .budgetMicros)
            try c.encode(percentUsed, forKey: .percentUsed)
        }

        enum CodingKeys: String, CodingKey {
            case period
            case periodStart = "period_start"
            case resetsAt = "resets_at"
            case spentMicros = "spent_micros"
            case spentUSD = "spent_usd"
            case budgetMicros = "budget_micros"
            case percentUsed = "percent_used"
        }
    }

    struct Event: Encodable, Sendable {
        var id: Int64
        var period: String
        var periodStart: String
        var kind: String
        var spentMicros: Int64
        var budgetMicros: Int64
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, period, kind
            case periodStart = "period_start"
            case spentMicros = "spent_micros"
            case budgetMicros = "budget_micros"
            case createdAt = "created_at"
        }
    }

    var settings: BudgetSettings
    var spend: [Spend]
    var alerts: [Event]

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(settings.weeklyBudgetMicros, forKey: .weeklyBudgetMicros)
        try c.encode(settings.monthlyBudgetMicros, forKey: .monthlyBudgetMicros)
        try c.encode(settings.alertThresholdPercent, forKey: .alertThresholdPercent)
        try c.encode(settings.autoDisable, forKey: .autoDisable)
        try c.encode(settings.updatedAt, forKey: .updatedAt)
        try c.encode(spend, forKey: .spend)
        try c.encode(alerts, forKey: .alerts)
    }

    enum CodingKeys: String, CodingKey {
        case spend, alerts
        case weeklyBudgetMicros = "weekly_budget_micros"
        case monthlyBudgetMicros = "monthly_budget_micros"
        case alertThresholdPercent = "alert_threshold_percent"
        case autoDisable = "auto_disable"
        case updatedAt = "updated_at"
    }
}

/// One group of the usage report (`by_provider`, `by_model`, `by_day`).
struct UsageGroupBody: Encodable, Sendable {
    var key: String
    var provider: String?
    var model: String?
    var requests: Int
    var attempts: Int
    var promptTokens: Int
    var completionTokens: Int
    var costMicros: Int64
    var costUSD: Double

    init(_ totals: UsageGroupTotals) {
        key = totals.key
        provider = totals.provider
        model = totals.model
        requests = totals.requests
        attempts = totals.attempts
        promptTokens = totals.promptTokens
        completionTokens = totals.completionTokens
        costMicros = totals.costMicros
        costUSD = totals.costMicros.usd
    }

    enum CodingKeys: String, CodingKey {
        case key, provider, model, requests, attempts
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case costMicros = "cost_micros"
        case costUSD = "cost_usd"
    }
}

/// `GET /api/v1/admin/plugins`.
struct PluginsBody: Encodable, Sendable {
    struct Component: Encodable, Sendable {
        var id: String
        var name: String
        var version: String
        var kind: String
        var path: String
        var provider: String?
        var models: [String]
        var capabilities: [String: Bool]
        /// Crash isolation: true when the component runs in its own runner process.
        var isolated: Bool
        var runner: Runner?
        /// `active`, or `inactive: missing secret NAME` (loaded, but a declared secret is not set).
        var status: String = "active"
    }

    /// An isolated component's runner process: how often it died and how.
    struct Runner: Encodable, Sendable {
        var pid: Int32?
        var restarts: Int
        var lastExit: String?
        var running: Bool

        enum CodingKeys: String, CodingKey {
            case pid, restarts, running
            case lastExit = "last_exit"
        }
    }

    struct Rejected: Encodable, Sendable {
        var path: String
        var code: String
        var reason: String
    }

    var directory: String?
    var loaded: [Component]
    var rejected: [Rejected]

    /// - Parameter statuses: component id → status (see ``PluginsBody/Component/status``).
    init(_ inventory: PluginInventory?, statuses: [String: String] = [:]) {
        directory = inventory?.directory
        loaded = (inventory?.loaded ?? []).map {
            Component(
                id: $0.id, name: $0.name, version: $0.version, kind: $0.kind, path: $0.path, provider: $0.provider,
                models: $0.models,
                capabilities: ["streaming": $0.streaming, "offline": $0.offline, "json_mode": $0.jsonMode, "uses_llm": $0.usesLLM],
                isolated: $0.runner != nil,
                runner: $0.runner.map { Runner(pid: $0.pid, restarts: $0.restarts, lastExit: $0.lastExit, running: $0.running) },
                status: statuses[$0.id] ?? "active")
        }
        rejected = (inventory?.rejected ?? []).map { Rejected(path: $0.path, code: $0.code, reason: $0.reason) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(directory, forKey: .directory)
        try c.encode(loaded, forKey: .loaded)
        try c.encode(rejected, forKey: .rejected)
    }

    enum CodingKeys: String, CodingKey { case directory, loaded, rejected }
}

/// `GET /api/v1/ai/provider-status`: whether each provider can serve — never a secret's value.
struct ProviderStatusBody: Encodable, Sendable {
    struct Circuit: Encodable, Sendable {
        var state: String
        var consecutiveFailures: Int
        var openUntil: Date?
        var totalFailures: Int
        var totalSuccesses: Int

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(state, forKey: .state)
            try c.encode(consecutiveFailures, forKey: .consecutiveFailures)
            try c.encode(openUntil, forKey: .openUntil)
            try c.encode(totalFailures, forKey: .totalFailures)
            try c.encode(totalSuccesses, forKey: .totalSuccesses)
        }

        enum CodingKeys: String, CodingKey {
            case state
            case consecutiveFailures = "consecutive_failures"
            case openUntil = "open_until"
            case totalFailures = "total_failures"
            case totalSuccesses = "total_successes"
        }
    }

    struct Provider: Encodable, Sendable {
        var provider: String
        var id: String
        var name: String
        var enabled: Bool
        var priority: Int?
        var hasSecret: Bool
        /// enabled, secret present and circuit not open.
        var available: Bool
        var offline: Bool
        var streaming: Bool
        var models: [String]
        var circuit: Circuit

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(provider, forKey: .provider)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(enabled, forKey: .enabled)
            try c.encode(priority, forKey: .priority)
            try c.encode(hasSecret, forKey: .hasSecret)
            try c.encode(available, forKey: .available)
            try c.encode(offline, forKey: .offline)
            try c.encode(streaming, forKey: .streaming)
            try c.encode(models, forKey: .models)
            try c.encode(circuit, forKey: .circuit)
        }

        enum CodingKeys: String, CodingKey {
            case provider, id, name, enabled, priority, available, offline, streaming, models, circuit
            case hasSecret = "has_secret"
        }
    }

    var providers: [Provider]
}

/// `POST /api/v1/admin/plugins/reload`: what changed, and the inventory after the scan.
struct PluginReloadBody: Encodable, Sendable {
    /// Component ids added or replaced by this scan.
    var changed: [String]
    var plugins: PluginsBody
}
