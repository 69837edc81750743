import Foundation

/// Accounts, credentials, sessions and profiles.
public protocol UserStore: Sendable {
    /// Creates an account. Throws ``StoreError/Code/conflict`` (field `email` or `username`)
    /// or ``StoreError/Code/invalidReference`` (field `tier`).
    func createUser(_ user: NewUser) async throws -> UserRecord
    func user(id: Int64) async throws -> UserRecord?
    /// Looks up by e-mail, case-insensitively.
    func user(email: String) async throws -> UserRecord?
    /// Moves a user to another tier; throws `notFound` or `invalidReference`.
    func setTier(userID: Int64, tier: String) async throws -> UserRecord
    func setRole(userID: Int64, role: UserRole) async throws -> UserRecord

    /// Stores a new refresh token (hash only) in `familyID`.
    func storeRefreshToken(userID: Int64, familyID: String, tokenHash: String, expiresAt: Date, now: Date) async throws
    /// Atomically exchanges a refresh token: if `oldHash` is live, marks it rotated and stores
    /// `newHash` in the same family; if it was already rotated or revoked, revokes the family.
    func rotateRefreshToken(oldHash: String, newHash: String, newExpiresAt: Date, now: Date) async throws
        -> RefreshRotation
    /// Revokes the family of the token with `tokenHash`, if it belongs to `userID`. Returns whether one was found.
    func revokeRefreshFamily(tokenHash: String, userID: Int64, now: Date) async throws -> Bool
    /// Revokes every refresh token of a user (e.g. on password change).
    func revokeAllRefreshTokens(userID: Int64, now: Date) async throws

    /// Records one failed login under each key (e.g. `account:<email>`, `address:<ip>`).
    func recordLoginFailure(keys: [String], at: Date) async throws
    /// Failures under `key` since `since`: how many, and the oldest one's time.
    func loginFailures(key: String, since: Date) async throws -> (count: Int, oldest: Date?)
    /// Forgets the failures under `key` (after a successful login).
    func clearLoginFailures(key: String) async throws

    /// The user's fitness profile as JSON text, if set.
    func profileJSON(userID: Int64) async throws -> String?
    /// Replaces the user's fitness profile.
    func setProfileJSON(userID: Int64, json: String, now: Date) async throws
}
