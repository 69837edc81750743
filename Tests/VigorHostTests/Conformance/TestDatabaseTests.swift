import Foundation
import PostgresNIO
import Testing

@testable import VigorHost

/// The test databases themselves: fresh per test, migrated, removed afterwards, on every backend.
@Suite("Conformance: test databases")
struct TestDatabaseTests {
    @Test("a fresh database per test: a new name each time, removed by drop()", arguments: StoreBackend.allCases)
    func freshDatabase(_ backend: StoreBackend) async throws {
        let database = try await TestDatabase.fresh(backend)
        let other = try await TestDatabase.fresh(backend)
        #expect(database.url != other.url)
        switch backend {
        case .sqlite: #expect(database.url.hasPrefix("sqlite:"))
        case .postgres: #expect(database.url.hasPrefix("postgres://") && database.url.contains("/vigor_t_"))
        }
        try await database.drop()
        try await other.drop()
        if backend == .postgres, let name = database.postgresName {
            let left = try await TestDatabase.admin { connection in
                var count = 0
                for try await _ in try await connection.query(
                    "SELECT 1 FROM pg_database WHERE datname = \(name)", logger: TestDatabase.logger)
                {
                    count += 1
                }
                return count
            }
            #expect(left == 0, "the database was dropped")
        }
    }
}
