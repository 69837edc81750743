import Foundation
import JWTKit

/// The claims of a Vigor access token.
struct AccessClaims: JWTPayload {
    /// The user id, as a string.
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var iss: IssuerClaim
    /// `user` or `admin` at issue time (the host re-reads the account on every request).
    var role: String
    /// The session (refresh-token family) the token belongs to: revoking the session
    /// (logout, refresh-token reuse) revokes the token. Absent in tokens of older builds.
    var sid: String?

    static let issuer = "vigor"

    /// Checks the issuer; expiry is checked by ``AccessTokens/verify(_:now:)`` against the
    /// host's clock (JWTKit would read the system clock here).
    func verify(using algorithm: some JWTAlgorithm) async throws {
        guard iss.value == Self.issuer else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer") }
    }
}

/// Signs and verifies short-lived HS256 access tokens.
public struct AccessTokens: Sendable {
    private let keys: JWTKeyCollection
    /// How long an access token lives.
    public let ttl: TimeInterval

    /// - Parameters:
    ///   - secret: the HMAC key (at least 32 bytes recommended).
    ///   - ttl: lifetime in seconds (900 = 15 minutes by default).
    public init(secret: String, ttl: TimeInterval) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        self.ttl = ttl
    }

    /// A signed token for `user` in session `sessionID`, and when it expires.
    public func issue(for user: UserRecord, sessionID: String, now: Date) async throws -> (token: String, expiresAt: Date) {
        let expiresAt = now.addingTimeInterval(ttl)
        let claims = AccessClaims(
            sub: .init(value: String(user.id)), exp: .init(value: expiresAt), iat: .init(value: now),
            iss: .init(value: AccessClaims.issuer), role: user.role.rawValue, sid: sessionID)
        return (try await keys.sign(claims), expiresAt)
    }

    /// The user id and session of a valid token unexpired at `now`; `nil` for anything else.
    public func verify(_ token: String, now: Date) async -> (userID: Int64, sessionID: String?)? {
        guard let claims = try? await keys.verify(token, as: AccessClaims.self),
            (try? claims.exp.verifyNotExpired(currentDate: now)) != nil,
            let userID = Int64(claims.sub.value)
        else { return nil }
        return (userID, claims.sid)
    }
}
