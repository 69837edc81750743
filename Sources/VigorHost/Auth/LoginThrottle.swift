import Foundation

/// Limits failed logins per account and per client address. Counts live in the store,
/// so the limit holds across host instances.
public struct LoginThrottle: Sendable {
    /// Failures allowed in `window` before logins are refused.
    public var maxFailures: Int
    /// The sliding window, in seconds.
    public var window: TimeInterval

    let store: any UserStore

    init(store: any UserStore, maxFailures: Int, window: TimeInterval) {
        self.store = store
        self.maxFailures = maxFailures
        self.window = window
    }

    static func accountKey(_ email: String) -> String { "account:\(email.lowercased())" }
    static func addressKey(_ address: String) -> String { "address:\(address)" }

    /// Throws 429 with the seconds to wait when either key is over the limit.
    func check(keys: [String], now: Date) async throws {
        let since = now.addingTimeInterval(-window)
        for key in keys {
            let (count, oldest) = try await store.loginFailures(key: key, since: since)
            guard count >= maxFailures else { continue }
            let remaining = (oldest ?? now).addingTimeInterval(window).timeIntervalSince(now)
            let retry = Int(min(max(remaining, 1), window).rounded(.up))
            throw APIError.tooManyRequests(
                code: "too_many_login_attempts", "too many failed logins; try again later", retryAfter: retry)
        }
    }

    func recordFailure(keys: [String], now: Date) async throws {
        try await store.recordLoginFailure(keys: keys, at: now)
    }

    func recordSuccess(accountKey: String) async throws {
        try await store.clearLoginFailures(key: accountKey)
    }
}
