import Foundation
import PostgresNIO

/// The admin's model overrides (`/api/v1/admin/models`), one row per (provider, model).
extension PostgresStore {
    public func modelOverrides() async throws -> [ModelOverride] {
        try await readAll("SELECT * FROM model_overrides ORDER BY provider, model").map { row in
            ModelOverride(
                id: try row.get("model"), provider: try row.get("provider"), inputPerMTokUSD: try row.get("input_per_mtok_usd"),
                outputPerMTokUSD: try row.get("output_per_mtok_usd"), maxOutputTokens: try row.get("max_output_tokens"),
                contextWindow: try row.get("context_window"))
        }
    }

    public func upsertModelOverride(_ override: ModelOverride, now: Date) async throws {
        try await execute(
            """
            INSERT INTO model_overrides (provider, model, input_per_mtok_usd, output_per_mtok_usd, max_output_tokens,
                context_window, updated_at)
            VALUES (\(override.provider), \(override.id), \(override.inputPerMTokUSD), \(override.outputPerMTokUSD),
                \(override.maxOutputTokens), \(override.contextWindow), \(now.epochMillis))
            ON CONFLICT (provider, model) DO UPDATE SET
                input_per_mtok_usd = EXCLUDED.input_per_mtok_usd,
                output_per_mtok_usd = EXCLUDED.output_per_mtok_usd,
                max_output_tokens = EXCLUDED.max_output_tokens,
                context_window = EXCLUDED.context_window,
                updated_at = EXCLUDED.updated_at
            """)
    }

    public func deleteModelOverride(id: String, provider: String) async throws -> Bool {
        try await execute("DELETE FROM model_overrides WHERE provider = \(provider) AND model = \(id) RETURNING 1") > 0
    }
}
