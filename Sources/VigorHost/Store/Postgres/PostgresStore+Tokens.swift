import Foundation
import PostgresNIO

extension PostgresStore {
    public func storeRefreshToken(userID: Int64, familyID: String, tokenHash: String, expiresAt: Date, now: Date) async throws {
        throw Self.notYet
    }
    public func rotateRefreshToken(oldHash: String, newHash: String, newExpiresAt: Date, now: Date) async throws -> RefreshRotation {
        throw Self.notYet
    }
    public func revokeRefreshFamily(tokenHash: String, userID: Int64, now: Date) async throws -> Bool { throw Self.notYet }
    public func revokeAllRefreshTokens(userID: Int64, now: Date) async throws { throw Self.notYet }
    public func revokeSession(familyID: String, userID: Int64, now: Date) async throws { throw Self.notYet }
    public func user(id: Int64, session familyID: String) async throws -> UserRecord? { throw Self.notYet }
}
