import Foundation
import Logging
import Synchronization
import Testing
import VigorPluginLoader
import VigorPluginSDK

@testable import VigorHost

/// A SQLite quota ledger fixture for the router, API-key and security tests. The ledger's own
/// tests run on every backend in the conformance suite (Conformance/LedgerConformanceTests.swift,
/// Conformance/LedgerConcurrencyConformanceTests.swift).
enum QuotaLedgerTests {
    struct Fixture {
        let store: SQLiteStore
        let ledger: SQLiteQuotaLedger
        let clock: MovableClock
        let userID: Int64
    }

    /// A clock the tests move across period boundaries.
    final class MovableClock: Sendable {
        let now: Mutex<Date>
        init(_ date: Date) { now = Mutex(date) }
        func set(_ date: Date) { now.withLock { $0 = date } }
        var read: @Sendable () -> Date { { self.now.withLock { $0 } } }
    }

    static var logger: Logger {
        var logger = Logger(label: "vigor.test.quota")
        logger.logLevel = .critical
        return logger
    }

    /// A fresh database, a tier with the given limits and one user on it.
    static func fixture(
        perDay: Int = 1000, perWeek: Int = 5000, perMonth: Int = 20000, budgetMicros: Int64 = 100_000_000,
        at date: Date = Date()
    ) async throws -> Fixture {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-quota-\(UUID().uuidString)")
        let store = try SQLiteStore(path: dir.appendingPathComponent("vigor.sqlite").path)
        try await store.migrate(logger: logger, now: date)
        try await store.upsertTier(
            TierRecord(
                name: "test", requestsPerDay: perDay, requestsPerWeek: perWeek, requestsPerMonth: perMonth,
                monthlyBudgetMicros: budgetMicros, priceMicros: 0), now: date)
        let user = try await store.createUser(
            NewUser(
                email: "q\(UUID().uuidString.prefix(8))@example.com", username: "quota\(UUID().uuidString.prefix(6))", passwordHash: "x",
                tier: "test"), now: Date())
        let clock = MovableClock(date)
        return Fixture(
            store: store, ledger: SQLiteQuotaLedger(store: store, logger: logger, clock: clock.read), clock: clock, userID: user.id)
    }

    static func charge(_ userID: Int64, cost: Int64 = 0, provider: String = "fallback") -> AttemptCharge {
        AttemptCharge(userID: userID, requestID: UUID().uuidString, kind: "chat", provider: provider, model: "m", estimatedCostMicros: cost)
    }

    static func logCount(_ store: SQLiteStore, outcome: String) async throws -> Int {
        try await store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ai_usage_logs WHERE outcome = ?", arguments: [outcome]) ?? 0
        }
    }

    static let builtProducts: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("libVigorFallback.so").path) { return url }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug").standardized
    }()
}
