import Foundation
import Hummingbird

/// `/api/v1/admin/models`: the model catalogue as the router sees it, and the admin's
/// overrides that add a model to a provider (or change a listed model's prices and limits)
/// without a plugin release. A change routes at once on this host (other hosts sharing the
/// database within a second).
struct AdminModelRoutes {
    let services: RouteServices

    func register(in table: RouteTable) {
        let services = self.services
        table.add(
            RouteDoc(
                .get, "/api/v1/admin/models",
                summary: "Every model per provider (plugin-listed and admin-added) with prices, limits and whether it routes",
                tag: "admin", access: .admin,
                responses: [.init(200, "Models", schema: "ModelEntryList"), .init(403, "Not an admin")])
        ) { _, _ in
            let admin = try Self.admin(services)
            return try JSONResponse.make(ItemList(items: try await admin.modelTable().map(ModelBody.init)))
        }

        table.add(
            RouteDoc(
                .put, "/api/v1/admin/models",
                summary: "Add a model to a provider, or replace a model's prices and limits, keyed by (provider, id)", tag: "admin",
                access: .admin, request: "ModelInput",
                responses: [
                    .init(200, "The model as it now routes", schema: "ModelEntry"), .init(403, "Not an admin"),
                    .init(422, "A field outside its range"),
                ])
        ) { request, context in
            let admin = try Self.admin(services)
            let input = try await services.body.decode(ModelInput.self, from: request).override
            let problems = input.problems
            guard problems.isEmpty else { throw APIError.validation(problems) }
            try await admin.putModel(input)
            context.logger.notice(
                "model override changed",
                metadata: [
                    "provider": "\(input.provider)", "model": "\(input.id)", "input_per_mtok_usd": "\(input.inputPerMTokUSD)",
                    "output_per_mtok_usd": "\(input.outputPerMTokUSD)",
                ])
            let entry = try await admin.modelTable().first { $0.offer.id == input.id && $0.offer.provider == input.provider }
            guard let entry else { throw APIError.internalError }
            return try JSONResponse.make(ModelBody(entry))
        }

        table.add(
            RouteDoc(
                .delete, "/api/v1/admin/models",
                summary: "Remove an admin model override (a plugin-listed model returns to its own figures)",
                tag: "admin", access: .admin,
                responses: [.init(204, "Removed"), .init(403, "Not an admin"), .init(404, "No such override")],
                query: [("provider", "The provider's short name (required)"), ("id", "The model id (required)")])
        ) { request, context in
            let admin = try Self.admin(services)
            guard let provider = request.uri.queryParameters.get("provider"), !provider.isEmpty else {
                throw APIError.invalid("provider", "is required")
            }
            guard let id = request.uri.queryParameters.get("id"), !id.isEmpty else { throw APIError.invalid("id", "is required") }
            guard try await admin.deleteModel(id: id, provider: provider) else { throw APIError.notFound("model override") }
            context.logger.notice("model override removed", metadata: ["provider": "\(provider)", "model": "\(id)"])
            return JSONResponse.noContent()
        }
    }

    /// The AI layer's model administration; 503 when the host runs without a model catalogue.
    static func admin(_ services: RouteServices) throws -> any ModelAdministration {
        guard let admin = services.coachAI.modelAdmin else {
            throw APIError(.serviceUnavailable, code: "no_model_catalogue", message: "this host's AI layer keeps no model catalogue")
        }
        return admin
    }
}
