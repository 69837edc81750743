import Foundation

/// Limits password guesses. Every attempt is counted *before* the password is checked, in
/// one store transaction that refuses it when a key is at its limit, so concurrent guesses
/// cannot overtake the count; a right password withdraws its own attempt.
///
/// Three keys, each over the same sliding window (NIST SP 800-63B §5.2.2, OWASP
/// Authentication Cheat Sheet: throttle guesses without letting an attacker lock users out):
/// - **account × address** (`maxFailures`, 5): the guesses one address may make at one
///   account. This is the lock a guesser meets; it does not touch the account's owner at
///   another address, nor other users behind the same address.
/// - **address** (`6 × maxFailures`, 30): guesses from one address across accounts
///   (password spraying). Higher, so a few typos behind a shared proxy do not lock the others.
/// - **account** (`20 × maxFailures`, 100 — NIST's ceiling for consecutive failures): guesses
///   at one account from every address (a botnet). Past it the account is locked until the
///   window passes — except from the addresses it logged in from in the last 30 days
///   (``knownAddressRetention``; NIST §5.2.2 names this allowlist), which keep their own
///   account × address and address limits. So a distributed attacker cannot lock the owner
///   out from their usual address either.
///
/// A right password clears the account and account × address keys and withdraws its
/// address attempt (a spraying attacker cannot reset the address count by logging in to
/// an account of their own). Counts live in the store, so they hold across a restart and
/// across hosts sharing a database.
public struct LoginThrottle: Sendable {
    /// Attempts one address may make at one account per window.
    public var maxFailures: Int
    /// Attempts one address may make across all accounts per window.
    public var maxFailuresPerAddress: Int
    /// Attempts at one account from all addresses per window.
    public var maxFailuresPerAccount: Int
    /// The sliding window, in seconds.
    public var window: TimeInterval
    /// How long an address the account logged in from stays exempt from the account-wide limit.
    public var knownAddressRetention: TimeInterval = 30 * 86_400

    let store: any UserStore

    /// - Parameters:
    ///   - maxFailures: the account × address limit; the address and account limits are 6× and 20× it.
    ///   - window: seconds.
    init(store: any UserStore, maxFailures: Int, window: TimeInterval) {
        self.store = store
        self.maxFailures = maxFailures
        self.maxFailuresPerAddress = Self.saturating(maxFailures, times: 6)
        self.maxFailuresPerAccount = Self.saturating(maxFailures, times: 20)
        self.window = min(max(window, 1), Self.longestWindow)
    }

    /// The longest window the throttle keeps (a year): longer ones are cut to it.
    static let longestWindow: TimeInterval = 365 * 86_400

    private static func saturating(_ value: Int, times factor: Int) -> Int {
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? Int.max : product
    }

    /// A counted attempt, to be settled with ``succeeded(_:now:)``.
    struct Attempt: Sendable {
        var email: String
        var address: String?
        var accountKeys: [String]
        var addressRows: [Int64]
    }

    /// The keys of an attempt at the account of `email` (already ``AccountEmail/normalize(_:)``d)
    /// from `address` (`nil` when the host cannot tell).
    /// `knownAddress`: the account logged in from `address` recently (no account-wide limit:
    /// its attempt is still counted under the account key, with a limit it never reaches).
    func limits(email: String, address: String?, knownAddress: Bool = false) -> [LoginLimit] {
        var limits = [
            LoginLimit(key: "pair:\(address ?? "-")|\(email)", limit: maxFailures),
            LoginLimit(key: "account:\(email)", limit: knownAddress ? Int.max : maxFailuresPerAccount),
        ]
        if let address { limits.append(LoginLimit(key: "address:\(address)", limit: maxFailuresPerAddress)) }
        return limits
    }

    /// Counts an attempt, or throws 429 with the seconds until the blocking key opens.
    func admit(email: String, address: String?, now: Date) async throws -> Attempt {
        var known = false
        if let address, let last = try await store.lastLoginSuccess(email: email, address: address) {
            known = now.timeIntervalSince(last) <= knownAddressRetention
        }
        let limits = limits(email: email, address: address, knownAddress: known)
        switch try await store.admitLoginAttempt(limits: limits, window: window, now: now) {
        case .refused(_, let retryAt):
            let retry = Int(min(max(retryAt.timeIntervalSince(now), 1), window).rounded(.up))
            throw APIError.tooManyRequests(
                code: "too_many_login_attempts", "too many failed logins; try again later", retryAfter: retry)
        case .admitted(let ids):
            return Attempt(
                email: email, address: address, accountKeys: limits.prefix(2).map(\.key),
                addressRows: Array(ids.dropFirst(2)))
        }
    }

    /// The password was right: forget the account's failures, withdraw the address attempt,
    /// and remember the address as one the account logs in from.
    func succeeded(_ attempt: Attempt, now: Date) async throws {
        for key in attempt.accountKeys { try await store.clearLoginFailures(key: key) }
        try await store.withdrawLoginAttempts(ids: attempt.addressRows)
        if let address = attempt.address {
            try await store.recordLoginSuccess(
                email: attempt.email, address: address, now: now, keep: knownAddressRetention)
        }
    }
}
