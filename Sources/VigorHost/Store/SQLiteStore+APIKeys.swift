import Foundation
import GRDB

extension SQLiteStore {
    static func apiKeyRecord(_ row: Row) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.get("id"), userID: try row.get("user_id"), name: try row.get("name"), prefix: try row.get("key_prefix"),
            createdAt: try row.date("created_at"), lastUsedAt: try row.optionalDate("last_used_at"),
            revokedAt: try row.optionalDate("revoked_at"))
    }

    public func createAPIKey(userID: Int64, name: String, prefix: String, keyHash: String, now: Date) async throws
        -> APIKeyRecord
    {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_keys (user_id, name, key_prefix, key_hash, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [userID, name, prefix, keyHash, now.epochMillis])
            let id = db.lastInsertedRowID
            // Revoked keys are kept for the record, but only the newest of them: creating and
            // revoking keys in a loop must not grow the table without bound.
            try db.execute(
                sql: """
                    DELETE FROM api_keys WHERE user_id = ? AND revoked_at IS NOT NULL AND id NOT IN (
                        SELECT id FROM api_keys WHERE user_id = ? AND revoked_at IS NOT NULL ORDER BY id DESC LIMIT ?)
                    """,
                arguments: [userID, userID, Self.keptRevokedKeysPerUser])
            return APIKeyRecord(
                id: id, userID: userID, name: name, prefix: prefix, createdAt: Date(epochMillis: now.epochMillis))
        }
    }

    /// Revoked keys kept per user (older ones are deleted when a key is created).
    static let keptRevokedKeysPerUser = 100

    public func apiKeys(userID: Int64) async throws -> [APIKeyRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, user_id, name, key_prefix, created_at, last_used_at, revoked_at FROM api_keys
                    WHERE user_id = ? AND revoked_at IS NULL ORDER BY id DESC
                    """,
                arguments: [userID]
            ).map(Self.apiKeyRecord)
        }
    }

    public func revokeAPIKey(id: Int64, userID: Int64, now: Date) async throws -> String? {
        try await write { db in
            guard
                let hash = try String.fetchOne(
                    db, sql: "SELECT key_hash FROM api_keys WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                    arguments: [id, userID])
            else { return nil }
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ?",
                arguments: [now.epochMillis, id, userID])
            return hash
        }
    }

    public func apiKeyOwner(keyHash: String) async throws -> APIKeyOwner? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT k.id AS key_id, k.last_used_at, u.id, u.email, u.username, u.password_hash, u.role, u.tier,
                            u.created_at
                        FROM api_keys k JOIN users u ON u.id = k.user_id
                        WHERE k.key_hash = ? AND k.revoked_at IS NULL
                        """,
                    arguments: [keyHash])
            else { return nil }
            return APIKeyOwner(
                keyID: try row.get("key_id"), user: try Self.userRecord(row), lastUsedAt: try row.optionalDate("last_used_at"))
        }
    }

    public func touchAPIKey(id: Int64, at: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE api_keys SET last_used_at = ? WHERE id = ?", arguments: [at.epochMillis, id])
        }
    }
}
