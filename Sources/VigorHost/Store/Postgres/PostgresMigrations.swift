import Foundation
import Logging
import PostgresNIO

/// One named schema change: statements run in order, in the migration run's transaction.
struct PostgresMigration: Sendable {
    let name: String
    let statements: [PostgresQuery]
}

/// The PostgreSQL schema as named, append-only migrations, recorded in `schema_migrations`.
///
/// The same tables and rules as ``SQLiteMigrations`` (and ``QuotaMigration``), in PostgreSQL
/// types: `BIGINT` epoch milliseconds and micro-dollars, `BIGINT` identity ids, `BOOLEAN`
/// flags, `DOUBLE PRECISION` for SQLite's `REAL`. Unique and foreign-key constraints carry
/// the names ``PostgresStore/constraintFields`` maps to fields.
///
/// Never edit or reorder a migration that has shipped: add a new one at the end of ``all``.
enum PostgresMigrations {
    /// Every migration, in the order they apply; `now` stamps the rows they seed.
    static func all(now: Date) -> [PostgresMigration] {
        [
            PostgresMigration(name: "pg1-accounts", statements: accounts),
            PostgresMigration(name: "pg1-coaching", statements: coaching),
            PostgresMigration(name: "pg1-usage", statements: usage),
            PostgresMigration(name: "pg1-quota-ledger", statements: quotaLedger),
            PostgresMigration(name: "pg1-models-logins-safety", statements: modelsLoginsSafety),
            PostgresMigration(name: "pg1-seed", statements: seed(now: now)),
            PostgresMigration(name: PostgresLedgerSchema.name, statements: PostgresLedgerSchema.statements),
            PostgresMigration(name: PostgresLedgerLeaseSchema.name, statements: PostgresLedgerLeaseSchema.statements),
        ]
    }

    /// The key of the advisory lock migration runs hold (any 64-bit number unique to Vigor:
    /// "vigormig" in ASCII).
    static let advisoryLockKey: Int64 = 0x7669_676F_726D_6967

