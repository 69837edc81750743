import Foundation
import GRDB

extension SQLiteStore {
    private static let userColumns = "id, email, username, password_hash, role, tier, created_at"

    static func userRecord(_ row: Row) -> UserRecord {
        UserRecord(
            id: row["id"], email: row["email"], username: row["username"], passwordHash: row["password_hash"],
            role: UserRole(rawValue: row["role"] ?? "") ?? .user, tier: row["tier"], createdAt: row.date("created_at"))
    }

    public func createUser(_ user: NewUser) async throws -> UserRecord {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tiers WHERE name = ?", arguments: [user.tier]) != nil else {
                throw StoreError(.invalidReference, field: "tier", "unknown tier \(user.tier)")
            }
            let now = Date().epochMillis
            try db.execute(
                sql: """
                    INSERT INTO users (email, username, password_hash, role, tier, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [user.email.lowercased(), user.username, user.passwordHash, user.role.rawValue, user.tier, now, now])
            return UserRecord(
                id: db.lastInsertedRowID, email: user.email.lowercased(), username: user.username,
                passwordHash: user.passwordHash, role: user.role, tier: user.tier, createdAt: Date(epochMillis: now))
        }
    }

    public func user(id: Int64) async throws -> UserRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.userColumns) FROM users WHERE id = ?", arguments: [id])
                .map(Self.userRecord)
        }
    }

    public func user(email: String) async throws -> UserRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.userColumns) FROM users WHERE email = ?", arguments: [email.lowercased()])
                .map(Self.userRecord)
        }
    }

    public func setTier(userID: Int64, tier: String) async throws -> UserRecord {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tiers WHERE name = ?", arguments: [tier]) != nil else {
                throw StoreError(.invalidReference, field: "tier", "unknown tier \(tier)")
            }
            try db.execute(
                sql: "UPDATE users SET tier = ?, updated_at = ? WHERE id = ?",
                arguments: [tier, Date().epochMillis, userID])
            return try Self.requireUser(db, userID)
        }
    }

    public func setRole(userID: Int64, role: UserRole) async throws -> UserRecord {
        try await write { db in
            try db.execute(
                sql: "UPDATE users SET role = ?, updated_at = ? WHERE id = ?",
                arguments: [role.rawValue, Date().epochMillis, userID])
            return try Self.requireUser(db, userID)
        }
    }

    private static func requireUser(_ db: Database, _ id: Int64) throws -> UserRecord {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(userColumns) FROM users WHERE id = ?", arguments: [id]) else {
            throw StoreError(.notFound, field: "user", "no user \(id)")
        }
        return userRecord(row)
    }

    public func recordLoginFailure(keys: [String], at: Date) async throws {
        try await write { db in
            for key in keys {
                try db.execute(
                    sql: "INSERT INTO login_failures (scope_key, failed_at) VALUES (?, ?)",
                    arguments: [key, at.epochMillis])
            }
            // Keep the table small: nothing older than a day matters.
            try db.execute(
                sql: "DELETE FROM login_failures WHERE failed_at < ?",
                arguments: [at.addingTimeInterval(-86_400).epochMillis])
        }
    }

    public func loginFailures(key: String, since: Date) async throws -> (count: Int, oldest: Date?) {
        let result = try await read { db -> LoginFailureCount in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT COUNT(*) AS n, MIN(failed_at) AS oldest FROM login_failures WHERE scope_key = ? AND failed_at >= ?",
                arguments: [key, since.epochMillis])
            return LoginFailureCount(count: row?["n"] ?? 0, oldest: row?.optionalDate("oldest"))
        }
        return (result.count, result.oldest)
    }

    private struct LoginFailureCount: Sendable {
        var count: Int
        var oldest: Date?
    }

    public func clearLoginFailures(key: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM login_failures WHERE scope_key = ?", arguments: [key])
        }
    }

    public func profileJSON(userID: Int64) async throws -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT profile_json FROM user_profiles WHERE user_id = ?", arguments: [userID])
        }
    }

    public func setProfileJSON(userID: Int64, json: String, now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO user_profiles (user_id, profile_json, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET profile_json = excluded.profile_json, updated_at = excluded.updated_at
                    """,
                arguments: [userID, json, now.epochMillis])
        }
    }
}
