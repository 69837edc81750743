import Foundation
import Testing
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

/// Crash isolation: a plugin in a `vigor plugin-runner` child process, through the real
/// `vigor` executable. A crash or hang there costs the calls in flight an error; the runner
/// is restarted and this (host) process is untouched.
@Suite("Crash isolation (vigor plugin-runner)", .serialized)
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

    /// Waits (bounded) until the runner is serving again after a death.
    static func waitForRestart(_ runner: PluginRunner, restarts: Int) async throws {
        for _ in 0..<200 {
            let status = runner.status
            if status.restarts >= restarts && status.running { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("runner did not restart: \(runner.status)")
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
            return failure?.status == VIGOR_ERR_INTERNAL && failure?.message.contains("signal 11") == true
        }
        try await Self.waitForRestart(runner, restarts: 1)
        #expect(runner.status.lastExit?.contains("signal 11") == true)
        let second = try Self.ask(component, "hello again")
        #expect(Self.pid(in: second) != firstPID, "a new runner answers")

        #expect(throws: PluginCallError.self) { try Self.ask(component, "ABORT-NOW please") }
        try await Self.waitForRestart(runner, restarts: 2)
        #expect(runner.status.lastExit?.contains("signal 6") == true)
        #expect(try Self.ask(component, "still there?").hasPrefix("steady"))
    }

    @Test("a hung call is answered at its deadline; the silent runner is killed and replaced")
    func hangCostsTheDeadline() async throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let component = try #require(try Self.isolatedLoader().load(path: Self.crashy(in: folder)).first)
        let runner = try #require(component.runner)
        let before = try #require(Self.pid(in: try Self.ask(component, "hello")))

        let started = Date()
        let deadline = Int64(Date().timeIntervalSince1970 * 1000) + 300
        #expect {
            try Self.ask(component, "HANG-NOW forever", deadlineMs: deadline)
        } throws: { error in
            (error as? PluginCallError)?.status == VIGOR_ERR_DEADLINE
        }
        let waited = Date().timeIntervalSince(started)
        #expect(waited < 2.0, "the caller is answered at the deadline, not when the plugin returns (waited \(waited) s)")
        try await Self.waitForRestart(runner, restarts: 1)
        #expect(runner.status.lastExit?.contains("signal 9") == true)
        let after = try #require(Self.pid(in: try Self.ask(component, "hello")))
        #expect(after != before)
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
        try await Self.waitForRestart(runner, restarts: 1)
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
        for _ in 0..<100 where old.status.running { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!old.status.running, "the retired runner exits")
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
