import Foundation
import PostgresNIO

extension PostgresStore {
    public func modelOverrides() async throws -> [ModelOverride] { throw Self.notYet }
    public func upsertModelOverride(_ override: ModelOverride, now: Date) async throws { throw Self.notYet }
    public func deleteModelOverride(id: String, provider: String) async throws -> Bool { throw Self.notYet }
}
