import Foundation
import Hummingbird
import Logging
import VigorPluginSDK

/// `POST /api/v1/ai/chat` with `Accept: text/event-stream`.
///
/// - `event: delta` + `data: {"text":"…"}` for each piece as the provider produces it;
/// - `event: done` + `data: <the non-streaming response body>` after the answer was stored;
/// - an error BEFORE the first piece is an ordinary JSON error response with its status
///   (429 with `Retry-After`, 503, ...), because nothing has been sent yet;
/// - an error AFTER the first piece ends the stream with `event: error` +
///   `data: {"error":{"code","message","request_id"},"conversation_id","message_id"}` —
///   never a `done`. The partial answer IS stored (with the user's turn), marked
///   `truncated: true`, so the conversation shows what the user saw; the error event names
///   the stored message. Usage of a cut stream is settled by the router for the tokens produced.
/// - If the client goes away, the write fails, the AI stream is released, which cancels the
///   upstream call (the router settles the usage as `client_disconnected`); nothing is stored.
extension AIRoutes {
    /// `{"text": …}`, one per piece of the answer, written directly.
    struct DeltaBody: WireEncodable {
        var text: String

        func write(to out: inout WireWriter) {
            out.beginObject()
            out.key("text")
            out.string(text)
            out.endObject()
        }
    }

    struct StreamErrorBody: Encodable {
        var error: ErrorEnvelope.Body
        var conversationID: Int64?
        var messageID: Int64?

        enum CodingKeys: String, CodingKey {
            case error
            case conversationID = "conversation_id"
            case messageID = "message_id"
        }
    }

    static func streamChat(_ input: ChatInput, services: RouteServices, context: VigorRequestContext) async throws
        -> Response
    {
        let prepared = try await prepareChat(input, services: services, context: context)
        let identity = prepared.identity
        let note = RateLimitNote()
        let aiContext = AIRequestContext(userID: identity.userID, requestID: context.requestID, rateLimitNote: note)
        let pump = StreamPump(services.coachAI.chatStream(prepared.request, context: aiContext))
        // The first event decides between a JSON error and a stream.
        let first = try await services.callAI(kind: .chat, identity: identity, context: context) { _ in
            try await Self.firstEvent(pump)
        }.event

        var headers = EventStream.headers()
        if let rateLimit = await services.rateLimitStatus(streamStartingWith: first, note: note, identity: identity) {
            RateLimitHeaders.apply(rateLimit, to: &headers)
        }

        let encoder = ChatEventEncoder(prepared: prepared, services: services, requestID: context.requestID, logger: context.logger)
        return ChatStreamRelay.response(first: first, rest: pump, headers: headers, encoder: encoder, logger: context.logger)
    }

    /// The `/api/v1/ai/chat` wire format: `event: delta` frames, then `event: done` with the
    /// stored answer, or `event: error` after storing the partial answer as truncated.
    struct ChatEventEncoder: ChatStreamEncoder {
        let prepared: PreparedChat
        let services: RouteServices
        let requestID: String
        let logger: Logger

        var name: String { "chat" }

        func delta(_ piece: String) -> [ByteBuffer] {
            [EventStream.frame(event: EventStream.Event.delta, wire: DeltaBody(text: piece))]
        }

        func done(_ reply: CoachReply) async throws -> [ByteBuffer] {
            let stored = try await storeTurn(prepared, reply: reply, services: services)
            return [try EventStream.frame(event: EventStream.Event.done, json: stored)]
        }

        func failure(_ error: any Error, sentText text: String) async throws -> ByteBuffer {
            let apiError = ChatStreamRelay.streamError(error)
            var conversationID: Int64?
            var messageID: Int64?
            if !text.isEmpty {
                let partial = CoachReply(
                    text: text, provider: (error as? StreamCutError)?.provider ?? "unknown", model: "",
                    usage: TokenUsage(promptTokens: 0, completionTokens: 0), costMicros: 0)
                do {
                    let stored = try await storeTurn(prepared, reply: partial, truncated: true, services: services)
                    conversationID = stored.conversationID
                    messageID = stored.messageID
                } catch {
                    logger.error("could not store a cut answer", metadata: ["error": "\(error)"])
                }
            }
            let payload = StreamErrorBody(
                error: .init(code: apiError.code, message: apiError.message, requestID: requestID, limit: apiError.limit),
                conversationID: conversationID, messageID: messageID)
            return try EventStream.frame(event: EventStream.Event.error, json: payload)
        }
    }

    /// Wraps the first event so ``RouteServices/callAI`` can type it as a reply-producing call.
    struct FirstEvent: Sendable {
        var event: ChatStreamEvent
    }

    static func firstEvent(_ pump: StreamPump<ChatStreamEvent>) async throws -> FirstEvent {
        guard let first = try await pump.next() else {
            throw AIError(.noProvider, "the AI layer ended the stream without an answer")
        }
        return FirstEvent(event: first)
    }
}
