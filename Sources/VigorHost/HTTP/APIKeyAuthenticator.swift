import Crypto
import Foundation
import Logging
import Synchronization
import VigorPluginLoader

/// User API keys: `vgr_` + 32 random bytes in base64url (47 characters). The store keeps
/// only the key's SHA-256 (hex) and its first 12 characters for display; the key itself is
/// shown once, when it is created.
///
/// Authentication is one indexed lookup of the hash (`api_keys.key_hash` is UNIQUE), and a
/// small in-process cache (hash → owner) with a short TTL, read on the injected clock, keeps
/// repeated requests off the store (but for `last_used_at`, written at most once a minute). Revocation goes through this process and drops the entry at once.
///
/// Several hosts on one database: a key revoked on one host is dropped there at once and
/// stays usable on the others until their cache entry expires, at most ``defaultTTL``
/// (half a second) later, so every host refuses it within one second. Likewise a tier or
/// role change reaches a cached key within the TTL (quotas themselves are always read from
/// the store by the ledger, so limits are never stale). At that TTL a busy key costs one
/// indexed lookup per host every half second, which keeps it off the hot path all the same.
final class APIKeyAuthenticator: Sendable {
    static let keyPrefix = "vgr_"
    /// Characters of a key kept for display.
    static let displayPrefixLength = 12

    struct Entry: Sendable {
        var identity: Identity
        var keyID: Int64
        /// When the entry stops being trusted, on the authenticator's clock.
        var expires: Date
        /// When `last_used_at` was last written (store time).
        var lastTouched: Date?
    }

    let store: any Store
    let clock: VigorClock
    let ttl: Duration
    /// `last_used_at` is written at most this often per key (it is informational).
    let touchInterval: TimeInterval
    let maxEntries: Int
    private let cache = Mutex<[String: Entry]>([:])

    /// How long a looked-up key is trusted without asking the store again: the longest a key
    /// revoked on another host stays usable here (the multi-host guarantee is one second).
    static let defaultTTL: Duration = .milliseconds(500)

    init(
        store: any Store, clock: VigorClock, ttl: Duration = APIKeyAuthenticator.defaultTTL, touchInterval: TimeInterval = 60,
        maxEntries: Int = 10_000
    ) {
        self.store = store
        self.clock = clock
        self.ttl = ttl
        self.touchInterval = touchInterval
        self.maxEntries = maxEntries
    }

    /// A new key, its display prefix and the hash to store.
    static func generate() -> (key: String, prefix: String, hash: String) {
        let key = keyPrefix + TokenDigest.randomToken(bytes: 32)
        return (key, String(key.prefix(displayPrefixLength)), hash(key))
    }

    /// Lower-case hex SHA-256 of the key.
    /// Every request with a key asks for it: the key's bytes are hashed where they are and the
    /// hex is written straight into the string (no arrays in between).
    static func hash(_ key: String) -> String {
        var hasher = SHA256()
        var key = key
        key.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        let digest = hasher.finalize()
        return String(unsafeUninitializedCapacity: 2 * SHA256.byteCount) { out in
            digest.withUnsafeBytes { bytes in
                for (index, byte) in bytes.enumerated() {
                    out[2 * index] = hexDigit(byte >> 4)
                    out[2 * index + 1] = hexDigit(byte & 0x0F)
                }
            }
            return 2 * SHA256.byteCount
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10 }

    /// The owner of a live key, or `nil` for an unknown or revoked one.
    func identity(forKey key: String) async throws -> Identity? {
        let hash = Self.hash(key)
        let now = clock.now()
        if let entry = cache.withLock({ $0[hash] }), entry.expires > now {
            await touchIfDue(hash: hash, entry: entry)
            return entry.identity
        }
        guard let owner = try await store.apiKeyOwner(keyHash: hash) else {
            cache.withLock { _ = $0.removeValue(forKey: hash) }
            return nil
        }
        let entry = Entry(
            identity: Identity(owner.user), keyID: owner.keyID, expires: now + ttl.timeInterval, lastTouched: owner.lastUsedAt)
        cache.withLock { entries in
            if entries.count >= maxEntries { entries.removeAll(keepingCapacity: true) }
            entries[hash] = entry
        }
        await touchIfDue(hash: hash, entry: entry)
        return entry.identity
    }

    /// Forgets a key (after revocation).
    func invalidate(hash: String) {
        cache.withLock { _ = $0.removeValue(forKey: hash) }
    }

    /// Writes `last_used_at` when the last write is older than ``touchInterval``: one small
    /// write per key at most that often, made before the request goes on, so the key's use is
    /// recorded by the time its response is sent. A failed write is ignored (informational).
    private func touchIfDue(hash: String, entry: Entry) async {
        let now = clock.now()
        if let last = entry.lastTouched, now.timeIntervalSince(last) < touchInterval { return }
        let due = cache.withLock { entries -> Bool in
            guard var current = entries[hash] else { return true }
            if let last = current.lastTouched, now.timeIntervalSince(last) < touchInterval { return false }
            current.lastTouched = now
            entries[hash] = current
            return true
        }
        guard due else { return }
        try? await store.touchAPIKey(id: entry.keyID, at: now)
    }
}
