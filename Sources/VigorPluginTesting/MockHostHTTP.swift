import Foundation
import Synchronization
import VigorPluginAPI
import VigorPluginSDK

/// Scripted `vigor.http/1` for a ``MockPluginHost``: the answers the "network" gives.
///
/// Rules are tried in the order they were added; the first that matches and has uses left
/// answers. A request no rule matches fails with `VIGOR_ERR_UNAVAILABLE` and a message
/// saying what was asked. Every request the host received is kept in ``requests``.
///
/// ```swift
/// host.http.script(url: "https://api.example.com/v1/chat", status: 429, body: "{}", times: 1)
/// host.http.script(url: "https://api.example.com/v1/chat", try fixtures.response("success.json"))
/// ```
public final class MockHTTP: Sendable {
    /// Answers one request: a response (any HTTP status), or a thrown ``PluginError`` for a
    /// transport failure (timeout, refused connection). Other errors become `VIGOR_ERR_UNAVAILABLE`.
    public typealias Responder = @Sendable (UpstreamRequest) throws -> UpstreamResponse

    struct Rule: Sendable {
        var label: String
        var matches: @Sendable (UpstreamRequest) -> Bool
        var respond: Responder
        var remaining: Int?
    }

    private let state = Mutex<(rules: [Rule], requests: [UpstreamRequest])>(([], []))

    init() {}

    /// Answers requests to exactly `url` (any method) with `response`, `times` times (nil: always).
    public func script(url: String, _ response: UpstreamResponse, times: Int? = nil) {
        add(Rule(label: url, matches: { $0.url == url }, respond: { _ in response }, remaining: times))
    }

    /// Answers requests to exactly `url` with a response built from its parts.
    public func script(url: String, status: Int = 200, headers: [[String]] = [], body: String, times: Int? = nil) {
        script(url: url, UpstreamResponse(status: status, headers: headers, body: body), times: times)
    }

    /// Answers requests `matches` accepts with whatever `respond` returns (or throws).
    public func script(
        where matches: @escaping @Sendable (UpstreamRequest) -> Bool, times: Int? = nil, respond: @escaping Responder
    ) {
        add(Rule(label: "predicate", matches: matches, respond: respond, remaining: times))
    }

    /// Makes requests to `url` fail as a transport error would (default: refused connection).
    public func fail(url: String, _ error: PluginError = .unavailable("connection refused"), times: Int? = nil) {
        add(Rule(label: url, matches: { $0.url == url }, respond: { _ in throw error }, remaining: times))
    }

    /// Replays a recorded exchange: its response answers requests with the recorded method and
    /// URL (any request when the recording has none).
    public func replay(_ exchange: RecordedExchange, times: Int? = nil) {
        let recorded = exchange.request
        add(
            Rule(
                label: recorded.map { "\($0.method) \($0.url)" } ?? "recorded exchange",
                matches: { request in
                    guard let recorded else { return true }
                    return recorded.url == request.url && recorded.method.uppercased() == request.method.uppercased()
                }, respond: { _ in exchange.response }, remaining: times))
    }

    /// Every request received, in order (as the plugin sent it: secrets are not injected).
    public var requests: [UpstreamRequest] { state.withLock { $0.requests } }

    /// Forgets every rule and recorded request.
    public func reset() { state.withLock { $0 = ([], []) } }

    private func add(_ rule: Rule) { state.withLock { $0.rules.append(rule) } }

    /// Serves one request: records it and picks the first matching rule with uses left.
    func handle(_ request: UpstreamRequest) throws(PluginError) -> UpstreamResponse {
        // Predicates run outside the lock (they may look at this mock); uses are taken under it.
        let rules = state.withLock { s in
            s.requests.append(request)
            return s.rules
        }
        let matching = rules.indices.filter { rules[$0].matches(request) }
        let rule = state.withLock { s -> Rule? in
            for index in matching where index < s.rules.count && (s.rules[index].remaining ?? 1) > 0 {
                if let remaining = s.rules[index].remaining { s.rules[index].remaining = remaining - 1 }
                return s.rules[index]
            }
            return nil
        }
        guard let rule else {
            throw PluginError.unavailable(
                "mock host: no scripted HTTP response for \(request.method) \(request.url) (use host.http.script)")
        }
        do {
            return try rule.respond(request)
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError.unavailable("\(error)")
        }
    }
}
