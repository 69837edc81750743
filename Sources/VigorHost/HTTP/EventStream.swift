import Foundation
import HTTPTypes
import Hummingbird
import VigorPluginSDK

/// Server-sent events (`text/event-stream`): frames and headers.
enum EventStream {
    /// The `event:` names of `/api/v1/ai/chat` streams.
    enum Event {
        /// A piece of the answer.
        static let delta = "delta"
        /// The stored answer (the end of a complete stream).
        static let done = "done"
        /// The end of a cut stream.
        static let error = "error"
    }

    /// Asks a proxy (nginx) not to buffer the stream.
    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!

    /// Headers of an event-stream response (no caching, no proxy buffering).
    static func headers() -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[accelBuffering] = "no"
        return headers
    }

    /// One frame: an optional `event:` line and one `data:` line (JSON never holds a raw newline).
    static func frame(event: String? = nil, data: String) -> ByteBuffer {
        frame(event: event, bytes: data.utf8)
    }

    /// A frame whose data is `value` as JSON.
    static func frame(event: String? = nil, json value: some Encodable) throws -> ByteBuffer {
        frame(event: event, data: String(decoding: try JSONResponse.encoder.encode(value), as: UTF8.self))
    }

    /// A `data:` frame whose JSON is written directly (``WireEncodable``).
    static func frame(event: String? = nil, wire value: some WireEncodable) -> ByteBuffer {
        frame(event: event, bytes: WireJSON.bytes(of: value))
    }

    private static func frame(event: String?, bytes data: some Collection<UInt8>) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(data.count + (event?.utf8.count ?? 0) + 16)
        if let event {
            buffer.writeString("event: ")
            buffer.writeString(event)
            buffer.writeString("\n")
        }
        buffer.writeString("data: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }

    /// Whether the client asked for an event stream.
    static func wanted(_ request: Request) -> Bool {
        request.headers[.accept]?.contains("text/event-stream") == true
    }
}

/// Pulls the events of an AI stream one at a time: the route handler takes the first one
/// (so an error before any text is still a normal JSON error with its status), the
/// response body writer the rest. Used by one task at a time.
///
/// Dropping the pump (or calling ``cancel()``) releases the stream, which cancels the
/// producing task — so a client that goes away stops the upstream call, and the router
/// settles the usage for what was produced.
final class StreamPump<Element: Sendable>: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<Element, any Error>.AsyncIterator?

    init(_ stream: AsyncThrowingStream<Element, any Error>) {
        iterator = stream.makeAsyncIterator()
    }

    /// The next event; `nil` at the end (or after ``cancel()``).
    func next() async throws -> Element? {
        guard iterator != nil else { return nil }
        return try await iterator?.next()
    }

    /// Stops consuming: the producing task is cancelled.
    func cancel() {
        iterator = nil
    }
}

/// Writing to the client failed: it went away.
struct ClientGoneError: Error {
    var underlying: any Error
}

extension ResponseBodyWriter {
    /// Writes `buffer`, reporting a failure as ``ClientGoneError``.
    mutating func send(_ buffer: ByteBuffer) async throws {
        do {
            try await write(buffer)
        } catch {
            throw ClientGoneError(underlying: error)
        }
    }
}
