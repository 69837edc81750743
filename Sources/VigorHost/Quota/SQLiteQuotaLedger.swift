import Foundation
import GRDB
import Logging

/// The quota ledger on SQLite: every limit that applies to an AI attempt — the user's
/// requests per day/week/month and monthly budget, the provider's cost caps, the global
/// weekly/monthly budget — is reserved in ONE write transaction of conditional updates
/// (`UPDATE … WHERE used + n <= limit`), so limits hold exactly however many requests race.
/// After the call, ``settle(_:_:)`` reconciles to the actual cost (or releases the
/// reservation) and appends the usage-log entry in one transaction, committed before the
/// caller answers the client.
///
/// SQLite serialises writers, so the transaction is atomic across threads and processes
/// sharing the file. Reserves and settles arriving together share one commit (group
/// commit, ``GroupCommit``): each runs in its own savepoint, in order, so every limit
/// check still sees every write before it.
public final class SQLiteQuotaLedger: QuotaLedger {
    let store: SQLiteStore
    let clock: @Sendable () -> Date
    let logger: Logger
    /// This process; its reservations in flight are recorded under it.
    let instance = UUID().uuidString

    public init(store: SQLiteStore, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.logger = logger
        self.clock = clock
    }

    /// Reserves one attempt against every limit that applies, in one group-committed transaction;
    /// throws ``QuotaRefusal`` naming the limit that refused (and writes nothing then).
    public func reserve(_ charge: AttemptCharge) async throws -> Reservation {
        let now = clock()
        let keys = PeriodKeys(now)
        // A thrown QuotaRefusal rolls the transaction back and reaches the caller as is.
        let (reservation, alerts) = try await store.groupWrite { db -> (Reservation, [BudgetAlert]) in
            let limits = try QuotaLimits.load(db, userID: charge.userID, provider: charge.provider, model: charge.model)
            let status = try Self.reserveUser(db, charge, limits, keys, now)
            try Self.reserveProvider(db, charge, limits, keys, now)
            let alerts = try Self.reserveGlobal(db, charge, limits, keys, now)
            try LedgerStatement(
                db,
                """
                INSERT INTO quota_reservations (instance, user_id, request_id, kind, provider, model, periods,
                    estimated_cost_micros, counts_request, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).run([
                .text(self.instance), .int(charge.userID), .text(charge.requestID), .text(charge.kind), .text(charge.provider),
                .text(charge.model), .text(keys.all.joined(separator: ",")), .int(charge.reservedMicros),
                .bool(charge.countsRequest), .int(now.epochMillis),
            ])
            var reservation = Reservation(charge: charge, periods: keys.all, reservedAtMs: now.epochMillis, rateLimit: status)
            reservation.pendingID = db.lastInsertedRowID
            return (reservation, alerts)
        }
        for alert in alerts {
            logger.warning(
                "global AI budget alert",
                metadata: ["period": "\(alert.period)", "spent_micros": "\(alert.spentMicros)", "budget_micros": "\(alert.budgetMicros)"])
        }
        return reservation
    }

    /// Reconciles the reservation to the outcome's cost (or releases it), drops its in-flight
    /// record and appends the usage-log entry, in one transaction committed before it returns.
    public func settle(_ reservation: Reservation, _ outcome: AttemptOutcome) async throws {
        let now = clock()
        let charge = reservation.charge
        let delta = outcome.chargedMicros - charge.reservedMicros
        let requestDelta = outcome.countsAsRequest || !charge.countsRequest ? 0 : -1
        let keys = PeriodKeys(stored: reservation.periods) ?? PeriodKeys(Date(epochMillis: reservation.reservedAtMs))
        try await store.groupWrite { db in
            try Self.apply(db, charge: charge, keys: keys, requestDelta: requestDelta, costDelta: delta)
            try LedgerStatement(db, "DELETE FROM quota_reservations WHERE id = ?").run([.int(reservation.pendingID)])
            try LedgerStatement(
                db,
                """
                INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, requested_model, prompt_tokens,
                    completion_tokens, cost_micros, latency_ms, outcome, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).run([
                .int(charge.userID), .text(charge.requestID), .text(charge.kind), .text(charge.provider), .text(charge.model),
                .text(charge.requestedModel), .int(outcome.usage.promptTokens), .int(outcome.usage.completionTokens),
                .int(outcome.chargedMicros),
                .int(outcome.latencyMs), .text(outcome.outcome), .int(now.epochMillis),
            ])
        }
    }

    /// Adjusts every counter a reservation touched by the given deltas: one statement per
    /// table, each finding the three period rows by primary key.
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

    /// Releases the reservations left in flight by every other instance (see
    /// ``QuotaLedger/recoverAbandonedReservations()``).
    @discardableResult
    public func recoverAbandonedReservations() async throws -> Int {
        let instance = self.instance
        let now = clock()
        return try await store.write { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM quota_reservations WHERE instance != ?"), arguments: [instance])
            for row in rows {
                let charge = AttemptCharge(
                    userID: row["user_id"], requestID: row["request_id"], kind: row["kind"], provider: row["provider"], model: row["model"],
                    estimatedCostMicros: row["estimated_cost_micros"], countsRequest: row["counts_request"])
                let periods = (row["periods"] as String).split(separator: ",").map(String.init)
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
            try db.cachedStatement(sql: "DELETE FROM quota_reservations WHERE instance != ?").execute(arguments: [instance])
            return rows.count
        }
    }

    /// Appends a `refused:<limit>` usage-log entry; a failure to write it is logged, not thrown.
    public func recordRefusal(_ charge: AttemptCharge, _ refusal: QuotaRefusal) async {
        let now = clock()
        do {
            try await store.groupWrite { db in
                try db.cachedStatement(
                    sql: """
                        INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, requested_model, prompt_tokens,
                            completion_tokens, cost_micros, latency_ms, outcome, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?)
                        """
                ).execute(arguments: [
                    charge.userID, charge.requestID, charge.kind, charge.provider, charge.model, charge.requestedModel,
                    "refused:\(refusal.limit)", now.epochMillis,
                ])
            }
        } catch {
            logger.error("could not log a quota refusal", metadata: ["error": "\(error)"])
        }
    }
}

extension SQLiteStore {
    /// The quota ledger over this database (see ``Store/quotaLedger(logger:clock:)``).
    public func quotaLedger(logger: Logger, clock: @escaping @Sendable () -> Date) -> any QuotaLedger {
        SQLiteQuotaLedger(store: self, logger: logger, clock: clock)
    }
}
