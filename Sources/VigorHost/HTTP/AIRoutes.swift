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
            let body = try await Self.chat(input, services: services, context: context)
            if request.headers[.accept]?.contains("text/event-stream") == true {
                return try Self.eventStream(body)
            }
            return try JSONResponse.make(body)
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
    }

    /// Validates the message, calls the coach with profile and history, stores both messages.
    static func chat(_ input: ChatInput, services: RouteServices, context: VigorRequestContext) async throws
        -> ChatResponseBody
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
        }
        let profile = try await services.profile(userID: identity.userID)
        let chatRequest = try CoachPrompt.request(profile: profile, history: history, message: message)
        let reply = try await services.callAI(kind: "chat", identity: identity, context: context) {
            try await services.coachAI.chat(chatRequest, context: $0)
        }

        let now = services.clock.now()
        let target: ConversationRecord
        if let conversation {
            target = conversation
        } else {
            target = try await services.store.createConversation(
                userID: identity.userID, title: CoachPrompt.title(from: message), now: now)
        }
        let stored = try await services.store.appendMessages(
            [
                NewMessage(role: "user", content: message),
                NewMessage(
                    role: "assistant", content: reply.text, provider: reply.provider, model: reply.model,
                    promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens,
                    costMicros: reply.costMicros),
            ], conversationID: target.id, userID: identity.userID, now: now)
        return ChatResponseBody(
            conversationID: target.id, messageID: stored.last?.id ?? 0, reply: reply.text, provider: reply.provider,
            model: reply.model,
            usage: UsageBody(
                promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens,
                costMicros: reply.costMicros, costUSD: reply.costMicros.usd),
            citations: reply.citations)
    }

    /// The reply as server-sent events: one `message` event with the JSON body, then `done`.
    static func eventStream(_ body: ChatResponseBody) throws -> Response {
        let json = String(decoding: try JSONResponse.encoder.encode(body), as: UTF8.self)
        let text = "event: message\ndata: \(json)\n\nevent: done\ndata: [DONE]\n\n"
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension RouteServices {
    /// Calls the AI layer for one route. Quotas, the usage log and the counters are the AI
    /// layer's job (reserve → call → reconcile, per attempt); the route only logs and counts refusals.
    func callAI(
        kind: String, identity: Identity, context: VigorRequestContext,
        _ call: (AIRequestContext) async throws -> CoachReply
    ) async throws -> CoachReply {
        let aiContext = AIRequestContext(userID: identity.userID, requestID: context.requestID)
        do {
            return try await call(aiContext)
        } catch let error as AIError {
            if error.code == .quotaExceeded { metrics.recordQuotaRefusal(limit: error.limit ?? "unknown") }
            context.logger.notice("AI call failed", metadata: ["code": "\(error.code.rawValue)", "kind": "\(kind)"])
            throw error
        }
    }
}
