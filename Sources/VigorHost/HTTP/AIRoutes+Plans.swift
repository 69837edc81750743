import Foundation
import Hummingbird
import VigorCoaching
import VigorPluginSDK

extension AIRoutes {
    /// `POST /api/v1/ai/workout-plan` and `POST /api/v1/ai/analyze-workout/{log_id}`.
    func registerPlanRoutes(in table: RouteTable) {
        let services = self.services
        table.add(
            RouteDoc(
                .post, "/api/v1/ai/workout-plan",
                summary: "Generate a plan from the profile (validated, then stored)", tag: "ai", access: .user,
                request: "PlanRequest",
                responses: [
                    .init(201, "The stored plan", schema: "StoredWorkoutPlan"), .init(422, "Invalid field"),
                    .init(429, "Quota exceeded"), .init(502, "No valid plan could be produced"),
                    .init(503, "No generator available"),
                ])
        ) { request, context in
            let identity = try context.requireIdentity()
            let planRequest = try await services.body.decodeIfPresent(PlanRequest.self, from: request) ?? PlanRequest()
            let errors = planRequest.validate()
            guard errors.isEmpty else { throw APIError.validation(errors) }
            try await services.requireRoom(for: "plans", cap: services.configuration.userLimits.plans) {
                try await services.store.plans(userID: identity.userID, page: $0)
            }
            let profile = try await services.profile(userID: identity.userID)
            let aiContext = AIRequestContext(userID: identity.userID, requestID: context.requestID)
            let generated = try await services.withAIErrors(identity: identity) {
                try await services.coachAI.generatePlan(profile: profile, request: planRequest, context: aiContext)
            }
            let json = String(decoding: try JSONResponse.encoder.encode(generated.plan), as: UTF8.self)
            let record = try await services.store.createPlan(
                userID: identity.userID, source: generated.generator, planJSON: json, now: services.clock.now())
            context.logger.info("plan generated", metadata: ["plan_id": "\(record.id)", "generator": "\(generated.generator)"])
            var response = try PlanBody.response(record, status: .created)
            response.setRateLimit(await services.rateLimitStatus(identity: identity))
            return response
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/ai/analyze-workout/{log_id}",
                summary: "Analyse a logged session against its plan (add ?narrative=true for a coach comment)",
                tag: "ai", access: .user,
                responses: [.init(200, "Analysis", schema: "WorkoutAnalysis"), .init(404, "Unknown log")],
                query: [("narrative", "true to ask the coach for a short comment (uses AI quota)")])
        ) { request, context in
            let identity = try context.requireIdentity()
            let logID = try services.id(context, "log_id", what: "workout log")
            guard let record = try await services.store.workoutLog(id: logID, userID: identity.userID) else {
                throw APIError.notFound("workout log")
            }
            guard let planRecord = try await services.store.plan(id: record.planID, userID: identity.userID),
                let plan = try? JSONDecoder().decode(WorkoutPlan.self, from: Data(planRecord.planJSON.utf8))
            else { throw APIError.notFound("workout plan") }
            var analysis = WorkoutAnalysis.analyze(logID: logID, log: WorkoutLogBody(record), plan: plan)
            if request.uri.queryParameters.get("narrative") == "true" {
                analysis.narrative = await Self.narrative(for: analysis, services: services, identity: identity, context: context)
            }
            var response = try JSONResponse.make(analysis)
            response.setRateLimit(await services.rateLimitStatus(identity: identity))
            return response
        }
    }

    /// A short coach comment on the analysis; `nil` when no provider can answer (the analysis stands alone).
    static func narrative(
        for analysis: WorkoutAnalysis, services: RouteServices, identity: Identity, context: VigorRequestContext
    ) async -> String? {
        guard let facts = try? String(decoding: JSONResponse.encoder.encode(analysis), as: UTF8.self) else { return nil }
        let request = ChatRequest(
            messages: [
                ChatMessage(role: "system", content: CoachPrompt.persona),
                ChatMessage(
                    role: "user",
                    content: "In three sentences, comment on this workout analysis and encourage me:\n\(facts)"),
            ], temperature: 0.5, maxTokens: 200)
        let reply = try? await services.callAI(kind: .analysis, identity: identity, context: context) {
            try await services.coachAI.chat(request, context: $0)
        }
        return reply?.text
    }
}
