import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A minimal blocking HTTP/1.1 client over a POSIX socket to 127.0.0.1, for tests that
/// need a real socket: a live `vigor serve` subprocess, or a client that hangs up mid-stream.
final class RawHTTPConnection {
    let fd: Int32

    /// The socket is closed exactly once: here when the connect fails (before `self.fd` is set,
    /// so `deinit` does not run), else by `deinit`. A second close would hit a descriptor number
    /// another test's event loop may already have reused, which SwiftNIO treats as fatal.
    init(port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw RawHTTPError("connect() to port \(port) failed")
        }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw RawHTTPError("write failed") }
            sent += n
        }
    }

    /// Reads until `marker` appears in what was read (or the peer closes); returns all of it.
    func read(until marker: String? = nil, limit: Int = 4 << 20) -> String {
        String(decoding: readBytes(until: marker, limit: limit), as: UTF8.self)
    }

    /// The bytes read until `marker` appears in them (or the peer closes, or `limit`).
    func readBytes(until marker: String? = nil, limit: Int = 4 << 20) -> [UInt8] {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let markerBytes = marker.map { Array($0.utf8) }
        while data.count < limit {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data += buffer[0..<n]
            if let markerBytes, data.firstRange(of: markerBytes) != nil { break }
        }
        return data
    }

    /// One request with `Connection: close`; returns (status, headers+body text).
    static func request(
        port: Int, method: String, path: String, headers: [String: String] = [:], body: String? = nil, limit: Int = 4 << 20
    ) throws -> (status: Int, head: String, body: String) {
        let connection = try RawHTTPConnection(port: port)
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body {
            text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else {
            text += "\r\n"
        }
        try connection.send(text)
        return try parse(connection.readBytes(limit: limit), port: port)
    }

    /// Splits a whole response into status, head and body; a chunked body is decoded on its
    /// bytes before it becomes text (a chunk may end inside a multi-byte character).
    static func parse(_ bytes: [UInt8], port: Int) throws -> (status: Int, head: String, body: String) {
        guard let split = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { throw RawHTTPError("no response from port \(port)") }
        let head = String(decoding: bytes[..<split.lowerBound], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        var body = Array(bytes[split.upperBound...])
        if head.lowercased().contains("transfer-encoding: chunked") { body = dechunk(body) }
        return (status, head, String(decoding: body, as: UTF8.self))
    }

    /// The data of a chunked body (chunk sizes count bytes); stops at the last chunk or where
    /// the framing ends early.
    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        let crlf: [UInt8] = [13, 10]
        while let lineEnd = bytes[index...].firstRange(of: crlf) {
            let line = String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(line.split(separator: ";").first ?? "", radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            let end = min(start + size, bytes.count)
            out += bytes[start..<end]
            index = min(end + 2, bytes.count)
        }
        return out
    }

    /// A TCP port that was free a moment ago.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension RawHTTPConnection {
    /// ``read(until:limit:)`` on a dedicated thread: a blocking socket read must never hold
    /// one of the few Swift concurrency threads the server under test also needs.
    func readOffPool(until marker: String? = nil, limit: Int = 4 << 20) async -> String {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.read(until: marker, limit: limit)) }
            thread.start()
        }
    }
}

extension RawHTTPConnection: @unchecked Sendable {}  // used by one test at a time; the fd is only read

/// Runs blocking socket work on a thread of its own and awaits it. Swift's cooperative pool
/// has one thread per core (two here), and an in-process server under test needs them: a test
/// that blocks one in `poll`/`recv` while the whole suite runs in parallel starves the others.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
