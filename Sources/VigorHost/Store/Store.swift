import Foundation
import Logging

/// Everything the host keeps: accounts, coaching data, tiers and usage.
///
/// The host talks only to this protocol. ``SQLiteStore`` is the embedded backend; a
/// PostgreSQL backend implements the same protocol, so callers do not change.
///
/// Rules every implementation keeps:
/// - every read or write of a user-owned row takes the owner's id and matches it in the
///   query itself (another user's row is "not found");
/// - money is integer micro-dollars; times are stored as Unix epoch milliseconds;
/// - unique-key violations surface as ``StoreError/Code/conflict`` naming the field.
public protocol Store: UserStore, CoachingStore, UsageStore, APIKeyStore, AdminStore, ModelOverrideStore {
    /// Applies the migrations not yet applied, in order; returns their names. Safe to call
    /// at every start (an applied migration is skipped). `now` (the caller's clock) stamps
    /// what they write: the seeded rows, and on PostgreSQL the migration's own record.
    @discardableResult
    func migrate(logger: Logger, now: Date) async throws -> [String]
    /// A cheap round trip to the database (for `/ready`).
    func ping() async throws
    /// Closes the connections; later calls fail.
    func close() async throws
    /// The provider priorities as the router reads them (may be cached briefly; a change
    /// made through this store is seen at once).
    var priorities: any ProviderPriorities { get }
    /// The quota ledger over this store's database: reservations, settles and the usage
    /// log, atomic in the database. `clock` stamps periods and log entries.
    func quotaLedger(logger: Logger, clock: @escaping @Sendable () -> Date) -> any QuotaLedger
}

/// A failure of the store with a stable code.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// The row does not exist, or belongs to someone else.
        case notFound = "not_found"
        /// A unique field already holds this value.
        case conflict
        /// A referenced row (a tier, a plan) does not exist.
        case invalidReference = "invalid_reference"
        /// The database cannot be used (closed, corrupt, wrong URL).
        case unavailable
    }

    /// What went wrong.
    public var code: Code
    /// The field concerned, e.g. `email` for a conflict.
    public var field: String?
    /// What happened, in a sentence (an invalid reference's message reaches the client).
    public var message: String

    public init(_ code: Code, field: String? = nil, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// `StoreError(code, field): message`.
    public var description: String { "StoreError(\(code.rawValue)\(field.map { ", \($0)" } ?? "")): \(message)" }
}
