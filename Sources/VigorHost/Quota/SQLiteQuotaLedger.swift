import Foundation
import GRDB
import Logging
import Synchronization

/// The quota ledger on SQLite, at memory speed: a SQLite host is alone on its file
/// (``SingleHostLock`` refuses a second one), so it holds the whole allowance of every limit
/// in memory (``SQLiteLedgerBook``) and decides each reservation there, under one lock, with
/// no database write — limits hold exactly however many requests race, because every decision
/// sees the settled usage plus every reservation in flight.
///
/// ``settle(_:_:)`` is the only write: ONE group-committed transaction (``GroupCommit``)
/// appends the usage-log entry, which carries the actual request and cost and the periods they
/// count in, committed before the caller answers the client; the user's, the provider's and the
/// global counters (day, week and month) take the log's entries in batches
/// (``SQLiteLedgerFold``), and every read of them adds the entries not yet folded. Memory moves
/// the reservation from in flight to settled only after that commit; a failed commit releases
/// it and throws. The counters plus the unfolded entries therefore hold settled usage only and
/// always equal the usage log; a killed process loses its in-flight reservations with its
/// memory, and the next start folds what it left. (The store's counter reads —
/// ``SQLiteStore/usageCounters(userID:at:)``, provider and global spend — add this process's
/// reservations in flight, as the counters of earlier versions included them.)
///
/// The limits are cached for at most one second, and dropped at once when this process
/// changes them: a tier, a user's tier, a provider's caps or the global budget changed by
/// another process (`sqlite3`, the `vigor` CLI) applies within one second.
public final class SQLiteQuotaLedger: QuotaLedger {
    let store: SQLiteStore
    let clock: @Sendable () -> Date
    let logger: Logger
    /// The store's allowance in memory, shared by every ledger over the store.
    var book: SQLiteLedgerBook { store.ledgerBook }
    /// This ledger among those over the store (its reservations in flight are marked with it).
    let ledgerID: Int
    /// Settles waiting for the next group commit.
    let settles: SQLiteSettleBatch

    private static let ids = Atomic<Int>(0)

    public init(store: SQLiteStore, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.logger = logger
        self.clock = clock
        ledgerID = Self.ids.add(1, ordering: .relaxed).newValue
        settles = SQLiteSettleBatch(store: store, logger: logger)
    }

    /// Reserves one attempt against every limit that applies, in memory; throws
    /// ``QuotaRefusal`` naming the limit that refused. The database is read only when a
    /// limit's cache is older than one second or a counter is not in memory yet, and written
    /// only when a global-budget alert threshold is crossed (the `budget_events` row).
    public func reserve(_ charge: AttemptCharge) async throws -> Reservation {
        let now = clock()
        let keys = PeriodKeys(now)
        let counters = Self.counterKeys(charge, keys)
        var loaded: Loaded?
        for _ in 0..<16 {
            switch try decide(charge, keys, counters, now, loaded: loaded) {
            case .reserved(let reservation, let alerts):
                if !alerts.isEmpty { await record(alerts, keys, now) }
                return reservation
            case .load(let need):
                loaded = try await store.read { db in try Self.load(db, need, charge, keys) }
            }
        }
        // Only limits changed without pause by this process could keep every read stale.
        throw StoreError(.unavailable, "the quota limits kept changing while they were read")
    }

    /// Logs and records the global-budget alerts a reservation crossed (a failure is logged, not thrown).
    private func record(_ alerts: [BudgetAlert], _ keys: PeriodKeys, _ now: Date) async {
        let starts = Dictionary(uniqueKeysWithValues: keys.userPeriods)
        for alert in alerts {
            logger.warning(
                "global AI budget alert",
                metadata: ["period": "\(alert.period)", "spent_micros": "\(alert.spentMicros)", "budget_micros": "\(alert.budgetMicros)"])
        }
        do {
            try await store.groupWrite { db in
                for alert in alerts {
                    try LedgerStatement(
                        db,
                        """
                        INSERT INTO budget_events (period, period_start, kind, spent_micros, budget_micros, created_at)
                        VALUES (?, ?, 'alert', ?, ?, ?)
                        """
                    ).run([
                        .text(alert.period), .text(starts[alert.period] ?? ""), .int(alert.spentMicros), .int(alert.budgetMicros),
                        .int(now.epochMillis),
                    ])
                }
            }
        } catch {
            logger.error("could not record a global AI budget alert", metadata: ["error": "\(error)"])
        }
    }

