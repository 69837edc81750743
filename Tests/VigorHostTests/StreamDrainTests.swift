import Foundation
import Synchronization
import Testing
import VigorCoaching
import VigorPluginSDK

@testable import VigorHost

/// A graceful shutdown (SIGTERM) lets streams in flight run on for the host's drain time; a
/// stream still running past it ends with an `error` event, never a bare cut. A real host
/// (the composition root's service group, a real socket) with the test's clock.
@Suite("Stream drain at shutdown")
struct StreamDrainTests {
    /// An AI layer whose one stream sends what the test pushes, and never ends by itself.
    final class HeldStreamAI: CoachAI {
        private struct State {
            var continuation: AsyncThrowingStream<ChatStreamEvent, any Error>.Continuation?
            var cancelled = false
            var waiters: [CheckedContinuation<Void, Never>] = []
        }

        private let state = Mutex(State())

        var isReady: Bool { true }

        var wasCancelled: Bool { state.withLock { $0.cancelled } }

        func chat(_ request: ChatRequest, context: AIRequestContext) async throws -> CoachReply {
            throw AIError(.noProvider, "streams only")
        }

        func chatStream(_ request: ChatRequest, context: AIRequestContext) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
            AsyncThrowingStream { continuation in
                continuation.yield(.delta("first piece "))
                continuation.onTermination = { [self] reason in
                    if case .cancelled = reason { state.withLock { $0.cancelled = true } }
                }
                let waiters = state.withLock { state in
                    state.continuation = continuation
                    defer { state.waiters = [] }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume() }
            }
        }

        /// Returns once a stream has been opened.
        func opened() async {
            await withCheckedContinuation { continuation in
                let open = state.withLock { state in
                    if state.continuation != nil { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if open { continuation.resume() }
            }
        }

        func send(_ piece: String) {
            _ = state.withLock { $0.continuation }?.yield(.delta(piece))
        }

        func generatePlan(profile: FitnessProfile, request: PlanRequest, context: AIRequestContext) async throws -> GeneratedPlan {
            throw AIError(.noProvider, "streams only")
        }
    }

    static func register(port: Int) async throws -> String {
        let body = jsonText(["email": "drain@example.com", "username": "drain", "password": "correct-horse-battery"])
        let reply = try await onOwnThread {
            try RawHTTPConnection.request(port: port, method: "POST", path: "/api/v1/auth/register", body: body)
        }
        let json = (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any]
        guard let token = json?["access_token"] as? String else { throw TestHostError("register: \(reply.status) \(reply.body)") }
        return token
    }

    @Test(
        "a stream in flight at shutdown runs on; past the drain deadline it ends with a shutting_down error event, its AI stream cancelled, and the host stops",
        .timeLimit(.minutes(1)))
    func drainDeadline() async throws {
        let ai = HeldStreamAI()
        let clock = TestClock()
        try await TestHost.withFolder("vigor-drain") { folder in
            let configuration = VigorConfiguration(
                port: 0, databasePath: folder.appendingPathComponent("vigor.sqlite").path,
                jwtSecret: "test-secret-0123456789-0123456789-abcdef", bcryptCost: 4)
            var host = try await HostAssembly.build(
                configuration: configuration, ai: .custom({ _ in ai }), logger: TestHost.logger, clock: clock.vigorClock)
            host.drainDeadline = .seconds(20)
            let (ports, portContinuation) = AsyncStream<Int>.makeStream()
            let app = try await host.application { port in
                portContinuation.yield(port)
                portContinuation.finish()
            }
            let group = host.serviceGroup(application: app, trappingSignals: false)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                guard let port = await ports.first(where: { _ in true }) else { throw TestHostError("the host did not listen") }
                let token = try await Self.register(port: port)

                let connection = try RawHTTPConnection(port: port)
                let chat = jsonText(["message": "How many rest days should I take?"])
                try connection.send(
                    "POST /api/v1/ai/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer \(token)\r\n"
                        + "X-Request-Id: drained-stream\r\nAccept: text/event-stream\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(chat.utf8.count)\r\n\r\n\(chat)")
                await ai.opened()
                var raw = await connection.readOffPool(until: "first piece")

                // Shutdown begins; the stream's drain timer waits on the host's clock.
                await group.triggerGracefulShutdown()
                await clock.manual.waitForSleeper(dueWithin: .seconds(20))
                // The stream runs on meanwhile.
                ai.send("second piece ")
                raw += await connection.readOffPool(until: "second piece")
                #expect(!ai.wasCancelled)

                // Past the drain deadline it ends with an error event, and the host stops.
                clock.advance(by: 20)
                raw += await connection.readOffPool()
                try await tasks.next()

                let (head, body) = try ChunkedReply.split(raw)
                #expect(head.hasPrefix("HTTP/1.1 200"), "\(head)")
                let events = parseSSE(body)
                #expect(events.map { $0.event ?? "" } == ["delta", "delta", "error"], "\(body)")
                let error = events.last?.json["error"] as? [String: Any]
                #expect(error?["code"] as? String == "shutting_down", "\(body)")
                #expect(error?["request_id"] as? String == "drained-stream")
                #expect(events.last?.json["message_id"] != nil, "the partial answer is stored: \(body)")
                #expect(ai.wasCancelled, "the AI stream (the upstream call) is released")
            }
        }
    }

    @Test("ChunkedReply decodes a body of many chunks byte by byte (a CRLF is one Character in Swift)")
    func chunkedDecoding() throws {
        let pieces = [
            "event: delta\ndata: {\"text\":\"Two\"}\n\n", "event: delta\ndata: {\"text\":\" 💪\"}\n\n", "event: done\ndata: {}\n\n",
        ]
        var raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        for piece in pieces { raw += String(piece.utf8.count, radix: 16) + "\r\n" + piece + "\r\n" }
        raw += "0\r\n\r\n"
        let (_, body) = try ChunkedReply.split(raw)
        #expect(body == pieces.joined())
        // A reply cut inside a chunk yields the chunks that arrived whole.
        let cut = try ChunkedReply.split(String(decoding: Array(raw.utf8.prefix(raw.utf8.count - 30)), as: UTF8.self))
        #expect(cut.body == pieces.prefix(2).joined())
    }
}

/// An HTTP/1.1 reply read off a raw socket, split into its head and its body; a chunked body is
/// decoded on bytes.
enum ChunkedReply {
    static func split(_ raw: String) throws -> (head: String, body: String) {
        let bytes = Array(raw.utf8)
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw TestHostError("no reply head in \(raw.prefix(200))")
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        let body = Array(bytes[(end + separator.count)...])
        let chunked = head.lowercased().contains("transfer-encoding: chunked")
        return (head, String(decoding: chunked ? decode(body) : body, as: UTF8.self))
    }

    /// A chunked body's data; a body cut short yields the chunks that arrived whole.
    static func decode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var at = 0
        let crlf = Array("\r\n".utf8)
        while at < bytes.count, let lineEnd = bytes[at...].indices.first(where: { bytes[$0...].starts(with: crlf) }) {
            let sizeText = String(decoding: bytes[at..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0,
                lineEnd + 2 + size <= bytes.count
            else { break }
            out += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
            at = lineEnd + 2 + size + 2
        }
        return out
    }
}
