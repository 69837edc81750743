import Foundation
import PostgresNIO

extension PostgresStore {
    /// The user columns ``userRecord(_:)`` reads.
    static let userColumns = "id, email, username, password_hash, role, tier, created_at"

    static func userRecord(_ row: PostgresRandomAccessRow) throws -> UserRecord {
        UserRecord(
            id: try row.get("id"), email: try row.get("email"), username: try row.get("username"),
            passwordHash: try row.get("password_hash"), role: UserRole(rawValue: try row.get("role", as: String.self)) ?? .user,
            tier: try row.get("tier"), createdAt: try row.date("created_at"))
    }

    public func createUser(_ user: NewUser, now: Date) async throws -> UserRecord {
        let email = AccountEmail.normalize(user.email)
        let now = now.epochMillis
        // One statement: inserts only when the tier exists (a tier deleted meanwhile is
        // caught by the foreign key, mapped to the same error).
        let row = try await fetchOne(
            """
            INSERT INTO users (email, username, password_hash, role, tier, created_at, updated_at)
            SELECT \(email), \(user.username), \(user.passwordHash), \(user.role.rawValue), \(user.tier), \(now), \(now)
            WHERE EXISTS (SELECT 1 FROM tiers WHERE name = \(user.tier))
            RETURNING id
            """)
        guard let row else { throw StoreError(.invalidReference, field: "tier", "unknown tier \(user.tier)") }
        return UserRecord(
            id: try row.get("id"), email: email, username: user.username, passwordHash: user.passwordHash, role: user.role,
            tier: user.tier, createdAt: Date(epochMillis: now))
    }

    public func user(id: Int64) async throws -> UserRecord? {
        try await readOne("SELECT \(unescaped: Self.userColumns) FROM users WHERE id = \(id)").map(Self.userRecord)
    }

    public func user(email: String) async throws -> UserRecord? {
        let email = AccountEmail.normalize(email)
        return try await readOne("SELECT \(unescaped: Self.userColumns) FROM users WHERE lower(email) = lower(\(email))")
            .map(Self.userRecord)
    }

    public func setTier(userID: Int64, tier: String, now: Date) async throws -> UserRecord {
        let now = now.epochMillis
        return try await withTransaction { connection in
            guard try await connection.fetchOne("SELECT 1 AS found FROM tiers WHERE name = \(tier)") != nil else {
                throw StoreError(.invalidReference, field: "tier", "unknown tier \(tier)")
            }
            guard
                let row = try await connection.fetchOne(
                    "UPDATE users SET tier = \(tier), updated_at = \(now) WHERE id = \(userID) RETURNING \(unescaped: Self.userColumns)")
            else { throw StoreError(.notFound, field: "user", "no user \(userID)") }
            return try Self.userRecord(row)
        }
    }

    public func admitLoginAttempt(limits: [LoginLimit], window: TimeInterval, now: Date) async throws -> LoginAdmission {
        let since = now.addingTimeInterval(-window).epochMillis
        let nowMillis = now.epochMillis
        let sweepBefore = now.addingTimeInterval(-max(window, 86_400)).epochMillis
        return try await withTransaction { connection -> LoginAdmission in
            // Attempts under one key are checked and counted one transaction at a time, on
            // every host: each key's advisory lock, taken in one order (no deadlock).
            for key in Set(limits.map(\.key)).sorted() {
                try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\("vigor.login." + key), 0))")
            }
            var refusal: (key: String, retryAt: Date)?
            for limit in limits {
                let count =
                    try await connection.fetchOne(
                        "SELECT COUNT(*) AS n FROM login_failures WHERE scope_key = \(limit.key) AND failed_at >= \(since)"
                    )?.get("n", as: Int.self) ?? 0
                guard count >= limit.limit else { continue }
                // The key opens when the attempt that keeps it at its limit leaves the window.
                let offset = max(count - limit.limit, 0)
                let pivot =
                    try await connection.fetchOne(
                        """
                        SELECT failed_at FROM login_failures WHERE scope_key = \(limit.key) AND failed_at >= \(since)
                        ORDER BY failed_at LIMIT 1 OFFSET \(offset)
                        """
                    )?.get("failed_at", as: Int64.self) ?? nowMillis
                let retryAt = Date(epochMillis: pivot).addingTimeInterval(window)
                if let current = refusal, current.retryAt >= retryAt { continue }
                refusal = (limit.key, retryAt)
            }
            if let refusal { return .refused(key: refusal.key, retryAt: refusal.retryAt) }
            var ids: [Int64] = []
            for limit in limits {
                let row = try await connection.fetchOne(
                    "INSERT INTO login_failures (scope_key, failed_at) VALUES (\(limit.key), \(nowMillis)) RETURNING id")
                if let row { ids.append(try row.get("id")) }
            }
            // Keep the table small: nothing older than the window (or a day) matters; about
            // once per 256 attempts.
            if ids.contains(where: { $0 % 256 == 0 }) {
                try await connection.execute("DELETE FROM login_failures WHERE failed_at < \(sweepBefore)")
            }
            return .admitted(ids: ids)
        }
    }

    public func withdrawLoginAttempts(ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await execute("DELETE FROM login_failures WHERE id = ANY(\(ids))")
    }

    public func clearLoginFailures(key: String) async throws {
        try await execute("DELETE FROM login_failures WHERE scope_key = \(key)")
    }

    public func recordLoginSuccess(email: String, address: String, now: Date, keep: TimeInterval) async throws {
        let at = now.epochMillis
        let forgetBefore = now.addingTimeInterval(-keep).epochMillis
        try await withTransaction { connection in
            try await connection.execute(
                """
                INSERT INTO login_known_addresses (email, address, succeeded_at) VALUES (\(email), \(address), \(at))
                ON CONFLICT (email, address) DO UPDATE SET succeeded_at = EXCLUDED.succeeded_at
                """)
            try await connection.execute("DELETE FROM login_known_addresses WHERE succeeded_at < \(forgetBefore)")
        }
    }

    public func lastLoginSuccess(email: String, address: String) async throws -> Date? {
        try await readOne(
            "SELECT succeeded_at FROM login_known_addresses WHERE email = \(email) AND address = \(address)"
        )?.date("succeeded_at")
    }

    public func profileJSON(userID: Int64) async throws -> String? {
        try await readOne("SELECT profile_json FROM user_profiles WHERE user_id = \(userID)")?.get("profile_json")
    }

    public func setProfileJSON(userID: Int64, json: String, now: Date) async throws {
        try await execute(
            """
            INSERT INTO user_profiles (user_id, profile_json, updated_at) VALUES (\(userID), \(json), \(now.epochMillis))
            ON CONFLICT (user_id) DO UPDATE SET profile_json = EXCLUDED.profile_json, updated_at = EXCLUDED.updated_at
            """)
    }
}
