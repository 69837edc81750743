import Foundation
import Hummingbird
import VigorCoaching

/// `/api/v1/workouts/*`: the user's plans and workout logs.
struct WorkoutRoutes {
    let services: RouteServices

    func register(in table: RouteTable) {
        let services = self.services
        table.add(
            RouteDoc(
                .get, "/api/v1/workouts/plans", summary: "The user's plans, newest first", tag: "workouts",
                access: .user, responses: [.init(200, "Plan summaries", schema: "PlanList")], query: RouteDoc.pagination)
        ) { request, context in
            let identity = try context.requireIdentity()
            let records = try await services.store.plans(userID: identity.userID, page: services.page(request))
            return try JSONResponse.make(ItemList(items: records.compactMap(PlanSummary.init)))
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/workouts/plans",
                summary:
                    "Store a plan the client wrote (validated first; at most 256 KiB, 16 weeks, 7 days a week, 30 exercises a session; 409 past the per-user plan cap)",
                tag: "workouts", access: .user, request: "WorkoutPlan",
                responses: [
                    .init(201, "The stored plan", schema: "StoredWorkoutPlan"), .init(409, "The per-user cap of plans is reached"),
                    .init(413, "Over 256 KiB"), .init(422, "Plan violations"),
                ])
        ) { request, context in
            let identity = try context.requireIdentity()
            let plan = try await services.body.decode(WorkoutPlan.self, from: request)
            try await services.requireRoom(for: "plans", cap: services.configuration.userLimits.plans) {
                try await services.store.plans(userID: identity.userID, page: $0)
            }
            let profile = try await services.profile(userID: identity.userID)
            let violations = PlanChecks.violations(of: plan, profile: profile)
            guard violations.isEmpty else { throw APIError.validation(violations) }
            let json = String(decoding: try JSONResponse.encoder.encode(plan), as: UTF8.self)
            let record = try await services.store.createPlan(
                userID: identity.userID, source: "client", planJSON: json, now: services.clock.now())
            return try PlanBody.response(record, status: .created)
        }

        table.add(
            RouteDoc(
                .get, "/api/v1/workouts/plans/{id}", summary: "One plan in full", tag: "workouts", access: .user,
                responses: [.init(200, "The plan", schema: "StoredWorkoutPlan"), .init(404, "Not found")])
        ) { _, context in
            let identity = try context.requireIdentity()
            let id = try services.id(context, what: "workout plan")
            guard let record = try await services.store.plan(id: id, userID: identity.userID) else {
                throw APIError.notFound("workout plan")
            }
            return try PlanBody.response(record)
        }

        table.add(
            RouteDoc(
                .get, "/api/v1/workouts/logs", summary: "The user's workout logs, newest first", tag: "workouts",
                access: .user, responses: [.init(200, "Logs", schema: "WorkoutLogList")], query: RouteDoc.pagination)
        ) { request, context in
            let identity = try context.requireIdentity()
            let records = try await services.store.workoutLogs(userID: identity.userID, page: services.page(request))
            return try JSONResponse.make(ItemList(items: records.map(WorkoutLogBody.init)))
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/workouts/logs", summary: "Log a session against one of the user's plans",
                tag: "workouts", access: .user, request: "WorkoutLogInput",
                responses: [
                    .init(201, "The stored log", schema: "WorkoutLog"), .init(404, "Unknown plan"),
                    .init(409, "The per-user cap of workout logs is reached"),
                    .init(422, "Invalid field"),
                ])
        ) { request, context in
            let identity = try context.requireIdentity()
            let input = try await services.body.decode(WorkoutLogInput.self, from: request)
            let errors = input.validate(catalog: .standard)
            guard errors.isEmpty else { throw APIError.validation(errors) }
            try await services.requireRoom(for: "workout logs", cap: services.configuration.userLimits.workoutLogs) {
                try await services.store.workoutLogs(userID: identity.userID, page: $0)
            }
            let now = services.clock.now()
            let exercises = String(decoding: try JSONResponse.encoder.encode(input.exercises), as: UTF8.self)
            let log = NewWorkoutLog(
                planID: input.planID, performedOn: input.date ?? UsagePeriod.dayString(now),
                durationMinutes: input.durationMinutes, exercisesJSON: exercises, notes: input.notes ?? "",
                rating: input.rating)
            do {
                let record = try await services.store.createWorkoutLog(log, userID: identity.userID, now: now)
                return try JSONResponse.make(WorkoutLogBody(record), status: .created)
            } catch let error as StoreError where error.code == .notFound {
                throw APIError.notFound("workout plan")
            }
        }
    }
}
