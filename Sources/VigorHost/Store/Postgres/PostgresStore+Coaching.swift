import Foundation
import PostgresNIO

/// Conversations, messages and plans (placeholder until implemented on PostgreSQL).
extension PostgresStore {
    public func createConversation(userID: Int64, title: String, now: Date) async throws -> ConversationRecord {
        throw Self.notYet
    }

    public func conversation(id: Int64, userID: Int64) async throws -> ConversationRecord? {
        throw Self.notYet
    }

    public func conversations(userID: Int64, page: Page) async throws -> [ConversationRecord] {
        throw Self.notYet
    }

    public func appendMessages(_ messages: [NewMessage], conversationID: Int64, userID: Int64, now: Date) async throws
        -> [MessageRecord]
    {
        throw Self.notYet
    }

    public func recentMessages(conversationID: Int64, userID: Int64, limit: Int) async throws -> [MessageRecord] {
        throw Self.notYet
    }

    public func createPlan(userID: Int64, source: String, planJSON: String, now: Date) async throws -> PlanRecord {
        throw Self.notYet
    }

    public func plan(id: Int64, userID: Int64) async throws -> PlanRecord? {
        throw Self.notYet
    }

    public func plans(userID: Int64, page: Page) async throws -> [PlanRecord] {
        throw Self.notYet
    }
}
