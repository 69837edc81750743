import Foundation

/// How many rows one user may keep of each kind that would otherwise grow without bound.
/// A create past the cap is refused with 409 `limit_reached` naming the cap. (API keys have
/// their own cap: ``APIKeyRoutes/maxKeysPerUser`` live keys.)
public struct UserLimits: Sendable, Hashable {
    /// Stored workout plans (client-written and generated).
    public var plans: Int
    /// Workout logs.
    public var workoutLogs: Int
    /// Progress entries.
    public var progressEntries: Int
    /// Coach conversations.
    public var conversations: Int

    public init(plans: Int = 1000, workoutLogs: Int = 20_000, progressEntries: Int = 20_000, conversations: Int = 2000) {
        self.plans = plans
        self.workoutLogs = workoutLogs
        self.progressEntries = progressEntries
        self.conversations = conversations
    }
}

extension RouteServices {
    /// Throws 409 `limit_reached` when the user already holds `cap` rows of `what`; `nth`
    /// reads the row at an offset (one indexed read, no count of every row).
    ///
    /// The check and the insert are two statements, so requests racing each other can pass
    /// the cap by at most their number in flight: the total stays bounded.
    func requireRoom(
        for what: String, cap: Int, nth: (Page) async throws -> [some Any]
    ) async throws {
        guard cap > 0 else { throw Self.limitReached(what, cap: cap) }
        if try await !nth(Page(limit: 1, offset: cap - 1)).isEmpty { throw Self.limitReached(what, cap: cap) }
    }

    static func limitReached(_ what: String, cap: Int) -> APIError {
        APIError(
            .conflict, code: "limit_reached",
            message: "you hold the most \(what) an account may keep (\(cap)); this one was not stored",
            limit: "max_\(what.replacingOccurrences(of: " ", with: "_"))")
    }
}
