import Foundation
import Logging
import Synchronization
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

/// The outcome of one conformance check.
public struct ConformanceCheck: Sendable, Codable, Hashable {
    public var name: String
    public var passed: Bool
    public var detail: String
}

/// The whole report for one plugin file.
public struct ConformanceReport: Sendable, Codable {
    public var path: String
    public var checks: [ConformanceCheck]
    /// Whether the suite ran the plugin in a `vigor plugin-runner` child process (`--isolated`).
    public var isolated = false
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// A readable report: one line per check, then a summary line.
    public var text: String {
        var lines = ["vigor plugin check \(isolated ? "--isolated " : "")\(path)"]
        for check in checks {
            lines.append("  \(check.passed ? "PASS" : "FAIL")  \(check.name)\(check.detail.isEmpty ? "" : " — \(check.detail)")")
        }
        let failed = checks.filter { !$0.passed }.count
        lines.append("\(checks.count - failed) passed, \(failed) failed")
        return lines.joined(separator: "\n")
    }
}

/// Runs the conformance suite against any plugin `.so`: the compatibility record and
/// negotiation (including the plugin refusing host versions it cannot serve), the descriptor,
/// every operation with valid and malformed input, unknown operations, streams (done exactly
/// once on success, error and cancel), pre-cancelled calls, concurrent calls, and output
/// buffers released through their own free function.
public struct ConformanceSuite: Sendable {
    public var threads: Int
    public var callsPerThread: Int
    /// When set, the plugin is loaded in a `vigor plugin-runner` child process started from
    /// this executable, and every operation is called there: a plugin that crashes or hangs
    /// fails its checks (and the runner is restarted) instead of taking the checker down.
    /// The library-level checks (negotiation with other host versions, buffer ownership) need
    /// the library in this process and are left out.
    public var runnerExecutable: String?
    /// The deadline given to each call of an isolated run, so a hung plugin costs a bounded time.
    public var isolatedCallTimeoutMs: Int64

    public init(threads: Int = 8, callsPerThread: Int = 25, runnerExecutable: String? = nil, isolatedCallTimeoutMs: Int64 = 5_000) {
        self.threads = threads
        self.callsPerThread = callsPerThread
        self.runnerExecutable = runnerExecutable
        self.isolatedCallTimeoutMs = isolatedCallTimeoutMs
    }

    /// The deadline for one call: none in-process, ``isolatedCallTimeoutMs`` from now when isolated.
    func callDeadline() -> Int64? {
        runnerExecutable == nil ? nil : Int64(Date().timeIntervalSince1970 * 1000) + isolatedCallTimeoutMs
    }

    public func run(path: String) -> ConformanceReport {
        var report = runChecks(path: path)
        report.isolated = runnerExecutable != nil
        return report
    }

    func runChecks(path: String) -> ConformanceReport {
        var checks: [ConformanceCheck] = []
        func record(_ name: String, _ passed: Bool, _ detail: String = "") {
            checks.append(ConformanceCheck(name: name, passed: passed, detail: detail))
        }
        var logger = Logger(label: "vigor.plugin-check")
        logger.logLevel = .error
        let components: [PluginComponentHandle]
        do {
            let isolation = runnerExecutable.map { PluginLoader.Isolation(runnerExecutable: $0, isolates: { _ in true }) }
            components = try PluginLoader(logger: logger, handler: CheckerServices(), clock: { Date() }, isolation: isolation).load(
                path: path)
            record("load: compatibility record, negotiation, on_init", true)
            record("descriptor: valid JSON, ids, versions, kinds", true, components.map(\.descriptor.id).joined(separator: ", "))
        } catch {
            record("load", false, error.description)
            return ConformanceReport(path: path, checks: checks)
        }
        if runnerExecutable == nil { checks += LibraryChecks(path: path).all() }
        for component in components {
            for check in ComponentChecks(component: component, suite: self).all() {
                checks.append(check)
            }
        }
        if let runner = components.first?.runner {
            let status = runner.status
            record(
                "isolation: the plugin never crashed or hung its runner", status.restarts == 0,
                status.restarts == 0
                    ? "one runner process served every call"
                    : "runner restarted \(status.restarts)×; last exit: \(status.lastExit ?? "unknown")")
            runner.retire()
        }
        return ConformanceReport(path: path, checks: checks)
    }
}

/// A host for conformance runs: HTTP answers 503 (no network), LLM answers a fixed text.
struct CheckerServices: HostServiceHandler {
    func complete(_ request: ChatRequest, call: CallInfo?, plugin: String) async throws -> ChatResponse {
        ChatResponse(text: "{}", model: "mock", usage: TokenUsage(promptTokens: 1, completionTokens: 1))
    }

    func http(_ request: UpstreamRequest, call: CallInfo?, plugin: String, allowedHosts: [String]) async throws -> UpstreamResponse {
        UpstreamResponse(status: 503, body: "{\"error\":\"mock host has no network\"}")
    }
}
