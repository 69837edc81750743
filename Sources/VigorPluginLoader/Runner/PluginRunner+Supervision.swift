import Foundation
import Logging
import VigorPluginAPI
import VigorPluginSDK

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// Runner processes: one reader thread each, the restart after a crash, the replacement
/// after a hang.
extension PluginRunner {
    func startReader(child: Child, reader: RunnerFrameReader) {
        let thread = Thread { [self] in watch(child: child, reader: reader) }
        thread.name = "vigor-runner-\((sourcePath as NSString).lastPathComponent)-\(child.generation)"
        thread.start()
    }

    /// Serves one runner's frames until it ends, then settles its calls: a replaced or retired
    /// runner just goes; the current one crashed, so its calls fail and a new one starts.
    private func watch(child: Child, reader: RunnerFrameReader) {
        serve(child: child, reader: reader)
        let exit = Self.reap(child.pid)
        close(child.readFD)
        child.writer.close()
        let generation = child.generation
        let (orphans, crashed, replaced, retiring) = state.withLock { s -> ([Pending], Bool, Bool, Bool) in
            let crashed = s.current?.generation == generation
            let replaced = s.draining.removeValue(forKey: generation) != nil
            if crashed { s.current = nil }
            let orphanIDs = s.waiters.filter { $0.value.generation == generation }.map(\.key)
            let orphans = orphanIDs.compactMap { s.waiters.removeValue(forKey: $0) }
            for id in orphanIDs { s.calls[id] = nil }
            s.abandoned = s.abandoned.filter { $0.value != generation }
            for (id, stream) in s.streams where stream.generation == generation {
                stream.watchdog?.cancel()
                s.streams[id] = nil
            }
            if (crashed && !s.retiring) || replaced { s.lastExit = exit }
            if crashed && !s.retiring {
                s.restarts += 1
                s.quickDeaths = clock.nowMs - child.startedMs < 5_000 ? s.quickDeaths + 1 : 0
            }
            return (orphans, crashed, replaced, s.retiring)
        }
        for pending in orphans {
            pending.watchdog?.cancel()
            pending.waiter(.failure(PluginCallError(.internal, message: "plugin process crashed (\(exit)); the host is restarting it")))
        }
        defer { statusChanged() }
        if replaced {
            logger.notice("replaced plugin runner exited", metadata: ["exit": "\(exit)", "pid": "\(child.pid)"])
            onCrash?(sourcePath, exit)
            return
        }
        guard crashed else { return }
        if retiring {
            logger.info("plugin runner retired", metadata: ["pid": "\(child.pid)"])
            return
        }
        logger.error("isolated plugin crashed; restarting its runner", metadata: ["exit": "\(exit)", "pid": "\(child.pid)"])
        onCrash?(sourcePath, exit)
        statusChanged()
        restart()
    }

