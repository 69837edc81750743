import Foundation
import Logging
import Synchronization
import VigorPluginAPI
import VigorPluginSDK

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// The child side of crash isolation (`vigor plugin-runner PATH`): loads one plugin with
/// the ordinary loader and serves the host's frames from stdin, answering on stdout.
/// A crash or hang here costs the host a restart of this process, never the host itself.
public enum PluginRunnerServer {
    /// Serves until the host closes stdin; returns the process exit code.
    public static func run(path: String, logger: Logger) -> Int32 {
        // The protocol owns the original stdout; anything the plugin prints goes to stderr.
        let protocolOut = dup(STDOUT_FILENO)
        guard protocolOut >= 0, dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else { return 70 }
        signal(SIGPIPE, SIG_IGN)
        let writer = RunnerFrameWriter(fd: protocolOut)
        let services = ForwardingServices(writer: writer)
        let loader = PluginLoader(logger: logger, handler: services)
        let components: [PluginComponentHandle]
        do {
            components = try loader.load(path: path)
        } catch {
            writer.send(RunnerFrame(.hello, id: 0, [Array(error.code.rawValue.utf8), Array(error.reason.utf8)]))
            return 0
        }
        let descriptor = PluginDescriptor(plugins: components.map(\.descriptor))
        guard let encoded = try? WireJSON.encode(descriptor) else { return 70 }
        writer.send(RunnerFrame(.hello, id: 0, [Array("ok".utf8), encoded]))

        let byID = Dictionary(components.map { ($0.descriptor.id, $0) }, uniquingKeysWith: { first, _ in first })
        let session = Session(writer: writer, components: byID)
        let reader = RunnerFrameReader(fd: STDIN_FILENO)
        while true {
            let frame: RunnerFrame
            do {
                frame = try reader.next()
            } catch .closed {
                return 0
            } catch {
                logger.error("plugin runner: broken frame from the host", metadata: ["error": "\(error)"])
                return 65
            }
            switch frame.kind {
            case .serviceReply: services.answer(frame)
            default: session.handle(frame)
            }
        }
    }

    /// Calls in flight and open streams. Invokes run on their own threads (a generator may
    /// block on `vigor.llm/1`, which this process forwards to the host); stream operations
    /// run in order on the reading thread, as the ABI's per-stream rule requires.
    final class Session: @unchecked Sendable {
        let writer: RunnerFrameWriter
        let components: [String: PluginComponentHandle]
        // Touched only from the reading thread.
        private var streams: [UInt64: PluginStreamHandle] = [:]
        private let flags = Mutex<[UInt64: CancelFlag]>([:])

        init(writer: RunnerFrameWriter, components: [String: PluginComponentHandle]) {
            self.writer = writer
            self.components = components
        }

        func handle(_ frame: RunnerFrame) {
            switch frame.kind {
            case .invoke: invoke(frame)
            case .cancel: flags.withLock { $0[frame.id] }?.cancel()
            case .streamOpen:
                guard let component = components[frame.string(0)] else {
                    return reply(frame.id, VIGOR_ERR_INVALID_INPUT, "unknown component")
                }
                do {
                    streams[frame.id] = try component.openStream(op: frame.string(1), input: frame.field(2))
                    reply(frame.id, VIGOR_OK, "")
                } catch {
                    reply(frame.id, error.status, error.message)
                }
            case .streamFeed:
                guard let stream = streams[frame.id] else { return events(frame.id, [], done: (VIGOR_ERR_INVALID_INPUT, "no such stream")) }
                let produced = stream.feed(frame.field(0))
                events(frame.id, produced, done: stream.doneStatus.map { ($0, stream.doneMessage) })
            case .streamClose:
                guard let stream = streams.removeValue(forKey: frame.id) else {
                    return events(frame.id, [], done: (VIGOR_ERR_INVALID_INPUT, "no such stream"))
                }
                let produced = stream.close(status: Int32(frame.int(0) ?? Int64(VIGOR_OK)), message: frame.string(1))
                events(frame.id, produced, done: (stream.doneStatus ?? VIGOR_OK, stream.doneMessage))
            default:
                break
            }
        }

