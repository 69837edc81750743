import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

/// `/api/v1/admin/providers|budget|usage|plugins` and `/api/v1/ai/provider-status`.
@Suite("AI admin routes")
struct AdminAIRoutesTests {
    @Test("the AI admin routes need the admin role")
    func adminOnly() async throws {
        try await PluginHost.run { _, client in
            let user = try await client.register("notadmin")
            let routes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/v1/admin/providers", nil),
                (.put, "/api/v1/admin/providers", jsonText(["providers": [["provider": "openai", "priority": 1]]])),
                (.get, "/api/v1/admin/budget", nil),
                (.put, "/api/v1/admin/budget", jsonText(["monthly_budget_micros": 1])),
                (.get, "/api/v1/admin/plugins", nil),
                (.get, "/api/v1/admin/usage", nil),
            ]
            for (method, path, body) in routes {
                try await client.send(method, path, body: body).expectError(.unauthorized)
                try await client.send(method, path, token: user.token, body: body).expectError(.forbidden, code: "forbidden")
            }
        }
    }

    @Test("providers: list the seeded rules, upsert priorities and caps (micro-dollars), validate")
    func providers() async throws {
        try await PluginHost.run { host, client in
            let admin = try await host.adminToken(client)
            let list = try await client.send(.get, "/api/v1/admin/providers", token: admin)
            #expect(list.status == .ok)
            #expect(list.items.compactMap { $0["provider"] as? String } == ["gemini", "perplexity", "openai", "fallback"])
            let fallback = try #require(list.items.first { $0["provider"] as? String == "fallback" })
            #expect(fallback["loaded"] as? Bool == true)
            #expect(fallback["daily_cap_micros"] is NSNull)

            let put = try await client.send(
                .put, "/api/v1/admin/providers", token: admin,
                json: [
                    "providers": [
                        ["provider": "openai", "priority": 0, "enabled": false, "daily_cap_micros": 2_000_000],
                        ["provider": "openai", "model": "gpt-4o-mini", "priority": 3, "monthly_cap_micros": 50_000_000],
                    ]
                ])
            #expect(put.status == .ok, "\(put.text)")
            let rules = try await host.store.providerPriorities()
            let openai = try #require(rules.first { $0.provider == "openai" && $0.model.isEmpty })
            #expect(openai.priority == 0 && !openai.enabled && openai.dailyCapMicros == 2_000_000)
            #expect(rules.contains { $0.model == "gpt-4o-mini" && $0.monthlyCapMicros == 50_000_000 })
            #expect(put.items.count == 5)

            let invalid = try await client.send(
                .put, "/api/v1/admin/providers", token: admin,
                json: ["providers": [["provider": "Bad Name!", "priority": -1, "weekly_cap_micros": -5]]])
            invalid.expectError(.unprocessableContent)
            #expect(
                Set(invalid.errorFields)
                    == ["providers[0].provider", "providers[0].priority", "providers[0].weekly_cap_micros"])
        }
    }

    @Test("budget: settings, spend per period and alerts; partial updates; null clears")
    func budget() async throws {
        try await PluginHost.run { host, client in
            let admin = try await host.adminToken(client)
            let initial = try await client.send(.get, "/api/v1/admin/budget", token: admin)
            #expect(initial.status == .ok)
            #expect(initial.json["alert_threshold_percent"] as? Int == 80)
            #expect(initial.json["auto_disable"] as? Bool == true)
            #expect(initial.json["monthly_budget_micros"] is NSNull)
            let periods = (initial.json["spend"] as? [[String: Any]] ?? []).compactMap { $0["period"] as? String }
            #expect(periods == ["day", "week", "month"])

            let put = try await client.send(
                .put, "/api/v1/admin/budget", token: admin,
                json: ["weekly_budget_micros": 10_000_000, "monthly_budget_micros": 30_000_000, "alert_threshold_percent": 50])
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.json["weekly_budget_micros"] as? Int == 10_000_000)
            #expect(put.json["monthly_budget_micros"] as? Int == 30_000_000)
            #expect(put.json["alert_threshold_percent"] as? Int == 50)
            let month = (put.json["spend"] as? [[String: Any]] ?? []).first { $0["period"] as? String == "month" }
            #expect(month?["budget_micros"] as? Int == 30_000_000)
            #expect(month?["percent_used"] is Double || month?["percent_used"] is Int)

            // Partial: only auto_disable changes; null clears the weekly budget.
            let patch = try await client.send(
                .put, "/api/v1/admin/budget", token: admin, body: #"{"auto_disable": false, "weekly_budget_micros": null}"#)
            #expect(patch.status == .ok)
            let settings = try await host.store.budgetSettings()
            #expect(settings.weeklyBudgetMicros == nil)
            #expect(settings.monthlyBudgetMicros == 30_000_000)
            #expect(settings.alertThresholdPercent == 50)
            #expect(!settings.autoDisable)

            try await client.send(.put, "/api/v1/admin/budget", token: admin, json: ["alert_threshold_percent": 0])
                .expectError(.unprocessableContent)

            // An alert recorded by the ledger shows up.
            try await host.store.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO budget_events (period, period_start, kind, spent_micros, budget_micros, created_at) VALUES ('month', '2026-11-01', 'alert', 16, 30, 1)"
                )
            }
            let after = try await client.send(.get, "/api/v1/admin/budget", token: admin)
            let alerts = after.json["alerts"] as? [[String: Any]] ?? []
            #expect(alerts.count == 1)
            #expect(alerts.first?["kind"] as? String == "alert")
        }
    }

    @Test("usage: totals by user, provider, model and day since a day")
    func usage() async throws {
        try await PluginHost.run { host, client in
            let admin = try await host.adminToken(client)
            let user = try await client.register("spender")
            for message in ["one", "two"] {
                #expect(try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": message]).status == .ok)
            }
            let reply = try await client.send(.get, "/api/v1/admin/usage", token: admin)
            #expect(reply.status == .ok)
            let byProvider = reply.json["by_provider"] as? [[String: Any]] ?? []
            #expect(byProvider.first { $0["provider"] as? String == "fallback" }?["requests"] as? Int == 2)
            let byModel = reply.json["by_model"] as? [[String: Any]] ?? []
            #expect(byModel.contains { ($0["key"] as? String)?.hasPrefix("fallback/") == true && $0["model"] is String })
            let byDay = reply.json["by_day"] as? [[String: Any]] ?? []
            #expect(byDay.map { $0["key"] as? String } == [UsagePeriod.dayString(Date())])
            #expect(byDay.first?["requests"] as? Int == 2)
            #expect((reply.json["users"] as? [[String: Any]])?.first?["username"] as? String == "spender")

            let future = try await client.send(.get, "/api/v1/admin/usage?since=2999-01-01", token: admin)
            #expect((future.json["by_day"] as? [Any])?.isEmpty == true)
            try await client.send(.get, "/api/v1/admin/usage?since=yesterday", token: admin).expectError(.unprocessableContent)
        }
    }

    @Test("plugins: loaded components and rejected files with reasons")
    func plugins() async throws {
        try await PluginHost.run(preparePlugins: { folder in
            try Data("not a shared library".utf8).write(to: folder.appendingPathComponent("libBroken.so"))
        }) { host, client in
            let admin = try await host.adminToken(client)
            let reply = try await client.send(.get, "/api/v1/admin/plugins", token: admin)
            #expect(reply.status == .ok)
            let loaded = reply.json["loaded"] as? [[String: Any]] ?? []
            #expect(Set(loaded.compactMap { $0["id"] as? String }) == ["dev.vigor.fallback", "dev.vigor.planner"])
            let fallback = loaded.first { $0["id"] as? String == "dev.vigor.fallback" }
            #expect(fallback?["kind"] as? String == "llm-provider")
            #expect(fallback?["provider"] as? String == "fallback")
            #expect((fallback?["capabilities"] as? [String: Bool])?["offline"] == true)
            let rejected = reply.json["rejected"] as? [[String: Any]] ?? []
            #expect(rejected.count == 1)
            #expect((rejected.first?["path"] as? String)?.hasSuffix("libBroken.so") == true)
            #expect((rejected.first?["reason"] as? String)?.isEmpty == false)
            #expect(reply.json["directory"] as? String == host.pluginFolder.path)
        }
    }

    @Test("provider-status shows enabled, has_secret and the circuit — never a secret's value")
    func providerStatus() async throws {
        let secret = "sk-test-SECRET-value-0123456789"
        try await PluginHost.run(
            plugins: PluginHost.defaultPlugins + ["libVigorOpenAI.so", "libVigorGemini.so"],
            environment: ["OPENAI_API_KEY": secret]
        ) { host, client in
            let user = try await client.register("curious")
            let reply = try await client.send(.get, "/api/v1/ai/provider-status", token: user.token)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(!reply.text.contains(secret))
            #expect(!reply.text.contains("SECRET"))
            let providers = reply.json["providers"] as? [[String: Any]] ?? []
            let byName = Dictionary(uniqueKeysWithValues: providers.compactMap { p in (p["provider"] as? String).map { ($0, p) } })
            #expect(byName["openai"]?["has_secret"] as? Bool == true)
            #expect(byName["gemini"]?["has_secret"] as? Bool == false)
            #expect(byName["gemini"]?["available"] as? Bool == false)
            #expect(byName["fallback"]?["has_secret"] as? Bool == true)
            #expect(byName["fallback"]?["offline"] as? Bool == true)
            #expect((byName["openai"]?["circuit"] as? [String: Any])?["state"] as? String == "closed")
            #expect(byName["openai"]?["enabled"] as? Bool == true)
            // Disabling a provider shows.
            let admin = try await host.adminToken(client)
            _ = try await client.send(
                .put, "/api/v1/admin/providers", token: admin,
                json: ["providers": [["provider": "openai", "priority": 3, "enabled": false]]])
            let after = try await client.send(.get, "/api/v1/ai/provider-status", token: user.token)
            let openai = (after.json["providers"] as? [[String: Any]] ?? []).first { $0["provider"] as? String == "openai" }
            #expect(openai?["enabled"] as? Bool == false)
            // No admin or plugin route leaks the secret either.
            for path in ["/api/v1/admin/plugins", "/api/v1/admin/providers", "/v1/models"] {
                let listing = try await client.send(.get, path, token: admin)
                #expect(!listing.text.contains(secret), "\(path) leaks the secret")
            }
            _ = host
        }
    }
}
