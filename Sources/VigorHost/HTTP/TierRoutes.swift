import Foundation
import Hummingbird
import VigorCoaching

/// `GET /api/v1/tiers` and the admin routes `/api/v1/admin/tiers`, `/users/{id}/tier`, `/usage`.
struct TierRoutes {
    let services: RouteServices

    func register(in table: RouteTable) {
        let services = self.services
        // The AI admin routes (providers, budget, plugins) and the provider status.
        AdminRoutes(services: services).register(in: table)
        let listTiers: RouteTable.Handler = { _, _ in
            try JSONResponse.make(ItemList(items: try await services.store.tiers().map(TierBody.init)))
        }
        table.add(
            RouteDoc(
                .get, "/api/v1/tiers", summary: "The tiers and their limits", tag: "tiers", access: .open,
                responses: [.init(200, "Tiers", schema: "TierList")]),
            handler: listTiers)

        table.add(
            RouteDoc(
                .get, "/api/v1/admin/tiers", summary: "The tiers (admin)", tag: "admin", access: .admin,
                responses: [.init(200, "Tiers", schema: "TierList"), .init(403, "Not an admin")]),
            handler: listTiers)

        table.add(
            RouteDoc(
                .put, "/api/v1/admin/tiers", summary: "Create or replace tiers", tag: "admin", access: .admin,
                request: "TiersInput",
                responses: [
                    .init(200, "All tiers", schema: "TierList"), .init(403, "Not an admin"), .init(422, "Invalid tier"),
                ])
        ) { request, _ in
            let input = try await services.body.decode(TiersInput.self, from: request)
            guard !input.tiers.isEmpty else { throw APIError.invalid("tiers", "give at least one tier") }
            let errors = input.tiers.enumerated().flatMap { index, tier in tier.validate(prefix: "tiers[\(index)].") }
            guard errors.isEmpty else { throw APIError.validation(errors) }
            for tier in input.tiers {
                try await services.store.upsertTier(tier.record, now: services.clock.now())
            }
            return try JSONResponse.make(ItemList(items: try await services.store.tiers().map(TierBody.init)))
        }

        table.add(
            RouteDoc(
                .put, "/api/v1/admin/users/{id}/tier", summary: "Move a user to another tier", tag: "admin",
                access: .admin, request: "TierAssignment",
                responses: [
                    .init(200, "The account", schema: "Account"), .init(403, "Not an admin"),
                    .init(404, "Unknown user"), .init(422, "Unknown tier (the name must be one of GET /api/v1/tiers)"),
                ])
        ) { request, context in
            let userID = try services.id(context, what: "user")
            let input = try await services.body.decode(TierAssignment.self, from: request)
            guard try await services.store.user(id: userID) != nil else { throw APIError.notFound("user") }
            let user = try await services.store.setTier(userID: userID, tier: input.tier, now: services.clock.now())
            context.logger.notice("tier changed", metadata: ["target_user": "\(userID)", "tier": "\(input.tier)"])
            return try JSONResponse.make(AccountResponse(user))
        }

        table.add(
            RouteDoc(
                .get, "/api/v1/admin/usage", summary: "AI requests and cost by user, provider, model and day since a day",
                tag: "admin",
                access: .admin, responses: [.init(200, "Usage", schema: "AdminUsage"), .init(403, "Not an admin")],
                query: [("since", "First day, YYYY-MM-DD (default: the start of this month, UTC)")])
        ) { request, _ in
            let now = services.clock.now()
            var since = UsagePeriod.month.start(containing: now)
            if let text = request.uri.queryParameters.get("since") {
                guard let day = UsagePeriod.parseDay(text) else { throw APIError.invalid("since", "must be YYYY-MM-DD") }
                since = day
            }
            let rows = try await services.store.usageByUser(since: since).map {
                AdminUsageBody.UserRow(
                    userID: $0.userID, username: $0.username, tier: $0.tier, requests: $0.requests,
                    promptTokens: $0.promptTokens, completionTokens: $0.completionTokens, costMicros: $0.costMicros,
                    costUSD: $0.costMicros.usd)
            }
            let breakdown = try await services.store.usageBreakdown(since: since)
            return try JSONResponse.make(
                AdminUsageBody(
                    since: UsagePeriod.dayString(since), users: rows,
                    totalRequests: rows.reduce(0) { $0.addingReportingOverflow($1.requests).overflow ? .max : $0 + $1.requests },
                    totalCostMicros: Money.sum(rows.map(\.costMicros)), byProvider: breakdown.byProvider.map(UsageGroupBody.init),
                    byModel: breakdown.byModel.map(UsageGroupBody.init), byDay: breakdown.byDay.map(UsageGroupBody.init)))
        }
    }
}