        private func invoke(_ frame: RunnerFrame) {
            guard let component = components[frame.string(0)] else { return reply(frame.id, VIGOR_ERR_INVALID_INPUT, "unknown component") }
            let flag = CancelFlag()
            flags.withLock { $0[frame.id] = flag }
            let deadline = frame.int(3).flatMap { $0 == 0 ? nil : $0 }
            let info = CallInfo(userID: 0, requestID: "", deadlineMs: deadline, remoteCallID: frame.id)
            let thread = Thread { [self] in
                let result = Result { () throws(PluginCallError) in
                    try component.invoke(op: frame.string(1), input: frame.field(2), deadlineMs: deadline, call: info, cancelled: flag)
                }
                flags.withLock { _ = $0.removeValue(forKey: frame.id) }
                switch result {
                case .success(let bytes): writer.send(RunnerFrame(.result, id: frame.id, [Array("\(VIGOR_OK)".utf8), bytes]))
                case .failure(let error): reply(frame.id, error.status, error.message)
                }
            }
            thread.stackSize = 4 << 20
            thread.start()
        }

        private func reply(_ id: UInt64, _ status: vigor_status, _ message: String) {
            writer.send(RunnerFrame(.result, id: id, [Array("\(status)".utf8), Array(message.utf8)]))
        }

        private func events(_ id: UInt64, _ events: [StreamEvent], done: (vigor_status, String)?) {
            var fields: [[UInt8]] = [done.map { Array("\($0.0)".utf8) } ?? [], Array((done?.1 ?? "").utf8)]
            for event in events { fields.append((try? event.wireBytes()) ?? []) }
            writer.send(RunnerFrame(.streamEvents, id: id, fields))
        }
    }

    /// `vigor.llm/1` and `vigor.http/1` inside the runner: forwarded to the host, which
    /// applies its own allow-list, secrets, quotas and accounting exactly as in-process.
    final class ForwardingServices: HostServiceHandler {
        let writer: RunnerFrameWriter
        private let pending = Mutex<(next: UInt64, waiting: [UInt64: CheckedContinuation<RunnerFrame, Never>])>((1, [:]))

        init(writer: RunnerFrameWriter) { self.writer = writer }

        func complete(_ request: ChatRequest, call: CallInfo?, plugin: String) async throws -> ChatResponse {
            try WireJSON.decode(ChatResponse.self, from: try await forward("llm", call: call, payload: WireJSON.encode(request)))
        }

        func http(_ request: UpstreamRequest, call: CallInfo?, plugin: String, allowedHosts: [String]) async throws -> UpstreamResponse {
            try WireJSON.decode(UpstreamResponse.self, from: try await forward("http", call: call, payload: WireJSON.encode(request)))
        }

        private func forward(_ service: String, call: CallInfo?, payload: [UInt8]) async throws -> [UInt8] {
            let frame = await withCheckedContinuation { (continuation: CheckedContinuation<RunnerFrame, Never>) in
                let id = pending.withLock { state -> UInt64 in
                    let id = state.next
                    state.next += 1
                    state.waiting[id] = continuation
                    return id
                }
                let callID = call?.remoteCallID ?? 0
                if !writer.send(RunnerFrame(.service, id: id, [Array(service.utf8), Array("\(callID)".utf8), payload])) {
                    answer(RunnerFrame(.serviceReply, id: id, [Array("\(VIGOR_ERR_UNAVAILABLE)".utf8), Array("host is gone".utf8)]))
                }
            }
            let status = Int32(frame.int(0) ?? Int64(VIGOR_ERR_INTERNAL))
            guard status == VIGOR_OK else { throw PluginError(status: status, message: frame.string(1)) }
            return frame.field(1)
        }

        func answer(_ frame: RunnerFrame) {
            pending.withLock { $0.waiting.removeValue(forKey: frame.id) }?.resume(returning: frame)
        }
    }
}
