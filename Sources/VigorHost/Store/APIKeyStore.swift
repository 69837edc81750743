import Foundation

/// A user's API key as stored: never the key itself, only its SHA-256 and a short prefix
/// for display.
public struct APIKeyRecord: Sendable, Hashable {
    public var id: Int64
    public var userID: Int64
    public var name: String
    /// The first characters of the key (e.g. `vgr_AbC123`), enough to tell keys apart.
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: Int64, userID: Int64, name: String, prefix: String, createdAt: Date, lastUsedAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// A live key resolved to its owner (what authentication needs, in one indexed query).
public struct APIKeyOwner: Sendable, Hashable {
    public var keyID: Int64
    public var user: UserRecord
    public var lastUsedAt: Date?

    public init(keyID: Int64, user: UserRecord, lastUsedAt: Date?) {
        self.keyID = keyID
        self.user = user
        self.lastUsedAt = lastUsedAt
    }
}

/// User API keys for the OpenAI-compatible routes.
public protocol APIKeyStore: Sendable {
    /// Stores a new key (its hash only) for `userID`.
    func createAPIKey(userID: Int64, name: String, prefix: String, keyHash: String, now: Date) async throws -> APIKeyRecord
    /// The user's keys that are not revoked, newest first.
    func apiKeys(userID: Int64) async throws -> [APIKeyRecord]
    /// Revokes one of the user's keys; returns its hash, or `nil` when the user has no such live key.
    func revokeAPIKey(id: Int64, userID: Int64, now: Date) async throws -> String?
    /// The live key with this hash and its owner (one lookup on the unique hash index).
    func apiKeyOwner(keyHash: String) async throws -> APIKeyOwner?
    /// Records that the key was used (callers throttle this; it is informational).
    func touchAPIKey(id: Int64, at: Date) async throws
}
