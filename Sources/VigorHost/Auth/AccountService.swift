import Foundation
import Logging
import Synchronization
import VigorCoaching
import VigorPluginLoader

/// A freshly issued access and refresh token pair.
public struct IssuedTokens: Sendable {
    public var accessToken: String
    public var refreshToken: String
    public var expiresAt: Date
}

/// A bcrypt hash of a random password, made once, on first use.
final class DecoyHash: Sendable {
    let hasher: PasswordHasher
    private let made = Mutex<String?>(nil)

    init(hasher: PasswordHasher) { self.hasher = hasher }

    func value() async -> String {
        if let hash = made.withLock({ $0 }) { return hash }
        let hash = await hasher.hash(TokenDigest.randomToken(bytes: 12))
        return made.withLock { stored in
            if let stored { return stored }
            stored = hash
            return hash
        }
    }
}

/// Accounts and sessions: registration, login, refresh rotation, logout.
public struct AccountService: Sendable {
    let store: any Store
    let hasher: PasswordHasher
    let tokens: AccessTokens
    let throttle: LoginThrottle
    let refreshTTL: TimeInterval
    let clock: VigorClock
    /// A hash to verify against when the account does not exist, so timing does not tell.
    /// Made on first need: a bcrypt hash at cost 12 was most of the host's start-up.
    let decoy: DecoyHash

    init(
        store: any Store, hasher: PasswordHasher, tokens: AccessTokens, throttle: LoginThrottle,
        refreshTTL: TimeInterval, clock: VigorClock
    ) async {
        self.store = store
        self.hasher = hasher
        self.tokens = tokens
        self.throttle = throttle
        self.refreshTTL = refreshTTL
        self.clock = clock
        self.decoy = DecoyHash(hasher: hasher)
    }

    /// Validates and creates an account; 422 naming the field, or 409 when e-mail or username is taken.
    ///
    /// The password is hashed before the account is inserted, so a taken e-mail or username
    /// costs the same bcrypt work as a new account (the 409 itself still says the address is
    /// registered: that is the API's contract; registration is rate-limited per address).
    public func createAccount(
        email: String, username: String, password: String, role: UserRole = .user, tier: String = "free"
    ) async throws -> UserRecord {
        try await Self.createAccount(
            store: store, hasher: hasher, email: email, username: username, password: password, role: role, tier: tier,
            now: clock.now())
    }

    /// The same, for callers without a running server (`vigor user create`); `now` is the
    /// account's creation time.
    static func createAccount(
        store: any UserStore, hasher: PasswordHasher, email: String, username: String, password: String,
        role: UserRole, tier: String, now: Date
    ) async throws -> UserRecord {
        let email = AccountEmail.normalize(email)
        let errors = CredentialRules.check(email: email, username: username, password: password)
        guard errors.isEmpty else { throw APIError.validation(errors) }
        let hash = await hasher.hash(password)
        do {
            return try await store.createUser(
                NewUser(email: email, username: username, passwordHash: hash, role: role, tier: tier), now: now)
        } catch let error as StoreError where error.code == .conflict {
            let field = error.field == "username" ? "username" : "email"
            throw APIError.conflict(field: field, "this \(field) is already registered")
        } catch let error as StoreError where error.code == .invalidReference {
            throw APIError.invalid("tier", "unknown tier \(tier)")
        }
    }

    /// Checks the credentials and opens a session. The attempt is counted by the
    /// ``LoginThrottle`` (per account × address, address and account) before the password
    /// is checked; the account is looked up, and throttled, by ``AccountEmail/normalize(_:)``.
    ///
    /// - Parameter address: the client's throttle key (``TrustedProxies/clientKey(peer:forwardedFor:)``).
    public func login(email: String, password: String, address: String?) async throws -> (UserRecord, IssuedTokens) {
        let now = clock.now()
        let email = AccountEmail.normalize(email)
        // No account has a longer address; one bucket for them keeps throttle keys small.
        let subject = email.utf8.count <= 4 * CredentialRules.maxEmailLength ? email : "(too long)"
        let attempt = try await throttle.admit(email: subject, address: address, now: now)
        let user = subject == email ? try await store.user(email: email) : nil
        let hash: String
        if let stored = user?.passwordHash { hash = stored } else { hash = await decoy.value() }
        let valid = await hasher.verify(password, hash: hash)
        guard let user, valid else {
            throw APIError.unauthorized("wrong e-mail or password", code: "invalid_credentials")
        }
        try await throttle.succeeded(attempt, now: now)
        return (user, try await openSession(for: user))
    }

