import GRDB

/// Where a time-window report over the SQLite usage log starts reading, in place of an index
/// on `created_at` (migration ``migrationName``).
///
/// That index cost every settle's commit a page of its own: a third WAL frame (two writes and a
/// checksum of the page) and a B-tree insert, about 5 µs a commit at c=1 (`bench/RESULTS.md`),
/// to serve the admin reports, which run rarely. Instead, each fold of the usage log
/// (``SQLiteLedgerFold/run(_:)``) keeps a mark: a row of `usage_log_marks` saying that every
/// entry up to `through_id` was written at or before `latest_ms`. The newest mark is moved
/// forward while it spans less than ``span`` of log time, and a new one is opened after that,
/// so there is about one mark a minute of traffic.
///
/// A report from `since` skips the entries up to the newest mark with `latest_ms < since`: each
/// of those was written before `since`. It reads the rest by rowid and filters them by
/// `created_at`, so its answer is exact, a clock set back included; what it reads beyond the
/// window is at most a minute and a fold of entries.
///
/// This holds because ids only grow, which the fold's watermark relies on too: SQLite gives a
/// new entry one past the largest id, so deleting the newest entry would hand its id, and the
/// ids before it, out again, to entries the watermark and the marks already count as seen. The
/// host never deletes from the log; a trigger refuses, to anyone, a delete that takes the
/// newest entry (`DELETE FROM ai_usage_logs` included). Pruning old entries stays possible.
enum SQLiteUsageTimeMarks {
    static let migrationName = "v14-usage-log-time-marks"

    /// The log time one mark covers before the next is opened, in milliseconds.
    static let span: Int64 = 60_000

    /// Drops the time index, marks the entries already written and keeps the newest entry.
    ///
    /// The entries there are get the marks the folds would have made: their running latest
    /// time, in id order, cut into spans of ``span`` (each span's entries are one run of ids,
    /// as the running time only grows). One mark for the whole log would make every report
    /// that starts before its newest entry read all of it, as long as the log goes back.
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP INDEX IF EXISTS ai_usage_logs_time;
                CREATE TABLE usage_log_marks (
                    id INTEGER PRIMARY KEY,
                    through_id INTEGER NOT NULL,
                    latest_ms INTEGER NOT NULL,
                    opened_ms INTEGER NOT NULL
                );
                CREATE INDEX usage_log_marks_latest ON usage_log_marks(latest_ms, through_id);
                INSERT INTO usage_log_marks (through_id, latest_ms, opened_ms)
                SELECT MAX(id), MAX(latest), MIN(latest) FROM (
                    SELECT id, MAX(created_at) OVER (ORDER BY id) AS latest FROM ai_usage_logs
                ) GROUP BY latest / \(span) ORDER BY MAX(id);
                CREATE TRIGGER ai_usage_logs_keep_newest BEFORE DELETE ON ai_usage_logs
                WHEN OLD.id = (SELECT MAX(id) FROM ai_usage_logs)
                BEGIN
                    SELECT RAISE(ABORT, 'the usage log keeps its newest entry: ids must only grow (prune older entries only)');
                END;
                """)
    }

    /// The last usage-log id a report from `?` (milliseconds) can skip; 0 when none. Binds one
    /// parameter, the window's start.
    static let skippedThroughSQL = """
        COALESCE((SELECT through_id FROM usage_log_marks WHERE latest_ms < ?
            ORDER BY latest_ms DESC, through_id DESC LIMIT 1), 0)
        """

    /// Marks the entries written since the newest mark, in the caller's transaction (the
    /// fold's). Reads only those entries, by rowid.
    static func advance(_ db: Database) throws {
        var newest: (id: Int64, through: Int64, latest: Int64, opened: Int64)?
        try LedgerStatement(db, "SELECT id, through_id, latest_ms, opened_ms FROM usage_log_marks ORDER BY id DESC LIMIT 1").run([]) {
            newest = ($0.int(0), $0.int(1), $0.int(2), $0.int(3))
        }
        var written: (through: Int64, latest: Int64)?
        try LedgerStatement(db, "SELECT MAX(id), MAX(created_at) FROM ai_usage_logs WHERE id > ?").run([.int(newest?.through ?? 0)]) {
            if let through = $0.optionalInt(0) { written = (through, $0.int(1)) }
        }
        guard let written else { return }
        guard let newest else {
            try insert(db, through: written.through, latest: written.latest)
            return
        }
        let latest = max(newest.latest, written.latest)
        let (spanned, overflow) = latest.subtractingReportingOverflow(newest.opened)
        if !overflow, spanned >= 0, spanned < span {
            try LedgerStatement(db, "UPDATE usage_log_marks SET through_id = ?, latest_ms = ? WHERE id = ?").run([
                .int(written.through), .int(latest), .int(newest.id),
            ])
        } else {
            try insert(db, through: written.through, latest: latest)
        }
    }

    private static func insert(_ db: Database, through: Int64, latest: Int64) throws {
        try LedgerStatement(db, "INSERT INTO usage_log_marks (through_id, latest_ms, opened_ms) VALUES (?, ?, ?)").run([
            .int(through), .int(latest), .int(latest),
        ])
    }
}
