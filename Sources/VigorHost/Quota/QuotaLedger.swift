/// A store's quota ledger: the router's ``AIAccounting`` (reserve before an attempt, settle
/// after it, log refusals) plus the start-up recovery of reservations a stopped host left
/// in flight.
///
/// Every ``Store`` makes one over its own database (``Store/quotaLedger(logger:clock:)``), so
/// the assembly and the start-up code need no backend type. ``SQLiteQuotaLedger`` is the
/// embedded implementation.
public protocol QuotaLedger: AIAccounting {
    /// Releases the reservations a previous host process left in flight when it died
    /// (SIGKILL, power loss): their requests and estimated costs are given back and each is
    /// logged as `abandoned`. Run at start-up, before serving. Returns how many.
    @discardableResult
    func recoverAbandonedReservations() async throws -> Int
}
