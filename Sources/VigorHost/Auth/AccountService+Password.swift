import Foundation
import VigorCoaching

extension AccountService {
    /// Checks the signed-in user's password again (changing it, deleting the account): counted
    /// by the ``LoginThrottle`` like a login, so it cannot be guessed from a stolen session.
    ///
    /// - Throws: 422 naming `field` when the password is wrong, 429 when throttled, 401 when
    ///   the account is gone.
    func confirmPassword(userID: Int64, password: String, field: String, address: String?) async throws -> UserRecord {
        guard let user = try await store.user(id: userID) else { throw APIError.unauthorized() }
        let now = clock.now()
        let attempt = try await throttle.admit(email: user.email, address: address, now: now)
        guard await hasher.verify(password, hash: user.passwordHash) else {
            throw APIError.validation([FieldError(field: field, message: "is not your current password")])
        }
        try await throttle.succeeded(attempt, now: now)
        return user
    }

    /// Replaces the password after checking the current one, ends every session of the user
    /// (other devices sign in again), and opens a new session for the caller.
    func changePassword(userID: Int64, current: String, new: String, address: String?) async throws -> IssuedTokens {
        guard let accountStore = store as? any AccountDataStore else {
            throw APIError(.notImplemented, code: "not_supported", message: "this store cannot change passwords")
        }
        let user = try await confirmPassword(userID: userID, password: current, field: "current_password", address: address)
        if let error = CredentialRules.check(password: new) {
            throw APIError.validation([FieldError(field: "new_password", message: error.message)])
        }
        guard new != current else {
            throw APIError.validation([FieldError(field: "new_password", message: "must differ from the current password")])
        }
        let hash = await hasher.hash(new)
        let now = clock.now()
        try await accountStore.setPasswordHash(userID: userID, hash: hash, now: now)
        try await store.revokeAllRefreshTokens(userID: userID, now: now)
        return try await openSession(for: user)
    }
}