    /// Issues an access token and a refresh token in a new family.
    public func openSession(for user: UserRecord) async throws -> IssuedTokens {
        let now = clock.now()
        let familyID = UUID().uuidString
        let refresh = TokenDigest.randomToken()
        try await store.storeRefreshToken(
            userID: user.id, familyID: familyID, tokenHash: TokenDigest.sha256Hex(refresh),
            expiresAt: now.addingTimeInterval(refreshTTL), now: now)
        let access = try await tokens.issue(for: user, sessionID: familyID, now: now)
        return IssuedTokens(accessToken: access.token, refreshToken: refresh, expiresAt: access.expiresAt)
    }

    /// Exchanges a refresh token for a new pair; a reused token revokes its whole family.
    public func refresh(token: String, logger: Logger) async throws -> IssuedTokens {
        let now = clock.now()
        let next = TokenDigest.randomToken()
        let outcome = try await store.rotateRefreshToken(
            oldHash: TokenDigest.sha256Hex(token), newHash: TokenDigest.sha256Hex(next),
            newExpiresAt: now.addingTimeInterval(refreshTTL), now: now)
        switch outcome {
        case .invalid:
            throw APIError.unauthorized("invalid or expired refresh token", code: "invalid_refresh_token")
        case .reuseDetected(let userID, _):
            logger.warning("refresh token reuse detected; session family revoked", metadata: ["user_id": "\(userID)"])
            throw APIError.unauthorized("refresh token was already used; please log in again", code: "refresh_token_reused")
        case .rotated(let userID, let familyID):
            guard let user = try await store.user(id: userID) else {
                throw APIError.unauthorized("invalid or expired refresh token", code: "invalid_refresh_token")
            }
            let access = try await tokens.issue(for: user, sessionID: familyID, now: now)
            return IssuedTokens(accessToken: access.token, refreshToken: next, expiresAt: access.expiresAt)
        }
    }

    /// Ends the session of `refreshToken` and the session of the access token used
    /// (`sessionID`), or every session of the user when `refreshToken` is `nil`. The access
    /// tokens of an ended session are refused from then on (see ``identity(bearer:)``).
    public func logout(userID: Int64, sessionID: String?, refreshToken: String?) async throws {
        let now = clock.now()
        if let refreshToken {
            _ = try await store.revokeRefreshFamily(
                tokenHash: TokenDigest.sha256Hex(refreshToken), userID: userID, now: now)
            if let sessionID { try await store.revokeSession(familyID: sessionID, userID: userID, now: now) }
        } else {
            try await store.revokeAllRefreshTokens(userID: userID, now: now)
        }
    }

    /// The caller behind an access token: `nil` when the token is invalid, expired, its
    /// account is gone or its session has been revoked (logout, refresh-token reuse).
    public func identity(bearer token: String) async throws -> Identity? {
        guard let (user, sessionID) = try await verifiedUser(bearer: token) else { return nil }
        var identity = Identity(user)
        identity.sessionID = sessionID
        return identity
    }

    /// The account behind a bearer token, or `nil` (see ``identity(bearer:)``).
    public func authenticate(bearer token: String) async throws -> UserRecord? {
        try await verifiedUser(bearer: token)?.user
    }

    private func verifiedUser(bearer token: String) async throws -> (user: UserRecord, sessionID: String?)? {
        guard let verified = await tokens.verify(token, now: clock.now()) else { return nil }
        let user: UserRecord?
        if let sessionID = verified.sessionID {
            user = try await store.user(id: verified.userID, session: sessionID)
        } else {
            user = try await store.user(id: verified.userID)
        }
        return user.map { ($0, verified.sessionID) }
    }
}
