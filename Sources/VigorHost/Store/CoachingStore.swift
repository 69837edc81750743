import Foundation

/// Conversations, plans, workout logs and progress, always scoped to their owner.
public protocol CoachingStore: Sendable {
    /// Creates a conversation owned by `userID`.
    func createConversation(userID: Int64, title: String, now: Date) async throws -> ConversationRecord
    /// The conversation if it exists and belongs to `userID`; nil otherwise.
    func conversation(id: Int64, userID: Int64) async throws -> ConversationRecord?
    /// The owner's conversations, most recently updated first.
    func conversations(userID: Int64, page: Page) async throws -> [ConversationRecord]
    /// Appends messages to a conversation of `userID` in one transaction; throws `notFound` otherwise.
    func appendMessages(_ messages: [NewMessage], conversationID: Int64, userID: Int64, now: Date) async throws
        -> [MessageRecord]
    /// The last `limit` messages of the conversation, oldest first.
    func recentMessages(conversationID: Int64, userID: Int64, limit: Int) async throws -> [MessageRecord]

    /// Stores a plan as its JSON; `source` is `client` or the id of the generator that made it.
    func createPlan(userID: Int64, source: String, planJSON: String, now: Date) async throws -> PlanRecord
    /// The plan if it exists and belongs to `userID`; nil otherwise.
    func plan(id: Int64, userID: Int64) async throws -> PlanRecord?
    /// The owner's plans, newest first.
    func plans(userID: Int64, page: Page) async throws -> [PlanRecord]

    /// Stores a log against one of the owner's plans; throws `notFound` (field `plan_id`) otherwise.
    func createWorkoutLog(_ log: NewWorkoutLog, userID: Int64, now: Date) async throws -> WorkoutLogRecord
    /// The log if it exists and belongs to `userID`; nil otherwise.
    func workoutLog(id: Int64, userID: Int64) async throws -> WorkoutLogRecord?
    /// The owner's logs, latest workout date first.
    func workoutLogs(userID: Int64, page: Page) async throws -> [WorkoutLogRecord]

    /// Stores one progress entry of `userID`.
    func createProgress(_ entry: NewProgress, userID: Int64, now: Date) async throws -> ProgressRecord
    /// The owner's progress entries, latest date first.
    func progress(userID: Int64, page: Page) async throws -> [ProgressRecord]
}
