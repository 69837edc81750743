import Foundation
import GRDB

extension SQLiteStore {
    static func conversationRecord(_ row: Row) throws -> ConversationRecord {
        ConversationRecord(
            id: try row.get("id"), userID: try row.get("user_id"), title: try row.get("title"), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"))
    }

    static func messageRecord(_ row: Row) throws -> MessageRecord {
        MessageRecord(
            id: try row.get("id"), conversationID: try row.get("conversation_id"), role: try row.get("role"),
            content: try row.get("content"),
            provider: try row.get("provider"), model: try row.get("model"), promptTokens: try row.get("prompt_tokens"),
            completionTokens: try row.get("completion_tokens"), costMicros: try row.get("cost_micros"),
            createdAt: try row.date("created_at"),
            truncated: try row.get("truncated") ?? false)
    }

    public func createConversation(userID: Int64, title: String, now: Date) async throws -> ConversationRecord {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO conversations (user_id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
                arguments: [userID, title, now.epochMillis, now.epochMillis])
            return ConversationRecord(id: db.lastInsertedRowID, userID: userID, title: title, createdAt: now, updatedAt: now)
        }
    }

    public func conversation(id: Int64, userID: Int64) async throws -> ConversationRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM conversations WHERE id = ? AND user_id = ?", arguments: [id, userID])
                .map(Self.conversationRecord)
        }
    }

    public func conversations(userID: Int64, page: Page) async throws -> [ConversationRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM conversations WHERE user_id = ? ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
                arguments: [userID, page.limit, page.offset]
            ).map(Self.conversationRecord)
        }
    }

    public func appendMessages(_ messages: [NewMessage], conversationID: Int64, userID: Int64, now: Date) async throws
        -> [MessageRecord]
    {
        try await write { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM conversations WHERE id = ? AND user_id = ?", arguments: [conversationID, userID])
                    != nil
            else { throw StoreError(.notFound, field: "conversation_id", "no such conversation") }
            var stored: [MessageRecord] = []
            for message in messages {
                try db.execute(
                    sql: """
                        INSERT INTO messages (conversation_id, role, content, provider, model, prompt_tokens,
                            completion_tokens, cost_micros, created_at, truncated)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        conversationID, message.role, message.content, message.provider, message.model,
                        message.promptTokens, message.completionTokens, message.costMicros, now.epochMillis,
                        message.truncated,
                    ])
                stored.append(
                    MessageRecord(
                        id: db.lastInsertedRowID, conversationID: conversationID, role: message.role,
                        content: message.content, provider: message.provider, model: message.model,
                        promptTokens: message.promptTokens, completionTokens: message.completionTokens,
                        costMicros: message.costMicros, createdAt: now, truncated: message.truncated))
            }
            try db.execute(
                sql: "UPDATE conversations SET updated_at = ? WHERE id = ?", arguments: [now.epochMillis, conversationID])
            return stored
        }
    }

    public func recentMessages(conversationID: Int64, userID: Int64, limit: Int) async throws -> [MessageRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
                    WHERE m.conversation_id = ? AND c.user_id = ?
                    ORDER BY m.id DESC LIMIT ?
                    """,
                arguments: [conversationID, userID, max(0, limit)]
            ).map(Self.messageRecord).reversed()
        }
    }

    static func planRecord(_ row: Row) throws -> PlanRecord {
        PlanRecord(
            id: try row.get("id"), userID: try row.get("user_id"), source: try row.get("source"), planJSON: try row.get("plan_json"),
            createdAt: try row.date("created_at"))
    }

    public func createPlan(userID: Int64, source: String, planJSON: String, now: Date) async throws -> PlanRecord {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO workout_plans (user_id, source, plan_json, created_at) VALUES (?, ?, ?, ?)",
                arguments: [userID, source, planJSON, now.epochMillis])
            return PlanRecord(id: db.lastInsertedRowID, userID: userID, source: source, planJSON: planJSON, createdAt: now)
        }
    }

    public func plan(id: Int64, userID: Int64) async throws -> PlanRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM workout_plans WHERE id = ? AND user_id = ?", arguments: [id, userID])
                .map(Self.planRecord)
        }
    }

    public func plans(userID: Int64, page: Page) async throws -> [PlanRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM workout_plans WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
                arguments: [userID, page.limit, page.offset]
            ).map(Self.planRecord)
        }
    }
}
