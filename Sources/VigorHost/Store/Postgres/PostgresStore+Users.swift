import Foundation
import PostgresNIO

extension PostgresStore {
    public func createUser(_ user: NewUser) async throws -> UserRecord { throw Self.notYet }
    public func user(id: Int64) async throws -> UserRecord? { throw Self.notYet }
    public func user(email: String) async throws -> UserRecord? { throw Self.notYet }
    public func setTier(userID: Int64, tier: String) async throws -> UserRecord { throw Self.notYet }
    public func admitLoginAttempt(limits: [LoginLimit], window: TimeInterval, now: Date) async throws -> LoginAdmission {
        throw Self.notYet
    }
    public func withdrawLoginAttempts(ids: [Int64]) async throws { throw Self.notYet }
    public func clearLoginFailures(key: String) async throws { throw Self.notYet }
    public func recordLoginSuccess(email: String, address: String, now: Date, keep: TimeInterval) async throws { throw Self.notYet }
    public func lastLoginSuccess(email: String, address: String) async throws -> Date? { throw Self.notYet }
    public func profileJSON(userID: Int64) async throws -> String? { throw Self.notYet }
    public func setProfileJSON(userID: Int64, json: String, now: Date) async throws { throw Self.notYet }
}
