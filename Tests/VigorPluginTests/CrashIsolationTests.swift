import Foundation
import Logging
import Synchronization
import Testing
import VigorPluginAPI
import VigorPluginSDK

@testable import VigorPluginLoader

/// Crash isolation: a plugin in a `vigor plugin-runner` child process, through the real
/// `vigor` executable. A crash costs the calls in flight on that runner an error; a hang costs
/// the hung call alone; the runner is restarted or replaced and this (host) process is
/// untouched. Time-driven tests run the runner on a ``ManualClock`` and advance it; the waits
/// that remain are for real processes (a spawn, an exit), awaited as runner status events.
@Suite("Crash isolation (vigor plugin-runner)", .serialized, .timeLimit(.minutes(2)))
struct CrashIsolationTests {
    static let runner = TestSupport.builtProducts.appendingPathComponent("vigor").path

    static func crashy(in folder: URL) throws -> String {
        try TestSupport.compileC(
            TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/crashy_plugin.c").path,
            to: folder.appendingPathComponent("libcrashy.so").path)
    }

    static func isolatedLoader() -> PluginLoader {
        PluginLoader(
            logger: TestSupport.quietLogger,
            isolation: PluginLoader.Isolation(runnerExecutable: runner, isolates: PluginLoader.Isolation.fileNames(["*"])))
    }

    static func ask(_ component: PluginComponentHandle, _ text: String, deadlineMs: Int64? = nil) throws -> String {
        let request = ChatRequest(messages: [ChatMessage(role: "user", content: text)])
        let result = try component.invoke("provider.complete", request, as: ProviderResult.self, deadlineMs: deadlineMs)
        return result.response?.text ?? ""
    }

    /// An isolated crashy plugin whose runner's timers run on `clock`.
    static func manualRunner(in folder: URL, clock: ManualClock, logger: Logger = TestSupport.quietLogger) throws -> PluginComponentHandle {
        let path = try crashy(in: folder)
        let runner = try PluginRunner.launch(
            executable: runner, libraryPath: path, sourcePath: path, logger: logger, handler: nil, onCrash: nil, clock: .manual(clock))
        return PluginComponentHandle(descriptor: try #require(runner.descriptor.plugins.first), runner: runner)
    }

    /// Asks without blocking a thread; the answer, or the failure's kind.
    static func askAsync(_ component: PluginComponentHandle, _ text: String, deadlineMs: Int64) async -> Result<String, PluginCallError> {
        let request = ChatRequest(messages: [ChatMessage(role: "user", content: text)])
        do {
            let result = try await component.invokeAsync("provider.complete", request, as: ProviderResult.self, deadlineMs: deadlineMs)
            return .success(result.response?.text ?? "")
        } catch let error as PluginCallError {
            return .failure(error)
        } catch {
            return .failure(PluginCallError(.internal, message: "\(error)"))
        }
    }

    /// Awaits the runner serving again after `restarts` deaths (a real process starting).
    static func waitForRestart(_ runner: PluginRunner, restarts: Int) async {
        _ = await runner.status { $0.restarts >= restarts && $0.pid != nil }
    }

    static func pid(in answer: String) -> Int32? { answer.split(separator: " ").last.flatMap { Int32($0) } }

    @Test("a segfault and an abort each cost one call; the runner restarts and serves again")
    func crashAndRestart() async throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let component = try #require(try Self.isolatedLoader().load(path: Self.crashy(in: folder)).first)
        let runner = try #require(component.runner)

        let first = try Self.ask(component, "hello")
        let firstPID = try #require(Self.pid(in: first))
        #expect(firstPID != getpid(), "the plugin runs in another process")
        #expect(runner.status.pid == firstPID)

        #expect {
            try Self.ask(component, "please SEGV-NOW")
        } throws: { error in
            let failure = error as? PluginCallError
            return failure?.kind == .internal && failure?.message.contains("signal 11") == true
        }
        await Self.waitForRestart(runner, restarts: 1)
        #expect(runner.status.lastExit?.contains("signal 11") == true)
        let second = try Self.ask(component, "hello again")
        #expect(Self.pid(in: second) != firstPID, "a new runner answers")

