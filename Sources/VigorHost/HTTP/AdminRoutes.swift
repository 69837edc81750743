import Foundation
import Hummingbird
import VigorCoaching
import VigorPluginLoader

/// Admin routes for the AI layer: provider priorities and caps, the global budget, the
/// plugin inventory; and the user-visible `GET /api/v1/ai/provider-status`.
/// (`/api/v1/admin/usage` lives with the tier routes.)
struct AdminRoutes {
    let services: RouteServices

    func register(in table: RouteTable) {
        registerProviders(in: table)
        registerBudget(in: table)
        registerPlugins(in: table)
    }

    private func registerProviders(in table: RouteTable) {
        let services = self.services
        table.add(
            RouteDoc(
                .get, "/api/v1/admin/providers",
                summary: "Provider routing rules (priority, enabled, cost caps in micro-dollars) with current spend",
                tag: "admin", access: .admin,
                responses: [.init(200, "Rules", schema: "ProviderRuleList"), .init(403, "Not an admin")])
        ) { _, _ in
            try JSONResponse.make(ItemList(items: try await Self.providerRules(services)))
        }

        table.add(
            RouteDoc(
                .put, "/api/v1/admin/providers",
                summary: "Create or replace provider rules, keyed by (provider, model)", tag: "admin", access: .admin,
                request: "ProvidersInput",
                responses: [
                    .init(200, "All rules", schema: "ProviderRuleList"), .init(403, "Not an admin"),
                    .init(422, "Invalid rule"),
                ])
        ) { request, context in
            let input = try await services.body.decode(ProvidersInput.self, from: request)
            guard !input.providers.isEmpty else { throw APIError.invalid("providers", "give at least one rule") }
            let errors = input.providers.enumerated().flatMap { index, rule in rule.validate(prefix: "providers[\(index)].") }
            guard errors.isEmpty else { throw APIError.validation(errors) }
            for rule in input.providers {
                try await services.store.upsertProviderPriority(rule.rule, now: services.clock.now())
                context.logger.notice(
                    "provider rule changed",
                    metadata: ["provider": "\(rule.provider)", "model": "\(rule.model)", "enabled": "\(rule.enabled)"])
            }
            return try JSONResponse.make(ItemList(items: try await Self.providerRules(services)))
        }
    }

    static func providerRules(_ services: RouteServices) async throws -> [ProviderRuleBody] {
        let rules = try await services.store.providerPriorities()
        let spend = try await services.store.providerSpend(at: services.clock.now())
        let loaded = Set(services.coachAI.providerHealth(nowMs: services.clock.now().epochMillis).map(\.provider))
        return rules.map { rule in
            let spent = Dictionary(
                (spend[rule.provider] ?? []).map { ($0.period.rawValue, $0.costMicros) }, uniquingKeysWith: { a, _ in a })
            return ProviderRuleBody(rule, loaded: loaded.contains(rule.provider), spent: spent)
        }
    }

    private func registerBudget(in table: RouteTable) {
        let services = self.services
        table.add(
            RouteDoc(
                .get, "/api/v1/admin/budget",
                summary: "Global AI budget settings, current spend per period and recent alerts", tag: "admin",
                access: .admin, responses: [.init(200, "Budget", schema: "Budget"), .init(403, "Not an admin")])
        ) { _, _ in
            try JSONResponse.make(try await Self.budget(services))
        }

        table.add(
            RouteDoc(
                .put, "/api/v1/admin/budget",
                summary: "Change the global budget (absent fields keep their value; null clears a budget)", tag: "admin",
                access: .admin, request: "BudgetInput",
                responses: [.init(200, "Budget", schema: "Budget"), .init(403, "Not an admin"), .init(422, "Invalid field")])
        ) { request, context in
            let input = try await services.body.decode(BudgetInput.self, from: request)
            let next = try input.applied(to: try await services.store.budgetSettings())
            try await services.store.setBudgetSettings(next, now: services.clock.now())
            context.logger.notice(
                "global budget changed",
                metadata: [
                    "weekly_micros": "\(next.weeklyBudgetMicros.map(String.init) ?? "none")",
                    "monthly_micros": "\(next.monthlyBudgetMicros.map(String.init) ?? "none")",
                    "alert_percent": "\(next.alertThresholdPercent)", "auto_disable": "\(next.autoDisable)",
                ])
            return try JSONResponse.make(try await Self.budget(services))
        }
    }

