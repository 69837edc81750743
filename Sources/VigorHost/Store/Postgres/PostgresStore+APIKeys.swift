import Foundation
import PostgresNIO

extension PostgresStore {
    static func apiKeyRecord(_ row: PostgresRandomAccessRow) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.get("id"), userID: try row.get("user_id"), name: try row.get("name"), prefix: try row.get("key_prefix"),
            createdAt: try row.date("created_at"), lastUsedAt: try row.optionalDate("last_used_at"),
            revokedAt: try row.optionalDate("revoked_at"))
    }

    /// Revoked keys kept per user (older ones are deleted when a key is created).
    static let keptRevokedKeysPerUser = 100

    public func createAPIKey(userID: Int64, name: String, prefix: String, keyHash: String, now: Date) async throws -> APIKeyRecord {
        let at = now.epochMillis
        let kept = Int64(Self.keptRevokedKeysPerUser)
        return try await withTransaction { connection in
            guard
                let row = try await connection.fetchOne(
                    """
                    INSERT INTO api_keys (user_id, name, key_prefix, key_hash, created_at)
                    VALUES (\(userID), \(name), \(prefix), \(keyHash), \(at)) RETURNING id
                    """)
            else { throw StoreError(.unavailable, "the key was not stored") }
            // Revoked keys are kept for the record, but only the newest of them: creating and
            // revoking keys in a loop must not grow the table without bound.
            try await connection.execute(
                """
                DELETE FROM api_keys WHERE user_id = \(userID) AND revoked_at IS NOT NULL AND id NOT IN (
                    SELECT id FROM api_keys WHERE user_id = \(userID) AND revoked_at IS NOT NULL ORDER BY id DESC LIMIT \(kept))
                """)
            return APIKeyRecord(id: try row.get("id"), userID: userID, name: name, prefix: prefix, createdAt: Date(epochMillis: at))
        }
    }

    public func apiKeys(userID: Int64) async throws -> [APIKeyRecord] {
        try await readAll(
            """
            SELECT id, user_id, name, key_prefix, created_at, last_used_at, revoked_at FROM api_keys
            WHERE user_id = \(userID) AND revoked_at IS NULL ORDER BY id DESC
            """
        ).map(Self.apiKeyRecord)
    }

    public func revokeAPIKey(id: Int64, userID: Int64, now: Date) async throws -> String? {
        // One statement: of two concurrent revocations, one returns the hash.
        try await fetchOne(
            """
            UPDATE api_keys SET revoked_at = \(now.epochMillis)
            WHERE id = \(id) AND user_id = \(userID) AND revoked_at IS NULL RETURNING key_hash
            """
        )?.get("key_hash")
    }

    public func apiKeyOwner(keyHash: String) async throws -> APIKeyOwner? {
        guard
            let row = try await readOne(
                """
                SELECT k.id AS key_id, k.last_used_at, u.id, u.email, u.username, u.password_hash, u.role, u.tier, u.created_at
                FROM api_keys k JOIN users u ON u.id = k.user_id
                WHERE k.key_hash = \(keyHash) AND k.revoked_at IS NULL
                """)
        else { return nil }
        return APIKeyOwner(keyID: try row.get("key_id"), user: try Self.userRecord(row), lastUsedAt: try row.optionalDate("last_used_at"))
    }

    public func touchAPIKey(id: Int64, at: Date) async throws {
        try await execute("UPDATE api_keys SET last_used_at = \(at.epochMillis) WHERE id = \(id)")
    }
}
