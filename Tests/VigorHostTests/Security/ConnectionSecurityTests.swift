import Foundation
import Hummingbird
import Testing

@testable import VigorHost

#if canImport(Glibc)
    import Glibc
#endif

/// Connections and framing over a real socket: slow senders are cut off at the configured
/// deadlines, the connection cap holds, and malformed framing is a 400, not a 500.
@Suite("Security: connections", .serialized)
struct ConnectionSecurityTests {
    /// A live host with `limits` on a loopback port, built by the composition root as `vigor
    /// serve` builds it (so its connection cap is the real one). The host binds a free port
    /// itself and reports it once it listens (no probing for readiness, no port race with other
    /// tests); its graceful shutdown is awaited before this returns.
    static func live(_ limits: ConnectionLimits, _ body: @escaping @Sendable (Int) throws -> Void) async throws {
        try await TestHost.live(configure: { $0.connections = limits }) { port, _ in
            // The body blocks on sockets: on a thread of its own, not the cooperative pool the host needs.
            try await onOwnThread { try body(port) }
        }
    }

    /// Whether the peer closed `connection` within `seconds`: a read returns end-of-file, or
    /// fails with ECONNRESET (a close with bytes of ours still unread is a reset, not a FIN).
    static func closed(_ connection: RawHTTPConnection, within seconds: Int) -> Bool {
        var descriptor = pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(seconds * 1000)) == 1 else { return false }
        var byte: UInt8 = 0
        let read = recv(connection.fd, &byte, 1, Int32(MSG_PEEK))
        return read == 0 || (read < 0 && errno == ECONNRESET)
    }

    /// Whether any byte arrives on `connection` within `milliseconds`.
    static func readable(_ connection: RawHTTPConnection, milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) == 1
    }

    @Test("slowloris: connections sending a request head byte by byte are closed at the header deadline")
    func slowloris() async throws {
        // Deadlines and bounds leave room for a loaded CI machine (the whole suite runs in parallel on two cores).
        try await Self.live(ConnectionLimits(headerTimeout: 4, bodyTimeout: 60, idleTimeout: 60)) { port in
            let started = Date()
            var connections: [RawHTTPConnection] = []
            for _ in 0..<40 {
                let connection = try RawHTTPConnection(port: port)
                try connection.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
                connections.append(connection)
            }
            // One more keeps trickling header bytes: bytes alone do not extend the deadline.
            let trickler = try RawHTTPConnection(port: port)
            try trickler.send("GET /health HTTP/1.1\r\n")
            for _ in 0..<10 where !Self.readable(trickler, milliseconds: 500) { try? trickler.send("X-A: b\r\n") }
            // On a kept-alive connection the next request's head has the header deadline too (not the 30 s idle one).
            let kept = try RawHTTPConnection(port: port)
            try kept.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(kept.read(until: "\"ok\"").contains("200 OK"))
            try kept.send("GET /health HTTP/1.1\r\nHost: x\r\n")
            for connection in connections + [trickler, kept] {
                #expect(Self.closed(connection, within: 30), "a slow connection stayed open")
            }
            // Well under the 60 s idle and body deadlines: the header deadline closed them.
            #expect(Date().timeIntervalSince(started) < 40)
            // A prompt client is served as before.
            #expect(try RawHTTPConnection.request(port: port, method: "GET", path: "/health").status == 200)
        }
    }

    @Test("a body that stops arriving is cut at the body deadline; an idle kept-alive connection at the idle deadline")
    func bodyAndIdleDeadlines() async throws {
        try await Self.live(ConnectionLimits(headerTimeout: 5, bodyTimeout: 0.5, idleTimeout: 0.5)) { port in
            let slowBody = try RawHTTPConnection(port: port)
            try slowBody.send(
                "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":")
            #expect(Self.closed(slowBody, within: 10))

            let idle = try RawHTTPConnection(port: port)
            try idle.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(idle.read(until: "\"ok\"").contains("200 OK"))
            #expect(Self.closed(idle, within: 10))

            // Refused before its body was read (no token), then the body completes: idle deadline, not forever.
            let refused = try RawHTTPConnection(port: port)
            try refused.send("POST /api/v1/ai/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
            #expect(refused.read(until: "}}").contains("401"))
            try refused.send("{}")
            #expect(Self.closed(refused, within: 10))
        }
    }

    @Test("the connection cap: a connection past it waits until another closes")
    func connectionCap() async throws {
        // Before, the idle deadline was 3 s and the third connection got in only when the second
        // one idled out; on a loaded machine that happened inside the 500 ms check below and the
        // test failed. Now nothing times out during the test: the slot is freed by closing a
        // connection, both ends (a socket the client keeps open after the server's close still
        // counts against the cap).
        try await Self.live(ConnectionLimits(headerTimeout: 30, bodyTimeout: 30, idleTimeout: 120, maxConnections: 2)) { port in
            var first: RawHTTPConnection? = try RawHTTPConnection(port: port)
            let second = try RawHTTPConnection(port: port)
            try first?.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            try second.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(first?.read(until: "\"ok\"").contains("200 OK") == true)
            #expect(second.read(until: "\"ok\"").contains("200 OK"))
            let third = try RawHTTPConnection(port: port)
            try third.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(!Self.readable(third, milliseconds: 500), "the third connection was served past the cap")
            try first?.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            _ = first?.read()
            first = nil  // closes the client's end
            #expect(third.read().contains("200 OK"))
            withExtendedLifetime(second) {}
        }
    }

    @Test("Transfer-Encoding other than chunked or identity is a 400, not a 500")
    func unknownTransferEncoding() async throws {
        try await Self.live(ConnectionLimits()) { port in
            for coding in ["xchunked", "gzip", "chunked, xchunked"] {
                let connection = try RawHTTPConnection(port: port)
                try connection.send(
                    "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: \(coding)\r\n\r\n"
                        + "5\r\nhello\r\n0\r\n\r\n")
                let response = connection.read(until: "\r\n\r\n")
                // An unknown coding reaches the host (JSON error); a head the parser refuses outright is
                // answered by the HTTP layer with a bare 400. Never a 500.
                #expect(response.hasPrefix("HTTP/1.1 400"), "\(coding): \(response.prefix(200))")
            }
            // Chunked framing that breaks inside the body (a chunk size that is not hex): 400 in the error shape.
            let broken = try RawHTTPConnection(port: port)
            try broken.send(
                "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\nhello\r\n0\r\n\r\n")
            let answer = broken.read(until: "\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(300))")
            #expect(try RawHTTPConnection.request(port: port, method: "GET", path: "/health").status == 200)
        }
    }

    @Test("connection settings load from the environment and a config file, and nonsense is refused")
    func configuration() throws {
        let environment = [
            "VIGOR_REQUEST_HEADER_TIMEOUT": "7", "VIGOR_REQUEST_BODY_TIMEOUT": "9", "VIGOR_IDLE_TIMEOUT": "11",
            "VIGOR_MAX_CONNECTIONS": "13",
        ]
        let loaded = try VigorConfiguration.load(environment: environment)
        #expect(loaded.connections == ConnectionLimits(headerTimeout: 7, bodyTimeout: 9, idleTimeout: 11, maxConnections: 13))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-conn-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"request_header_timeout_seconds": 3, "idle_timeout_seconds": 4, "max_connections": 5}"#.utf8).write(to: file)
        let fromFile = try VigorConfiguration.load(environment: [:], flags: .init(configFile: file.path))
        #expect(
            fromFile.connections.headerTimeout == 3 && fromFile.connections.idleTimeout == 4 && fromFile.connections.maxConnections == 5)
        #expect(fromFile.connections.bodyTimeout == ConnectionLimits().bodyTimeout)
        for bad in [["VIGOR_IDLE_TIMEOUT": "0"], ["VIGOR_MAX_CONNECTIONS": "-1"], ["VIGOR_REQUEST_HEADER_TIMEOUT": "soon"]] {
            #expect(throws: ConfigurationError.self) { try VigorConfiguration.load(environment: bad) }
        }
    }
}
