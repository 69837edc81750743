import Foundation

/// Conversations, plans, workout logs and progress, always scoped to their owner.
public protocol CoachingStore: Sendable {
    func createConversation(userID: Int64, title: String, now: Date) async throws -> ConversationRecord
    func conversation(id: Int64, userID: Int64) async throws -> ConversationRecord?
    func conversations(userID: Int64, page: Page) async throws -> [ConversationRecord]
    /// Appends messages to a conversation of `userID` in one transaction; throws `notFound` otherwise.
    func appendMessages(_ messages: [NewMessage], conversationID: Int64, userID: Int64, now: Date) async throws
        -> [MessageRecord]
    /// The last `limit` messages of the conversation, oldest first.
    func recentMessages(conversationID: Int64, userID: Int64, limit: Int) async throws -> [MessageRecord]

    func createPlan(userID: Int64, source: String, planJSON: String, now: Date) async throws -> PlanRecord
    func plan(id: Int64, userID: Int64) async throws -> PlanRecord?
    func plans(userID: Int64, page: Page) async throws -> [PlanRecord]

    /// Stores a log against one of the owner's plans; throws `notFound` (field `plan_id`) otherwise.
    func createWorkoutLog(_ log: NewWorkoutLog, userID: Int64, now: Date) async throws -> WorkoutLogRecord
    func workoutLog(id: Int64, userID: Int64) async throws -> WorkoutLogRecord?
    func workoutLogs(userID: Int64, page: Page) async throws -> [WorkoutLogRecord]

    func createProgress(_ entry: NewProgress, userID: Int64, now: Date) async throws -> ProgressRecord
    func progress(userID: Int64, page: Page) async throws -> [ProgressRecord]
}
