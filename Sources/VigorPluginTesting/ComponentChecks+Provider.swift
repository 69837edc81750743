import Foundation
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

/// The checks of an upstream-backed provider beyond its first operation: what it builds,
/// what it makes of upstream answers (`provider.parse_response`), and the events its stream
/// parser emits — each output checked against its schema (``OutputSchema``).
extension ComponentChecks {
    /// A chat request as the host sends it (the host fills `model` from the catalogue).
    var sampleChat: ChatRequest {
        ChatRequest(
            model: component.descriptor.models.first?.id ?? "",
            messages: [
                ChatMessage(role: "system", content: "You are a fitness coach."),
                ChatMessage(role: "user", content: "How many rest days should I take each week?"),
            ], maxTokens: 256)
    }

    /// build_request's output: the schema, the secrets it injects, the streaming form.
    func buildRequestChecks(reference: [UInt8]) -> [ConformanceCheck] {
        var checks: [ConformanceCheck] = []
        let d = component.descriptor
        let problem = OutputSchema.upstreamRequestProblem(reference, descriptor: d)
        checks.append(named("provider.build_request output matches the upstream-request schema", problem == nil, problem ?? ""))
        if !d.secrets.isEmpty, let request = try? WireJSON.decode(UpstreamRequest.self, from: reference) {
            let used = Set(request.secretHeaders.map(\.secret))
            let unused = d.secrets.filter { !used.contains($0) }
            checks.append(
                named(
                    "provider.build_request injects its declared secrets through secret_headers", unused.isEmpty,
                    unused.isEmpty
                        ? request.secretHeaders.map { "\($0.name): \($0.prefix.isEmpty ? "" : "\"\($0.prefix)\" + ")\($0.secret)" }
                            .joined(separator: ", ")
                        : "declares \(unused.joined(separator: ", ")) but no secret_headers entry names it: the upstream would get no credentials"
                ))
        }
        if d.capabilities.streaming {
            var chat = sampleChat
            chat.stream = true
            let input = (try? WireJSON.encode(BuildRequestInput(request: chat, baseURL: baseURL))) ?? []
            do {
                let out = try component.invoke(op: "provider.build_request", input: input, deadlineMs: callDeadline())
                let problem = OutputSchema.upstreamRequestProblem(out, descriptor: d)
                checks.append(
                    named("provider.build_request with request.stream=true (streaming) matches the schema", problem == nil, problem ?? ""))
            } catch {
                checks.append(
                    named("provider.build_request with request.stream=true (streaming) matches the schema", false, error.description))
            }
        }
        return checks
    }

    var baseURL: String { component.descriptor.defaultBaseURL ?? "https://example.invalid" }

