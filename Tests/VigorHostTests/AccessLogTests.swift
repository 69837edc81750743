import Foundation
import Logging
import Synchronization
import Testing

@testable import VigorHost

#if canImport(Glibc)
    import Glibc
#endif

/// `vigor serve`'s log handler writes the lines swift-log's `StreamLogHandler` wrote (operators'
/// log parsing and the tests that read a served host's output depend on them), and the
/// per-request access line and counters keep their content.
@Suite("Access log and request metrics")
struct AccessLogTests {
    /// Everything written to a pipe by `body` through a handler on its write end.
    static func written(_ body: (VigorLogHandler) -> Void, label: String = "vigor", level: Logger.Level = .info) throws -> String {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw CancellationError() }
        defer { close(ends[0]) }
        body(VigorLogHandler(label: label, level: level, metadataProvider: nil, fileDescriptor: ends[1]))
        close(ends[1])
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(ends[0], &chunk, chunk.count)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A line without its time stamp (the two handlers may straddle a second).
    static func untimed(_ line: String) -> String {
        String(line.drop { $0 != " " })
    }

    final class StreamBox: @unchecked Sendable {
        var lines: [String] = []
        let lock = NSLock()
    }

    struct BoxStream: TextOutputStream, Sendable {
        let box: StreamBox
        func write(_ string: String) {
            box.lock.lock()
            box.lines.append(string)
            box.lock.unlock()
        }
    }

    /// What `StreamLogHandler` writes for the same call.
    static func streamLine(label: String = "vigor", _ body: (inout Logger) -> Void) -> String {
        let box = StreamBox()
        var logger = Logger(label: label) { StreamLogHandler(label: $0, stream: BoxStream(box: box), metadataProvider: nil) }
        body(&logger)
        return box.lines.joined()
    }

    @Test("A line is StreamLogHandler's line: level, label, sorted metadata (handler's and the call's), source, message")
    func sameLinesAsStreamLogHandler() throws {
        let metadata: Logger.Metadata = ["zeta": "last", "alpha": "first", "request_id": "abc-1", "n": .stringConvertible(42)]
        let expected = Self.streamLine { logger in
            logger[metadataKey: "request_id"] = "abc-1"
            logger[metadataKey: "user_id"] = .stringConvertible(7)
            logger.notice("something happened", metadata: metadata)
        }
        let mine = try Self.written { handler in
            var logger = Logger(label: "vigor", factory: { _ in handler })
            logger[metadataKey: "request_id"] = "abc-1"
            logger[metadataKey: "user_id"] = .stringConvertible(7)
            logger.notice("something happened", metadata: metadata)
        }
        #expect(Self.untimed(mine) == Self.untimed(expected))
        #expect(mine.hasSuffix(" [VigorHostTests] something happened\n"))
        #expect(mine.contains(" notice vigor: alpha=first n=42 request_id=abc-1 user_id=7 zeta=last "))
        // The time stamp is StreamLogHandler's format: 2026-12-04T06:00:00+0000.
        let stamp = mine.prefix { $0 != " " }
        #expect(stamp.count == 24 && stamp.dropFirst(10).first == "T", "\(stamp)")
    }

    @Test("Below the level nothing is written; a line without metadata has none")
    func levelsAndEmptyMetadata() throws {
        let mine = try Self.written(
            { handler in
                let logger = Logger(label: "vigor", factory: { _ in handler })
                logger.info("hidden")
                logger.warning("shown")
            }, level: .warning)
        let expected = Self.streamLine { logger in logger.warning("shown") }
        #expect(Self.untimed(mine) == Self.untimed(expected))
        #expect(!mine.contains("hidden"))
    }

    @Test("The access line is the info line `request` with method, path, status and duration_ms merged in key order")
    func accessLine() throws {
        let mine = try Self.written { handler in
            var logger = Logger(label: "vigor", factory: { _ in handler })
            logger[metadataKey: "request_id"] = "req-9"
            logger[metadataKey: "user_id"] = .stringConvertible(12)
            logger[metadataKey: "path"] = "stale"
            RequestRecord.logRequest(
                logger, method: "POST", path: "/v1/chat/completions", status: 200, elapsed: 3_400_000)
        }
        // The same call through any other handler (the metadata dictionary path).
        let expected = Self.streamLine { logger in
            logger[metadataKey: "request_id"] = "req-9"
            logger[metadataKey: "user_id"] = .stringConvertible(12)
            logger[metadataKey: "path"] = "stale"
            RequestRecord.logRequest(
                logger, method: "POST", path: "/v1/chat/completions", status: 200, elapsed: 3_400_000)
        }
        #expect(
            Self.untimed(mine)
                == " info vigor: duration_ms=3 method=POST path=/v1/chat/completions request_id=req-9 status=200 user_id=12 [VigorHost] request\n"
        )
        #expect(Self.untimed(mine) == Self.untimed(expected))
        // Off at warning.
        let quiet = try Self.written(
            { handler in
                let logger = Logger(label: "vigor", factory: { _ in handler })
                RequestRecord.logRequest(logger, method: "GET", path: "/health", status: 200, elapsed: 0)
            }, level: .warning)
        #expect(quiet.isEmpty)
    }

    @Test("Request counters are reused per label set and count every request; attempts likewise")
    func cachedCounters() {
        let metrics = HostMetrics()
        for _ in 0..<3 { metrics.recordRequest(route: "/v1/chat/completions", method: "POST", status: 200, nanoseconds: 1_000_000) }
        metrics.recordRequest(route: "/v1/chat/completions", method: "POST", status: 429, nanoseconds: 1_000_000)
        metrics.recordProviderAttempt(provider: "openai", outcome: "success")
        metrics.recordProviderAttempt(provider: "openai", outcome: "success")
        let text = metrics.render()
        #expect(text.contains(#"vigor_http_requests_total{route="/v1/chat/completions",method="POST",status="200"} 3"#), "\(text)")
        #expect(text.contains(#"vigor_http_requests_total{route="/v1/chat/completions",method="POST",status="429"} 1"#))
        #expect(text.contains(#"vigor_http_request_duration_seconds_count{route="/v1/chat/completions",method="POST"} 4"#))
        #expect(text.contains(#"vigor_provider_attempts_total{provider="openai",outcome="success"} 2"#))
        #expect(metrics.requestInstruments.count == 2)
    }

    @Test("Past its limit the cache keeps no more label sets, and every request is still counted")
    func boundedCache() {
        let metrics = HostMetrics()
        for index in 0..<1100 { metrics.recordRequest(route: "unmatched", method: "M\(index % 1050)", status: 405, nanoseconds: 0) }
        #expect(metrics.requestInstruments.count == metrics.requestInstruments.limit)
        let text = metrics.render()
        #expect(text.contains(#"vigor_http_requests_total{route="unmatched",method="M1049",status="405"} 1"#))
        #expect(text.contains(#"vigor_http_requests_total{route="unmatched",method="M3",status="405"} 2"#))
    }
}
