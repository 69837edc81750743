import Foundation
import Hummingbird
import VigorCoaching
import VigorPluginSDK

/// `/api/v1/ai/*`: coach chat and conversations (this file), plan generation and
/// workout analysis (``AIRoutes`` + Plans).
struct AIRoutes {
    let services: RouteServices

    func register(in table: RouteTable) {
        let services = self.services
        table.add(
            RouteDoc(
                .post, "/api/v1/ai/chat",
                summary: "One coaching turn (profile and recent history are sent to the provider)", tag: "ai",
                access: .user, request: "ChatInput",
                responses: [
                    .init(200, "The coach's reply (text/event-stream when asked for)", schema: "ChatResponse"),
                    .init(404, "Unknown conversation"), .init(422, "Invalid message"),
                    .init(429, "Quota exceeded"), .init(503, "No provider available"),
                ])
        ) { request, context in
            let input = try await services.body.decode(ChatInput.self, from: request)
            if EventStream.wanted(request) {
                return try await Self.streamChat(input, services: services, context: context)
            }
            let (body, rateLimit) = try await Self.chat(input, services: services, context: context)
            var response = try JSONResponse.make(body)
            response.setRateLimit(rateLimit)
            return response
        }

        table.add(
            RouteDoc(
                .get, "/api/v1/ai/conversations", summary: "Conversations, most recent first", tag: "ai", access: .user,
                responses: [.init(200, "Conversations", schema: "ConversationList")], query: RouteDoc.pagination)
        ) { request, context in
            let identity = try context.requireIdentity()
            let records = try await services.store.conversations(userID: identity.userID, page: services.page(request))
            return try JSONResponse.make(ItemList(items: records.map(ConversationSummary.init)))
        }

        table.add(
            RouteDoc(
                .get, "/api/v1/ai/conversations/{id}", summary: "One conversation with its messages", tag: "ai",
                access: .user,
                responses: [.init(200, "Conversation", schema: "ConversationDetail"), .init(404, "Not found")])
        ) { _, context in
            let identity = try context.requireIdentity()
            let id = try services.id(context, what: "conversation")
            guard let conversation = try await services.store.conversation(id: id, userID: identity.userID) else {
                throw APIError.notFound("conversation")
            }
            let messages = try await services.store.recentMessages(conversationID: id, userID: identity.userID, limit: 1000)
            return try JSONResponse.make(
                ConversationDetail(
                    id: conversation.id, title: conversation.title, createdAt: conversation.createdAt,
                    updatedAt: conversation.updatedAt, messages: messages.map(MessageBody.init)))
        }

        registerPlanRoutes(in: table)
        // The OpenAI-compatible API (`/v1/chat/completions`, `/v1/models`) shares the AI layer.
        OpenAICompatRoutes(services: services).register(in: table)
    }

    /// A validated chat turn, ready for the AI layer.
    struct PreparedChat: Sendable {
        var identity: Identity
        var message: String
        /// The conversation continued, or `nil` for a new one (created when the answer is stored).
        var conversation: ConversationRecord?
        var request: ChatRequest
    }

    /// Validates the message and builds the request from the profile and the recent history.
    static func prepareChat(_ input: ChatInput, services: RouteServices, context: VigorRequestContext) async throws
        -> PreparedChat
    {
        let identity = try context.requireIdentity()
        let message = input.message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !message.isEmpty else { throw APIError.invalid("message", "must not be empty") }
        let limit = services.configuration.maxMessageCharacters
        guard message.count <= limit else { throw APIError.invalid("message", "at most \(limit) characters") }

        var conversation: ConversationRecord?
        var history: [MessageRecord] = []
        if let id = input.conversationID {
            guard let found = try await services.store.conversation(id: id, userID: identity.userID) else {
                throw APIError.notFound("conversation")
            }
            conversation = found
            history = try await services.store.recentMessages(
                conversationID: id, userID: identity.userID, limit: services.configuration.chatHistoryLimit)
        } else {
            try await services.requireRoom(for: "conversations", cap: services.configuration.userLimits.conversations) {
                try await services.store.conversations(userID: identity.userID, page: $0)
            }
        }
        let profile = try await services.profile(userID: identity.userID)
        let chatRequest = try CoachPrompt.request(profile: profile, history: history, message: message)
        return PreparedChat(identity: identity, message: message, conversation: conversation, request: chatRequest)
    }

    /// Stores the user's turn and the answer (creating the conversation when new); returns
    /// the response body. A `truncated` answer is the partial text of a cut stream.
    static func storeTurn(
        _ prepared: PreparedChat, reply: CoachReply, truncated: Bool = false, services: RouteServices
    ) async throws -> ChatResponseBody {
        let identity = prepared.identity
        let now = services.clock.now()
        let target: ConversationRecord
        if let conversation = prepared.conversation {
            target = conversation
        } else {
            target = try await services.store.createConversation(
                userID: identity.userID, title: CoachPrompt.title(from: prepared.message), now: now)
        }
        let stored = try await services.store.appendMessages(
            [
                NewMessage(role: "user", content: prepared.message),
                NewMessage(
                    role: "assistant", content: reply.text, provider: reply.provider, model: reply.model,
                    promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens,
                    costMicros: reply.costMicros, truncated: truncated),
            ], conversationID: target.id, userID: identity.userID, now: now)
        return ChatResponseBody(
            conversationID: target.id, messageID: stored.last?.id ?? 0, reply: reply.text, provider: reply.provider,
            model: reply.model,
            usage: UsageBody(
                promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens,
                costMicros: reply.costMicros, costUSD: reply.costMicros.usd),
            citations: reply.citations)
    }

    /// Validates the message, calls the coach with profile and history, stores both messages.
    /// Returns the body and the caller's rate-limit status.
    static func chat(_ input: ChatInput, services: RouteServices, context: VigorRequestContext) async throws
        -> (ChatResponseBody, RateLimitStatus?)
    {
        let prepared = try await prepareChat(input, services: services, context: context)
        let reply = try await services.callAI(kind: .chat, identity: prepared.identity, context: context) {
            try await services.coachAI.chat(prepared.request, context: $0)
        }
        let body = try await storeTurn(prepared, reply: reply, services: services)
        let rateLimit: RateLimitStatus?
        if let status = reply.rateLimit {
            rateLimit = status
        } else {
            rateLimit = await services.rateLimitStatus(identity: prepared.identity)
        }
        return (body, rateLimit)
    }
}

extension RouteServices {
    /// Calls the AI layer for one route. Quotas, the usage log and the counters are the AI
    /// layer's job (reserve → call → reconcile, per attempt); the route only logs and counts refusals.
    func callAI<T>(
        kind: UsageKind, identity: Identity, context: VigorRequestContext,
        _ call: (AIRequestContext) async throws -> T
    ) async throws -> T {
        let aiContext = AIRequestContext(userID: identity.userID, requestID: context.requestID)
        do {
            return try await call(aiContext)
        } catch let error as AIError {
            if error.code == .quotaExceeded { metrics.recordQuotaRefusal(limit: error.limit ?? "unknown") }
            context.logger.notice("AI call failed", metadata: ["code": "\(error.code.rawValue)", "kind": "\(kind.rawValue)"])
            var apiError = ErrorMapping.apiError(for: error)
            apiError.rateLimit = await rateLimitStatus(refusal: error, identity: identity)
            throw apiError
        }
    }
}
