import Foundation
import VigorPluginAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// Streams in a runner process: each lives in the runner that opened it (a replaced runner
/// keeps serving its open streams), and each has a deadline after which the runner closes it.
extension PluginRunner {
    /// Opens a stream ending at `deadlineMs` (on the runner's clock; default
    /// ``defaultStreamLifetimeMs`` from now); its id keys the feeds and the close. Blocks the
    /// calling thread until the runner answers: for threads that may wait, see ``openStreamAsync``.
    func openStream(component: String, op: String, input: [UInt8], deadlineMs: Int64?) -> Result<UInt64, PluginCallError> {
        let (id, end) = newStream(deadlineMs)
        let opened = requestBlocking(.streamOpen, id: id, fields: [component, op, input], info: nil, deadlineMs: end)
        return opening(id, end: end, Self.unwrap(opened))
    }

    /// ``openStream(component:op:input:deadlineMs:)`` awaiting the runner's answer without
    /// holding a thread: a plugin that hangs in `on_stream_open` costs its caller the wait,
    /// not one of the host's threads (with the NIO executor, one of its event loops).
    func openStreamAsync(component: String, op: String, input: [UInt8], deadlineMs: Int64?) async -> Result<UInt64, PluginCallError> {
        let (id, end) = newStream(deadlineMs)
        let opened = await request(.streamOpen, id: id, fields: [component, op, input], info: nil, deadlineMs: end)
        return opening(id, end: end, Self.unwrap(opened))
    }

    /// A new stream's id and its end on the runner's clock.
    private func newStream(_ deadlineMs: Int64?) -> (id: UInt64, end: Int64) {
        let id = state.withLock { s -> UInt64 in
            defer { s.nextID += 1 }
            return s.nextID
        }
        return (id, deadlineMs ?? clock.nowMs + Self.defaultStreamLifetimeMs)
    }

    /// After the runner answered an open: a refused stream is forgotten; an open one gets the
    /// watchdog that closes it at `end`.
    private func opening(_ id: UInt64, end: Int64, _ opened: Result<[UInt8], PluginCallError>) -> Result<UInt64, PluginCallError> {
        guard case .success = opened else {
            state.withLock { _ = $0.streams.removeValue(forKey: id) }
            settle()
            return opened.map { _ in id }
        }
        let watchdog = Task(executorPreference: BlockingBridge.serviceExecutor) { [self] in
            guard (try? await clock.sleep(untilMs: end)) != nil else { return }
            expireStream(id)
        }
        let open = state.withLock { s -> Bool in
            guard s.streams[id] != nil else { return false }
            s.streams[id]?.watchdog = watchdog
            return true
        }
        if !open { watchdog.cancel() }
        return .success(id)
    }

    func streamStep(_ kind: RunnerFrame.Kind, id: UInt64, fields: [any RunnerField]) -> Result<RunnerFrame, PluginCallError> {
        requestBlocking(kind, id: id, fields: fields, info: nil, deadlineMs: nil)
    }

    func streamStepAsync(_ kind: RunnerFrame.Kind, id: UInt64, fields: [any RunnerField]) async -> Result<RunnerFrame, PluginCallError> {
        await request(kind, id: id, fields: fields, info: nil, deadlineMs: nil)
    }

    /// Closes a stream its owner dropped without waiting for the plugin's last events.
    func abandonStream(_ id: UInt64) {
        closeRemotely(id, status: VIGOR_ERR_CANCELLED, message: "stream abandoned", expired: false)
    }

    /// The stream outlived its deadline: the runner closes it; its owner's next step fails.
    private func expireStream(_ id: UInt64) {
        closeRemotely(id, status: VIGOR_ERR_DEADLINE, message: "stream outlived its deadline", expired: true)
    }

    private func closeRemotely(_ id: UInt64, status: Int32, message: String, expired: Bool) {
        let child = state.withLock { s -> Child? in
            guard let stream = s.streams.removeValue(forKey: id) else { return nil }
            stream.watchdog?.cancel()
            if expired { s.expiredStreams.insert(id) }
            return s.child(stream.generation)
        }
        if expired, child != nil {
            logger.warning("isolated plugin stream closed at its deadline", metadata: ["stream": "\(id)"])
        }
        // The runner answers with the stream's last events, which nobody waits for any more.
        child?.writer.send(RunnerFrame(.streamClose, id: id, [status.runnerBytes, message.runnerBytes]))
        settle()
    }
}
