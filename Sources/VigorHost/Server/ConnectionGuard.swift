import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// How long a connection may take at each stage, and how many may be open at once.
public struct ConnectionLimits: Sendable, Hashable {
    /// Seconds to deliver a whole request head, counted from the connection's accept or the
    /// first byte of a request on a kept-alive connection (the slowloris guard).
    public var headerTimeout: TimeInterval
    /// Seconds to deliver a request body, counted from the end of its head.
    public var bodyTimeout: TimeInterval
    /// Seconds a kept-alive connection may wait for its next request.
    public var idleTimeout: TimeInterval
    /// Connections served at once; further ones wait in the listen backlog until one closes.
    public var maxConnections: Int

    public init(
        headerTimeout: TimeInterval = 10, bodyTimeout: TimeInterval = 60, idleTimeout: TimeInterval = 60, maxConnections: Int = 1024
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the host's connection deadlines (``ConnectionLimits``).
    static func guardedHTTP1(_ limits: ConnectionLimits) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(inner: HTTP1Channel(responder: responder), limits: limits)
        }
    }
}

/// Hummingbird's HTTP/1 channel with a ``RequestDeadlineHandler`` in its pipeline.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel
    let limits: ConnectionLimits

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let limits = self.limits
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let deadlines = RequestDeadlineHandler(limits: limits, logger: logger)
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(deadlines, position: .after(decoder))
            try operations.addHandler(FirstByteHandler(deadlines: deadlines), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Closes a connection that is too slow at the stage it is in: sending a request head,
/// sending a body, or idle between requests. While a request is being answered no deadline
/// runs (a streamed answer may take minutes).
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    enum Stage {
        case idle
        case readingHead
        case readingBody
        case responding
    }

    let limits: ConnectionLimits
    let logger: Logger
    private(set) var stage = Stage.readingHead
    /// The answer to the request being read was already sent (a refusal before its body).
    private var answered = false
    private var timer: Scheduled<Void>?
    /// When the current stage's time is up; `nil` while a request is being answered.
    private var deadline: NIODeadline?
    /// When the pending timer fires.
    private var scheduledFor: NIODeadline?
    private var context: ChannelHandlerContext?

    init(limits: ConnectionLimits, logger: Logger) {
        self.limits = limits
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // A new connection must send its request head within the header deadline.
        arm(limits.headerTimeout, stage: .readingHead)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimer()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        context.fireChannelInactive()
    }

    /// Bytes arrived from the peer (called by ``FirstByteHandler``, before decoding).
    func bytesArrived() {
        if stage == .idle { arm(limits.headerTimeout, stage: .readingHead) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            answered = false
            arm(limits.bodyTimeout, stage: .readingBody)
        case .body: break
        case .end:
            if answered {
                arm(limits.idleTimeout, stage: .idle)
            } else {
                cancel()
                stage = .responding
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            if stage == .responding {
                arm(limits.idleTimeout, stage: .idle)
            } else {
                // Answered before the body was read: the body deadline still runs, then idle.
                answered = true
            }
        }
        context.write(data, promise: promise)
    }

    /// Moves to `stage` with a deadline `seconds` from now. One timer serves every stage: it
    /// is scheduled only when none is pending, and when it fires early (the deadline moved
    /// on) it is scheduled again for the current deadline, so a request costs a clock read,
    /// not a timer, per stage.
    private func arm(_ seconds: TimeInterval, stage: Stage) {
        self.stage = stage
        guard seconds > 0 else {
            deadline = nil
            return
        }
        let nanoseconds = Int64(min(seconds, 86_400) * 1_000_000_000)
        let next = NIODeadline.now() + .nanoseconds(nanoseconds)
        deadline = next
        // A pending timer set for later than the new deadline (idle → header) is brought forward.
        if let scheduledFor, next < scheduledFor {
            timer?.cancel()
            timer = nil
        }
        if timer == nil { schedule() }
    }

    private func cancel() {
        deadline = nil
    }

    private func schedule() {
        guard let context, let deadline else { return }
        scheduledFor = deadline
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) { [self] in
            self.fired()
        }
    }

    private func fired() {
        timer = nil
        scheduledFor = nil
        guard let context, let deadline else { return }  // no deadline at this stage (answering)
        guard deadline <= .now() else {
            schedule()
            return
        }
        logger.debug("closing a slow connection", metadata: ["stage": "\(stage)"])
        context.close(promise: nil)
    }

    private func stopTimer() {
        timer?.cancel()
        timer = nil
        scheduledFor = nil
        deadline = nil
    }
}

/// Tells the ``RequestDeadlineHandler`` when bytes arrive, so the header deadline of a
/// kept-alive connection starts at a request's first byte.
final class FirstByteHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let deadlines: RequestDeadlineHandler

    init(deadlines: RequestDeadlineHandler) {
        self.deadlines = deadlines
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deadlines.bytesArrived()
        context.fireChannelRead(data)
    }
}