    static func budget(_ services: RouteServices) async throws -> BudgetBody {
        let now = services.clock.now()
        let settings = try await services.store.budgetSettings()
        let spend = try await services.store.globalSpend(at: now).map { period -> BudgetBody.Spend in
            let budget: Int64? =
                switch period.period {
                case .week: settings.weeklyBudgetMicros
                case .month: settings.monthlyBudgetMicros
                case .day: nil
                }
            let percent = budget.map { $0 > 0 ? (Double(period.costMicros) * 100 / Double($0) * 100).rounded() / 100 : 100 }
            return BudgetBody.Spend(
                period: period.period.rawValue, periodStart: period.periodStart, resetsAt: period.period.end(containing: now),
                spentMicros: period.costMicros, spentUSD: period.costMicros.usd, budgetMicros: budget, percentUsed: percent)
        }
        let events = try await services.store.budgetEvents(limit: 50).map {
            BudgetBody.Event(
                id: $0.id, period: $0.period, periodStart: $0.periodStart, kind: $0.kind, spentMicros: $0.spentMicros,
                budgetMicros: $0.budgetMicros, createdAt: $0.createdAt)
        }
        return BudgetBody(settings: settings, spend: spend, alerts: events)
    }

    /// Each loaded component's status for the plugin listing: `active`, or
    /// `inactive: missing secret NAME` — the loader's rule (``SecretGrant/status(declared:isSet:)``)
    /// against the secrets this host's egress holds.
    static func componentStatuses(_ ai: any CoachAI) -> [String: String] {
        var inner: any CoachAI = ai
        if let screened = inner as? SafetyScreenedCoachAI { inner = screened.inner }
        guard let plugins = inner as? PluginCoachAI else { return [:] }
        let secrets = plugins.router.egress?.secrets
        var statuses: [String: String] = [:]
        for component in plugins.registry.components {
            statuses[component.descriptor.id] = SecretGrant.status(declared: component.descriptor.secrets) { secrets?.has($0) ?? false }
        }
        return statuses
    }

    private func registerPlugins(in table: RouteTable) {
        let services = self.services
        table.add(
            RouteDoc(
                .get, "/api/v1/admin/plugins", summary: "Loaded plugin components and rejected plugin files with reasons",
                tag: "admin", access: .admin, responses: [.init(200, "Plugins", schema: "PluginInventory"), .init(403, "Not an admin")])
        ) { _, _ in
            try JSONResponse.make(PluginsBody(services.coachAI.pluginInventory, statuses: Self.componentStatuses(services.coachAI)))
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/admin/plugins/reload",
                summary: "Rescan the plugin folder now: load new plugins, replace changed ones (hot-add, no restart)",
                tag: "admin", access: .admin,
                responses: [
                    .init(200, "What changed and the plugins after the scan", schema: "PluginReload"), .init(403, "Not an admin"),
                    .init(503, "This host has no plugin folder"),
                ])
        ) { _, _ in
            // A scan probes new files in child processes (up to the probe deadline each): it runs
            // on the folder watch's own queue, never on a thread Swift tasks or event loops need.
            let coachAI = services.coachAI
            let reloaded = await withCheckedContinuation { continuation in
                PluginWatcher.scanQueue.async { continuation.resume(returning: coachAI.reloadPlugins()) }
            }
            guard let result = reloaded else {
                throw APIError(.serviceUnavailable, code: "no_plugin_folder", message: "this host has no plugin folder to rescan")
            }
            return try JSONResponse.make(
                PluginReloadBody(
                    changed: result.changed, plugins: PluginsBody(result.inventory, statuses: Self.componentStatuses(coachAI))))
        }

        table.add(
            RouteDoc(
                .get, "/api/v1/ai/provider-status",
                summary: "Each provider: enabled, whether its secret is configured (never the value), circuit state",
                tag: "ai", access: .user, responses: [.init(200, "Providers", schema: "ProviderStatus")])
        ) { _, _ in
            let now = services.clock.now()
            let rules = try await services.store.providerPriorities()
            let providers = services.coachAI.providerHealth(nowMs: now.epochMillis).map { health in
                let own = rules.filter { $0.provider == health.provider }
                let enabled = own.isEmpty || own.contains { $0.enabled }
                let circuit = health.circuit
                return ProviderStatusBody.Provider(
                    provider: health.provider, id: health.componentID, name: health.name, enabled: enabled,
                    priority: own.filter(\.enabled).map(\.priority).min(), hasSecret: health.hasSecret,
                    available: enabled && health.hasSecret && circuit.state != .open, offline: health.offline,
                    streaming: health.streaming, models: health.models,
                    circuit: .init(
                        state: circuit.state.rawValue, consecutiveFailures: circuit.consecutiveFailures,
                        openUntil: circuit.openUntilMs.map(Date.init(epochMillis:)), totalFailures: circuit.totalFailures,
                        totalSuccesses: circuit.totalSuccesses))
            }
            return try JSONResponse.make(ProviderStatusBody(providers: providers))
        }
    }
}
