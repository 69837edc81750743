import Foundation
import GRDB

extension SQLiteStore {
    public func storeRefreshToken(userID: Int64, familyID: String, tokenHash: String, expiresAt: Date, now: Date)
        async throws
    {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [userID, familyID, tokenHash, now.epochMillis, expiresAt.epochMillis])
        }
    }

    public func rotateRefreshToken(oldHash: String, newHash: String, newExpiresAt: Date, now: Date) async throws
        -> RefreshRotation
    {
        try await write { db -> RefreshRotation in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT user_id, family_id, expires_at, rotated_at, revoked_at FROM refresh_tokens WHERE token_hash = ?",
                    arguments: [oldHash])
            else { return .invalid }
            let userID: Int64 = try row.get("user_id")
            let familyID: String = try row.get("family_id")
            if try row.optionalDate("rotated_at") != nil || row.optionalDate("revoked_at") != nil {
                // A token used twice was stolen or replayed: end the whole login.
                try Self.revokeFamily(db, familyID: familyID, now: now)
                return .reuseDetected(userID: userID, familyID: familyID)
            }
            if try row.date("expires_at") <= now { return .invalid }
            try db.execute(
                sql: "UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL",
                arguments: [now.epochMillis, oldHash])
            try db.execute(
                sql: """
                    INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [userID, familyID, newHash, now.epochMillis, newExpiresAt.epochMillis])
            return .rotated(userID: userID, familyID: familyID)
        }
    }

    public func revokeRefreshFamily(tokenHash: String, userID: Int64, now: Date) async throws -> Bool {
        try await write { db in
            guard
                let familyID = try String.fetchOne(
                    db, sql: "SELECT family_id FROM refresh_tokens WHERE token_hash = ? AND user_id = ?",
                    arguments: [tokenHash, userID])
            else { return false }
            try Self.revokeFamily(db, familyID: familyID, now: now)
            return true
        }
    }

    public func revokeAllRefreshTokens(userID: Int64, now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                arguments: [now.epochMillis, userID])
        }
    }

    public func revokeSession(familyID: String, userID: Int64, now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND user_id = ? AND revoked_at IS NULL",
                arguments: [now.epochMillis, familyID, userID])
        }
    }

    public func user(id: Int64, session familyID: String) async throws -> UserRecord? {
        // A family is revoked when its newest token is (rotation inserts a live one; revocation
        // marks every live one), so one seek on the family index answers.
        try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(Self.userColumns) FROM users WHERE id = ? AND NOT EXISTS (
                        SELECT 1 FROM refresh_tokens WHERE id = (SELECT MAX(id) FROM refresh_tokens WHERE family_id = ?)
                        AND revoked_at IS NOT NULL)
                    """,
                arguments: [id, familyID]
            ).map(Self.userRecord)
        }
    }

    private static func revokeFamily(_ db: Database, familyID: String, now: Date) throws {
        try db.execute(
            sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
            arguments: [now.epochMillis, familyID])
    }
}
