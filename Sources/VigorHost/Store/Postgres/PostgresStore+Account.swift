import Foundation
import PostgresNIO

extension PostgresStore: AccountDataStore {
    public func setPasswordHash(userID: Int64, hash: String, now: Date) async throws {
        try await execute("UPDATE users SET password_hash = \(hash), updated_at = \(now.epochMillis) WHERE id = \(userID)")
    }

    public func exportUserData(userID: Int64, now: Date) async throws -> Data {
        // One snapshot for every section: a repeatable-read, read-only transaction.
        let sections = try await withConnection { connection -> [(String, [PostgresRandomAccessRow])]? in
            try await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                guard
                    let account = try await connection.fetchOne(
                        "SELECT id, email, username, role, tier, created_at, updated_at FROM users WHERE id = \(userID)")
                else {
                    try await connection.execute("ROLLBACK")
                    return nil
                }
                var sections: [(String, [PostgresRandomAccessRow])] = [("account", [account])]
                for section in SQLiteStore.exportSections {
                    // The section queries are the SQLite store's, with `?` for the user id.
                    let sql = section.sql.replacingOccurrences(of: "?", with: "$1")
                    var binds = PostgresBindings()
                    binds.append(userID)
                    sections.append((section.name, try await connection.fetchAll(PostgresQuery(unsafeSQL: sql, binds: binds))))
                }
                try await connection.execute("COMMIT")
                return sections
            } catch {
                _ = try? await connection.execute("ROLLBACK")
                throw error
            }
        }
        guard let sections else { throw StoreError(.notFound, "no such user") }
        var export: [String: Any] = ["format": "vigor-export-1", "exported_at": SQLiteStore.iso8601(now)]
        for (name, rows) in sections {
            let objects = try rows.map(Self.object)
            switch name {
            case "account": export[name] = objects.first ?? NSNull()
            case "profile": export[name] = objects.first ?? NSNull()
            default: export[name] = objects
            }
        }
        return try JSONSerialization.data(withJSONObject: export, options: [.sortedKeys])
    }

    public func deleteAccount(userID: Int64) async throws -> Bool {
        try await withTransaction { connection in
            guard let row = try await connection.fetchOne("SELECT email FROM users WHERE id = \(userID) FOR UPDATE") else {
                return false
            }
            // Every owned table cascades from users; the known-address list is keyed by e-mail.
            try await connection.execute("DELETE FROM login_known_addresses WHERE email = \(try row.get("email", as: String.self))")
            return try await connection.execute("DELETE FROM users WHERE id = \(userID) RETURNING 1") > 0
        }
    }

    public func endSession(refreshTokenHash: String, now: Date) async throws -> Bool {
        try await withTransaction { connection in
            guard
                let owner = try await connection.fetchOne(
                    "SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = \(refreshTokenHash)")
            else { return false }
            try await Self.lockRefreshTokens(connection, userID: try owner.get("user_id"))
            try await Self.revokeFamily(connection, familyID: try owner.get("family_id"), at: now.epochMillis)
            return true
        }
    }

    /// A row as a JSON object, as ``SQLiteStore/object(_:)`` makes them: `*_json` columns
    /// parsed, `*_at` epoch milliseconds as ISO 8601.
    static func object(_ row: PostgresRandomAccessRow) throws -> [String: Any] {
        var object: [String: Any] = [:]
        for cell in row {
            let column = cell.columnName
            let name = column.hasSuffix("_json") ? String(column.dropLast(5)) : column
            guard cell.bytes != nil else {
                object[name] = NSNull()
                continue
            }
            switch cell.dataType {
            case .int2, .int4, .int8:
                let number = try cell.decode(Int64.self)
                object[name] = column.hasSuffix("_at") ? SQLiteStore.iso8601(Date(epochMillis: number)) : NSNumber(value: number)
            case .float4, .float8:
                let number = try cell.decode(Double.self)
                object[name] = number.isFinite ? NSNumber(value: number) : NSNull()
            case .bool:
                object[name] = NSNumber(value: try cell.decode(Bool.self))
            default:
                let text = try cell.decode(String.self)
                if column.hasSuffix("_json"), let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)) {
                    object[name] = parsed
                } else {
                    object[name] = text
                }
            }
        }
        return object
    }
}
