import Foundation
import VigorCoaching

/// `POST /api/v1/auth/register` body.
struct RegisterRequest: Decodable {
    var email: String
    var username: String
    var password: String
    var fitnessLevel: FitnessLevel?
    var goals: [Goal]?
    var equipment: [Equipment]?

    enum CodingKeys: String, CodingKey {
        case email, username, password, goals, equipment
        case fitnessLevel = "fitness_level"
    }
}

/// `POST /api/v1/auth/login` body.
struct LoginRequest: Decodable {
    var email: String
    var password: String
}

/// `POST /api/v1/auth/refresh` and `/logout` body.
struct RefreshRequest: Decodable {
    var refreshToken: String

    enum CodingKeys: String, CodingKey {
        case refreshToken = "refresh_token"
    }
}

/// `POST /api/v1/auth/logout` body (optional).
struct LogoutRequest: Decodable {
    var refreshToken: String?

    enum CodingKeys: String, CodingKey {
        case refreshToken = "refresh_token"
    }
}

/// Access and refresh tokens. The web client gets no `refresh_token` here: it is set as
/// the session cookie instead (see ``WebSession``).
struct TokenResponse: Encodable {
    var accessToken: String
    var refreshToken: String?
    var tokenType = "bearer"
    var expiresAt: Date
    var expiresIn: Int

    init(_ tokens: IssuedTokens, now: Date) {
        accessToken = tokens.accessToken
        refreshToken = tokens.refreshToken
        expiresAt = tokens.expiresAt
        expiresIn = max(0, Int(tokens.expiresAt.timeIntervalSince(now).rounded()))
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case tokenType = "token_type"
        case expiresAt = "expires_at"
        case expiresIn = "expires_in"
    }
}

/// `201` of register: the account and its first tokens.
struct RegisterResponse: Encodable {
    var id: Int64
    var username: String
    var email: String
    var tier: String
    var role: String
    var accessToken: String
    /// Absent for the web client (the session cookie holds it).
    var refreshToken: String?
    var tokenType = "bearer"
    var expiresAt: Date
    var expiresIn: Int

    init(user: UserRecord, tokens: TokenResponse) {
        id = user.id
        username = user.username
        email = user.email
        tier = user.tier
        role = user.role.rawValue
        accessToken = tokens.accessToken
        refreshToken = tokens.refreshToken
        expiresAt = tokens.expiresAt
        expiresIn = tokens.expiresIn
    }

    enum CodingKeys: String, CodingKey {
        case id, username, email, tier, role
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case tokenType = "token_type"
        case expiresAt = "expires_at"
        case expiresIn = "expires_in"
    }
}

/// The signed-in account (`GET /api/v1/auth/me`).
struct AccountResponse: Encodable {
    var id: Int64
    var username: String
    var email: String
    var tier: String
    var role: String
    var createdAt: Date

    init(_ user: UserRecord) {
        id = user.id
        username = user.username
        email = user.email
        tier = user.tier
        role = user.role.rawValue
        createdAt = user.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, username, email, tier, role
        case createdAt = "created_at"
    }
}

/// `POST /api/v1/auth/password` body.
struct ChangePasswordRequest: Decodable {
    var currentPassword: String
    var newPassword: String

    enum CodingKeys: String, CodingKey {
        case currentPassword = "current_password"
        case newPassword = "new_password"
    }
}
