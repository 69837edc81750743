import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

/// Money cannot overflow: every numeric field of every route, driven across the whole
/// `Int64` range and through non-finite and fractional doubles over the real HTTP stack,
/// gives no trap and no 5xx; a value outside the documented range is a 422 naming the field.
@Suite("Security: numeric inputs")
struct NumericSecurityTests {
    /// The values each numeric field is driven through (JSON text).
    static let probes: [(text: String, value: Double?, integral: Bool)] = [
        ("-9223372036854775808", -9.223372036854775808e18, true), ("-1", -1, true), ("0", 0, true), ("1", 1, true),
        ("2147483647", 2_147_483_647, true), ("9223372036854775807", 9.223372036854775807e18, true),
        ("0.5", 0.5, false), ("1e308", 1e308, false), ("-1e308", -1e308, false),
        // Not JSON numbers: a 400, never a crash.
        ("NaN", nil, false), ("Infinity", nil, false), ("-Infinity", nil, false), ("1e400", nil, false),
    ]

    /// One numeric field of a request schema: where it sits and its documented range.
    struct NumericField {
        var operation: String
        var method: HTTPRequest.Method
        var path: String
        /// JSON path as errors name it, e.g. `tiers[0].requests_per_day`.
        var field: String
        /// Builds a body holding `text` at the field.
        var body: (String) -> String
        var integer: Bool
        var minimum: Double?
        var maximum: Double?
    }

