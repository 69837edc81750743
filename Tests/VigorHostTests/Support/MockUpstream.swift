import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A local stand-in for a provider's API: a real HTTP server on a loopback port that
/// answers from a script and records every request it receives.
final class MockUpstream: Sendable {
    /// One scripted answer.
    struct Answer: Sendable {
        var status: Int = 200
        var headers: [String: String] = ["content-type": "application/json"]
        /// Body pieces, sent as separate chunks (SSE streams), each after `chunkDelayMs`.
        var chunks: [String]
        var delayMs: Int = 0
        var chunkDelayMs: Int = 0
        /// Held until the test calls ``MockUpstream/release()`` (an upstream still thinking).
        var heldUntilReleased = false

        static func json(_ body: String, status: Int = 200, headers: [String: String] = [:]) -> Answer {
            Answer(status: status, headers: ["content-type": "application/json"].merging(headers) { $1 }, chunks: [body])
        }

        static func sse(_ events: [String], chunkDelayMs: Int = 0) -> Answer {
            Answer(headers: ["content-type": "text/event-stream"], chunks: events, chunkDelayMs: chunkDelayMs)
        }
    }

    /// One recorded request.
    struct Received: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
    }

    private struct State {
        var script: [Answer] = []
        var fallbackAnswer: Answer?
        var received: [Received] = []
        var released = false
        var held: [CheckedContinuation<Void, Never>] = []
        var requestWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())
    private let task: Mutex<Task<Void, any Error>?> = Mutex(nil)
    /// The mock's service group: stopped gracefully (cancelling Hummingbird's task while a
    /// connection is open trips NIO's "NIOAsyncWriter deinited without finish()" assertion).
    private let group: Mutex<ServiceGroup?> = Mutex(nil)
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var received: [Received] { state.withLock { $0.received } }

    /// Queues answers, served in order; `otherwise` answers once the queue is empty.
    func script(_ answers: [Answer], otherwise: Answer? = nil) {
        state.withLock {
            $0.script = answers
            $0.fallbackAnswer = otherwise
        }
    }

    private init(port: Int) { self.port = port }

    /// Lets every answer held with ``Answer/heldUntilReleased`` go (and later ones pass at once).
    func release() {
        let held = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.released = true
            defer { s.held.removeAll() }
            return s.held
        }
        for continuation in held { continuation.resume() }
    }

    /// Returns once `count` requests have been received.
    func waitForRequests(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { s -> Bool in
                if s.received.count >= count { return true }
                s.requestWaiters.append((count, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func waitForRelease() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { s -> Bool in
                if s.released { return true }
                s.held.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }

    /// Starts a server on a free loopback port.
    static func start() async throws -> MockUpstream {
        let holder = Mutex<MockUpstream?>(nil)
        let router = Router()
        router.on("**", method: .post) { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let mock = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            return await mock.answer(request, body: String(buffer: body))
        }
        var logger = Logger(label: "mock-upstream")
        logger.logLevel = .critical
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
        let mock = MockUpstream(port: port)
        holder.withLock { $0 = mock }
        mock.task.withLock { $0 = task }
        mock.group.withLock { $0 = group }
        return mock
    }

    /// Starts shutting the server down without waiting (for a `defer`); prefer ``shutdown()``
    /// or ``with(_:)``, which await the end.
    func stop() {
        guard let group = group.withLock({ $0 }) else {
            task.withLock { $0?.cancel() }
            return
        }
        Task { await group.triggerGracefulShutdown() }
    }

    /// Shuts the server down gracefully and returns once it has stopped.
    func shutdown() async {
        release()  // a held answer would keep the graceful shutdown waiting
        if let group = group.withLock({ $0 }) { await group.triggerGracefulShutdown() }
        _ = try? await task.withLock({ $0 })?.value
    }

    /// Runs `body` with a new mock upstream and awaits its shutdown afterwards, however `body` ends.
    static func with<T>(_ body: (MockUpstream) async throws -> T) async throws -> T {
        let mock = try await start()
        do {
            let value = try await body(mock)
            await mock.shutdown()
            return value
        } catch {
            await mock.shutdown()
            throw error
        }
    }

    private func answer(_ request: Request, body: String) async -> Response {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let (answer, arrived) = state.withLock { s -> (Answer?, [CheckedContinuation<Void, Never>]) in
            s.received.append(Received(method: "\(request.method)", path: request.uri.string, headers: headers, body: body))
            let count = s.received.count
            let arrived = s.requestWaiters.filter { $0.count <= count }.map(\.continuation)
            s.requestWaiters.removeAll { $0.count <= count }
            return (s.script.isEmpty ? s.fallbackAnswer : s.script.removeFirst(), arrived)
        }
        for continuation in arrived { continuation.resume() }
        guard let answer else { return Response(status: .internalServerError) }
        if answer.heldUntilReleased { await waitForRelease() }
        // Simulated upstream latency: a real server answering late over a real socket, which the
        // host's egress times with NIO deadlines (real time), not with the injected clock.
        if answer.delayMs > 0 { try? await Task.sleep(nanoseconds: UInt64(answer.delayMs) * 1_000_000) }
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        let chunks = answer.chunks
        let delay = answer.chunkDelayMs
        let stream = AsyncStream<ByteBuffer> { continuation in
            let task = Task {
                for chunk in chunks {
                    if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000) }  // latency, as above
                    continuation.yield(ByteBuffer(string: chunk))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return Response(status: .init(code: answer.status), headers: fields, body: ResponseBody(asyncSequence: stream))
    }
}

/// A log handler that keeps every line, to assert what was (and was not) logged.
struct CapturingLogHandler: LogHandler {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    let sink: Lines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        sink.lines.withLock { $0.append("\(event.level) \(event.message) \(merged)") }
    }
}
