/// A store's quota ledger: the router's ``AIAccounting`` (reserve before an attempt, settle
/// after it, log refusals) plus the start-up recovery of reservations a stopped host left
/// in flight.
///
/// Every ``Store`` makes one over its own database (``Store/quotaLedger(logger:clock:)``), so
/// the assembly and the start-up code need no backend type. ``SQLiteQuotaLedger`` is the
/// embedded implementation (one host: the whole allowance in memory, only the settle
/// writes); ``PostgresQuotaLedger`` the shared one (hosts registered with an expiry, leases).
public protocol QuotaLedger: AIAccounting {
    /// Releases the reservations a previous host process left recorded in the database when
    /// it died (SIGKILL, power loss): their requests and estimated costs are given back and each
    /// is logged as `abandoned`. Run at start-up, before serving. Returns how many. On SQLite
    /// reservations in flight live only in memory, so only rows an earlier version left are
    /// found; on PostgreSQL only expired hosts' (or this host identity's previous run's).
    @discardableResult
    func recoverAbandonedReservations() async throws -> Int
}
