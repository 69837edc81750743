import Foundation

/// `POST /api/v1/ai/chat` body.
struct ChatInput: Decodable {
    var message: String
    var conversationID: Int64?

    enum CodingKeys: String, CodingKey {
        case message
        case conversationID = "conversation_id"
    }
}

/// Tokens and cost of one AI answer.
struct UsageBody: Encodable {
    var promptTokens: Int
    var completionTokens: Int
    var costMicros: Int64
    var costUSD: Double

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case costMicros = "cost_micros"
        case costUSD = "cost_usd"
    }
}

/// `POST /api/v1/ai/chat` answer.
struct ChatResponseBody: Encodable {
    var conversationID: Int64
    var messageID: Int64
    var reply: String
    var provider: String
    var model: String
    var usage: UsageBody
    var citations: [String]

    enum CodingKeys: String, CodingKey {
        case reply, provider, model, usage, citations
        case conversationID = "conversation_id"
        case messageID = "message_id"
    }
}

/// A conversation in lists.
struct ConversationSummary: Encodable {
    var id: Int64
    var title: String
    var createdAt: Date
    var updatedAt: Date

    init(_ record: ConversationRecord) {
        id = record.id
        title = record.title
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, title
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One stored message.
struct MessageBody: Encodable {
    var id: Int64
    var role: String
    var content: String
    var provider: String?
    var model: String?
    var createdAt: Date
    /// Present (true) only for a partial answer whose stream was cut.
    var truncated: Bool?

    init(_ record: MessageRecord) {
        id = record.id
        role = record.role
        content = record.content
        provider = record.provider
        model = record.model
        createdAt = record.createdAt
        truncated = record.truncated ? true : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, role, content, provider, model, truncated
        case createdAt = "created_at"
    }
}

/// A conversation with its messages, oldest first.
struct ConversationDetail: Encodable {
    var id: Int64
    var title: String
    var createdAt: Date
    var updatedAt: Date
    var messages: [MessageBody]

    enum CodingKeys: String, CodingKey {
        case id, title, messages
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
