import Foundation

/// Accounts, credentials, sessions and profiles.
public protocol UserStore: Sendable {
    /// Creates an account (its e-mail stored in ``AccountEmail/normalize(_:)`` form). Throws
    /// ``StoreError/Code/conflict`` (field `email` or `username`) or
    /// ``StoreError/Code/invalidReference`` (field `tier`). `now` (the caller's clock) is its
    /// creation time.
    func createUser(_ user: NewUser, now: Date) async throws -> UserRecord
    /// The account with this id, or nil.
    func user(id: Int64) async throws -> UserRecord?
    /// Looks up by e-mail: the ``AccountEmail/normalize(_:)`` form of `email`.
    func user(email: String) async throws -> UserRecord?
    /// Moves a user to another tier at `now`; throws `notFound` or `invalidReference`.
    func setTier(userID: Int64, tier: String, now: Date) async throws -> UserRecord

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
    /// Revokes the session (refresh-token family) `familyID` of `userID`, and with it the
    /// access tokens issued in it.
    func revokeSession(familyID: String, userID: Int64, now: Date) async throws
    /// The account `id`, unless session `familyID` has been revoked (one indexed read: the
    /// check on every request authenticated by an access token).
    func user(id: Int64, session familyID: String) async throws -> UserRecord?

    /// Atomically checks and counts one login attempt: when every key has fewer than its
    /// limit of attempts in `[now - window, now]`, records one attempt under each key and
    /// returns their row ids; otherwise records nothing and returns when the first blocking
    /// key opens again. Attempts count as failures until ``withdrawLoginAttempts(ids:)``.
    func admitLoginAttempt(limits: [LoginLimit], window: TimeInterval, now: Date) async throws -> LoginAdmission
    /// Removes counted attempts (a login that turned out to be right).
    func withdrawLoginAttempts(ids: [Int64]) async throws
    /// Forgets every attempt under `key` (after a successful login).
    func clearLoginFailures(key: String) async throws
    /// Remembers that the account `email` logged in from `address` at `now`; forgets
    /// addresses not seen for `keep` seconds.
    func recordLoginSuccess(email: String, address: String, now: Date, keep: TimeInterval) async throws
    /// When the account `email` last logged in from `address`, if remembered.
    func lastLoginSuccess(email: String, address: String) async throws -> Date?

    /// The user's fitness profile as JSON text, if set.
    func profileJSON(userID: Int64) async throws -> String?
    /// Replaces the user's fitness profile.
    func setProfileJSON(userID: Int64, json: String, now: Date) async throws
}

/// One throttle key of a login attempt and how many attempts it allows per window.
public struct LoginLimit: Sendable, Hashable {
    /// e.g. `account:<e-mail>`, `pair:<e-mail>|<address>`, `address:<address>`.
    public var key: String
    /// Attempts allowed in the window.
    public var limit: Int

    public init(key: String, limit: Int) {
        self.key = key
        self.limit = limit
    }
}

/// What ``UserStore/admitLoginAttempt(limits:window:now:)`` decided.
public enum LoginAdmission: Sendable, Equatable {
    /// Counted under every key; the rows, in the order of the limits.
    case admitted(ids: [Int64])
    /// Over a limit: nothing counted; the key opens again at `retryAt`.
    case refused(key: String, retryAt: Date)
}
