import Foundation
import PostgresNIO

extension PostgresStore {
    public func createAPIKey(userID: Int64, name: String, prefix: String, keyHash: String, now: Date) async throws -> APIKeyRecord {
        throw Self.notYet
    }
    public func apiKeys(userID: Int64) async throws -> [APIKeyRecord] { throw Self.notYet }
    public func revokeAPIKey(id: Int64, userID: Int64, now: Date) async throws -> String? { throw Self.notYet }
    public func apiKeyOwner(keyHash: String) async throws -> APIKeyOwner? { throw Self.notYet }
    public func touchAPIKey(id: Int64, at: Date) async throws { throw Self.notYet }
}
