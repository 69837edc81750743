import Foundation
import Testing
import VigorPluginSDK

/// The SDK's provider kit: the one `retry-after` parser, key redaction, base URLs, the
/// default status mapping and the SSE stream skeleton every bundled provider uses.
@Suite("Provider kit")
struct ProviderKitTests {
    /// 2015-10-21 07:27:30 GMT: thirty seconds before the RFC example date.
    static let now = Date(timeIntervalSince1970: 1_445_412_450)
    static let kit = ProviderKit(provider: "acme", defaultBaseURL: "https://api.acme.test", now: { ProviderKitTests.now })

    static func response(_ status: Int, _ headers: [[String]]) -> UpstreamResponse {
        UpstreamResponse(status: status, headers: headers, body: "")
    }

    @Test(
        "retry-after: delta seconds, retry-after-ms first, three HTTP-date forms on the given clock",
        arguments: [
            ([["retry-after", "20"]], 20_000),
            ([["Retry-After", " 1.5 "]], 1_500),
            ([["retry-after", "0"]], 0),
            ([["retry-after-ms", "1250"], ["retry-after", "2"]], 1_250),
            ([["Retry-After-Ms", "12.4"]], 12),
            ([["retry-after-ms", "soon"], ["retry-after", "3"]], 3_000),
            ([["retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"]], 30_000),
            ([["retry-after", "Wednesday, 21-Oct-15 07:28:00 GMT"]], 30_000),
            ([["retry-after", "Wed Oct 21 07:28:00 2015"]], 30_000),
            ([["retry-after", "Wed, 21 Oct 2015 07:27:00 GMT"]], 0),
            ([["retry-after", "Thu, 01 Jan 1970 00:00:00 GMT"]], 0),
            ([["retry-after", "99999999999999999999999999"]], RetryAfter.maximumMs),
            ([["retry-after", String(repeating: "9", count: 400)]], RetryAfter.maximumMs),
            ([["retry-after-ms", "1" + String(repeating: "0", count: 30)]], RetryAfter.maximumMs),
            ([["retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"]], RetryAfter.maximumMs),
        ] as [([[String]], Int)])
    func retryAfterForms(headers: [[String]], expected: Int) {
        #expect(RetryAfter.milliseconds(Self.response(429, headers), now: Self.now) == expected)
    }

    @Test(
        "retry-after: garbage is ignored, never a crash",
        arguments: [
            "", " ", "-5", "+5", "1e3", "0x10", "inf", "nan", "infinity", "1.", ".5", "1.2.3", "20s", "twenty", "١٢",
            "Wed, 32 Oct 2015 07:28:00 GMT", "Wed, 21 Foo 2015 07:28:00 GMT", "Wed, 21 Oct 2015 25:28:00 GMT",
            "Wed, 21 Oct 2015 07:28:00 PST", "Wed, 21 Oct 15 07:28:00 GMT", "Wed, 21 Oct 2015 07:28 GMT", "Wed, 21 Oct 2015",
            "Wed, 21 Oct -2015 07:28:00 GMT", "\u{0}", String(repeating: "Wed, ", count: 1000),
        ])
    func retryAfterGarbage(value: String) {
        #expect(RetryAfter.milliseconds(Self.response(429, [["retry-after", value]]), now: Self.now) == nil, "\(value)")
        #expect(RetryAfter.milliseconds(Self.response(429, [["retry-after-ms", value]]), now: Self.now) == nil, "\(value)")
    }

    @Test("retry-after is attached to rate limits and overload only, and the date is read on the kit's clock")
    func retryAfterOnErrors() {
        let date = [["retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"]]
        #expect(Self.kit.httpError(Self.response(429, date), detail: nil).retryAfterMs == 30_000)
        #expect(Self.kit.httpError(Self.response(503, [["retry-after", "4"]]), detail: nil).retryAfterMs == 4_000)
        #expect(Self.kit.httpError(Self.response(401, [["retry-after", "4"]]), detail: nil).retryAfterMs == nil)
        #expect(Self.kit.httpError(Self.response(400, [["retry-after", "4"]]), detail: nil).retryAfterMs == nil)
        // A body's own wait wins over the headers.
        #expect(Self.kit.httpError(Self.response(429, [["retry-after", "4"]]), detail: nil, retryAfterMs: 7).retryAfterMs == 7)
        let later = ProviderKit(provider: "acme", defaultBaseURL: "https://x.test", now: { ProviderKitTests.now.addingTimeInterval(20) })
        #expect(later.httpError(Self.response(429, date), detail: nil).retryAfterMs == 10_000)
    }

