import Foundation
import Hummingbird
import VigorCoaching

/// `/api/v1/users/me/api-keys`: a user's API keys for the OpenAI-compatible routes.
/// The key is returned once, by the create call; the store keeps its SHA-256 only.
struct APIKeyRoutes {
    let services: RouteServices
    /// Most live keys one user may hold.
    static let maxKeysPerUser = 25

    struct CreateInput: Decodable {
        var name: String?
    }

    struct KeyBody: Encodable {
        var id: Int64
        var name: String
        var prefix: String
        var createdAt: Date
        var lastUsedAt: Date?
        /// Only in the create response.
        var key: String?

        init(_ record: APIKeyRecord, key: String? = nil) {
            id = record.id
            name = record.name
            prefix = record.prefix
            createdAt = record.createdAt
            lastUsedAt = record.lastUsedAt
            self.key = key
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(prefix, forKey: .prefix)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(lastUsedAt, forKey: .lastUsedAt)
            try c.encodeIfPresent(key, forKey: .key)
        }

        enum CodingKeys: String, CodingKey {
            case id, name, prefix, key
            case createdAt = "created_at"
            case lastUsedAt = "last_used_at"
        }
    }

    func register(in table: RouteTable) {
        let services = self.services
        let apiKeys = table.authenticator.apiKeys
        table.add(
            RouteDoc(
                .get, "/api/v1/users/me/api-keys", summary: "The caller's live API keys (never the keys themselves)",
                tag: "users", access: .user, responses: [.init(200, "Keys", schema: "APIKeyList")])
        ) { _, context in
            let identity = try context.requireIdentity()
            let keys = try await services.store.apiKeys(userID: identity.userID)
            return try JSONResponse.make(ItemList(items: keys.map { KeyBody($0) }))
        }

        table.add(
            RouteDoc(
                .post, "/api/v1/users/me/api-keys",
                summary: "Create an API key for the OpenAI-compatible API (the key is shown once)", tag: "users",
                access: .user, request: "APIKeyInput",
                responses: [
                    .init(201, "The new key, with `key` (shown only now)", schema: "APIKeyCreated"),
                    .init(409, "The user holds the most live keys allowed (25); revoke one first"), .init(422, "Invalid name"),
                ])
        ) { request, context in
            let identity = try context.requireIdentity()
            let input = try await services.body.decodeIfPresent(CreateInput.self, from: request) ?? CreateInput()
            let name = (input.name ?? "default").trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...100).contains(name.unicodeScalars.count) else { throw APIError.invalid("name", "must be 1 to 100 characters") }
            let existing = try await services.store.apiKeys(userID: identity.userID)
            guard existing.count < Self.maxKeysPerUser else { throw RouteServices.limitReached("live API keys", cap: Self.maxKeysPerUser) }
            let generated = APIKeyAuthenticator.generate()
            let record = try await services.store.createAPIKey(
                userID: identity.userID, name: name, prefix: generated.prefix, keyHash: generated.hash, now: services.clock.now())
            context.logger.notice("API key created", metadata: ["key_id": "\(record.id)", "prefix": "\(record.prefix)"])
            return try JSONResponse.make(KeyBody(record, key: generated.key), status: .created)
        }

        table.add(
            RouteDoc(
                .delete, "/api/v1/users/me/api-keys/{id}", summary: "Revoke an API key (effective at once)", tag: "users",
                access: .user, responses: [.init(204, "Revoked"), .init(404, "No such key")])
        ) { _, context in
            let identity = try context.requireIdentity()
            let id = try services.id(context, what: "API key")
            guard let hash = try await services.store.revokeAPIKey(id: id, userID: identity.userID, now: services.clock.now()) else {
                throw APIError.notFound("API key")
            }
            apiKeys.invalidate(hash: hash)
            context.logger.notice("API key revoked", metadata: ["key_id": "\(id)"])
            return JSONResponse.noContent()
        }
    }
}
