import Foundation
import Synchronization
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

/// The checks run on one component, chosen by its kind and capabilities.
struct ComponentChecks {
    let component: PluginComponentHandle
    let suite: ConformanceSuite
    /// What is left of the time the checks may spend waiting for restarts, all calls together.
    private let restartWait = RestartWait()

    /// Shared by the checks' threads: the milliseconds of waiting for restarts still allowed.
    /// A plugin in a crash loop (its restarts backing off) then costs the run a bounded time
    /// instead of one wait per call (the concurrency check alone makes 200 calls).
    private final class RestartWait: Sendable {
        let leftMs = Atomic<Int64>(ComponentChecks.restartWaitBudgetMs)
    }

    /// The most all of one component's checks wait for restarts.
    static let restartWaitBudgetMs: Int64 = 20_000

    var id: String { component.descriptor.id }

    /// The deadline for one call, after ``waitForRunner()``.
    func callDeadline() -> Int64? {
        waitForRunner()
        return suite.callDeadline()
    }

    /// Before each call to an isolated plugin: if its runner crashed and is being restarted,
    /// waits (up to ``ConformanceSuite/isolatedCallTimeoutMs``) until the new one serves, so
    /// the checks after a crash test the plugin, not the restart (they would fail as
    /// "restarting" in the milliseconds a new runner takes to start). All the waits of one
    /// component together stop at ``restartWaitBudgetMs``.
    func waitForRunner() {
        guard let runner = component.runner else { return }
        let started = ContinuousClock.now
        let giveUp = started + .milliseconds(min(suite.isolatedCallTimeoutMs, restartWait.leftMs.load(ordering: .relaxed)))
        while case let status = runner.status, status.pid == nil, status.restarts > 0, ContinuousClock.now < giveUp {
            Thread.sleep(forTimeInterval: 0.002)
        }
        let waitedMs = Int64((ContinuousClock.now - started) / .milliseconds(1))
        if waitedMs > 0 { restartWait.leftMs.subtract(waitedMs, ordering: .relaxed) }
    }

    /// A valid sample input for the component's main operation.
    var validCall: (op: String, input: [UInt8])? { Self.sampleCall(for: component.descriptor) }

    /// A valid sample input for a component's main operation, chosen by its kind.
    static func sampleCall(for descriptor: ComponentDescriptor) -> (op: String, input: [UInt8])? {
        let chat = ChatRequest(
            model: descriptor.models.first?.id ?? "",
            messages: [
                ChatMessage(role: "system", content: "You are a fitness coach."),
                ChatMessage(role: "user", content: "How many rest days should I take each week?"),
            ], maxTokens: 256)
        switch descriptor.kind {
        case .llmProvider where descriptor.capabilities.offline:
            return ("provider.complete", (try? WireJSON.encode(chat)) ?? [])
        case .llmProvider:
            let input = BuildRequestInput(request: chat, baseURL: descriptor.defaultBaseURL ?? "https://example.invalid")
            return ("provider.build_request", (try? WireJSON.encode(input)) ?? [])
        case .planGenerator:
            let sample =
                #"{"schema":1,"profile":{"fitness_level":"beginner","goals":["general_fitness"],"equipment":["body_only"],"days_per_week":3,"session_minutes":45},"request":{},"feedback":[]}"#
            return ("generator.generate", Array(sample.utf8))
        }
    }