    /// Charges the outcome's request and cost to the counters and appends the usage-log entry,
    /// in one group-committed transaction, before it returns; then the reservation leaves
    /// flight in memory. If the commit fails, the reservation is released and the error thrown.
    /// Settles arriving together share the transaction, and each counter row is written once
    /// per batch (``SQLiteSettleBatch``).
    public func settle(_ reservation: Reservation, _ outcome: AttemptOutcome) async throws {
        let now = clock()
        let charge = reservation.charge
        let keys = PeriodKeys(stored: reservation.periods) ?? PeriodKeys(Date(epochMillis: reservation.reservedAtMs))
        let requests: Int64 = charge.countsRequest && outcome.countsAsRequest ? 1 : 0
        let cost = outcome.chargedMicros
        // A cost above the estimate is in flight from now on, so no reservation decided while
        // the commit runs can see less than the truth.
        if cost > charge.reservedMicros { book.raise(reservation.pendingID, by: cost - charge.reservedMicros) }
        try await settles.submit(
            SQLiteSettleBatch.Item(
                id: reservation.pendingID, charge: charge, keys: keys, requests: requests, cost: cost, outcome: outcome, now: now))
    }

    /// Adds `requests` and `cost` to one user's three period rows (one upsert).
    static func addUser(_ db: Database, _ userID: Int64, _ keys: PeriodKeys, requests: Int64, cost: Int64) throws {
        guard requests != 0 || cost != 0 else { return }
        try LedgerStatement(
            db,
            """
            INSERT INTO usage_counters (user_id, period, period_start, requests, cost_micros)
            VALUES (?1, 'day', ?2, ?5, ?6), (?1, 'week', ?3, ?5, ?6), (?1, 'month', ?4, ?5, ?6)
            ON CONFLICT (user_id, period, period_start) DO UPDATE
            SET requests = requests + excluded.requests,
                cost_micros = MIN(cost_micros + excluded.cost_micros, 9223372036854775807)
            """
        ).run([.int(userID), .text(keys.day), .text(keys.week), .text(keys.month), .int(requests), .int(cost)])
    }

    /// Adds `cost` to one provider's three period rows (one upsert).
    static func addProvider(_ db: Database, _ provider: String, _ keys: PeriodKeys, cost: Int64) throws {
        guard cost != 0 else { return }
        try LedgerStatement(
            db,
            """
            INSERT INTO provider_usage (provider, period, period_start, cost_micros)
            VALUES (?1, 'day', ?2, ?5), (?1, 'week', ?3, ?5), (?1, 'month', ?4, ?5)
            ON CONFLICT (provider, period, period_start) DO UPDATE
            SET cost_micros = MIN(cost_micros + excluded.cost_micros, 9223372036854775807)
            """
        ).run([.text(provider), .text(keys.day), .text(keys.week), .text(keys.month), .int(cost)])
    }

    /// Adds `cost` to the global three period rows (one upsert).
    static func addGlobal(_ db: Database, _ keys: PeriodKeys, cost: Int64) throws {
        guard cost != 0 else { return }
        try LedgerStatement(
            db,
            """
            INSERT INTO global_usage (period, period_start, cost_micros) VALUES ('day', ?1, ?4), ('week', ?2, ?4), ('month', ?3, ?4)
            ON CONFLICT (period, period_start) DO UPDATE
            SET cost_micros = MIN(cost_micros + excluded.cost_micros, 9223372036854775807)
            """
        ).run([.text(keys.day), .text(keys.week), .text(keys.month), .int(cost)])
    }

