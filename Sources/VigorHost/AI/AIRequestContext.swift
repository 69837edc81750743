import Synchronization

/// Who is asking, for routing, quotas and the usage log.
public struct AIRequestContext: Sendable {
    /// The account the call is made for (its limits, its usage).
    public var userID: Int64
    /// The HTTP request's id, written to every usage-log entry of the call.
    public var requestID: String
    /// Wall-clock deadline (Unix epoch ms); nil = the host default.
    public var deadlineMs: Int64?
    /// Filled with the caller's rate-limit status when an attempt reserves quota, so a
    /// streaming route can send `X-RateLimit-*` without reading the counters again.
    public var rateLimitNote: RateLimitNote?
    /// The usage log's `kind` for this call: `chat` (the default), `openai_chat` for
    /// `POST /v1/chat/completions`, `plan` for a generator's completions.
    public var kind: String

    public init(
        userID: Int64, requestID: String, deadlineMs: Int64? = nil, rateLimitNote: RateLimitNote? = nil, kind: String = "chat"
    ) {
        self.userID = userID
        self.requestID = requestID
        self.deadlineMs = deadlineMs
        self.rateLimitNote = rateLimitNote
        self.kind = kind
    }
}

/// The rate-limit status of the latest reservation made for one request.
public final class RateLimitNote: Sendable {
    private let status = Mutex<RateLimitStatus?>(nil)

    public init() {}

    /// The status recorded last, or nil before any reservation.
    public var current: RateLimitStatus? { status.withLock { $0 } }

    func record(_ value: RateLimitStatus?) {
        guard let value else { return }
        status.withLock { $0 = value }
    }
}