    func all() -> [ConformanceCheck] {
        var checks: [ConformanceCheck] = []
        func record(_ name: String, _ passed: Bool, _ detail: String = "") {
            checks.append(ConformanceCheck(name: "\(id): \(name)", passed: passed, detail: detail))
        }
        guard let valid = validCall else { return checks }

        // Valid input gives a JSON object.
        var reference: [UInt8] = []
        do {
            reference = try component.invoke(op: valid.op, input: valid.input, deadlineMs: callDeadline())
            let problem = OutputSchema.problem(op: valid.op, output: reference, descriptor: component.descriptor)
            record("\(valid.op) with valid input returns output matching its schema", problem == nil, problem ?? "")
            if valid.op == "provider.build_request", let request = try? JSONDecoder().decode(UpstreamRequest.self, from: Data(reference)) {
                let host = URL(string: request.url)?.host ?? ""
                let allowed =
                    component.descriptor.allowedHosts.contains { HostAllowList.matches(host, pattern: $0) }
                    || component.descriptor.defaultBaseURL == nil
                record("upstream URL host is in allowed_hosts", allowed, "url \(request.url)")
            }
        } catch {
            record("\(valid.op) with valid input returns output matching its schema", false, error.description)
        }
        if valid.op == "provider.build_request" {
            if !reference.isEmpty { checks += buildRequestChecks(reference: reference) }
            checks += parseResponseChecks()
        }

        // Malformed input is refused with an error status, never a crash.
        let malformed: [(String, [UInt8])] = [
            ("empty buffer", []),
            ("truncated JSON", Array(valid.input.prefix(max(1, valid.input.count / 2)))),
            ("wrong types", Array(#"{"schema":"one","messages":42,"profile":[],"request":7}"#.utf8)),
            ("not JSON", Array("\u{1}\u{2}garbage\u{FF}".utf8)),
            (
                "huge string",
                Array(
                    ("{\"schema\":1,\"messages\":[{\"role\":\"user\",\"content\":\"" + String(repeating: "x", count: 2_000_000)
                        + "\"}],\"x\":").utf8)
            ),
        ]
        for (name, input) in malformed {
            do {
                _ = try component.invoke(op: valid.op, input: input, deadlineMs: callDeadline())
                record("\(valid.op) refuses \(name)", false, "returned VIGOR_OK")
            } catch {
                record("\(valid.op) refuses \(name)", error.status != VIGOR_OK, "status \(error.status)")
            }
        }

        // Unknown operations are VIGOR_ERR_UNSUPPORTED.
        do {
            _ = try component.invoke(op: "vigor.no_such_op", input: valid.input, deadlineMs: callDeadline())
            record("unknown op is unsupported", false, "returned VIGOR_OK")
        } catch {
            record("unknown op is unsupported", error.status == VIGOR_ERR_UNSUPPORTED, "status \(error.status)")
        }

        // A call cancelled before it starts is not served. (In-process only: a runner's call
        // carries no cancel flag until the host sends `cancel`.)
        if component.runner == nil {
            let flag = CancelFlag()
            flag.cancel()
            do {
                _ = try component.invoke(op: valid.op, input: valid.input, cancelled: flag)
                record("pre-cancelled call is refused", false, "returned VIGOR_OK")
            } catch {
                let ok = error.status == VIGOR_ERR_CANCELLED || error.status == VIGOR_ERR_DEADLINE
                record("pre-cancelled call is refused", ok, "status \(error.status)")
            }
        }
        waitForRunner()
        do {
            _ = try component.invoke(op: valid.op, input: valid.input, deadlineMs: 1)
            record("expired deadline is refused", false, "returned VIGOR_OK")
        } catch {
            let ok = error.status == VIGOR_ERR_CANCELLED || error.status == VIGOR_ERR_DEADLINE
            record("expired deadline is refused", ok, "status \(error.status)")
        }

        checks += concurrency(valid: valid, reference: reference)
        if component.descriptor.capabilities.streaming { checks += streams() + streamEventChecks() }
        return checks
    }

    /// Many threads call at once; every call must succeed with the same (deterministic) output.
    func concurrency(valid: (op: String, input: [UInt8]), reference: [UInt8]) -> [ConformanceCheck] {
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for _ in 0..<suite.threads {
            group.enter()
            Thread {
                for _ in 0..<suite.callsPerThread {
                    do {
                        let out = try component.invoke(op: valid.op, input: valid.input, deadlineMs: callDeadline())
                        if out != reference { failures.withLock { $0.append("output differs between calls") } }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
                group.leave()
            }.start()
        }
        group.wait()
        let found = failures.withLock { $0 }
        return [
            ConformanceCheck(
                name: "\(id): \(suite.threads * suite.callsPerThread) concurrent calls from \(suite.threads) threads",
                passed: found.isEmpty,
                detail: found.first ?? "")
        ]
    }

    /// Streams: done exactly once at the end of input, on garbage, and on cancel.
    func streams() -> [ConformanceCheck] {
        let request = (try? WireJSON.encode(ChatRequest(messages: [ChatMessage(role: "user", content: "hi")], stream: true))) ?? []
        var checks: [ConformanceCheck] = []
        let cases: [(String, [UInt8], vigor_status)] = [
            ("end of input", [], VIGOR_OK),
            ("garbage input", Array("data: {not json\n\n\u{0}\u{FF}".utf8), VIGOR_OK),
            ("cancel", Array("data: ".utf8), VIGOR_ERR_CANCELLED),
        ]
        for (name, bytes, closeStatus) in cases {
            waitForRunner()
            do {
                let stream = try component.openStream(op: "provider.stream", input: request)
                _ = stream.feed(bytes)
                stream.close(status: closeStatus, message: closeStatus == VIGOR_OK ? "" : "cancelled by checker")
                let expectation = closeStatus == VIGOR_OK ? true : stream.doneStatus == closeStatus
                checks.append(
                    ConformanceCheck(
                        name: "\(id): stream on_done exactly once (\(name))", passed: stream.doneCount == 1 && expectation,
                        detail: "on_done called \(stream.doneCount)×, status \(stream.doneStatus.map(String.init) ?? "none")"))
            } catch {
                checks.append(ConformanceCheck(name: "\(id): stream opens (\(name))", passed: false, detail: error.description))
            }
        }
        return checks
    }
}