    /// Applies the migrations `schema_migrations` does not list, in one transaction holding
    /// the advisory lock: a second host starting at the same time waits for the first, then
    /// finds them applied. Returns the names applied by this call.
    static func migrate(_ connection: PostgresConnection, logger: Logger, now: Date) async throws -> [String] {
        try await connection.execute("BEGIN")
        do {
            // Migrations may take longer than a request's statement limit, and waiting for
            // another host's run must not time out.
            try await connection.execute("SET LOCAL statement_timeout = 0")
            try await connection.execute("SET LOCAL lock_timeout = 0")
            try await connection.execute("SELECT pg_advisory_xact_lock(\(advisoryLockKey))")
            try await connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name TEXT CONSTRAINT schema_migrations_pkey PRIMARY KEY,
                    position INTEGER NOT NULL,
                    applied_at BIGINT NOT NULL
                )
                """)
            let done = Set(try await connection.fetchAll("SELECT name FROM schema_migrations").map { try $0.get("name", as: String.self) })
            var applied: [String] = []
            let all = all(now: now)
            for (position, migration) in all.enumerated() where !done.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.execute(statement)
                }
                try await connection.execute(
                    """
                    INSERT INTO schema_migrations (name, position, applied_at)
                    VALUES (\(migration.name), \(position + 1), \(now.epochMillis))
                    """)
                applied.append(migration.name)
            }
            let unknown = done.subtracting(all.map(\.name))
            if !unknown.isEmpty {
                logger.warning(
                    "the database has migrations this build does not know (a newer build migrated it)",
                    metadata: ["migrations": "\(unknown.sorted().joined(separator: ","))"])
            }
            try await connection.execute("COMMIT")
            return applied
        } catch {
            _ = try? await connection.execute("ROLLBACK")
            throw error
        }
    }

    private static let accounts: [PostgresQuery] = [
        """
        CREATE TABLE tiers (
            name TEXT CONSTRAINT tiers_pkey PRIMARY KEY,
            requests_per_day BIGINT NOT NULL CHECK (requests_per_day >= 0),
            requests_per_week BIGINT NOT NULL CHECK (requests_per_week >= 0),
            requests_per_month BIGINT NOT NULL CHECK (requests_per_month >= 0),
            monthly_budget_micros BIGINT NOT NULL CHECK (monthly_budget_micros >= 0),
            price_micros BIGINT NOT NULL DEFAULT 0 CHECK (price_micros >= 0),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE users (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            email TEXT NOT NULL,
            username TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
            tier TEXT NOT NULL CONSTRAINT users_tier_fkey REFERENCES tiers(name) ON UPDATE CASCADE,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        // SQLite compares these with NOCASE (ASCII case folding); e-mails arrive normalized
        // (lower case), user names do not.
        "CREATE UNIQUE INDEX users_email_key ON users (lower(email))",
        "CREATE UNIQUE INDEX users_username_key ON users (lower(username))",
        """
        CREATE TABLE refresh_tokens (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            user_id BIGINT NOT NULL CONSTRAINT refresh_tokens_user_id_fkey REFERENCES users(id) ON DELETE CASCADE,
            family_id TEXT NOT NULL,
            token_hash TEXT NOT NULL CONSTRAINT refresh_tokens_token_hash_key UNIQUE,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            rotated_at BIGINT,
            revoked_at BIGINT
        )
        """,
        "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id, id)",
        "CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)",
        """
        CREATE TABLE login_failures (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            scope_key TEXT NOT NULL,
            failed_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX login_failures_key ON login_failures (scope_key, failed_at)",
        "CREATE INDEX login_failures_time ON login_failures (failed_at)",
        """
        CREATE TABLE api_keys (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            user_id BIGINT NOT NULL CONSTRAINT api_keys_user_id_fkey REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            key_prefix TEXT NOT NULL,
            key_hash TEXT NOT NULL CONSTRAINT api_keys_key_hash_key UNIQUE,
            created_at BIGINT NOT NULL,
            last_used_at BIGINT,
            revoked_at BIGINT
        )
        """,
        "CREATE INDEX api_keys_user ON api_keys (user_id)",
        """
        CREATE TABLE user_profiles (
            user_id BIGINT PRIMARY KEY CONSTRAINT user_profiles_user_id_fkey REFERENCES users(id) ON DELETE CASCADE,
            profile_json TEXT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
    ]

    private static let coaching: [PostgresQuery] = [
        """
        CREATE TABLE conversations (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            user_id BIGINT NOT NULL CONSTRAINT conversations_user_id_fkey REFERENCES users(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX conversations_user ON conversations (user_id, updated_at)",
        """
        CREATE TABLE messages (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            conversation_id BIGINT NOT NULL
                CONSTRAINT messages_conversation_id_fkey REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
            content TEXT NOT NULL,
            provider TEXT,
            model TEXT,
            prompt_tokens BIGINT NOT NULL DEFAULT 0,
            completion_tokens BIGINT NOT NULL DEFAULT 0,
            cost_micros BIGINT NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            truncated BOOLEAN NOT NULL DEFAULT FALSE
        )
        """,
        "CREATE INDEX messages_conversation ON messages (conversation_id, id)",
        """
        CREATE TABLE workout_plans (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            user_id BIGINT NOT NULL CONSTRAINT workout_plans_user_id_fkey REFERENCES users(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            plan_json TEXT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX workout_plans_user ON workout_plans (user_id, id)",
        """
        CREATE TABLE workout_logs (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            user_id BIGINT NOT NULL CONSTRAINT workout_logs_user_id_fkey REFERENCES users(id) ON DELETE CASCADE,
            plan_id BIGINT NOT NULL CONSTRAINT workout_logs_plan_id_fkey REFERENCES workout_plans(id) ON DELETE CASCADE,
            performed_on TEXT NOT NULL,
            duration_minutes BIGINT NOT NULL,
            exercises_json TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            rating BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX workout_logs_user ON workout_logs (user_id, performed_on)",
        """
        CREATE TABLE progress_metrics (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            user_id BIGINT NOT NULL CONSTRAINT progress_metrics_user_id_fkey REFERENCES users(id) ON DELETE CASCADE,
            recorded_on TEXT NOT NULL,
            weight_kg DOUBLE PRECISION,
            body_fat_percent DOUBLE PRECISION,
            measurements_json TEXT NOT NULL DEFAULT '{}',
            notes TEXT NOT NULL DEFAULT '',
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX progress_metrics_user ON progress_metrics (user_id, recorded_on)",
    ]

    private static let usage: [PostgresQuery] = [
        """
        CREATE TABLE usage_counters (
            user_id BIGINT NOT NULL CONSTRAINT usage_counters_user_id_fkey REFERENCES users(id) ON DELETE CASCADE,
            period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
            period_start TEXT NOT NULL,
            requests BIGINT NOT NULL DEFAULT 0 CHECK (requests >= 0),
            cost_micros BIGINT NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
            CONSTRAINT usage_counters_pkey PRIMARY KEY (user_id, period, period_start)
        )
        """,
        """
        CREATE TABLE ai_usage_logs (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            user_id BIGINT CONSTRAINT ai_usage_logs_user_id_fkey REFERENCES users(id) ON DELETE SET NULL,
            request_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            requested_model TEXT,
            prompt_tokens BIGINT NOT NULL DEFAULT 0,
            completion_tokens BIGINT NOT NULL DEFAULT 0,
            cost_micros BIGINT NOT NULL DEFAULT 0,
            latency_ms BIGINT NOT NULL DEFAULT 0,
            outcome TEXT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX ai_usage_logs_user ON ai_usage_logs (user_id, created_at)",
        "CREATE INDEX ai_usage_logs_time ON ai_usage_logs (created_at)",
        """
        CREATE TABLE provider_priorities (
            provider TEXT NOT NULL,
            model TEXT NOT NULL DEFAULT '',
            priority BIGINT NOT NULL,
            enabled BOOLEAN NOT NULL DEFAULT TRUE,
            daily_cap_micros BIGINT,
            weekly_cap_micros BIGINT,
            monthly_cap_micros BIGINT,
            updated_at BIGINT NOT NULL,
            CONSTRAINT provider_priorities_pkey PRIMARY KEY (provider, model)
        )
        """,
        """
        CREATE TABLE budget_settings (
            id BIGINT PRIMARY KEY CHECK (id = 1),
            weekly_budget_micros BIGINT,
            monthly_budget_micros BIGINT,
            alert_threshold_percent BIGINT NOT NULL DEFAULT 80,
            auto_disable BOOLEAN NOT NULL DEFAULT TRUE,
            updated_at BIGINT NOT NULL
        )
        """,
    ]

    /// The tables of ``QuotaMigration`` in their final SQLite form (v2, v4, v5, v6).
    private static let quotaLedger: [PostgresQuery] = [
        """
        CREATE TABLE provider_usage (
            provider TEXT NOT NULL,
            period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
            period_start TEXT NOT NULL,
            cost_micros BIGINT NOT NULL DEFAULT 0,
            CONSTRAINT provider_usage_pkey PRIMARY KEY (provider, period, period_start)
        )
        """,
        """
        CREATE TABLE global_usage (
            period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
            period_start TEXT NOT NULL,
            cost_micros BIGINT NOT NULL DEFAULT 0,
            CONSTRAINT global_usage_pkey PRIMARY KEY (period, period_start)
        )
        """,
        """
        CREATE TABLE budget_events (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            period TEXT NOT NULL,
            period_start TEXT NOT NULL,
            kind TEXT NOT NULL,
            spent_micros BIGINT NOT NULL,
            budget_micros BIGINT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE quota_reservations (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            instance TEXT NOT NULL,
            user_id BIGINT NOT NULL,
            request_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            periods TEXT NOT NULL,
            estimated_cost_micros BIGINT NOT NULL,
            counts_request BOOLEAN NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX quota_reservations_instance ON quota_reservations (instance)",
    ]

    /// Model overrides (SQLite v7), known login addresses (v8), safety escalations (v9).
    private static let modelsLoginsSafety: [PostgresQuery] = [
        """
        CREATE TABLE model_overrides (
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            input_per_mtok_usd DOUBLE PRECISION NOT NULL CHECK (input_per_mtok_usd >= 0 AND input_per_mtok_usd <= 10000),
            output_per_mtok_usd DOUBLE PRECISION NOT NULL CHECK (output_per_mtok_usd >= 0 AND output_per_mtok_usd <= 10000),
            max_output_tokens BIGINT NOT NULL CHECK (max_output_tokens BETWEEN 1 AND 1000000),
            context_window BIGINT NOT NULL CHECK (context_window BETWEEN 1 AND 10000000),
            updated_at BIGINT NOT NULL,
            CONSTRAINT model_overrides_pkey PRIMARY KEY (provider, model)
        )
        """,
        """
        CREATE TABLE login_known_addresses (
            email TEXT NOT NULL,
            address TEXT NOT NULL,
            succeeded_at BIGINT NOT NULL,
            CONSTRAINT login_known_addresses_pkey PRIMARY KEY (email, address)
        )
        """,
        "CREATE INDEX login_known_addresses_time ON login_known_addresses (succeeded_at)",
        """
        CREATE TABLE safety_escalations (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            user_id BIGINT CONSTRAINT safety_escalations_user_id_fkey REFERENCES users(id) ON DELETE SET NULL,
            request_id TEXT NOT NULL,
            red_flag TEXT NOT NULL,
            subject TEXT NOT NULL CHECK (subject IN ('user', 'other')),
            rule TEXT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX safety_escalations_time ON safety_escalations (created_at)",
    ]

    /// The default tiers, provider order (DOMAIN.md: gemini, perplexity, openai, then the
    /// offline fallback) and budget row, as SQLite's `v1-seed`.
    private static func seed(now date: Date) -> [PostgresQuery] {
        let now = date.epochMillis
        var statements: [PostgresQuery] = TierRecord.defaults.map { tier in
            """
            INSERT INTO tiers (name, requests_per_day, requests_per_week, requests_per_month,
                monthly_budget_micros, price_micros, created_at, updated_at)
            VALUES (\(tier.name), \(Int64(tier.requestsPerDay)), \(Int64(tier.requestsPerWeek)), \(Int64(tier.requestsPerMonth)),
                \(tier.monthlyBudgetMicros), \(tier.priceMicros), \(now), \(now))
            """
        }
        for (index, provider) in ["gemini", "perplexity", "openai", "fallback"].enumerated() {
            statements.append(
                """
                INSERT INTO provider_priorities (provider, model, priority, enabled, updated_at)
                VALUES (\(provider), '', \(Int64(index + 1)), TRUE, \(now))
                """)
        }
        statements.append(
            """
            INSERT INTO budget_settings (id, weekly_budget_micros, monthly_budget_micros, alert_threshold_percent,
                auto_disable, updated_at)
            VALUES (1, NULL, NULL, 80, TRUE, \(now))
            """)
        return statements
    }
}

extension PostgresStore {
    /// The names of every migration this build knows, in order.
    public static var migrationNames: [String] { PostgresMigrations.all(now: .distantPast).map(\.name) }

    /// Applies the migrations not yet applied, under an advisory lock (safe when several
    /// hosts start at once); returns their names.
    @discardableResult
    public func migrate(logger: Logger, now: Date) async throws -> [String] {
        // Migrations lift the statement timeout and may wait for another host's run: no client limit.
        let applied = try await withConnection(clientLimit: false) { connection in
            try await PostgresMigrations.migrate(connection, logger: logger, now: now)
        }
        for name in applied {
            logger.info("applied migration", metadata: ["migration": "\(name)", "database": "\(configuration.redactedDescription)"])
        }
        return applied
    }
}