    /// Starts a new current runner after a crash, backing off (on the runner's clock) when
    /// runners keep dying at once (a plugin that crashes on load).
    private func restart() {
        while true {
            let quickDeaths = state.withLock { $0.quickDeaths }
            if quickDeaths > 1 {
                clock.sleepBlocking(for: .milliseconds(Int64(min(30_000, 100 * pow(2, Double(min(quickDeaths, 20)))))))
            }
            if state.withLock({ $0.retiring }) { return }
            switch startChild() {
            case .success(let next):
                logger.info("plugin runner restarted", metadata: ["pid": "\(next.pid)"])
                return
            case .failure(let error):
                state.withLock {
                    $0.quickDeaths += 1
                    $0.lastExit = error.description
                }
                logger.error("plugin runner failed to restart", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Spawns a runner, makes it the current one and starts its reader. The runner it
    /// replaces (if any) drains: it keeps its calls and streams, and goes once idle.
    private func startChild() -> Result<Child, PluginRejection> {
        let generation = state.withLock { s -> Int in
            s.generation += 1
            return s.generation
        }
        let spawned: (Child, RunnerFrameReader, PluginDescriptor)
        do {
            spawned = try Self.spawn(
                executable: executable, libraryPath: libraryPath, sourcePath: sourcePath, generation: generation, logger: logger,
                clock: clock)
        } catch {
            return .failure(error)
        }
        let (next, reader, _) = spawned
        let retiring = state.withLock { s -> Bool in
            if let old = s.current { s.draining[old.generation] = old }
            s.current = next
            return s.retiring
        }
        startReader(child: next, reader: reader)
        // Retired while it was starting: let it exit at once (it serves nothing).
        if retiring { next.writer.close() }
        settle()
        statusChanged()
        return .success(next)
    }

    /// A call in runner `generation` hung past its deadline and grace: a fresh runner takes
    /// the new calls; the hung one finishes its other calls and is killed once idle.
    func replace(generation: Int, reason: String) {
        let go = state.withLock { s -> Bool in
            guard s.current?.generation == generation, !s.replacing, !s.retiring else { return false }
            s.replacing = true
            return true
        }
        guard go else {
            settle()
            return
        }
        logger.error("isolated plugin hung; replacing its runner (its other calls finish there)", metadata: ["reason": "\(reason)"])
        let thread = Thread { [self] in
            let result = startChild()
            state.withLock {
                $0.replacing = false
                if case .success = result { $0.restarts += 1 }
            }
            statusChanged()
            if case .failure(let error) = result {
                // No replacement: stop the hung runner; its reader restarts it (its calls fail).
                logger.error("plugin runner could not be replaced; killing the hung one", metadata: ["error": "\(error)"])
                if let pid = state.withLock({ $0.child(generation)?.pid }) { kill(pid, SIGKILL) }
            }
        }
        thread.name = "vigor-runner-replace"
        thread.start()
    }

    /// Dispatches frames from one runner until it closes its end.
    private func serve(child: Child, reader: RunnerFrameReader) {
        while true {
            guard let frame = try? reader.next() else { return }
            switch frame.kind {
            case .result, .streamEvents:
                let pending = state.withLock { s -> Pending? in
                    s.abandoned[frame.id] = nil
                    guard s.waiters[frame.id]?.generation == child.generation else { return nil }
                    s.calls[frame.id] = nil
                    return s.waiters.removeValue(forKey: frame.id)
                }
                pending?.watchdog?.cancel()
                pending?.waiter(.success(frame))
                settle()
            case .service:
                answerService(frame, writer: child.writer)
            default:
                logger.warning("unexpected frame from plugin runner", metadata: ["kind": "\(frame.kind)"])
            }
        }
    }

    /// Runs a plugin's `vigor.llm/1` or `vigor.http/1` call with the host's own services.
    private func answerService(_ frame: RunnerFrame, writer: RunnerFrameWriter) {
        let info = state.withLock { $0.calls[UInt64(frame.int(1) ?? 0)] }
        let allowed = descriptor.plugins.flatMap(\.allowedHosts)
        let declared = Set(descriptor.plugins.flatMap(\.secrets))
        Task(executorPreference: BlockingBridge.serviceExecutor) { [handler, sourcePath] in
            var reply: [[UInt8]]
            do {
                guard let handler else { throw PluginError.unavailable("host service not available") }
                let payload = frame.field(2)
                switch frame.string(0) {
                case "llm":
                    let request = try WireJSON.decode(ChatRequest.self, from: payload)
                    reply = [
                        Array("\(VIGOR_OK)".utf8), try WireJSON.encode(try await handler.complete(request, call: info, plugin: sourcePath)),
                    ]
                case "http":
                    let request = try WireJSON.decode(UpstreamRequest.self, from: payload)
                    if let secret = SecretGrant.undeclared(in: request, declared: declared) {
                        throw PluginError.invalidInput(SecretGrant.refusal(secret: secret, plugin: sourcePath, declared: declared))
                    }
                    reply = [
                        Array("\(VIGOR_OK)".utf8),
                        try WireJSON.encode(try await handler.http(request, call: info, plugin: sourcePath, allowedHosts: allowed)),
                    ]
                default:
                    throw PluginError.unsupported("unknown host service \(frame.string(0))")
                }
            } catch let error as PluginError {
                reply = [Array("\(error.status)".utf8), Array(error.message.utf8)]
            } catch {
                reply = [Array("\(VIGOR_ERR_INVALID_INPUT)".utf8), Array("\(error)".utf8)]
            }
            writer.send(RunnerFrame(.serviceReply, id: frame.id, reply))
        }
    }
}
