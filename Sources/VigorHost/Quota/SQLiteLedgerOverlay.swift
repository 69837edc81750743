import Foundation

// The store's counter reads on SQLite report usage as the ledger decides on it: the settled
// counters in the database plus this process's reservations in flight, which live in memory
// only (``SQLiteLedgerBook``). A reservation is counted from the moment it is held, as on
// every backend.

extension SQLiteLedgerBook {
    /// The index of a period in ``CounterKey/period``.
    static func index(_ period: UsagePeriod) -> Int {
        switch period {
        case .day: 0
        case .week: 1
        case .month: 2
        }
    }
}

extension [UsageCounter] {
    /// These counters of `userID` with its reservations in flight added.
    func addingLedgerFlight(_ book: SQLiteLedgerBook, userID: Int64) -> [UsageCounter] {
        map { counter in
            let flight = book.inFlight(user: userID, period: SQLiteLedgerBook.index(counter.period), start: counter.periodStart)
            var out = counter
            out.requests = Int(clamping: Money.adding(Int64(counter.requests), flight.requests))
            out.costMicros = Money.adding(counter.costMicros, flight.cost)
            return out
        }
    }
}

extension [PeriodSpend] {
    /// The global spend with the reservations in flight added.
    func addingLedgerFlight(_ book: SQLiteLedgerBook) -> [PeriodSpend] {
        map { spend in
            var out = spend
            out.costMicros = Money.adding(
                spend.costMicros, book.inFlightGlobal(period: SQLiteLedgerBook.index(spend.period), start: spend.periodStart))
            return out
        }
    }
}

extension [String: [PeriodSpend]] {
    /// Every provider's spend with its reservations in flight added (a provider with only
    /// reservations in flight appears too).
    func addingLedgerFlight(_ book: SQLiteLedgerBook, _ keys: [(UsagePeriod, String)]) -> [String: [PeriodSpend]] {
        var out = self
        for (period, start) in keys {
            for (provider, cost) in book.inFlightProviders(period: SQLiteLedgerBook.index(period), start: start) {
                var spends = out[provider] ?? []
                if let at = spends.firstIndex(where: { $0.period == period && $0.periodStart == start }) {
                    spends[at].costMicros = Money.adding(spends[at].costMicros, cost)
                } else {
                    spends.append(PeriodSpend(period: period, periodStart: start, costMicros: cost))
                }
                out[provider] = spends
            }
        }
        return out
    }
}
