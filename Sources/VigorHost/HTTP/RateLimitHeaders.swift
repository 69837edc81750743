import Foundation
import HTTPTypes
import Hummingbird
import VigorPluginSDK

/// `X-RateLimit-*` on every AI response: the caller's tightest request limit (the one
/// with the fewest requests left among day, week and month), what remains of it, and the
/// seconds until its period resets. The OpenAI-compatible routes also send OpenAI's
/// `x-ratelimit-*-requests` names so OpenAI clients can read them.
enum RateLimitHeaders {
    static let limit = HTTPField.Name("X-RateLimit-Limit")!
    static let remaining = HTTPField.Name("X-RateLimit-Remaining")!
    static let reset = HTTPField.Name("X-RateLimit-Reset")!
    /// Which limit the three headers describe (`requests_per_day`, ...).
    static let policy = HTTPField.Name("X-RateLimit-Policy")!
    static let openAILimit = HTTPField.Name("x-ratelimit-limit-requests")!
    static let openAIRemaining = HTTPField.Name("x-ratelimit-remaining-requests")!
    static let openAIReset = HTTPField.Name("x-ratelimit-reset-requests")!

    /// Sets the headers for `status`, replacing any of these names already there. They are
    /// added in one step: each assignment, or each `append` (a generic `insert` in
    /// `HTTPFields`), would scan or grow the fields again.
    static func apply(_ status: RateLimitStatus, to headers: inout HTTPFields, openAI: Bool = false) {
        if headers.contains(where: { isOurs($0.name) }) {
            headers = HTTPFields(headers.filter { !isOurs($0.name) })
        }
        let limitText = decimal(status.limit)
        let remainingText = decimal(max(0, status.remaining))
        let resetText = decimal(max(0, status.resetSeconds))
        var fields: [HTTPField] = []
        fields.reserveCapacity(openAI ? 7 : 4)
        fields.append(HTTPField(name: limit, value: limitText))
        fields.append(HTTPField(name: remaining, value: remainingText))
        fields.append(HTTPField(name: reset, value: resetText))
        fields.append(HTTPField(name: policy, value: status.name))
        if openAI {
            fields.append(HTTPField(name: openAILimit, value: limitText))
            fields.append(HTTPField(name: openAIRemaining, value: remainingText))
            fields.append(HTTPField(name: openAIReset, value: resetText + "s"))
        }
        headers.reserveCapacity(headers.count + fields.count)
        headers.append(contentsOf: fields)
    }

    /// `value` in decimal, as `String(value)` spells it (``WireBytes/decimal(_:)``: seven
    /// numbers a response, each a few hundred instructions through the generic formatting).
    static func decimal(_ value: Int) -> String { WireBytes.decimal(Int64(value)) }

    /// Every name ``apply(_:to:openAI:)`` sets.
    static let names: [HTTPField.Name] = [limit, remaining, reset, policy, openAILimit, openAIRemaining, openAIReset]

    /// Whether `name` is one of ``names`` (compared as names compare: by canonical spelling,
    /// seven string compares rather than a hash).
    static func isOurs(_ name: HTTPField.Name) -> Bool { names.contains(name) }

    /// The tightest of `counters` under `tier` at `now`.
    static func tightest(counters: [UsageCounter], tier: TierRecord, now: Date) -> RateLimitStatus? {
        var best: RateLimitStatus?
        for counter in counters {
            let limit = tier.requestLimit(for: counter.period)
            let reset = max(1, Int(counter.period.end(containing: now).timeIntervalSince(now).rounded(.up)))
            let status = RateLimitStatus(
                name: "requests_per_\(counter.period.rawValue)", limit: limit, remaining: max(0, limit - counter.requests),
                resetSeconds: reset)
            if best == nil || status.remaining < best!.remaining { best = status }
        }
        return best
    }
}

extension RouteServices {
    /// The caller's tightest request limit now, from the store's counters and the caller's
    /// tier as authenticated (a cached API key may lag a tier change by its cache TTL) (for
    /// responses whose AI layer reported none, e.g. plans, and for streams whose headers go
    /// out before the final summary). `nil` when the store cannot tell.
    func rateLimitStatus(identity: Identity) async -> RateLimitStatus? {
        let now = clock.now()
        guard let tier = try? await store.tier(named: identity.tier),
            let counters = try? await store.usageCounters(userID: identity.userID, at: now)
        else { return nil }
        return RateLimitHeaders.tightest(counters: counters, tier: tier, now: now)
    }

    /// The status for a stream's headers: from the answer when it came whole, else from the
    /// reservation the stream made (no second read before the first byte), else read.
    func rateLimitStatus(streamStartingWith first: ChatStreamEvent, note: RateLimitNote, identity: Identity) async -> RateLimitStatus? {
        if case .done(let reply) = first, let status = reply.rateLimit { return status }
        if let status = note.current { return status }
        return await rateLimitStatus(identity: identity)
    }

    /// The status to report with a refusal: the refused request limit (0 remaining, reset at
    /// `Retry-After`), or the tightest request limit for budget refusals.
    func rateLimitStatus(refusal error: AIError, identity: Identity) async -> RateLimitStatus? {
        if let name = error.limit, name.hasPrefix("requests_per_"),
            let period = UsagePeriod(rawValue: String(name.dropFirst("requests_per_".count))),
            let tier = try? await store.tier(named: identity.tier)
        {
            return RateLimitStatus(
                name: name, limit: tier.requestLimit(for: period), remaining: 0,
                resetSeconds: error.retryAfterSeconds ?? Int(period.end(containing: clock.now()).timeIntervalSince(clock.now())))
        }
        return await rateLimitStatus(identity: identity)
    }

    /// Runs an AI call; an ``AIError`` becomes the ``APIError`` the client sees, carrying the
    /// caller's rate-limit status (so 429s have `X-RateLimit-*` next to `Retry-After`).
    func withAIErrors<T>(identity: Identity, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AIError {
            var apiError = ErrorMapping.apiError(for: error)
            apiError.rateLimit = await rateLimitStatus(refusal: error, identity: identity)
            throw apiError
        }
    }
}

extension Response {
    /// Adds `X-RateLimit-*` for `status` (nothing when `nil`).
    mutating func setRateLimit(_ status: RateLimitStatus?, openAI: Bool = false) {
        guard let status else { return }
        RateLimitHeaders.apply(status, to: &headers, openAI: openAI)
    }
}
