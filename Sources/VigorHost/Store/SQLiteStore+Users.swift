import Foundation
import GRDB

extension SQLiteStore {
    static let userColumns = "id, email, username, password_hash, role, tier, created_at"

    static func userRecord(_ row: Row) throws -> UserRecord {
        UserRecord(
            id: try row.get("id"), email: try row.get("email"), username: try row.get("username"),
            passwordHash: try row.get("password_hash"),
            role: UserRole(rawValue: try row.get("role") ?? "") ?? .user, tier: try row.get("tier"), createdAt: try row.date("created_at"))
    }

    public func createUser(_ user: NewUser, now: Date) async throws -> UserRecord {
        let email = AccountEmail.normalize(user.email)
        return try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tiers WHERE name = ?", arguments: [user.tier]) != nil else {
                throw StoreError(.invalidReference, field: "tier", "unknown tier \(user.tier)")
            }
            let now = now.epochMillis
            try db.execute(
                sql: """
                    INSERT INTO users (email, username, password_hash, role, tier, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [email, user.username, user.passwordHash, user.role.rawValue, user.tier, now, now])
            return UserRecord(
                id: db.lastInsertedRowID, email: email, username: user.username,
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
            try Row.fetchOne(
                db, sql: "SELECT \(Self.userColumns) FROM users WHERE email = ?", arguments: [AccountEmail.normalize(email)]
            )
            .map(Self.userRecord)
        }
    }

    public func setTier(userID: Int64, tier: String, now: Date) async throws -> UserRecord {
        defer { ledgerBook.limitsChanged() }
        return try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tiers WHERE name = ?", arguments: [tier]) != nil else {
                throw StoreError(.invalidReference, field: "tier", "unknown tier \(tier)")
            }
            try db.execute(
                sql: "UPDATE users SET tier = ?, updated_at = ? WHERE id = ?",
                arguments: [tier, now.epochMillis, userID])
            return try Self.requireUser(db, userID)
        }
    }

    private static func requireUser(_ db: Database, _ id: Int64) throws -> UserRecord {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(userColumns) FROM users WHERE id = ?", arguments: [id]) else {
            throw StoreError(.notFound, field: "user", "no user \(id)")
        }
        return try userRecord(row)
    }

    public func admitLoginAttempt(limits: [LoginLimit], window: TimeInterval, now: Date) async throws
        -> LoginAdmission
    {
        // One write transaction: SQLite runs one writer at a time, so concurrent attempts
        // (from this process or another host on the same file) are checked and counted in turn.
        try await write { db -> LoginAdmission in
            let since = now.addingTimeInterval(-window).epochMillis
            var refusal: (key: String, retryAt: Date)?
            for limit in limits {
                let count =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM login_failures WHERE scope_key = ? AND failed_at >= ?",
                        arguments: [limit.key, since]) ?? 0
                guard count >= limit.limit else { continue }
                // The key opens when the attempt that keeps it at its limit leaves the window.
                let pivot =
                    try Int64.fetchOne(
                        db,
                        sql: """
                            SELECT failed_at FROM login_failures WHERE scope_key = ? AND failed_at >= ?
                            ORDER BY failed_at LIMIT 1 OFFSET ?
                            """,
                        arguments: [limit.key, since, max(count - limit.limit, 0)]) ?? now.epochMillis
                let retryAt = Date(epochMillis: pivot).addingTimeInterval(window)
                if let current = refusal, current.retryAt >= retryAt { continue }
                refusal = (limit.key, retryAt)
            }
            if let refusal { return .refused(key: refusal.key, retryAt: refusal.retryAt) }
            var ids: [Int64] = []
            for limit in limits {
                try db.execute(
                    sql: "INSERT INTO login_failures (scope_key, failed_at) VALUES (?, ?)",
                    arguments: [limit.key, now.epochMillis])
                ids.append(db.lastInsertedRowID)
            }
            // Keep the table small: nothing older than the window (or a day) matters. The sweep
            // reads the whole table, so it runs about once per 100 attempts, not on each one.
            if ids.contains(where: { $0 % 256 == 0 }) {
                try db.execute(
                    sql: "DELETE FROM login_failures WHERE failed_at < ?",
                    arguments: [now.addingTimeInterval(-max(window, 86_400)).epochMillis])
            }
            return .admitted(ids: ids)
        }
    }

    public func withdrawLoginAttempts(ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await write { db in
            for id in ids {
                try db.execute(sql: "DELETE FROM login_failures WHERE id = ?", arguments: [id])
            }
        }
    }

    public func clearLoginFailures(key: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM login_failures WHERE scope_key = ?", arguments: [key])
        }
    }

    public func recordLoginSuccess(email: String, address: String, now: Date, keep: TimeInterval) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO login_known_addresses (email, address, succeeded_at) VALUES (?, ?, ?)
                    ON CONFLICT (email, address) DO UPDATE SET succeeded_at = excluded.succeeded_at
                    """,
                arguments: [email, address, now.epochMillis])
            try db.execute(
                sql: "DELETE FROM login_known_addresses WHERE succeeded_at < ?",
                arguments: [now.addingTimeInterval(-keep).epochMillis])
        }
    }

    public func lastLoginSuccess(email: String, address: String) async throws -> Date? {
        try await read { db in
            try Int64.fetchOne(
                db, sql: "SELECT succeeded_at FROM login_known_addresses WHERE email = ? AND address = ?",
                arguments: [email, address]
            ).map(Date.init(epochMillis:))
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

/// Migration v8: the addresses each account last logged in from (the login throttle's
/// account-wide limit spares them; see ``LoginThrottle``).
enum KnownAddressMigration {
    static let name = "v8-login-known-addresses"

    static func apply(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE login_known_addresses (
                    email TEXT NOT NULL,
                    address TEXT NOT NULL,
                    succeeded_at INTEGER NOT NULL,
                    PRIMARY KEY (email, address)
                ) WITHOUT ROWID;
                CREATE INDEX login_known_addresses_time ON login_known_addresses(succeeded_at);
                """)
    }
}
