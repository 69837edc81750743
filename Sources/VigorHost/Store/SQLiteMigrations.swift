import Foundation
import GRDB

/// The SQLite schema as named, append-only migrations.
///
/// Never edit or reorder a migration that has shipped: add a new one at the end.
enum SQLiteMigrations {
    /// The migrations; `now` stamps the rows they seed (the host's clock, not the machine's).
    static func migrator(now: Date) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-accounts", migrate: accounts)
        migrator.registerMigration("v1-coaching", migrate: coaching)
        migrator.registerMigration("v1-usage", migrate: usage)
        migrator.registerMigration("v1-seed") { try seed($0, now: now) }
        migrator.registerMigration(QuotaMigration.name, migrate: QuotaMigration.apply)
        migrator.registerMigration("v3-message-truncated", migrate: messageTruncated)
        migrator.registerMigration(QuotaMigration.pendingName, migrate: QuotaMigration.applyPending)
        migrator.registerMigration(QuotaMigration.reservationRowidName, migrate: QuotaMigration.applyReservationRowid)
        migrator.registerMigration(QuotaMigration.dropRequestIndexName, migrate: QuotaMigration.dropRequestIndex)
        migrator.registerMigration(ModelMigration.requestedModelName, migrate: ModelMigration.addRequestedModel)
        migrator.registerMigration(ModelMigration.overridesName, migrate: ModelMigration.createOverrides)
        migrator.registerMigration(KnownAddressMigration.name, migrate: KnownAddressMigration.apply)
        migrator.registerMigration(SafetyEscalationMigration.name, migrate: SafetyEscalationMigration.apply)
        migrator.registerMigration(QuotaMigration.usageLogRowidName, migrate: QuotaMigration.applyUsageLogRowid)
        migrator.registerMigration(QuotaMigration.counterPeriodCheckName, migrate: QuotaMigration.applyCounterPeriodCheck)
        migrator.registerMigration(messageRoleCheckName, migrate: messageRoleCheck)
        migrator.registerMigration(QuotaMigration.foldName, migrate: QuotaMigration.applyFold)
        migrator.registerMigration(SQLiteUsageTimeMarks.migrationName, migrate: SQLiteUsageTimeMarks.migrate)
        return migrator
    }

    private static func accounts(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE tiers (
                    name TEXT PRIMARY KEY NOT NULL,
                    requests_per_day INTEGER NOT NULL CHECK (requests_per_day >= 0),
                    requests_per_week INTEGER NOT NULL CHECK (requests_per_week >= 0),
                    requests_per_month INTEGER NOT NULL CHECK (requests_per_month >= 0),
                    monthly_budget_micros INTEGER NOT NULL CHECK (monthly_budget_micros >= 0),
                    price_micros INTEGER NOT NULL DEFAULT 0 CHECK (price_micros >= 0),
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE users (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
                    tier TEXT NOT NULL REFERENCES tiers(name) ON UPDATE CASCADE,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE refresh_tokens (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    family_id TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    rotated_at INTEGER,
                    revoked_at INTEGER
                );
                CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
                CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);
                CREATE TABLE login_failures (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    scope_key TEXT NOT NULL,
                    failed_at INTEGER NOT NULL
                );
                CREATE INDEX login_failures_key ON login_failures(scope_key, failed_at);
                CREATE TABLE api_keys (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    key_prefix TEXT NOT NULL,
                    key_hash TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL,
                    last_used_at INTEGER,
                    revoked_at INTEGER
                );
                CREATE INDEX api_keys_user ON api_keys(user_id);
                CREATE TABLE user_profiles (
                    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
                    profile_json TEXT NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                """)
    }

    private static func coaching(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE conversations (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    title TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX conversations_user ON conversations(user_id, updated_at);
                CREATE TABLE messages (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
                    content TEXT NOT NULL,
                    provider TEXT,
                    model TEXT,
                    prompt_tokens INTEGER NOT NULL DEFAULT 0,
                    completion_tokens INTEGER NOT NULL DEFAULT 0,
                    cost_micros INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX messages_conversation ON messages(conversation_id, id);
                CREATE TABLE workout_plans (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    source TEXT NOT NULL,
                    plan_json TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX workout_plans_user ON workout_plans(user_id, id);
                CREATE TABLE workout_logs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    plan_id INTEGER NOT NULL REFERENCES workout_plans(id) ON DELETE CASCADE,
                    performed_on TEXT NOT NULL,
                    duration_minutes INTEGER NOT NULL,
                    exercises_json TEXT NOT NULL,
                    notes TEXT NOT NULL DEFAULT '',
                    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX workout_logs_user ON workout_logs(user_id, performed_on);
                CREATE TABLE progress_metrics (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    recorded_on TEXT NOT NULL,
                    weight_kg REAL,
                    body_fat_percent REAL,
                    measurements_json TEXT NOT NULL DEFAULT '{}',
                    notes TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX progress_metrics_user ON progress_metrics(user_id, recorded_on);
                """)
    }

    private static func usage(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE usage_counters (
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
                    period_start TEXT NOT NULL,
                    requests INTEGER NOT NULL DEFAULT 0 CHECK (requests >= 0),
                    cost_micros INTEGER NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
                    PRIMARY KEY (user_id, period, period_start)
                );
                CREATE TABLE ai_usage_logs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
                    request_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL,
                    prompt_tokens INTEGER NOT NULL DEFAULT 0,
                    completion_tokens INTEGER NOT NULL DEFAULT 0,
                    cost_micros INTEGER NOT NULL DEFAULT 0,
                    latency_ms INTEGER NOT NULL DEFAULT 0,
                    outcome TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX ai_usage_logs_user ON ai_usage_logs(user_id, created_at);
                CREATE INDEX ai_usage_logs_time ON ai_usage_logs(created_at);
                CREATE TABLE provider_priorities (
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL DEFAULT '',
                    priority INTEGER NOT NULL,
                    enabled INTEGER NOT NULL DEFAULT 1,
                    daily_cap_micros INTEGER,
                    weekly_cap_micros INTEGER,
                    monthly_cap_micros INTEGER,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (provider, model)
                );
                CREATE TABLE budget_settings (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    weekly_budget_micros INTEGER,
                    monthly_budget_micros INTEGER,
                    alert_threshold_percent INTEGER NOT NULL DEFAULT 80,
                    auto_disable INTEGER NOT NULL DEFAULT 1,
                    updated_at INTEGER NOT NULL
                );
                """)
    }

    /// An assistant message whose stream was cut after text was sent is kept, marked truncated.
    private static func messageTruncated(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE messages ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0")
    }

    static let messageRoleCheckName = "v12-message-role-check"

    /// The messages table with its role rule written as comparisons: SQLite 3.40 evaluates
    /// `role IN ('system', 'user', 'assistant')` (three constants or more) by building and
    /// zeroing an ephemeral table for every row written, two rows per coaching exchange (the
    /// counter tables had the same cost, `v11-counter-period-check`). The table is rebuilt;
    /// ids, the `AUTOINCREMENT` high-water mark (no id is ever given twice, even one whose
    /// message was deleted), the index and the cascade from conversations stay as they were.
    private static func messageRoleCheck(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE messages_next (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (role = 'system' OR role = 'user' OR role = 'assistant'),
                    content TEXT NOT NULL,
                    provider TEXT,
                    model TEXT,
                    prompt_tokens INTEGER NOT NULL DEFAULT 0,
                    completion_tokens INTEGER NOT NULL DEFAULT 0,
                    cost_micros INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    truncated INTEGER NOT NULL DEFAULT 0
                );
                INSERT INTO messages_next (id, conversation_id, role, content, provider, model, prompt_tokens,
                    completion_tokens, cost_micros, created_at, truncated)
                SELECT id, conversation_id, role, content, provider, model, prompt_tokens,
                    completion_tokens, cost_micros, created_at, truncated FROM messages;
                DELETE FROM sqlite_sequence WHERE name = 'messages_next';
                INSERT INTO sqlite_sequence (name, seq) SELECT 'messages_next', seq FROM sqlite_sequence WHERE name = 'messages';
                DROP TABLE messages;
                ALTER TABLE messages_next RENAME TO messages;
                CREATE INDEX messages_conversation ON messages(conversation_id, id);
                """)
    }

    private static func seed(_ db: Database, now date: Date) throws {
        let now = date.epochMillis
        for tier in TierRecord.defaults {
            try db.execute(
                sql: """
                    INSERT INTO tiers (name, requests_per_day, requests_per_week, requests_per_month,
                        monthly_budget_micros, price_micros, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    tier.name, tier.requestsPerDay, tier.requestsPerWeek, tier.requestsPerMonth,
                    tier.monthlyBudgetMicros, tier.priceMicros, now, now,
                ])
        }
        // DOMAIN.md: gemini, then perplexity, then openai; the offline fallback last.
        for (priority, provider) in ["gemini", "perplexity", "openai", "fallback"].enumerated() {
            try db.execute(
                sql: "INSERT INTO provider_priorities (provider, model, priority, enabled, updated_at) VALUES (?, '', ?, 1, ?)",
                arguments: [provider, priority + 1, now])
        }
        try db.execute(
            sql: """
                INSERT INTO budget_settings (id, weekly_budget_micros, monthly_budget_micros,
                    alert_threshold_percent, auto_disable, updated_at)
                VALUES (1, NULL, NULL, 80, 1, ?)
                """,
            arguments: [now])
    }
}

extension Date {
    /// Unix epoch milliseconds, as the store keeps times. A date past what `Int64` milliseconds
    /// hold (292 million years either side of 1970: a lifetime of 1e19 s added to now, a date
    /// built from a huge number) saturates at `Int64.min`/`.max` instead of trapping; NaN is 0.
    var epochMillis: Int64 {
        let millis = (timeIntervalSince1970 * 1000).rounded()
        // Double(Int64.max) is 2^63, one past Int64.max: anything from there up saturates.
        if millis >= Double(Int64.max) { return .max }
        if millis < Double(Int64.min) { return .min }
        return millis.isNaN ? 0 : Int64(millis)
    }

    init(epochMillis: Int64) {
        self.init(timeIntervalSince1970: Double(epochMillis) / 1000)
    }
}
