import Foundation
import Hummingbird
import VigorCoaching

/// `/api/v1/users/me/export` and `DELETE /api/v1/users/me`: a user's own data, all of it.
struct AccountRoutes {
    let services: RouteServices

    func register(in table: RouteTable) {
        let services = self.services
        let apiKeys = table.authenticator.apiKeys
        let proxies =
            (try? TrustedProxies(
                cidrs: services.configuration.trustedProxies, trustForwardedFor: services.configuration.trustForwardedFor))
            ?? TrustedProxies.none
        let session = WebSession(refreshTTL: services.configuration.refreshTokenTTL, proxies: proxies)

        table.add(
            RouteDoc(
                .get, "/api/v1/users/me/export",
                summary: "Everything stored about me as one JSON document (account, profile, chats, plans, logs, progress, keys, usage)",
                tag: "users", access: .user,
                responses: [.init(200, "The export", schema: "AccountExport"), .init(401, "Not signed in")])
        ) { _, context in
            let identity = try context.requireIdentity()
            let data = try await Self.accountStore(services).exportUserData(userID: identity.userID, now: services.clock.now())
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"vigor-export.json\""
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }

        table.add(
            RouteDoc(
                .delete, "/api/v1/users/me",
                summary: "Delete my account and everything it owns (the password confirms it); the usage log keeps anonymous rows",
                tag: "users", access: .user, request: "DeleteAccountRequest",
                responses: [
                    .init(204, "Deleted"), .init(401, "Not signed in"), .init(403, "Cross-site request refused"),
                    .init(422, "Wrong password"), .init(429, "Too many wrong passwords (Retry-After)"),
                ])
        ) { request, context in
            let identity = try context.requireIdentity()
            if WebSession.isWebClient(request) { try WebSession.requireSameOrigin(request) }
            let input = try await services.body.decode(DeleteAccountRequest.self, from: request)
            let store = try Self.accountStore(services)
            _ = try await services.accounts.confirmPassword(
                userID: identity.userID, password: input.password, field: "password",
                address: AuthRoutes.clientAddress(request, context, proxies: proxies))
            // Revoked first, so no cached API key outlives the account.
            let now = services.clock.now()
            for key in try await services.store.apiKeys(userID: identity.userID) where key.revokedAt == nil {
                if let hash = try await services.store.revokeAPIKey(id: key.id, userID: identity.userID, now: now) {
                    apiKeys.invalidate(hash: hash)
                }
            }
            guard try await store.deleteAccount(userID: identity.userID) else { throw APIError.unauthorized() }
            context.logger.info("account deleted", metadata: ["user_id": "\(identity.userID)"])
            var response = JSONResponse.noContent()
            if WebSession.isWebClient(request) { response.setCookie(session.clearCookie(request: request, context: context)) }
            return response
        }
    }

    static func accountStore(_ services: RouteServices) throws -> any AccountDataStore {
        guard let store = services.store as? any AccountDataStore else {
            throw APIError(.notImplemented, code: "not_supported", message: "this store cannot export or delete accounts")
        }
        return store
    }
}

/// `DELETE /api/v1/users/me` body.
struct DeleteAccountRequest: Decodable {
    var password: String
}
