import Foundation
import PostgresNIO

/// Red-flag escalations (placeholder until implemented on PostgreSQL).
extension PostgresStore: SafetyEscalationLog {
    public func recordSafetyEscalations(_ escalations: [SafetyEscalation], at date: Date) async throws {
        throw Self.notYet
    }

    public func safetyEscalationCounts(since: Date) async throws -> [SafetyEscalationCount] {
        throw Self.notYet
    }
}
