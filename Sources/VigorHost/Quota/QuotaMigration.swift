import GRDB

/// The tables the ledger needs beyond the usage counters (migration `v2-quota-ledger`).
enum QuotaMigration {
    static let name = "v2-quota-ledger"

    static func apply(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE provider_usage (
                    provider TEXT NOT NULL,
                    period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
                    period_start TEXT NOT NULL,
                    cost_micros INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (provider, period, period_start)
                );
                CREATE TABLE global_usage (
                    period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
                    period_start TEXT NOT NULL,
                    cost_micros INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (period, period_start)
                );
                CREATE TABLE budget_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    period TEXT NOT NULL,
                    period_start TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    spent_micros INTEGER NOT NULL,
                    budget_micros INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX ai_usage_logs_request ON ai_usage_logs(request_id);
                """)
    }

    static let pendingName = "v4-quota-pending-reservations"

    /// Reservations in flight, written and deleted in the same transactions as the counters,
    /// so a host that dies mid-request leaves a record the next start releases.
    static func applyPending(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE quota_reservations (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    instance TEXT NOT NULL,
                    user_id INTEGER NOT NULL,
                    request_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL,
                    periods TEXT NOT NULL,
                    estimated_cost_micros INTEGER NOT NULL,
                    counts_request INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                );
                """)
    }

    static let dropRequestIndexName = "v6-drop-usage-log-request-index"

    /// No query reads the usage log by request id, and the index on it cost every settle a
    /// B-tree insert at a random place (request ids are random): 15–25 µs per commit on a
    /// 200 000-row log in a Python sqlite3 measurement, growing with the log.
    static func dropRequestIndex(_ db: Database) throws {
        try db.execute(sql: "DROP INDEX IF EXISTS ai_usage_logs_request")
    }

    static let reservationRowidName = "v5-quota-reservations-rowid"

    /// `quota_reservations` without `AUTOINCREMENT`: its rows live for one request, so ids
    /// never need to stay unique across deletions, and `AUTOINCREMENT` cost every reservation
    /// an extra `sqlite_sequence` page write.
    static func applyReservationRowid(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE quota_reservations_next (
                    id INTEGER PRIMARY KEY,
                    instance TEXT NOT NULL,
                    user_id INTEGER NOT NULL,
                    request_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL,
                    periods TEXT NOT NULL,
                    estimated_cost_micros INTEGER NOT NULL,
                    counts_request INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                );
                INSERT INTO quota_reservations_next SELECT * FROM quota_reservations;
                DROP TABLE quota_reservations;
                ALTER TABLE quota_reservations_next RENAME TO quota_reservations;
                DELETE FROM sqlite_sequence WHERE name = 'quota_reservations';
                """)
    }

    static let usageLogRowidName = "v10-usage-log-rowid"

    /// `ai_usage_logs` without `AUTOINCREMENT`. Every settle's commit also rewrote the
    /// `sqlite_sequence` page, one more WAL frame per transaction. No statement deletes from the
    /// usage log, so SQLite's own choice, one past the largest id, gives the ids AUTOINCREMENT
    /// gave. A one-off rebuild: the rows keep their ids and the two indexes come back.
    static func applyUsageLogRowid(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE ai_usage_logs_next (
                    id INTEGER PRIMARY KEY,
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
                    created_at INTEGER NOT NULL,
                    requested_model TEXT
                );
                INSERT INTO ai_usage_logs_next (id, user_id, request_id, kind, provider, model, prompt_tokens,
                    completion_tokens, cost_micros, latency_ms, outcome, created_at, requested_model)
                SELECT id, user_id, request_id, kind, provider, model, prompt_tokens,
                    completion_tokens, cost_micros, latency_ms, outcome, created_at, requested_model FROM ai_usage_logs;
                DROP TABLE ai_usage_logs;
                ALTER TABLE ai_usage_logs_next RENAME TO ai_usage_logs;
                CREATE INDEX ai_usage_logs_user ON ai_usage_logs(user_id, created_at);
                CREATE INDEX ai_usage_logs_time ON ai_usage_logs(created_at);
                DELETE FROM sqlite_sequence WHERE name = 'ai_usage_logs';
                """)
    }

    static let counterPeriodCheckName = "v11-counter-period-check"

    /// The three counter tables with their period CHECK written as `=` tests. SQLite 3.40
    /// evaluates `period IN ('day', 'week', 'month')` by building an ephemeral table, on every
    /// row each settle's upsert writes: three tables opened and zeroed per settle, half of the
    /// upsert's time (7.7 against 3.9 µs in a Python sqlite3 loop). Same rule, same rows.
    ///
    /// They become `WITHOUT ROWID` on the way: a row is found by its primary key in one B-tree,
    /// not through the key's index and then the table (3.4 against 3.6 µs per upsert, 1.5
    /// against 1.8 µs per read, same loop), and a new period's rows are written to one tree.
    static func applyCounterPeriodCheck(_ db: Database) throws {
        let period = "period TEXT NOT NULL CHECK (period = 'day' OR period = 'week' OR period = 'month')"
        try db.execute(
            sql: """
                CREATE TABLE usage_counters_next (
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    \(period),
                    period_start TEXT NOT NULL,
                    requests INTEGER NOT NULL DEFAULT 0 CHECK (requests >= 0),
                    cost_micros INTEGER NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
                    PRIMARY KEY (user_id, period, period_start)
                ) WITHOUT ROWID;
                INSERT INTO usage_counters_next (user_id, period, period_start, requests, cost_micros)
                SELECT user_id, period, period_start, requests, cost_micros FROM usage_counters;
                DROP TABLE usage_counters;
                ALTER TABLE usage_counters_next RENAME TO usage_counters;
                CREATE TABLE provider_usage_next (
                    provider TEXT NOT NULL,
                    \(period),
                    period_start TEXT NOT NULL,
                    cost_micros INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (provider, period, period_start)
                ) WITHOUT ROWID;
                INSERT INTO provider_usage_next (provider, period, period_start, cost_micros)
                SELECT provider, period, period_start, cost_micros FROM provider_usage;
                DROP TABLE provider_usage;
                ALTER TABLE provider_usage_next RENAME TO provider_usage;
                CREATE TABLE global_usage_next (
                    \(period),
                    period_start TEXT NOT NULL,
                    cost_micros INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (period, period_start)
                ) WITHOUT ROWID;
                INSERT INTO global_usage_next (period, period_start, cost_micros)
                SELECT period, period_start, cost_micros FROM global_usage;
                DROP TABLE global_usage;
                ALTER TABLE global_usage_next RENAME TO global_usage;
                """)
    }

    static let foldName = "v13-usage-log-fold"

    /// The usage log says what each entry counts, and the counters are folded from it in
    /// batches (``SQLiteLedgerFold``): `counted_requests` and `counted_day` on each entry, and
    /// the watermark. Every entry already written is already in the counters.
    static func applyFold(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE ai_usage_logs ADD COLUMN counted_requests INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE ai_usage_logs ADD COLUMN counted_day TEXT;
                CREATE TABLE ledger_fold (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    through_id INTEGER NOT NULL
                );
                INSERT INTO ledger_fold (id, through_id) SELECT 1, COALESCE(MAX(id), 0) FROM ai_usage_logs;
                """)
    }
}