    @Test("the default status mapping")
    func statusMapping() {
        let table: [Int: ProviderErrorKind?] = [
            200: nil, 204: nil, 302: nil, 400: .badRequest, 401: .auth, 403: .auth, 404: .badRequest, 408: .overloaded,
            413: .badRequest, 422: .badRequest, 429: .rateLimited, 500: .overloaded, 502: .overloaded, 503: .overloaded,
            529: .overloaded, 599: .overloaded, 600: nil, -1: nil,
        ]
        for (status, kind) in table { #expect(ProviderKit.kind(forStatus: status) == kind, "\(status)") }
        let error = Self.kit.httpError(Self.response(529, []), detail: "Overloaded")
        #expect(error == ProviderError(kind: .overloaded, message: "acme: Overloaded", status: 529))
        #expect(Self.kit.httpError(Self.response(200, []), detail: nil).kind == .badResponse)
        #expect(Self.kit.httpError(Self.response(400, []), detail: "long", kind: .contextLength).kind == .contextLength)
    }

    @Test("keys are masked at word starts only; messages are one line and capped")
    func redaction() {
        let kit = ProviderKit(
            provider: "acme", defaultBaseURL: "https://x.test", keyPatterns: [.init("acme_", minimumTail: 6)], now: { Date() })
        let cases: [(String, String)] = [
            ("Incorrect API key provided: sk-proj-****7fQa. See", "Incorrect API key provided: sk-***. See"),
            ("key sk-ant-api03-AbC_d-e and pplx-1234", "key sk-*** and pplx-***"),
            ("API key not valid: AIzaSyA1234567890abcdef", "API key not valid: AIza***"),
            ("a task-based plan, AIzaShort, risk-free", "a task-based plan, AIzaShort, risk-free"),
            ("groq gsk_abcdefgh12 acme_secret99 acme_abc", "groq gsk_*** acme_*** acme_abc"),
            ("sk-", "sk-"),
            ("line one\nline two\r\nthree", "line one line two three"),
        ]
        for (input, expected) in cases { #expect(kit.clean(input) == expected, "\(input)") }
        let long = kit.clean(String(repeating: "é", count: 1000))
        #expect(long.count == ProviderKit.messageLimit + 1 && long.hasSuffix("…"))
    }

    @Test("base URLs: default, trailing slashes, refusals; version joining")
    func baseURLs() throws {
        #expect(try Self.kit.baseURL("") == "https://api.acme.test")
        #expect(try Self.kit.baseURL("  http://localhost:11434/v1//  ") == "http://localhost:11434/v1")
        for bad in ["ftp://x.test", "x.test", "https://", "https://x.test/?q=1", "https://x.test/#f", "javascript:alert(1)"] {
            #expect(throws: PluginError.self, "\(bad)") { try Self.kit.baseURL(bad) }
        }
        #expect(ProviderKit.join("https://h", version: "/v1", path: "/chat/completions") == "https://h/v1/chat/completions")
        #expect(ProviderKit.join("https://h/v1", version: "/v1", path: "/chat/completions") == "https://h/v1/chat/completions")
        #expect(ProviderKit.join("https://h/v1", version: "/v1beta", alternatives: ["/v1"], path: "/m") == "https://h/v1/m")
    }

    /// A minimal provider stream: each `data:` is a word, `end` finishes, `boom` is an error.
    final class WordStream: SSEProviderStream {
        var state = ProviderStreamState(provider: "acme")

        func handle(_ event: SSEDecoder.Event, atEnd: Bool) -> [StreamEvent] {
            switch event.trimmedData {
            case "end": return state.finish("stop") + state.usageUpdate()
            case "boom": return state.fail(ProviderError(kind: .overloaded, message: "acme: boom"))
            case let word where word.allSatisfy(\.isLetter):
                state.noteUsage(TokenUsage(promptTokens: 1, completionTokens: word.count))
                return state.model("acme-1") + [.delta(word)]
            default: return state.unparseable(atEnd: atEnd)
            }
        }

        func plainBodyError(_ body: String) -> ProviderError? {
            body.contains("\"error\"") ? ProviderError(kind: .rateLimited, message: "acme: plain error") : nil
        }
    }

    static func run(_ body: String, pieceSize: Int) throws -> [StreamEvent] {
        let stream = WordStream()
        let bytes = Array(body.utf8)
        var events: [StreamEvent] = []
        var index = 0
        while index < bytes.count {
            events += try stream.feed(Array(bytes[index..<min(bytes.count, index + pieceSize)]))
            index += pieceSize
        }
        return events + (try stream.finish()) + (try stream.finish())
    }

    @Test("stream skeleton: framing, [DONE], cut streams, plain error bodies, garbage; same events under any split")
    func streamSkeleton() throws {
        let usage = StreamEvent.usage(TokenUsage(promptTokens: 1, completionTokens: 3))
        let cases: [(String, [StreamEvent])] = [
            ("data: hi\n\ndata: you\r\n\r\ndata: end\n\n", [.model("acme-1"), .delta("hi"), .delta("you"), .finish("stop"), usage]),
            ("data: hi\n\n: comment\n\ndata: [DONE]\n\ndata: late\n\n", [.model("acme-1"), .delta("hi"), .finish("stop")]),
            ("data: hi\n\ndata: you\n\ndata: 4", [.model("acme-1"), .delta("hi"), .delta("you"), usage, .error(Self.kit.cutErrorExample)]),
            (
                "data: hi\n\ndata: boom\n\ndata: more\n\n",
                [.model("acme-1"), .delta("hi"), .error(ProviderError(kind: .overloaded, message: "acme: boom"))]
            ),
            ("data: 12 34\n\ndata: hi\n\n", [.error(ProviderError(kind: .badResponse, message: "acme: unparseable stream event"))]),
            ("{\"error\":{\"message\":\"slow down\"}}", [.error(ProviderError(kind: .rateLimited, message: "acme: plain error"))]),
            ("", [.error(Self.kit.cutErrorExample)]),
            ("\u{0}\u{FF}garbage", [.error(Self.kit.cutErrorExample)]),
        ]
        for (body, expected) in cases {
            for size in [1, 2, 3, 7, 64, 100_000] {
                #expect(try Self.run(body, pieceSize: size) == expected, "\(body.debugDescription) in pieces of \(size)")
            }
        }
    }
}

extension ProviderKit {
    /// What a cut stream of provider `acme` reports.
    fileprivate var cutErrorExample: ProviderError { ProviderStreamState(provider: provider).cutError }
}
