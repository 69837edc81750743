/// The authenticated caller of a request.
public struct Identity: Sendable, Hashable {
    public var userID: Int64
    public var username: String
    public var role: UserRole
    public var tier: String
    /// The session (refresh-token family) of the access token that authenticated the
    /// request; `nil` for API keys and for tokens issued before sessions were recorded.
    public var sessionID: String?

    public init(userID: Int64, username: String, role: UserRole, tier: String) {
        self.userID = userID
        self.username = username
        self.role = role
        self.tier = tier
    }

    public init(_ user: UserRecord) {
        self.init(userID: user.id, username: user.username, role: user.role, tier: user.tier)
    }

    public var isAdmin: Bool { role == .admin }
}
