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
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// A readable report: one line per check, then a summary line.
    public var text: String {
        var lines = ["vigor plugin check \(path)"]
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

    public init(threads: Int = 8, callsPerThread: Int = 25) {
        self.threads = threads
        self.callsPerThread = callsPerThread
    }

    public func run(path: String) -> ConformanceReport {
        var checks: [ConformanceCheck] = []
        func record(_ name: String, _ passed: Bool, _ detail: String = "") {
            checks.append(ConformanceCheck(name: name, passed: passed, detail: detail))
        }
        var logger = Logger(label: "vigor.plugin-check")
        logger.logLevel = .error
        let components: [PluginComponentHandle]
        do {
            components = try PluginLoader(logger: logger, handler: CheckerServices(), clock: { Date() }).load(path: path)
            record("load: compatibility record, negotiation, on_init", true)
            record("descriptor: valid JSON, ids, versions, kinds", true, components.map(\.descriptor.id).joined(separator: ", "))
        } catch {
            record("load", false, error.description)
            return ConformanceReport(path: path, checks: checks)
        }
        checks += LibraryChecks(path: path).all()
        for component in components {
            for check in ComponentChecks(component: component, suite: self).all() {
                checks.append(check)
            }
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
