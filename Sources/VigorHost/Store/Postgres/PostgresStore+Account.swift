import Foundation
import PostgresNIO

extension PostgresStore: AccountDataStore {
    public func setPasswordHash(userID: Int64, hash: String, now: Date) async throws { throw Self.notYet }
    public func exportUserData(userID: Int64, now: Date) async throws -> Data { throw Self.notYet }
    public func deleteAccount(userID: Int64) async throws -> Bool { throw Self.notYet }
    public func endSession(refreshTokenHash: String, now: Date) async throws -> Bool { throw Self.notYet }
}