    /// Upstream answers the parser must turn into a provider result (VIGOR_OK), and what kind
    /// of result each must be: nil = either, otherwise the error kind (or "error": any kind).
    static let upstreamAnswers: [(name: String, status: Int, headers: [[String]], body: String, expect: String?)] = [
        (
            "a 200 Chat-Completions-style answer", 200, [["content-type", "application/json"]],
            #"{"id":"x","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Two."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1}}"#,
            nil
        ),
        ("a 200 answer whose body is not JSON", 200, [["content-type", "text/plain"]], "this is not JSON", nil),
        ("a 200 answer with an empty body", 200, [], "", nil),
        ("a 401 answer", 401, [["content-type", "application/json"]], #"{"error":{"message":"invalid api key"}}"#, "auth"),
        (
            "a 429 answer with retry-after", 429, [["content-type", "application/json"], ["retry-after", "2"]],
            #"{"error":{"message":"slow down"}}"#, "rate_limited"
        ),
        ("a 500 answer", 500, [], "upstream exploded", "error"),
        ("a 503 answer with an HTML body", 503, [["content-type", "text/html"]], "<html><body>Service Unavailable</body></html>", "error"),
    ]

    /// `provider.parse_response` on upstream answers (each must be a valid provider result,
    /// errors as `error` objects) and on malformed input (refused with an error status).
    func parseResponseChecks() -> [ConformanceCheck] {
        var checks: [ConformanceCheck] = []
        let op = "provider.parse_response"
        for answer in Self.upstreamAnswers {
            let input = UpstreamResponse(status: answer.status, headers: answer.headers, body: answer.body, request: sampleChat)
            let name = "\(op) on \(answer.name) returns a valid provider result"
            do {
                let out = try component.invoke(op: op, input: WireJSON.encode(input), deadlineMs: callDeadline())
                if let problem = OutputSchema.providerResultProblem(out) {
                    checks.append(named(name, false, "VIGOR_OK with invalid output: \(problem)"))
                    continue
                }
                let result = try WireJSON.decode(ProviderResult.self, from: out)
                switch answer.expect {
                case nil:
                    checks.append(named(name, true, result.error.map { "error \($0.kind.rawValue)" } ?? "response"))
                case "error":
                    checks.append(
                        named(
                            name, result.error != nil,
                            result.error.map { "error \($0.kind.rawValue)" }
                                ?? "an upstream HTTP \(answer.status) became a successful answer"))
                case let kind?:
                    let got = result.error?.kind.rawValue
                    checks.append(
                        named(
                            name, got == kind,
                            got == kind
                                ? "error \(kind)"
                                : "expected error kind \(kind) for HTTP \(answer.status), got \(got.map { "error \($0)" } ?? "a successful answer")"
                        ))
                }
                if let check = jsonBodyCheck(op, answer.name, input, expected: result) { checks.append(check) }
            } catch let error as PluginCallError {
                // A crash or a dead runner speaks for itself; a status the plugin chose gets the rule.
                let hint =
                    error.kind == .invalidInput || error.kind == .unsupported
                    ? " — an upstream answer, even an error, is a successful parse (VIGOR_OK with an \"error\" object)" : ""
                checks.append(named(name, false, error.description + hint))
            } catch {
                checks.append(named(name, false, "\(error)"))
            }
        }
        let valid = Array(
            (try? WireJSON.encode(UpstreamResponse(status: 200, body: "{}", request: sampleChat))) ?? [])
        let malformed: [(String, [UInt8])] = [
            ("empty buffer", []),
            ("truncated JSON", Array(valid.prefix(max(1, valid.count / 2)))),
            ("wrong types", Array(#"{"schema":1,"status":"two hundred","headers":7,"body":[]}"#.utf8)),
            ("not JSON", Array("\u{1}\u{2}garbage\u{FF}".utf8)),
        ]
        for (what, input) in malformed {
            do {
                let out = try component.invoke(op: op, input: input, deadlineMs: callDeadline())
                checks.append(named("\(op) refuses \(what)", false, "returned VIGOR_OK: \(OutputSchema.excerpt(out))"))
            } catch {
                checks.append(named("\(op) refuses \(what)", error.status != VIGOR_OK, "status \(error.status)"))
            }
        }
        return checks
    }

    /// For a component that declares `json_body` and an answer whose body is JSON: the same
    /// answer sent as `body_json`, the form the host uses then, must give the same result.
    func jsonBodyCheck(_ op: String, _ answer: String, _ input: UpstreamResponse, expected: ProviderResult) -> ConformanceCheck? {
        var body = input.body
        guard component.descriptor.capabilities.jsonBody, body.withUTF8({ WireParser.isValid($0, depth: 1) }) else { return nil }
        let name = "\(op) on \(answer) sent as body_json gives the same result as body"
        do {
            let input = try WireJSON.encode(ParseResponseInput(input, jsonBody: true))
            let out = try component.invoke(op: op, input: input, deadlineMs: callDeadline())
            guard let result = try? WireJSON.decode(ProviderResult.self, from: out) else {
                return named(name, false, "invalid output: \(OutputSchema.excerpt(out))")
            }
            return named(name, result == expected, result == expected ? "same" : "body gave \(expected), body_json gave \(result)")
        } catch {
            return named(name, false, "\(error) (the descriptor declares json_body)")
        }
    }

    /// A Chat-Completions-style SSE body: two deltas, a finish, usage, `[DONE]`.
    static let sampleSSE = Array(
        ("data: {\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Rest \"}}]}\n\n"
            + "data: {\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"two days.\"}}]}\n\n"
            + "data: {\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}\n\n"
            + "data: [DONE]\n\n").utf8)

    /// The stream parser's events: every event it emits, on a plausible body and on garbage,
    /// must be a valid stream event (`{"type":…}`), and the stream ends with `on_done` once.
    func streamEventChecks() -> [ConformanceCheck] {
        var chat = sampleChat
        chat.stream = true
        let request = (try? WireJSON.encode(chat)) ?? []
        var checks: [ConformanceCheck] = []
        let bodies: [(String, [UInt8], Int)] = [
            ("a Chat-Completions-style SSE body in 7-byte pieces", Self.sampleSSE, 7),
            ("garbage", Array("data: {not json\n\ndata: \u{0}\u{FF}\n\nevent: x\n\n".utf8), 3),
        ]
        for (what, body, size) in bodies {
            let name = "provider.stream emits only valid events on \(what)"
            waitForRunner()
            do {
                let stream = try component.openStream(op: "provider.stream", input: request)
                var events: [StreamEvent] = []
                var offset = 0
                while offset < body.count {
                    events += stream.feed(Array(body[offset..<min(body.count, offset + size)]))
                    offset += size
                }
                events += stream.close(status: VIGOR_OK, message: "")
                let bad = stream.undecodable
                let summary = events.map(Self.describe).joined(separator: ", ")
                checks.append(
                    named(
                        name, bad == 0 && stream.doneCount == 1,
                        bad > 0
                            ? "\(bad) event(s) are not valid stream events ({\"type\":\"delta\",\"text\":…} and the others in docs/plugin-abi.md)"
                            : stream.doneCount != 1 ? "on_done called \(stream.doneCount)×" : (summary.isEmpty ? "no events" : summary)))
            } catch {
                checks.append(named(name, false, error.description))
            }
        }
        return checks
    }

    static func describe(_ event: StreamEvent) -> String {
        switch event {
        case .delta(let text): "delta \"\(text.prefix(20))\""
        case .usage(let u): "usage \(u.promptTokens)/\(u.completionTokens)"
        case .finish(let reason): "finish \(reason)"
        case .citations(let c): "citations ×\(c.count)"
        case .model(let m): "model \(m)"
        case .error(let e): "error \(e.kind.rawValue)"
        }
    }

    func named(_ name: String, _ passed: Bool, _ detail: String) -> ConformanceCheck {
        ConformanceCheck(name: "\(id): \(name)", passed: passed, detail: detail)
    }
}
