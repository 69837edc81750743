import Foundation
import GRDB

/// The admin's model overrides (`/api/v1/admin/models`), one row per (provider, model).
extension SQLiteStore {
    public func modelOverrides() async throws -> [ModelOverride] {
        try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM model_overrides ORDER BY provider, model")).map { row in
                ModelOverride(
                    id: try row.get("model"), provider: try row.get("provider"), inputPerMTokUSD: try row.get("input_per_mtok_usd"),
                    outputPerMTokUSD: try row.get("output_per_mtok_usd"), maxOutputTokens: try row.get("max_output_tokens"),
                    contextWindow: try row.get("context_window"))
            }
        }
    }

    public func upsertModelOverride(_ override: ModelOverride, now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO model_overrides (provider, model, input_per_mtok_usd, output_per_mtok_usd, max_output_tokens,
                        context_window, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (provider, model) DO UPDATE SET
                        input_per_mtok_usd = excluded.input_per_mtok_usd,
                        output_per_mtok_usd = excluded.output_per_mtok_usd,
                        max_output_tokens = excluded.max_output_tokens,
                        context_window = excluded.context_window,
                        updated_at = excluded.updated_at
                    """,
                arguments: [
                    override.provider, override.id, override.inputPerMTokUSD, override.outputPerMTokUSD, override.maxOutputTokens,
                    override.contextWindow, now.epochMillis,
                ])
        }
    }

    public func deleteModelOverride(id: String, provider: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM model_overrides WHERE provider = ? AND model = ?", arguments: [provider, id])
            return db.changesCount > 0
        }
    }
}

/// Migrations of the model catalogue (registered in ``SQLiteMigrations``).
enum ModelMigration {
    /// The usage log's requested model, next to the served one in `model` (NULL on rows
    /// written before it, and where the writer does not fill it).
    static let requestedModelName = "v7-usage-requested-model"
    /// The admin's model overrides.
    static let overridesName = "v7-model-overrides"

    static func addRequestedModel(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE ai_usage_logs ADD COLUMN requested_model TEXT")
    }

    static func createOverrides(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE model_overrides (
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL,
                    input_per_mtok_usd REAL NOT NULL CHECK (input_per_mtok_usd >= 0 AND input_per_mtok_usd <= 10000),
                    output_per_mtok_usd REAL NOT NULL CHECK (output_per_mtok_usd >= 0 AND output_per_mtok_usd <= 10000),
                    max_output_tokens INTEGER NOT NULL CHECK (max_output_tokens BETWEEN 1 AND 1000000),
                    context_window INTEGER NOT NULL CHECK (context_window BETWEEN 1 AND 10000000),
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (provider, model)
                )
                """)
    }
}