        #expect(throws: PluginCallError.self) { try Self.ask(component, "ABORT-NOW please") }
        await Self.waitForRestart(runner, restarts: 2)
        #expect(runner.status.lastExit?.contains("signal 6") == true)
        #expect(try Self.ask(component, "still there?").hasPrefix("steady"))
    }

    @Test("a hung call is answered at its deadline; the silent runner is killed and replaced")
    func hangCostsTheDeadline() async throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock()
        let component = try Self.manualRunner(in: folder, clock: clock)
        let runner = try #require(component.runner)
        let hello = try await Self.askAsync(component, "hello", deadlineMs: clock.nowMs + 60_000).get()
        let before = try #require(Self.pid(in: hello))

        let hung = Task { await Self.askAsync(component, "HANG-NOW forever", deadlineMs: clock.nowMs + 300) }
        await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(300))
        // Answered when the clock passes the deadline, while the plugin still hangs.
        let outcome = await hung.value
        #expect((try? outcome.get()) == nil)
        if case .failure(let error) = outcome { #expect(error.kind == .deadline) }
        #expect(kill(before, 0) == 0, "within the grace period the runner lives")

        await clock.waitForSleepers(1)  // the hang grace
        clock.advance(by: .milliseconds(PluginRunner.hangGraceMs))
        let status = await runner.status { $0.restarts >= 1 && $0.lastExit != nil }
        #expect(status.lastExit?.contains("signal 9") == true)
        let helloAgain = try await Self.askAsync(component, "hello", deadlineMs: clock.nowMs + 60_000).get()
        let after = try #require(Self.pid(in: helloAgain))
        #expect(after != before)
        #expect(kill(before, 0) != 0, "the hung runner is gone")
    }

    @Test(
        "an isolated plugin hanging in on_stream_open holds none of the host's threads: 8 opens wait at once, each answered at its deadline",
        .timeLimit(.minutes(1)))
    func hungStreamOpenHoldsNoThread() async throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock()
        let component = try Self.manualRunner(in: folder, clock: clock)
        let runner = try #require(component.runner)
        let input = Array(#"{"messages":[{"role":"user","content":"HANG-NOW"}]}"#.utf8)
        // More opens than the concurrency pool has threads: a blocking open would hold them all,
        // and nothing below (not even the wait for the deadlines' timers) could run.
        let opens = (0..<8).map { _ in
            Task { () -> PluginCallError? in
                do throws(PluginCallError) {
                    _ = try await component.openStreamAsync(op: "provider.stream", input: input, deadlineMs: clock.nowMs + 300)
                    return nil
                } catch {
                    return error
                }
            }
        }
        await clock.waitForSleepers(8)
        clock.advance(by: .milliseconds(300))
        for open in opens {
            let error = await open.value
            #expect(error?.kind == .deadline, "\(String(describing: error))")
        }
        await clock.waitForSleepers(1)  // the hang grace
        clock.advance(by: .milliseconds(PluginRunner.hangGraceMs))
        let status = await runner.status { $0.restarts >= 1 && $0.lastExit != nil }
        #expect(status.lastExit?.contains("signal 9") == true, "the hung runner is killed and replaced")
    }

    @Test("8 calls in flight, one hung: only the hung call fails; the others finish in the old runner, new calls go to a new one")
    func hungCallFailsAlone() async throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock()
        let component = try Self.manualRunner(in: folder, clock: clock)
        let runner = try #require(component.runner)
        let oldPID = try #require(runner.status.pid)
        let gate = folder.appendingPathComponent("gate").path

        let others = (0..<7).map { index in
            Task { await Self.askAsync(component, "GATE:\(gate); call \(index)", deadlineMs: clock.nowMs + 60_000) }
        }
        let hung = Task { await Self.askAsync(component, "HANG-NOW", deadlineMs: clock.nowMs + 300) }
        await clock.waitForSleepers(8)
        clock.advance(by: .milliseconds(300))
        if case .failure(let error) = await hung.value { #expect(error.kind == .deadline) } else { Issue.record("the hung call answered") }
        await clock.waitForSleepers(8)  // seven calls' deadlines and the hang grace
        let replacing = ContinuousClock.now
        clock.advance(by: .milliseconds(PluginRunner.hangGraceMs))
        let replaced = await runner.status { $0.restarts >= 1 }
        let spawn = ContinuousClock.now - replacing
        let newPID = try #require(replaced.pid)
        #expect(newPID != oldPID)
        #expect(replaced.running)
        #expect(kill(oldPID, 0) == 0, "the old runner still serves its seven calls")
        // A new call goes to the new runner at once, while the old one still works.
        let fresh = try await Self.askAsync(component, "hello", deadlineMs: clock.nowMs + 60_000).get()
        #expect(Self.pid(in: fresh) == newPID)

        #expect(FileManager.default.createFile(atPath: gate, contents: Data()))
        var answered: [String] = []
        for call in others {
            switch await call.value {
            case .success(let text): answered.append(text)
            case .failure(let error): Issue.record("a call in flight failed: \(error)")
            }
        }
        #expect(answered.count == 7)
        #expect(answered.allSatisfy { Self.pid(in: $0) == oldPID }, "answered by the old runner")
        // Once only the hung call is left in it, the old runner is killed.
        let settled = await runner.status { $0.lastExit != nil }
        #expect(settled.lastExit?.contains("signal 9") == true)
        #expect(kill(oldPID, 0) != 0)
        #expect(settled.pid == newPID)
        let failed = 1 + (others.count - answered.count)
        print(
            "isolation figure: 8 calls in flight, 1 hung: \(failed) failed; new runner \(spawn) after the \(PluginRunner.hangGraceMs) ms grace"
        )
    }

    @Test("a stream open on an isolated plugin ends at its deadline; the runner stays")
    func streamDeadline() async throws {
        let clock = ManualClock()
        let path = TestSupport.bundledPlugin("VigorOpenAI")
        let runner = try PluginRunner.launch(
            executable: Self.runner, libraryPath: path, sourcePath: path, logger: TestSupport.quietLogger, handler: nil, onCrash: nil,
            clock: .manual(clock))
        let component = PluginComponentHandle(descriptor: try #require(runner.descriptor.plugins.first), runner: runner)
        let request = try WireJSON.encode(
            ChatRequest(model: "gpt-4o-mini", messages: [ChatMessage(role: "user", content: "hi")], stream: true))
        let stream = try component.openStream(op: "provider.stream", input: request, deadlineMs: clock.nowMs + 1_000)
        let first = Array("data: {\"choices\":[{\"delta\":{\"content\":\"Rest\"}}]}\n\n".utf8)
        #expect(stream.feed(first).contains { if case .delta = $0 { true } else { false } })
        #expect(stream.doneStatus == nil)

        clock.advance(by: .milliseconds(1_000))
        let late = stream.feed(first)
        #expect(late.contains { if case .error = $0 { true } else { false } })
        #expect(stream.doneStatus.map(PluginCallError.Kind.init(status:)) == .deadline)
        #expect(stream.failure == .deadline)
        #expect(stream.doneCount == 1)
        #expect(stream.feed(first).isEmpty, "nothing after done")

        let again = try component.openStream(op: "provider.stream", input: request, deadlineMs: clock.nowMs + 1_000)
        #expect(!again.feed(first).isEmpty)
        again.close()
        #expect(again.doneStatus == VIGOR_OK)
        #expect(again.failure == nil)
        #expect(runner.status.restarts == 0)
        runner.retire()
        _ = await runner.status { !$0.running }
    }

    /// The stream's watchdog runs on another executor and may not have started when the clock
    /// passes the deadline (under load it often had not: the test above then hung in its last
    /// wait, the stream holding the runner). Here it never wakes: time moves, sleeps never end.
    @Test("a stream step past the deadline closes the stream even before its watchdog has run")
    func streamExpiresWithoutItsWatchdog() async throws {
        let manual = ManualClock()
        let clock = VigorClock(now: { manual.now }, sleep: { _ in try await Task.sleep(for: .seconds(3_600)) })
        let path = TestSupport.bundledPlugin("VigorOpenAI")
        let runner = try PluginRunner.launch(
            executable: Self.runner, libraryPath: path, sourcePath: path, logger: TestSupport.quietLogger, handler: nil, onCrash: nil,
            clock: clock)
        let component = PluginComponentHandle(descriptor: try #require(runner.descriptor.plugins.first), runner: runner)
        let request = try WireJSON.encode(
            ChatRequest(model: "gpt-4o-mini", messages: [ChatMessage(role: "user", content: "hi")], stream: true))
        let first = Array("data: {\"choices\":[{\"delta\":{\"content\":\"Rest\"}}]}\n\n".utf8)
        for step in ["feed", "close"] {
            let stream = try component.openStream(op: "provider.stream", input: request, deadlineMs: clock.nowMs + 1_000)
            #expect(!stream.feed(first).isEmpty)
            manual.advance(by: .milliseconds(1_000))
            let late = step == "feed" ? stream.feed(first) : stream.close()
            #expect(late.contains { if case .error = $0 { true } else { false } }, "\(step)")
            #expect(stream.failure == .deadline, "\(step)")
            // Required: a stream left open would hold the runner, and the wait below would never end.
            try #require(runner.state.withLock { $0.streams.isEmpty }, "the \(step) past the deadline closed the stream")
        }
        runner.retire()
        _ = await runner.status { !$0.running }
    }

    @Test("runner output reaches the host's logger, one record per line, with the plugin's name")
    func runnerLogsThroughTheHostLogger() async throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorder = LogRecorder()
        let logger = Logger(label: "vigor.test") { _ in RecordingLogHandler(recorder: recorder) }
        let component = try Self.manualRunner(in: folder, clock: ManualClock(), logger: logger)
        let pid = try #require(component.runner?.status.pid)
        #expect(try Self.ask(component, "CHATTY-NOW").hasPrefix("steady"))
        let line = await recorder.first { $0.message.contains("must not break the runner's protocol") }
        #expect(line.metadata["plugin"] == "dev.test.crashy")
        #expect(line.metadata["pid"] == "\(pid)")
        #expect(line.level == .notice)
        component.runner?.retire()
    }

    @Test("calls in flight on other threads fail with the crash; none hangs; later calls succeed")
    func concurrentCallsDuringACrash() async throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let component = try #require(try Self.isolatedLoader().load(path: Self.crashy(in: folder)).first)
        let runner = try #require(component.runner)
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let text = index == 20 ? "SEGV-NOW" : "hello \(index)"
                    return
                        (try? await component.invokeAsync(
                            "provider.complete", ChatRequest(messages: [ChatMessage(role: "user", content: text)]), as: ProviderResult.self))
                        != nil
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count == 40)
        #expect(outcomes.contains(false))
        await Self.waitForRestart(runner, restarts: 1)
        #expect(try Self.ask(component, "after").hasPrefix("steady"))
    }

    @Test("a runner inherits only stdin, stdout and stderr, not the host's other descriptors")
    func runnerInheritsNoDescriptors() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Opened without close-on-exec, as Foundation's `Process` does for its child's end of a
        // socket pair: if a runner kept it, that other child's exit would go unnoticed.
        let marker = folder.appendingPathComponent("inheritable-marker").path
        let fd = open(marker, O_CREAT | O_RDWR, 0o600)
        try #require(fd >= 0)
        defer { close(fd) }
        let component = try #require(try Self.isolatedLoader().load(path: Self.crashy(in: folder)).first)
        let pid = try #require(Self.pid(in: try Self.ask(component, "hello")))
        let links = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")
        }
        #expect(!links.isEmpty, "the runner's descriptors are readable")
        #expect(!links.contains(marker), "the runner holds the host's descriptor: \(links)")
    }

    @Test("plugin output on stdout does not corrupt the runner's pipe")
    func stdoutChatter() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let component = try #require(try Self.isolatedLoader().load(path: Self.crashy(in: folder)).first)
        #expect(try Self.ask(component, "CHATTY-NOW").hasPrefix("steady"))
        #expect(try Self.ask(component, "CHATTY-NOW twice").hasPrefix("steady"))
        #expect(component.runner?.status.restarts == 0)
    }

    @Test("a file the runner cannot load is rejected with the in-process loader's code")
    func rejectionCarriesTheCode() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("libtext.so")
        try Data("not a library".utf8).write(to: text)
        #expect {
            try Self.isolatedLoader().load(path: text.path)
        } throws: { error in
            (error as? PluginRejection)?.code == .notSharedLibrary
        }
    }

    @Test("a Swift provider answers the same isolated as in-process: translate calls and a recorded stream")
    func providerParity() throws {
        let path = TestSupport.bundledPlugin("VigorOpenAI")
        let local = try #require(try PluginLoader(logger: TestSupport.quietLogger).load(path: path).first)
        let remote = try #require(try Self.isolatedLoader().load(path: path).first)
        #expect(remote.runner != nil && local.runner == nil)
        #expect(remote.descriptor == local.descriptor)

        let request = ChatRequest(
            model: "gpt-4o-mini", messages: [ChatMessage(role: "user", content: "How many rest days do I need?")], stream: true)
        let input = BuildRequestInput(request: request, baseURL: "https://api.openai.com")
        let built = try local.invoke("provider.build_request", input, as: UpstreamRequest.self)
        #expect(try remote.invoke("provider.build_request", input, as: UpstreamRequest.self) == built)

        let sse = try Data(contentsOf: TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/providers/openai/stream_usage.sse"))
        func events(_ component: PluginComponentHandle) throws -> ([StreamEvent], Int32?, Int) {
            let stream = try component.openStream(op: "provider.stream", input: WireJSON.encode(request))
            var out: [StreamEvent] = []
            for chunk in Array(sse).chunks(of: 37) { out += stream.feed(Array(chunk)) }
            out += stream.close()
            return (out, stream.doneStatus, stream.doneCount)
        }
        let (expected, expectedStatus, _) = try events(local)
        let (received, status, doneCount) = try events(remote)
        #expect(!expected.isEmpty)
        #expect(received == expected)
        #expect(status == expectedStatus)
        #expect(doneCount == 1)
    }

    @Test("replacing an isolated plugin retires the old runner process once it is idle")
    func retireOnReplace() async throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugins = folder.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        _ = try Self.crashy(in: plugins)
        let registry = PluginRegistry(loader: Self.isolatedLoader())
        registry.scan(directory: plugins.path)
        let old = try #require(registry.component(id: "dev.test.crashy")?.runner)
        let oldPID = try #require(old.status.pid)

        // A new build of the same file (new inode) replaces it.
        let staging = try Self.crashy(in: folder)
        #expect(rename(staging, plugins.appendingPathComponent("libcrashy.so").path) == 0)
        let report = registry.scan(directory: plugins.path)
        #expect(report.changed == ["dev.test.crashy"])
        let fresh = try #require(registry.component(id: "dev.test.crashy")?.runner)
        #expect(fresh !== old)
        #expect(!(await old.status { !$0.running }).running, "the retired runner exits")
        #expect(old.status.restarts == 0, "retiring is not a crash")
        #expect(kill(oldPID, 0) != 0, "its process is gone")
        #expect(fresh.status.running)
    }
}

extension Array {
    fileprivate func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

/// Every record logged through ``RecordingLogHandler``s, and a way to await one.
final class LogRecorder: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private struct State {
        var records: [Record] = []
        var waiters: [(@Sendable (Record) -> Bool, CheckedContinuation<Record, Never>)] = []
    }

    private let state = Mutex(State())

    func append(_ record: Record) {
        let woken = state.withLock { s -> [CheckedContinuation<Record, Never>] in
            s.records.append(record)
            let ready = s.waiters.filter { $0.0(record) }.map(\.1)
            s.waiters.removeAll { $0.0(record) }
            return ready
        }
        for continuation in woken { continuation.resume(returning: record) }
    }

    /// The first record (logged already or to come) that matches.
    func first(where match: @escaping @Sendable (Record) -> Bool) async -> Record {
        await withCheckedContinuation { continuation in
            let found = state.withLock { s -> Record? in
                if let record = s.records.first(where: match) { return record }
                s.waiters.append((match, continuation))
                return nil
            }
            if let found { continuation.resume(returning: found) }
        }
    }
}

/// A log handler that hands every record, with its merged metadata, to a ``LogRecorder``.
struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        recorder.append(.init(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }
}
