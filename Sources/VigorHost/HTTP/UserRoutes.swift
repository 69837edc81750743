import Foundation
import Hummingbird
import VigorCoaching

/// `/api/v1/users/me*`: the fitness profile, progress metrics and usage.
struct UserRoutes {
    let services: RouteServices

    func register(in table: RouteTable) {
        let services = self.services
        APIKeyRoutes(services: services).register(in: table)
        AccountRoutes(services: services).register(in: table)
        CatalogRoutes(services: services).register(in: table)
        table.add(
            RouteDoc(
                .get, "/api/v1/users/me", summary: "The fitness profile (the default one until set)", tag: "users",
                access: .user, responses: [.init(200, "Profile", schema: "FitnessProfile"), .init(401, "Not signed in")])
        ) { _, context in
            let identity = try context.requireIdentity()
            return try JSONResponse.make(try await services.profile(userID: identity.userID))
        }

        table.add(
            RouteDoc(
                .put, "/api/v1/users/me", summary: "Replace the fitness profile", tag: "users", access: .user,
                request: "FitnessProfile",
                responses: [.init(200, "Stored profile", schema: "FitnessProfile"), .init(422, "Invalid field")])
        ) { request, context in
            let identity = try context.requireIdentity()
            let profile = try await services.body.decode(FitnessProfile.self, from: request)
            let errors = profile.validate()
            guard errors.isEmpty else { throw APIError.validation(errors) }
            let json = String(decoding: try JSONResponse.encoder.encode(profile), as: UTF8.self)
            try await services.store.setProfileJSON(userID: identity.userID, json: json, now: services.clock.now())
            return try JSONResponse.make(profile)
        }

        table.add(
            RouteDoc(
                .get, "/api/v1/users/me/progress", summary: "Progress entries, newest first", tag: "users",
                access: .user, responses: [.init(200, "Entries", schema: "ProgressList")],
                query: RouteDoc.pagination)
        ) { request, context in
            let identity = try context.requireIdentity()
            let records = try await services.store.progress(userID: identity.userID, page: services.page(request))
            return try JSONResponse.make(ItemList(items: records.map(ProgressResponse.init)))
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/users/me/progress", summary: "Record weight, body fat or measurements", tag: "users",
                access: .user, request: "ProgressInput",
                responses: [
                    .init(201, "Stored entry", schema: "Progress"), .init(409, "The per-user cap of entries is reached"),
                    .init(422, "Invalid field"),
                ])
        ) { request, context in
            let identity = try context.requireIdentity()
            let input = try await services.body.decode(ProgressInput.self, from: request)
            let errors = input.validate()
            guard errors.isEmpty else { throw APIError.validation(errors) }
            try await services.requireRoom(for: "progress entries", cap: services.configuration.userLimits.progressEntries) {
                try await services.store.progress(userID: identity.userID, page: $0)
            }
            let now = services.clock.now()
            let record = try await services.store.createProgress(
                NewProgress(
                    recordedOn: input.date ?? UsagePeriod.dayString(now), weightKg: input.weightKg,
                    bodyFatPercent: input.bodyFatPercent, measurementsCm: input.measurements ?? [:],
                    notes: input.notes ?? ""),
                userID: identity.userID, now: now)
            return try JSONResponse.make(ProgressResponse(record), status: .created)
        }

        table.add(
            RouteDoc(
                .get, "/api/v1/users/me/usage", summary: "AI requests and spend per period, with what remains",
                tag: "users", access: .user, responses: [.init(200, "Usage", schema: "Usage")])
        ) { _, context in
            let identity = try context.requireIdentity()
            return try JSONResponse.make(try await services.usage(identity: identity))
        }
    }
}

extension RouteServices {
    /// The stored profile, or the default one when the user has not set any.
    func profile(userID: Int64) async throws -> FitnessProfile {
        guard let json = try await store.profileJSON(userID: userID),
            let profile = try? JSONDecoder().decode(FitnessProfile.self, from: Data(json.utf8))
        else { return .default }
        return profile
    }

    func usage(identity: Identity) async throws -> UsageResponse {
        let now = clock.now()
        let counters = try await store.usageCounters(userID: identity.userID, at: now)
        let tier = try await store.tier(named: identity.tier)
        let periods = counters.map { counter in
            let limit = tier?.requestLimit(for: counter.period) ?? 0
            return UsageResponse.PeriodUsage(
                period: counter.period.rawValue, periodStart: counter.periodStart,
                resetsAt: counter.period.end(containing: now), requestsUsed: counter.requests, requestsLimit: limit,
                requestsRemaining: max(0, limit - counter.requests), costMicros: counter.costMicros,
                costUSD: counter.costMicros.usd)
        }
        let budget = tier?.monthlyBudgetMicros ?? 0
        let spent = counters.first { $0.period == .month }?.costMicros ?? 0
        return UsageResponse(
            tier: identity.tier, periods: periods, monthlyBudgetMicros: budget, budgetUsedMicros: spent,
            budgetRemainingMicros: max(0, Money.subtracting(budget, spent)))
    }
}

extension RouteDoc {
    /// `limit` and `offset` of list routes.
    static let pagination: [(name: String, description: String)] = [
        ("limit", "Most items to return (1–200, default 50)"), ("offset", "Items to skip (default 0)"),
    ]
}
