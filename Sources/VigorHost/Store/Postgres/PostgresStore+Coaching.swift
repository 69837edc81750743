import Foundation
import PostgresNIO

/// Conversations, messages and plans on PostgreSQL, as ``SQLiteStore`` keeps them: every
/// query matches the owner's id, so another user's row is "not found".
extension PostgresStore {
    /// PostgreSQL `TEXT` cannot hold U+0000 (SQLite's can): a value with one is refused as
    /// invalid input naming its field (a 400 for the client), before anything is written,
    /// instead of failing in the server as a database error.
    static func refuseNUL(_ fields: KeyValuePairs<String, String?>) throws {
        for (field, value) in fields where value?.utf8.contains(0) == true {
            throw StoreError(.invalidReference, field: field, "\(field) must not contain the NUL character (U+0000)")
        }
    }

    static func conversationRecord(_ row: PostgresRandomAccessRow) throws -> ConversationRecord {
        ConversationRecord(
            id: try row.get("id"), userID: try row.get("user_id"), title: try row.get("title"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    static func messageRecord(_ row: PostgresRandomAccessRow) throws -> MessageRecord {
        MessageRecord(
            id: try row.get("id"), conversationID: try row.get("conversation_id"), role: try row.get("role"),
            content: try row.get("content"), provider: try row.get("provider"), model: try row.get("model"),
            promptTokens: try row.get("prompt_tokens"), completionTokens: try row.get("completion_tokens"),
            costMicros: try row.get("cost_micros"), createdAt: try row.date("created_at"),
            truncated: try row.get("truncated"))
    }

    static func planRecord(_ row: PostgresRandomAccessRow) throws -> PlanRecord {
        PlanRecord(
            id: try row.get("id"), userID: try row.get("user_id"), source: try row.get("source"),
            planJSON: try row.get("plan_json"), createdAt: try row.date("created_at"))
    }

    public func createConversation(userID: Int64, title: String, now: Date) async throws -> ConversationRecord {
        try Self.refuseNUL(["title": title])
        let millis = now.epochMillis
        let row = try await fetchOne(
            """
            INSERT INTO conversations (user_id, title, created_at, updated_at)
            VALUES (\(userID), \(title), \(millis), \(millis))
            RETURNING id
            """)
        guard let row else { throw StoreError(.unavailable, "the conversation insert returned no id") }
        return ConversationRecord(id: try row.get("id"), userID: userID, title: title, createdAt: now, updatedAt: now)
    }

    public func conversation(id: Int64, userID: Int64) async throws -> ConversationRecord? {
        try await fetchOne(
            """
            SELECT id, user_id, title, created_at, updated_at FROM conversations
            WHERE id = \(id) AND user_id = \(userID)
            """
        ).map(Self.conversationRecord)
    }

    public func conversations(userID: Int64, page: Page) async throws -> [ConversationRecord] {
        try await fetchAll(
            """
            SELECT id, user_id, title, created_at, updated_at FROM conversations
            WHERE user_id = \(userID)
            ORDER BY updated_at DESC, id DESC LIMIT \(Int64(page.limit)) OFFSET \(Int64(page.offset))
            """
        ).map(Self.conversationRecord)
    }

    /// One statement, so one round trip whatever the number of messages: the conversation's
    /// row is stamped only if it is the owner's (which also locks it, so appends to one
    /// conversation from several hosts take their ids in commit order), and the messages are
    /// inserted from `unnest` of parallel arrays in their given order, which is the order
    /// their ids are drawn in. A conversation of someone else (or none) stamps and inserts
    /// nothing and throws `notFound`.
    public func appendMessages(_ messages: [NewMessage], conversationID: Int64, userID: Int64, now: Date) async throws
        -> [MessageRecord]
    {
        for message in messages {
            try Self.refuseNUL([
                "role": message.role, "content": message.content, "provider": message.provider, "model": message.model,
            ])
        }
        let millis = now.epochMillis
        // Arrays of optionals do not bind: a NULL provider or model is an empty string and a flag.
        let roles = messages.map(\.role)
        let contents = messages.map(\.content)
        let providers = messages.map { $0.provider ?? "" }
        let hasProvider = messages.map { $0.provider != nil }
        let models = messages.map { $0.model ?? "" }
        let hasModel = messages.map { $0.model != nil }
        let promptTokens = messages.map { Int64($0.promptTokens) }
        let completionTokens = messages.map { Int64($0.completionTokens) }
        let costs = messages.map(\.costMicros)
        let truncated = messages.map(\.truncated)
        let row = try await fetchOne(
            """
            WITH owner AS (
                UPDATE conversations SET updated_at = \(millis)
                WHERE id = \(conversationID) AND user_id = \(userID)
                RETURNING id
            ), added AS (
                INSERT INTO messages (conversation_id, role, content, provider, model, prompt_tokens,
                    completion_tokens, cost_micros, created_at, truncated)
                SELECT owner.id, m.role, m.content, CASE WHEN m.has_provider THEN m.provider END,
                    CASE WHEN m.has_model THEN m.model END, m.prompt_tokens, m.completion_tokens, m.cost_micros,
                    \(millis), m.truncated
                FROM owner CROSS JOIN unnest(\(roles)::TEXT[], \(contents)::TEXT[], \(providers)::TEXT[],
                    \(hasProvider)::BOOLEAN[], \(models)::TEXT[], \(hasModel)::BOOLEAN[], \(promptTokens)::BIGINT[],
                    \(completionTokens)::BIGINT[], \(costs)::BIGINT[], \(truncated)::BOOLEAN[])
                    WITH ORDINALITY AS m(role, content, provider, has_provider, model, has_model, prompt_tokens,
                        completion_tokens, cost_micros, truncated, position)
                ORDER BY m.position
                RETURNING id
            )
            SELECT (SELECT COUNT(*) FROM owner) AS owned, ARRAY(SELECT id FROM added ORDER BY id) AS ids
            """)
        guard let row, try row.get("owned", as: Int64.self) == 1 else {
            throw StoreError(.notFound, field: "conversation_id", "no such conversation")
        }
        let ids = try row.get("ids", as: [Int64].self)
        guard ids.count == messages.count else {
            throw StoreError(.unavailable, "\(ids.count) of \(messages.count) messages were stored")
        }
        return zip(ids, messages).map { id, message in
            MessageRecord(
                id: id, conversationID: conversationID, role: message.role, content: message.content,
                provider: message.provider, model: message.model, promptTokens: message.promptTokens,
                completionTokens: message.completionTokens, costMicros: message.costMicros, createdAt: now,
                truncated: message.truncated)
        }
    }

    public func recentMessages(conversationID: Int64, userID: Int64, limit: Int) async throws -> [MessageRecord] {
        try await fetchAll(
            """
            SELECT m.id, m.conversation_id, m.role, m.content, m.provider, m.model, m.prompt_tokens,
                m.completion_tokens, m.cost_micros, m.created_at, m.truncated
            FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE m.conversation_id = \(conversationID) AND c.user_id = \(userID)
            ORDER BY m.id DESC LIMIT \(Int64(max(0, limit)))
            """
        ).map(Self.messageRecord).reversed()
    }

    public func createPlan(userID: Int64, source: String, planJSON: String, now: Date) async throws -> PlanRecord {
        try Self.refuseNUL(["source": source, "plan_json": planJSON])
        let row = try await fetchOne(
            """
            INSERT INTO workout_plans (user_id, source, plan_json, created_at)
            VALUES (\(userID), \(source), \(planJSON), \(now.epochMillis))
            RETURNING id
            """)
        guard let row else { throw StoreError(.unavailable, "the plan insert returned no id") }
        return PlanRecord(id: try row.get("id"), userID: userID, source: source, planJSON: planJSON, createdAt: now)
    }

    public func plan(id: Int64, userID: Int64) async throws -> PlanRecord? {
        try await fetchOne(
            """
            SELECT id, user_id, source, plan_json, created_at FROM workout_plans
            WHERE id = \(id) AND user_id = \(userID)
            """
        ).map(Self.planRecord)
    }

    public func plans(userID: Int64, page: Page) async throws -> [PlanRecord] {
        try await fetchAll(
            """
            SELECT id, user_id, source, plan_json, created_at FROM workout_plans
            WHERE user_id = \(userID)
            ORDER BY id DESC LIMIT \(Int64(page.limit)) OFFSET \(Int64(page.offset))
            """
        ).map(Self.planRecord)
    }
}
