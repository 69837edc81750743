import Foundation

/// A user's role. Admins manage tiers and other users; everyone else is a `user`.
public enum UserRole: String, Sendable, Codable, CaseIterable {
    case user
    case admin
}

/// A stored account.
public struct UserRecord: Sendable, Hashable {
    public var id: Int64
    /// Lower-cased e-mail address (unique).
    public var email: String
    /// Unique, case-insensitively.
    public var username: String
    /// bcrypt hash; never leaves the host.
    public var passwordHash: String
    public var role: UserRole
    /// Name of the user's tier (`free`, `premium`, ...).
    public var tier: String
    public var createdAt: Date

    public init(
        id: Int64, email: String, username: String, passwordHash: String, role: UserRole, tier: String, createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.username = username
        self.passwordHash = passwordHash
        self.role = role
        self.tier = tier
        self.createdAt = createdAt
    }
}

/// The fields of an account to create.
public struct NewUser: Sendable, Hashable {
    public var email: String
    public var username: String
    public var passwordHash: String
    public var role: UserRole
    public var tier: String

    public init(email: String, username: String, passwordHash: String, role: UserRole = .user, tier: String = "free") {
        self.email = email
        self.username = username
        self.passwordHash = passwordHash
        self.role = role
        self.tier = tier
    }
}

/// The outcome of exchanging a refresh token.
public enum RefreshRotation: Sendable, Hashable {
    /// The old token is now rotated and the new one stored; the owner is `userID`.
    case rotated(userID: Int64, familyID: String)
    /// The token was already rotated or revoked: the whole family is now revoked.
    case reuseDetected(userID: Int64, familyID: String)
    /// Unknown or expired token.
    case invalid
}

/// A coach conversation.
public struct ConversationRecord: Sendable, Hashable {
    public var id: Int64
    public var userID: Int64
    public var title: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, userID: Int64, title: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.userID = userID
        self.title = title
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One stored chat message.
public struct MessageRecord: Sendable, Hashable {
    public var id: Int64
    public var conversationID: Int64
    /// `user` or `assistant`.
    public var role: String
    public var content: String
    public var provider: String?
    public var model: String?
    public var promptTokens: Int
    public var completionTokens: Int
    public var costMicros: Int64
    public var createdAt: Date
    /// The answer's stream was cut after text was sent: `content` is partial.
    public var truncated: Bool

    public init(
        id: Int64, conversationID: Int64, role: String, content: String, provider: String? = nil,
        model: String? = nil, promptTokens: Int = 0, completionTokens: Int = 0, costMicros: Int64 = 0,
        createdAt: Date, truncated: Bool = false
    ) {
        self.truncated = truncated
        self.id = id
        self.conversationID = conversationID
        self.role = role
        self.content = content
        self.provider = provider
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costMicros = costMicros
        self.createdAt = createdAt
    }
}

/// A message to append (the store assigns id and time).
public struct NewMessage: Sendable, Hashable {
    public var role: String
    public var content: String
    public var provider: String?
    public var model: String?
    public var promptTokens: Int
    public var completionTokens: Int
    public var costMicros: Int64
    /// A partial answer whose stream was cut (see ``MessageRecord/truncated``).
    public var truncated: Bool

    public init(
        role: String, content: String, provider: String? = nil, model: String? = nil, promptTokens: Int = 0,
        completionTokens: Int = 0, costMicros: Int64 = 0, truncated: Bool = false
    ) {
        self.truncated = truncated
        self.role = role
        self.content = content
        self.provider = provider
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costMicros = costMicros
    }
}

/// A page of a list: `limit` rows starting at `offset`, newest first.
public struct Page: Sendable, Hashable {
    public var limit: Int
    public var offset: Int

    public init(limit: Int = 50, offset: Int = 0) {
        self.limit = max(1, min(limit, 500))
        self.offset = max(0, offset)
    }
}