    /// Appends one usage-log entry, with what it counts (its request and cost, charged to the
    /// periods of its reservation's day): the counters take it at the next fold
    /// (``SQLiteLedgerFold``).
    static func insertLog(_ db: Database, _ item: SQLiteSettleBatch.Item) throws {
        let charge = item.charge
        let outcome = item.outcome
        try LedgerStatement(
            db,
            """
            INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, requested_model, prompt_tokens,
                completion_tokens, cost_micros, latency_ms, outcome, created_at, counted_requests, counted_day)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).run([
            .int(charge.userID), .text(charge.requestID), .text(charge.kind), .text(charge.provider), .text(charge.model),
            .text(charge.requestedModel), .int(outcome.usage.promptTokens), .int(outcome.usage.completionTokens), .int(item.cost),
            .int(outcome.latencyMs), .text(outcome.outcome), .int(item.now.epochMillis), .int(item.requests), .text(item.keys.day),
        ])
    }

    /// Adjusts every counter a reservation of an earlier version touched by the given deltas:
    /// one statement per table, each finding the three period rows by primary key.
    static func apply(_ db: Database, charge: AttemptCharge, keys: PeriodKeys, requestDelta: Int, costDelta: Int64) throws {
        guard requestDelta != 0 || costDelta != 0 else { return }
        try LedgerStatement(
            db,
            """
            UPDATE usage_counters SET requests = MAX(0, requests + ?),
                cost_micros = MAX(0, MIN(cost_micros + ?, 9223372036854775807))
            FROM (VALUES ('day', ?), ('week', ?), ('month', ?)) AS k
            WHERE usage_counters.user_id = ? AND usage_counters.period = k.column1 AND usage_counters.period_start = k.column2
            """
        ).run([.int(requestDelta), .int(costDelta), .text(keys.day), .text(keys.week), .text(keys.month), .int(charge.userID)])
        guard costDelta != 0 else { return }
        try LedgerStatement(
            db,
            """
            UPDATE provider_usage SET cost_micros = MAX(0, MIN(cost_micros + ?, 9223372036854775807))
            FROM (VALUES ('day', ?), ('week', ?), ('month', ?)) AS k
            WHERE provider_usage.provider = ? AND provider_usage.period = k.column1 AND provider_usage.period_start = k.column2
            """
        ).run([.int(costDelta), .text(keys.day), .text(keys.week), .text(keys.month), .text(charge.provider)])
        try LedgerStatement(
            db,
            """
            UPDATE global_usage SET cost_micros = MAX(0, MIN(cost_micros + ?, 9223372036854775807))
            FROM (VALUES ('day', ?), ('week', ?), ('month', ?)) AS k
            WHERE global_usage.period = k.column1 AND global_usage.period_start = k.column2
            """
        ).run([.int(costDelta), .text(keys.day), .text(keys.week), .text(keys.month)])
    }

    /// Releases the reservations an earlier version of Vigor left in `quota_reservations` when
    /// it died (that version counted them in the counters at reserve time): each is given back
    /// and logged as `abandoned`; returns how many. This version keeps its reservations in
    /// memory only, so a killed process leaves none and this finds nothing. It also folds the
    /// usage-log entries a killed process left unfolded into the counters (``SQLiteLedgerFold``).
    @discardableResult
    public func recoverAbandonedReservations() async throws -> Int {
        let now = clock()
        let folded = try await store.groupWrite { db in try SQLiteLedgerFold.run(db) }
        if folded > 0 { logger.info("folded the usage log into the quota counters", metadata: ["entries": "\(folded)"]) }
        let released = try await store.write { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM quota_reservations"))
            for row in rows {
                let charge = AttemptCharge(
                    userID: try row.get("user_id"), requestID: try row.get("request_id"), kind: try row.get("kind"),
                    provider: try row.get("provider"), model: try row.get("model"),
                    estimatedCostMicros: try row.get("estimated_cost_micros"), countsRequest: try row.get("counts_request"))
                let periods = (try row.get("periods", as: String.self)).split(separator: ",").map(String.init)
                guard let keys = PeriodKeys(stored: periods) else { continue }
                try Self.apply(
                    db, charge: charge, keys: keys, requestDelta: charge.countsRequest ? -1 : 0, costDelta: -charge.reservedMicros)
                try db.cachedStatement(
                    sql: """
                        INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, prompt_tokens,
                            completion_tokens, cost_micros, latency_ms, outcome, created_at)
                        VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, 'abandoned', ?)
                        """
                ).execute(arguments: [charge.userID, charge.requestID, charge.kind, charge.provider, charge.model, now.epochMillis])
            }
            try db.cachedStatement(sql: "DELETE FROM quota_reservations").execute()
            return rows.count
        }
        // The counters changed under memory: read them again.
        if released > 0 { book.dropIdleCounters() }
        return released
    }

    /// Appends a `refused:<limit>` usage-log entry; a failure to write it is logged, not thrown.
    public func recordRefusal(_ charge: AttemptCharge, _ refusal: QuotaRefusal) async {
        let now = clock()
        do {
            try await store.groupWrite { db in
                _ = try LedgerStatement(
                    db,
                    """
                    INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, requested_model, prompt_tokens,
                        completion_tokens, cost_micros, latency_ms, outcome, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?)
                    """
                ).run([
                    .int(charge.userID), .text(charge.requestID), .text(charge.kind), .text(charge.provider), .text(charge.model),
                    .text(charge.requestedModel), .text("refused:\(refusal.limit)"), .int(now.epochMillis),
                ])
            }
        } catch {
            logger.error("could not log a quota refusal", metadata: ["error": "\(error)"])
        }
    }

    /// Forgets this ledger's reservations in flight without settling them, as the death of
    /// its process (SIGKILL) would: their allowance is free again, nothing was written.
    func forgetInFlight() {
        book.forget(ledger: ledgerID)
    }
}

extension SQLiteStore {
    /// The quota ledger over this database (see ``Store/quotaLedger(logger:clock:)``); every
    /// ledger over one store shares its allowance in memory (``SQLiteLedgerBook``).
    public func quotaLedger(logger: Logger, clock: @escaping @Sendable () -> Date) -> any QuotaLedger {
        SQLiteQuotaLedger(store: self, logger: logger, clock: clock)
    }
}
