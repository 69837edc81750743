import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import VigorPluginLoader
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
    /// The drain of the host whose request this task serves: bound by
    /// ``HostAssembly/serviceGroup(application:trappingSignals:)`` around the application, so
    /// every request's task inherits its own host's (several hosts may share a process in tests).
    /// Without one, a stream runs until it ends or its task is cancelled.
    @TaskLocal static var drain: StreamDrain?

    /// The `200 text/event-stream` response relaying `first`, then the rest of `pump`.
    static func response(
        first: ChatStreamEvent, rest pump: StreamPump<ChatStreamEvent>, headers: HTTPFields, encoder: some ChatStreamEncoder,
        logger: Logger
    ) -> Response {
        Response(status: .ok, headers: headers, body: body(first: first, rest: pump, encoder: encoder, logger: logger))
    }

    /// What the relay's loop is handed: the AI stream's events (read by a task of their own,
    /// so a drain deadline can end a stream whose upstream is silent) or the deadline.
    enum Input: Sendable {
        case event(ChatStreamEvent)
        /// The AI stream ended without a summary.
        case end
        case failed(any Error)
        /// The host is shutting down and the stream's drain time is up.
        case drainExpired
    }

    static func body(
        first: ChatStreamEvent, rest pump: StreamPump<ChatStreamEvent>, encoder: some ChatStreamEncoder, logger: Logger
    ) -> ResponseBody {
        let drain = Self.drain
        return ResponseBody { writer in
            var encoder = encoder
            var text = ""
            let (inputs, sink) = AsyncStream<Input>.makeStream()
            sink.yield(.event(first))
            // Any end below cancels both tasks: the reader's cancellation releases the AI
            // stream, which cancels the upstream call (the router settles what it produced).
            // The reader and the drain watch are tasks of their own, not children the relay
            // must await: any end below cancels them and returns at once. (Awaiting a reader
            // whose plugin call does not answer cancellation held the response, and with it a
            // thread, until the call returned.) The reader's cancellation releases the AI
            // stream, which cancels the upstream call (the router settles what it produced).
            let reader = Task {
                do {
                    while let event = try await pump.next() { sink.yield(.event(event)) }
                    sink.yield(.end)
                } catch {
                    sink.yield(.failed(error))
                }
            }
            let watch = drain.map { drain in
                Task {
                    // Returns once this host's HTTP server begins its graceful shutdown.
                    try await gracefulShutdown()
                    try await drain.waitForDeadline()
                    sink.yield(.drainExpired)
                }
            }
            defer {
                reader.cancel()
                watch?.cancel()
                sink.finish()
            }
            do {
                for await input in inputs {
                    switch input {
                    case .event(.delta(let piece)):
                        text += piece
                        for frame in encoder.delta(piece) { try await writer.send(frame) }
                    case .event(.done(let reply)):
                        for frame in try await encoder.done(reply) { try await writer.send(frame) }
                        try await writer.finish(nil)
                        return
                    case .end:
                        throw StreamCutError(provider: "unknown", message: "the answer ended without a summary")
                    case .failed(let error):
                        throw error
                    case .drainExpired:
                        throw DrainExpiredError()
                    }
                }
                // Only a cancelled response task ends the inputs early.
                throw CancellationError()
            } catch let gone as ClientGoneError {
                logger.info("client left during a \(encoder.name) stream", metadata: ["chars_sent": "\(text.count)"])
                throw gone.underlying
            } catch {
                reader.cancel()
                watch?.cancel()
                if error is DrainExpiredError {
                    logger.warning(
                        "\(encoder.name) stream ended by the shutdown's drain deadline", metadata: ["chars_sent": "\(text.count)"])
                } else {
                    logger.warning("\(encoder.name) stream cut", metadata: ["error": "\(error)", "chars_sent": "\(text.count)"])
                }
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
        case is DrainExpiredError:
            return APIError(
                .serviceUnavailable, code: "shutting_down",
                message: "the server is restarting and could not finish this answer in time: ask again")
        default:
            return ErrorMapping.apiError(for: error)
        }
    }
}

/// A stream still running when its host's drain deadline passed.
struct DrainExpiredError: Error {}

/// How long streams in flight may run on once their host begins a graceful shutdown (a
/// rolling restart): each runs to its end, or, past ``deadline`` counted from the start of
/// the shutdown, ends with an error event (its usage settled for what was produced).
final class StreamDrain: Sendable {
    /// The longest a stream runs on after the shutdown began.
    let deadline: Duration
    /// The host's clock (tests inject a manual one).
    let clock: VigorClock
    private let began = Mutex<Date?>(nil)

    init(deadline: Duration, clock: VigorClock) {
        self.deadline = deadline
        self.clock = clock
    }

    /// Notes that the shutdown began (the first call counts).
    func begin() {
        let now = clock.now()
        began.withLock { began in
            if began == nil { began = now }
        }
    }

    /// Returns once ``deadline`` has passed since ``begin()`` (since now, if it was not called).
    func waitForDeadline() async throws {
        begin()
        let start = began.withLock { $0 } ?? clock.now()
        let elapsed = Duration.milliseconds(Int64(clock.now().timeIntervalSince(start) * 1000))
        if elapsed < deadline { try await clock.sleep(for: deadline - elapsed) }
    }
}
