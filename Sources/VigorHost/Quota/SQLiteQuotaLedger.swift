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
/// sharing the file; the PostgreSQL backend runs the same statements under row locks.
public final class SQLiteQuotaLedger: AIAccounting {
    let store: SQLiteStore
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(store: SQLiteStore, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.logger = logger
        self.clock = clock
    }

    public func reserve(_ charge: AttemptCharge) async throws -> Reservation {
        let now = clock()
        let keys = PeriodKeys(now)
        // A thrown QuotaRefusal rolls the transaction back and reaches the caller as is.
        let (reservation, alerts) = try await store.write { db -> (Reservation, [BudgetAlert]) in
            let limits = try QuotaLimits.load(db, userID: charge.userID, provider: charge.provider, model: charge.model)
            let status = try Self.reserveUser(db, charge, limits, keys, now)
            try Self.reserveProvider(db, charge, limits, keys, now)
            let alerts = try Self.reserveGlobal(db, charge, limits, keys, now)
            return (Reservation(charge: charge, periods: keys.all, reservedAtMs: now.epochMillis, rateLimit: status), alerts)
        }
        for alert in alerts {
            logger.warning(
                "global AI budget alert",
                metadata: ["period": "\(alert.period)", "spent_micros": "\(alert.spentMicros)", "budget_micros": "\(alert.budgetMicros)"])
        }
        return reservation
    }

    public func settle(_ reservation: Reservation, _ outcome: AttemptOutcome) async throws {
        let now = clock()
        let charge = reservation.charge
        let delta = outcome.costMicros - charge.estimatedCostMicros
        let requestDelta = outcome.countsAsRequest || !charge.countsRequest ? 0 : -1
        let keys = PeriodKeys(stored: reservation.periods) ?? PeriodKeys(Date(epochMillis: reservation.reservedAtMs))
        try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, prompt_tokens,
                        completion_tokens, cost_micros, latency_ms, outcome, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    charge.userID, charge.requestID, charge.kind, charge.provider, charge.model, outcome.usage.promptTokens,
                    outcome.usage.completionTokens, outcome.costMicros, outcome.latencyMs, outcome.outcome, now.epochMillis,
                ])
            for (period, start) in keys.userPeriods {
                try db.execute(
                    sql: """
                        UPDATE usage_counters SET requests = MAX(0, requests + ?), cost_micros = MAX(0, cost_micros + ?)
                        WHERE user_id = ? AND period = ? AND period_start = ?
                        """,
                    arguments: [requestDelta, delta, charge.userID, period, start])
            }
            for (period, start) in keys.userPeriods {
                try db.execute(
                    sql: "UPDATE provider_usage SET cost_micros = MAX(0, cost_micros + ?) WHERE provider = ? AND period = ? AND period_start = ?",
                    arguments: [delta, charge.provider, period, start])
                try db.execute(
                    sql: "UPDATE global_usage SET cost_micros = MAX(0, cost_micros + ?) WHERE period = ? AND period_start = ?",
                    arguments: [delta, period, start])
            }
        }
    }

    public func recordRefusal(_ charge: AttemptCharge, _ refusal: QuotaRefusal) async {
        let now = clock()
        do {
            try await store.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, prompt_tokens,
                            completion_tokens, cost_micros, latency_ms, outcome, created_at)
                        VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?)
                        """,
                    arguments: [charge.userID, charge.requestID, charge.kind, charge.provider, charge.model, "refused:\(refusal.limit)", now.epochMillis])
            }
        } catch {
            logger.error("could not log a quota refusal", metadata: ["error": "\(error)"])
        }
    }
}

