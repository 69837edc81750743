import Foundation
import PostgresNIO

/// Refresh tokens and sessions.
///
/// Every change to a user's refresh tokens (rotation, revocation, logout) runs in a
/// transaction holding that user's advisory lock, so the changes of several hosts apply
/// one at a time as SQLite's single writer applies them: a token used twice at once on two
/// hosts is rotated once and detected as reused once, and a revocation never misses the
/// token a concurrent rotation inserts.
extension PostgresStore {
    public func storeRefreshToken(userID: Int64, familyID: String, tokenHash: String, expiresAt: Date, now: Date) async throws {
        try await execute(
            """
            INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, expires_at)
            VALUES (\(userID), \(familyID), \(tokenHash), \(now.epochMillis), \(expiresAt.epochMillis))
            """)
    }

    public func rotateRefreshToken(oldHash: String, newHash: String, newExpiresAt: Date, now: Date) async throws -> RefreshRotation {
        let at = now.epochMillis
        return try await withTransaction { connection -> RefreshRotation in
            guard let owner = try await connection.fetchOne("SELECT user_id FROM refresh_tokens WHERE token_hash = \(oldHash)")
            else { return .invalid }
            try await Self.lockRefreshTokens(connection, userID: try owner.get("user_id"))
            // Read again under the lock: another host may have rotated it meanwhile.
            guard
                let row = try await connection.fetchOne(
                    """
                    SELECT user_id, family_id, expires_at, rotated_at, revoked_at FROM refresh_tokens
                    WHERE token_hash = \(oldHash)
                    """)
            else { return .invalid }
            let userID: Int64 = try row.get("user_id")
            let familyID: String = try row.get("family_id")
            if try row.optionalDate("rotated_at") != nil || row.optionalDate("revoked_at") != nil {
                // A token used twice was stolen or replayed: end the whole login.
                try await Self.revokeFamily(connection, familyID: familyID, at: at)
                return .reuseDetected(userID: userID, familyID: familyID)
            }
            if try row.date("expires_at") <= now { return .invalid }
            try await connection.execute(
                "UPDATE refresh_tokens SET rotated_at = \(at) WHERE token_hash = \(oldHash) AND rotated_at IS NULL")
            try await connection.execute(
                """
                INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, expires_at)
                VALUES (\(userID), \(familyID), \(newHash), \(at), \(newExpiresAt.epochMillis))
                """)
            return .rotated(userID: userID, familyID: familyID)
        }
    }

    public func revokeRefreshFamily(tokenHash: String, userID: Int64, now: Date) async throws -> Bool {
        try await withTransaction { connection in
            try await Self.lockRefreshTokens(connection, userID: userID)
            guard
                let row = try await connection.fetchOne(
                    "SELECT family_id FROM refresh_tokens WHERE token_hash = \(tokenHash) AND user_id = \(userID)")
            else { return false }
            try await Self.revokeFamily(connection, familyID: try row.get("family_id"), at: now.epochMillis)
            return true
        }
    }

    public func revokeAllRefreshTokens(userID: Int64, now: Date) async throws {
        try await withTransaction { connection in
            try await Self.lockRefreshTokens(connection, userID: userID)
            try await connection.execute(
                "UPDATE refresh_tokens SET revoked_at = \(now.epochMillis) WHERE user_id = \(userID) AND revoked_at IS NULL")
        }
    }

    public func revokeSession(familyID: String, userID: Int64, now: Date) async throws {
        try await withTransaction { connection in
            try await Self.lockRefreshTokens(connection, userID: userID)
            try await connection.execute(
                """
                UPDATE refresh_tokens SET revoked_at = \(now.epochMillis)
                WHERE family_id = \(familyID) AND user_id = \(userID) AND revoked_at IS NULL
                """)
        }
    }

    public func user(id: Int64, session familyID: String) async throws -> UserRecord? {
        // A family is revoked when its newest token is (rotation inserts a live one; revocation
        // marks every live one): one seek on the (family_id, id) index answers.
        try await readOne(
            """
            SELECT \(unescaped: Self.userColumns) FROM users WHERE id = \(id) AND NOT EXISTS (
                SELECT 1 FROM refresh_tokens WHERE id = (SELECT MAX(id) FROM refresh_tokens WHERE family_id = \(familyID))
                AND revoked_at IS NOT NULL)
            """
        ).map(Self.userRecord)
    }

    /// Takes the transaction-scoped advisory lock over `userID`'s refresh tokens.
    static func lockRefreshTokens(_ connection: PostgresConnection, userID: Int64) async throws {
        try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\("vigor.refresh.\(userID)"), 0))")
    }

    /// Revokes every live token of a family (the caller holds the owner's lock).
    static func revokeFamily(_ connection: PostgresConnection, familyID: String, at: Int64) async throws {
        try await connection.execute(
            "UPDATE refresh_tokens SET revoked_at = \(at) WHERE family_id = \(familyID) AND revoked_at IS NULL")
    }
}
