import Foundation
import PostgresNIO

/// Leases: grants of a user's allowance to this host, topped up in the background and
/// returned when idle, on a new period, on shutdown and (by any host's sweep) on expiry.
extension PostgresQuotaLedger {
    /// Refills the charge's user's lease in the background (one top-up at a time per user).
    func startTopUp(_ charge: AttemptCharge, _ keys: PeriodKeys) {
        guard let topUp = leases.beginTopUp(charge, keys) else { return }
        Task { await self.topUp(charge, topUp) }
    }

    /// One top-up: gives back a past period's lease if any, then asks `vigor_lease_grant`.
    func topUp(_ charge: AttemptCharge, _ topUp: LeaseBook.TopUp) async {
        do {
            if let old = topUp.returning { try await giveBack(old) }
            let keys = topUp.keys
            let query: PostgresQuery = """
                SELECT * FROM vigor_lease_grant(\(topUp.instance), \(charge.userID), \(charge.provider.pgText), \(charge.model.pgText),
                    \(keys.day), \(keys.week), \(keys.month), \(topUp.requests), \(topUp.estimate))
                """
            guard let row = try await store.withConnection({ connection in try await connection.fetchOne(query) }) else {
                leases.topUpFailed(charge.userID)
                return
            }
            func limit(_ column: String) throws -> Int { Int(clamping: try row.get(column, as: Int64?.self) ?? 0) }
            let tier = try row.get("o_tier", as: String?.self).map { name in
                TierRecord(
                    name: name, requestsPerDay: try limit("o_per_day"), requestsPerWeek: try limit("o_per_week"),
                    requestsPerMonth: try limit("o_per_month"), monthlyBudgetMicros: try row.get("o_budget", as: Int64?.self) ?? 0,
                    priceMicros: 0)
            }
            let used = try ["o_day_used", "o_week_used", "o_month_used"].compactMap { try row.get($0, as: Int64?.self) }
            if let committed = landing.withLock({ $0.grantCommitted }) { await committed() }
            leases.granted(
                charge, topUp, requests: try row.get("o_requests", as: Int64.self), cost: try row.get("o_cost", as: Int64.self),
                leasable: try row.get("o_leasable", as: Bool.self), tier: tier, used: used)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == Self.hostExpiredState {
            expire(topUp.instance)
        } catch {
            leases.topUpFailed(charge.userID)
            logger.debug("could not top up a quota lease", metadata: ["error": "\(error)"])
        }
    }

    /// Gives back the leases unused for `idle` (all of them for `.zero`).
    func returnIdleLeases(olderThan idle: Duration) async {
        for returned in leases.takeIdle(idle) {
            do {
                try await giveBack(returned)
            } catch {
                // Still granted to this instance in the database: returned at shutdown or expiry.
                logger.debug("could not return a quota lease", metadata: ["error": "\(error)"])
            }
        }
    }

    private func giveBack(_ returned: LeaseBook.Returned) async throws {
        guard returned.keys.count == 3, returned.requests > 0 || returned.cost > 0 else { return }
        let keys = returned.keys
        _ = try await store.withConnection { connection in
            try await connection.execute(
                """
                SELECT vigor_lease_return(\(returned.instance), \(returned.userID), \(keys[0]), \(keys[1]), \(keys[2]),
                    \(returned.requests), \(returned.cost))
                """)
        }
    }
}