    /// Every integer/number property reachable in the request bodies of `document`.
    static func numericFields(_ document: [String: Any]) -> [NumericField] {
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        func resolve(_ schema: [String: Any]) -> [String: Any] {
            if let ref = schema["$ref"] as? String, let name = ref.split(separator: "/").last {
                return resolve(schemas[String(name)] as? [String: Any] ?? [:])
            }
            return schema
        }
        func types(_ schema: [String: Any]) -> [String] {
            if let one = schema["type"] as? String { return [one] }
            return schema["type"] as? [String] ?? []
        }
        var found: [NumericField] = []
        func walk(
            _ schema: [String: Any], field: String, wrap: @escaping (String) -> String, operation: (String, HTTPRequest.Method, String),
            depth: Int
        ) {
            let schema = resolve(schema)
            guard depth < 8 else { return }
            let kinds = types(schema)
            if kinds.contains("integer") || kinds.contains("number") {
                found.append(
                    NumericField(
                        operation: operation.0, method: operation.1, path: operation.2, field: field, body: wrap,
                        integer: kinds.contains("integer"), minimum: (schema["minimum"] as? NSNumber)?.doubleValue,
                        maximum: (schema["maximum"] as? NSNumber)?.doubleValue))
            }
            if let properties = schema["properties"] as? [String: Any] {
                for (name, child) in properties.sorted(by: { $0.key < $1.key }) {
                    guard let child = child as? [String: Any], (child["readOnly"] as? Bool) != true else { continue }
                    walk(
                        child, field: field.isEmpty ? name : "\(field).\(name)",
                        wrap: { wrap("{\"\(name)\":\($0)}") }, operation: operation, depth: depth + 1)
                }
            }
            if let items = schema["items"] as? [String: Any] {
                walk(items, field: "\(field)[0]", wrap: { wrap("[\($0)]") }, operation: operation, depth: depth + 1)
            }
            if let additional = schema["additionalProperties"] as? [String: Any] {
                walk(additional, field: "\(field).chest", wrap: { wrap("{\"chest\":\($0)}") }, operation: operation, depth: depth + 1)
            }
        }
        for (path, operations) in (document["paths"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (method, operation) in (operations as? [String: Any] ?? [:]) {
                guard let operation = operation as? [String: Any],
                    let body = operation["requestBody"] as? [String: Any],
                    let schema = ((body["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                else { continue }
                let concrete = path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{log_id}", with: "1")
                walk(
                    schema, field: "", wrap: { $0 },
                    operation: ("\(method.uppercased()) \(path)", HTTPRequest.Method(rawValue: method.uppercased())!, concrete), depth: 0)
            }
        }
        return found
    }

    @Test("every numeric field of every route across Int64 and doubles: no 5xx; out of range is 422 naming the field")
    func everyNumericField() async throws {
        try await PluginHost.run { host, client in
            let admin = try await host.adminToken(client)
            let document = try #require(
                try JSONSerialization.jsonObject(with: try await client.send(.get, "/openapi.json").body) as? [String: Any])
            let fields = Self.numericFields(document)
            #expect(fields.count >= 40, "found \(fields.count) numeric fields")
            #expect(fields.contains { $0.field == "monthly_budget_micros" && $0.operation == "PUT /api/v1/admin/budget" })
            #expect(fields.contains { $0.field == "tiers[0].requests_per_day" })
            #expect(fields.contains { $0.field == "exercises[0].sets" })
            var checked = 0
            for field in fields {
                for probe in Self.probes {
                    let reply = try await client.send(field.method, field.path, token: admin, body: field.body(probe.text))
                    let context = "\(field.operation) \(field.field)=\(probe.text): \(reply.status.code) \(reply.text.prefix(300))"
                    // A plan that misses its deadline on a loaded machine is an honest 504
                    // upstream_timeout, not a number mishandled: anything else 5xx fails.
                    let deadline = reply.status.code == 504 && reply.text.contains("upstream_timeout")
                    #expect(reply.status.code < 500 || deadline, "\(context)")
                    checked += 1
                    guard let value = probe.value else {
                        #expect(reply.status == .badRequest, "\(context)")
                        continue
                    }
                    let outside =
                        (field.integer && value != value.rounded()) || field.minimum.map { value < $0 } == true
                        || field.maximum.map { value > $0 } == true
                    guard outside else { continue }
                    if field.path.hasPrefix("/v1/") {
                        // The OpenAI-compatible routes answer 400 invalid_request_error, as OpenAI does.
                        #expect(reply.status == .badRequest, "\(context)")
                    } else {
                        #expect(reply.status == .unprocessableContent, "\(context)")
                        #expect(reply.errorFields.contains(field.field), "\(context)")
                    }
                }
            }
            #expect(checked > 500)
            // The host still serves.
            #expect(try await client.send(.get, "/health").status == .ok)
        }
    }

    @Test("ids and paging across Int64 in paths and query strings: never a 5xx; bad paging is 422 naming the parameter")
    func idsAndPaging() async throws {
        try await TestHost.run { _, client in
            let user = try await client.register("numbers")
            for id in ["9223372036854775807", "9223372036854775808", "-9223372036854775808", "0", "-1", "1.5", "1e308", "NaN"] {
                for path in ["/api/v1/workouts/plans/\(id)", "/api/v1/ai/conversations/\(id)"] {
                    let reply = try await client.send(.get, path, token: user.token)
                    #expect(reply.status == .notFound, "\(path): \(reply.text)")
                }
            }
            for (query, field) in [
                ("limit=0", "limit"), ("limit=201", "limit"), ("limit=9223372036854775808", "limit"), ("limit=1.5", "limit"),
                ("offset=-1", "offset"), ("offset=9223372036854775807", "offset"),
            ] {
                let reply = try await client.send(.get, "/api/v1/workouts/logs?\(query)", token: user.token)
                reply.expectError(.unprocessableContent)
                #expect(reply.errorFields == [field], "\(query): \(reply.text)")
            }
            #expect(try await client.send(.get, "/api/v1/workouts/logs?limit=200&offset=1000000000", token: user.token).status == .ok)
        }
    }

    @Test("an admin budget of Int64.max is refused with 422; one already stored does not kill the next chat")
    func hugeBudgetThenChat() async throws {
        try await PluginHost.run { host, client in
            let admin = try await host.adminToken(client)
            for field in ["weekly_budget_micros", "monthly_budget_micros"] {
                let reply = try await client.send(.put, "/api/v1/admin/budget", token: admin, json: [field: Int64.max])
                reply.expectError(.unprocessableContent)
                #expect(reply.errorFields == [field])
            }
            let fine = try await client.send(.put, "/api/v1/admin/budget", token: admin, json: ["monthly_budget_micros": Money.maxMicros])
            #expect(fine.status == .ok, "\(fine.text)")
            // Values stored before the ranges existed (or written by hand): the quota maths must not trap.
            try await host.store.setBudgetSettings(
                BudgetSettings(weeklyBudgetMicros: .max, monthlyBudgetMicros: .max, alertThresholdPercent: 100, autoDisable: true),
                now: host.clock.now)
            try await host.store.upsertTier(
                TierRecord(
                    name: "free", requestsPerDay: .max, requestsPerWeek: .max, requestsPerMonth: .max, monthlyBudgetMicros: .max,
                    priceMicros: .max), now: host.clock.now)
            try await host.store.upsertProviderPriority(
                ProviderPriority(
                    provider: "fallback", model: "", priority: 0, enabled: true, dailyCapMicros: .max, weeklyCapMicros: .max,
                    monthlyCapMicros: .max), now: host.clock.now)
            let user = try await client.register("bigspender")
            for _ in 0..<2 {
                let chat = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "how do I squat?"])
                #expect(chat.status == .ok, "\(chat.text)")
            }
            #expect(try await client.send(.get, "/api/v1/users/me/usage", token: user.token).status == .ok)
            #expect(try await client.send(.get, "/api/v1/admin/budget", token: admin).status == .ok)
            #expect(try await client.send(.get, "/api/v1/admin/usage", token: admin).status == .ok)
        }
    }

    @Test("Money's checked arithmetic saturates instead of trapping")
    func moneyArithmetic() {
        #expect(Money.share(80, of: .max) == Int64.max / 100 * 80 + Int64.max % 100 * 80 / 100)
        #expect(Money.share(100, of: .max) == .max)
        #expect(Money.share(80, of: .min) < 0)
        #expect(Money.share(500, of: 1000) == 1000)
        #expect(Money.adding(.max, 1) == .max)
        #expect(Money.adding(.min, -1) == .min)
        #expect(Money.subtracting(.min, 1) == .min)
        #expect(Money.subtracting(.max, -1) == .max)
        #expect(Money.sum([.max, .max, 5]) == .max)
        #expect(Money.clamp(.max) == Money.maxMicros && Money.clamp(-5) == 0)
    }
}
