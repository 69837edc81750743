import Foundation
import Hummingbird
import Logging
import VigorPluginSDK

/// One wire format for a streamed chat answer: the frames for a piece of text, for the end of
/// a complete answer, and for the end of a cut one. ``ChatStreamRelay`` does the rest.
protocol ChatStreamEncoder: Sendable {
    /// What the logs call this stream (`chat`, `completion`).
    var name: String { get }
    /// The frames for one piece of the answer.
    mutating func delta(_ piece: String) -> [ByteBuffer]
    /// The frames that end a complete answer (the route may store it first).
    mutating func done(_ reply: CoachReply) async throws -> [ByteBuffer]
    /// The frame that ends a stream cut by `error` after `sentText` went out.
    mutating func failure(_ error: any Error, sentText: String) async throws -> ByteBuffer
}

/// Relays an AI stream to the client as server-sent events, for every streaming route.
///
/// The route takes the first event itself (so an error before any text is an ordinary JSON
/// error with its status) and hands it here with the rest of the stream. Then:
/// - each piece goes out as soon as it arrives (``ChatStreamEncoder/delta(_:)``);
/// - the summary ends the stream (``ChatStreamEncoder/done(_:)``); a stream that ends without
///   one is a cut;
/// - an error after the first piece ends the stream with the encoder's error frame — never a
///   clean end;
/// - a client that goes away (a write fails) releases the AI stream, which cancels the upstream
///   call (the router settles the usage as `client_disconnected`); nothing more is written.
enum ChatStreamRelay {
    /// The `200 text/event-stream` response relaying `first`, then the rest of `pump`.
    static func response(
        first: ChatStreamEvent, rest pump: StreamPump<ChatStreamEvent>, headers: HTTPFields, encoder: some ChatStreamEncoder,
        logger: Logger
    ) -> Response {
        Response(status: .ok, headers: headers, body: body(first: first, rest: pump, encoder: encoder, logger: logger))
    }

    static func body(
        first: ChatStreamEvent, rest pump: StreamPump<ChatStreamEvent>, encoder: some ChatStreamEncoder, logger: Logger
    ) -> ResponseBody {
        ResponseBody { writer in
            var encoder = encoder
            var text = ""
            var pending: ChatStreamEvent? = first
            do {
                while true {
                    let event: ChatStreamEvent
                    if let next = pending {
                        event = next
                        pending = nil
                    } else if let next = try await pump.next() {
                        event = next
                    } else {
                        throw StreamCutError(provider: "unknown", message: "the answer ended without a summary")
                    }
                    switch event {
                    case .delta(let piece):
                        text += piece
                        for frame in encoder.delta(piece) { try await writer.send(frame) }
                    case .done(let reply):
                        for frame in try await encoder.done(reply) { try await writer.send(frame) }
                        try await writer.finish(nil)
                        return
                    }
                }
            } catch let gone as ClientGoneError {
                pump.cancel()
                logger.info("client left during a \(encoder.name) stream", metadata: ["chars_sent": "\(text.count)"])
                throw gone.underlying
            } catch {
                pump.cancel()
                logger.warning("\(encoder.name) stream cut", metadata: ["error": "\(error)", "chars_sent": "\(text.count)"])
                try await writer.write(try await encoder.failure(error, sentText: text))
                try await writer.finish(nil)
            }
        }
    }

    /// What the client is told when a stream ends early.
    static func streamError(_ error: any Error) -> APIError {
        switch error {
        case let cut as StreamCutError:
            return APIError(.badGateway, code: "stream_cut", message: "the answer was cut: \(cut.provider): \(cut.message)")
        case is CancellationError:
            return APIError(.serviceUnavailable, code: "stream_cancelled", message: "the answer was cancelled")
        default:
            return ErrorMiddleware.apiError(for: error)
        }
    }
}
