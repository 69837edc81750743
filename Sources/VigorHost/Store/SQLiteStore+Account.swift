import Foundation
import GRDB

/// What the account screen needs from the store: a new password, everything a user owns as
/// JSON, and deleting the account with all of it.
public protocol AccountDataStore {
    /// Replaces the user's bcrypt hash.
    func setPasswordHash(userID: Int64, hash: String, now: Date) async throws
    /// Every row the user owns, as a JSON object (UTF-8), secrets left out.
    func exportUserData(userID: Int64, now: Date) async throws -> Data
    /// Deletes the account and everything it owns; `false` when it did not exist.
    /// The usage log keeps its rows without the user (accounting), as the schema says.
    func deleteAccount(userID: Int64) async throws -> Bool
    /// Ends the session (refresh-token family) a refresh token belongs to, whoever owns it:
    /// the web client's logout with only its cookie. `false` when no token has this hash.
    func endSession(refreshTokenHash: String, now: Date) async throws -> Bool
}

extension SQLiteStore: AccountDataStore {
    /// The sections of an export: name, query and its argument (the user id), in order.
    static let exportSections: [(name: String, sql: String)] = [
        ("profile", "SELECT profile_json, updated_at FROM user_profiles WHERE user_id = ?"),
        ("conversations", "SELECT id, title, created_at, updated_at FROM conversations WHERE user_id = ? ORDER BY id"),
        (
            "messages",
            """
            SELECT m.id, m.conversation_id, m.role, m.content, m.provider, m.model, m.prompt_tokens,
                   m.completion_tokens, m.cost_micros, m.created_at
            FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.user_id = ? ORDER BY m.id
            """
        ),
        ("workout_plans", "SELECT id, source, plan_json, created_at FROM workout_plans WHERE user_id = ? ORDER BY id"),
        (
            "workout_logs",
            """
            SELECT id, plan_id, performed_on, duration_minutes, exercises_json, notes, rating, created_at
            FROM workout_logs WHERE user_id = ? ORDER BY id
            """
        ),
        (
            "progress",
            """
            SELECT id, recorded_on, weight_kg, body_fat_percent, measurements_json, notes, created_at
            FROM progress_metrics WHERE user_id = ? ORDER BY id
            """
        ),
        (
            "api_keys",
            "SELECT id, name, key_prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE user_id = ? ORDER BY id"
        ),
        (
            "sessions",
            "SELECT family_id, created_at, expires_at, rotated_at, revoked_at FROM refresh_tokens WHERE user_id = ? ORDER BY id"
        ),
        (
            "usage_counters",
            "SELECT period, period_start, requests, cost_micros FROM usage_counters WHERE user_id = ? ORDER BY period_start"
        ),
        ("ai_usage", "SELECT * FROM ai_usage_logs WHERE user_id = ? ORDER BY id"),
    ]

    public func setPasswordHash(userID: Int64, hash: String, now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
                arguments: [hash, now.epochMillis, userID])
        }
    }

    public func exportUserData(userID: Int64, now: Date) async throws -> Data {
        // The export lists the counter rows as stored: the usage log's unfolded entries go into them first.
        try await foldLedger()
        return try await read { db in
            guard
                let account = try Row.fetchOne(
                    db, sql: "SELECT id, email, username, role, tier, created_at, updated_at FROM users WHERE id = ?",
                    arguments: [userID])
            else { throw StoreError(.notFound, "no such user") }
            var export: [String: Any] = [
                "format": "vigor-export-1", "exported_at": Self.iso8601(now), "account": Self.object(account),
            ]
            for section in Self.exportSections {
                let rows = try Row.fetchAll(db, sql: section.sql, arguments: [userID]).map(Self.object)
                export[section.name] = section.name == "profile" ? (rows.first ?? NSNull()) : rows
            }
            return try JSONSerialization.data(withJSONObject: export, options: [.sortedKeys])
        }
    }

    public func deleteAccount(userID: Int64) async throws -> Bool {
        defer { ledgerBook.limitsChanged() }
        return try await write { db in
            guard let email = try String.fetchOne(db, sql: "SELECT email FROM users WHERE id = ?", arguments: [userID]) else {
                return false
            }
            // Every owned table cascades from users; the known-address list is keyed by e-mail.
            try db.execute(sql: "DELETE FROM login_known_addresses WHERE email = ?", arguments: [email])
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [userID])
            return db.changesCount > 0
        }
    }

    public func endSession(refreshTokenHash: String, now: Date) async throws -> Bool {
        try await write { db in
            guard
                let familyID = try String.fetchOne(
                    db, sql: "SELECT family_id FROM refresh_tokens WHERE token_hash = ?", arguments: [refreshTokenHash])
            else { return false }
            try db.execute(
                sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                arguments: [now.epochMillis, familyID])
            return true
        }
    }

    /// A row as a JSON object: `*_json` columns parsed, `*_at` epoch milliseconds as ISO 8601.
    static func object(_ row: Row) -> [String: Any] {
        var object: [String: Any] = [:]
        for (column, value) in row {
            let name = column.hasSuffix("_json") ? String(column.dropLast(5)) : column
            switch value.storage {
            case .null:
                object[name] = NSNull()
            case .int64(let number):
                object[name] = column.hasSuffix("_at") ? iso8601(Date(epochMillis: number)) : NSNumber(value: number)
            case .double(let number):
                object[name] = number.isFinite ? NSNumber(value: number) : NSNull()
            case .string(let text):
                if column.hasSuffix("_json"), let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)) {
                    object[name] = parsed
                } else {
                    object[name] = text
                }
            case .blob(let data):
                object[name] = data.base64EncodedString()
            }
        }
        return object
    }

    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
