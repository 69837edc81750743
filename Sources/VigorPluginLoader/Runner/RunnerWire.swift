import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// The messages between the host and `vigor plugin-runner` over a pair of pipes.
///
/// The runner carries the same calls as the in-process C ABI, so its payloads are the
/// ABI's JSON documents unchanged. A frame is a little-endian `u32` length, then the body:
/// one kind byte, a `u64` message id, and length-prefixed (`u32`) byte fields.
struct RunnerFrame: Sendable, Equatable {
    enum Kind: UInt8, Sendable {
        // Host → runner.
        /// `[component, op, input, deadline_ms]`; answered by `result`.
        case invoke = 1
        /// Sets the cancel flag of invoke `id`. No answer.
        case cancel = 2
        /// `[component, op, input]`; answered by `result` (empty on success).
        case streamOpen = 3
        /// `[bytes]`; answered by `streamEvents`.
        case streamFeed = 4
        /// `[status, message]`; answered by `streamEvents`.
        case streamClose = 5
        /// `[status, bytes]`: the answer to the runner's `service` request `id`.
        case serviceReply = 6

        // Runner → host.
        /// `["ok", descriptor]` or `[rejection code, reason]`, once, after loading.
        case hello = 10
        /// `[status, bytes]`: the answer to invoke or stream-open `id`.
        case result = 11
        /// `[done status or "", done message, event...]`: what a feed or close produced.
        case streamEvents = 12
        /// `[service, host call id, payload]`: the plugin called `vigor.llm/1` or `vigor.http/1`.
        case service = 13
        /// `[stage]`: `vigor plugin-probe` is about to run this load stage (``LoadStage``).
        case stage = 14
    }

    var kind: Kind
    var id: UInt64
    var fields: [[UInt8]]

    init(_ kind: Kind, id: UInt64, _ fields: [[UInt8]] = []) {
        self.kind = kind
        self.id = id
        self.fields = fields
    }

    /// The largest frame either side accepts: the ABI's payloads are JSON documents of a
    /// few megabytes at most (the egress response cap); anything bigger is a broken peer.
    static let maxBody = 64 << 20

    func field(_ index: Int) -> [UInt8] { index < fields.count ? fields[index] : [] }
    func string(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }
    func int(_ index: Int) -> Int64? { Int64(string(index)) }

    func encoded() -> [UInt8] {
        let bodyLength = 1 + 8 + fields.reduce(0) { $0 + 4 + $1.count }
        var out: [UInt8] = []
        out.reserveCapacity(4 + bodyLength)
        Self.append(UInt32(bodyLength), to: &out)
        out.append(kind.rawValue)
        Self.append(id, to: &out)
        for field in fields {
            Self.append(UInt32(field.count), to: &out)
            out.append(contentsOf: field)
        }
        return out
    }

    /// Parses a frame body (without its length prefix); nil when malformed.
    static func decode(body: ArraySlice<UInt8>) -> RunnerFrame? {
        guard body.count >= 9, let kind = Kind(rawValue: body[body.startIndex]) else { return nil }
        var index = body.startIndex + 1
        let id = read(UInt64.self, body, at: index)
        index += 8
        var fields: [[UInt8]] = []
        while index < body.endIndex {
            guard body.endIndex - index >= 4 else { return nil }
            let length = Int(read(UInt32.self, body, at: index))
            index += 4
            guard body.endIndex - index >= length else { return nil }
            fields.append(Array(body[index..<index + length]))
            index += length
        }
        return RunnerFrame(kind, id: id, fields)
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func read<T: FixedWidthInteger>(_: T.Type, _ bytes: ArraySlice<UInt8>, at index: Int) -> T {
        var value: T = 0
        for offset in (0..<MemoryLayout<T>.size).reversed() { value = value << 8 | T(bytes[index + offset]) }
        return value
    }
}

/// Reads frames from a pipe on one thread.
final class RunnerFrameReader: @unchecked Sendable {  // used by one thread at a time
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    init(fd: Int32) { self.fd = fd }

    enum Failure: Error {
        case closed
        case malformed(String)
    }

    /// The next frame; throws `.closed` at end of file and `.malformed` on a broken peer.
    func next() throws(Failure) -> RunnerFrame {
        while true {
            let available = buffer.count - start
            if available >= 4 {
                let length = Int(buffer[start]) | Int(buffer[start + 1]) << 8 | Int(buffer[start + 2]) << 16 | Int(buffer[start + 3]) << 24
                guard length <= RunnerFrame.maxBody else { throw .malformed("frame of \(length) bytes") }
                if available >= 4 + length {
                    let body = buffer[(start + 4)..<(start + 4 + length)]
                    start += 4 + length
                    guard let frame = RunnerFrame.decode(body: body) else { throw .malformed("undecodable frame") }
                    if start == buffer.count {
                        buffer.removeAll(keepingCapacity: true)
                        start = 0
                    }
                    return frame
                }
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .closed }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }
}

/// Writes whole frames to a pipe; safe from any thread. Owns the descriptor.
final class RunnerFrameWriter: Sendable {
    let fd: Int32
    /// True once closed: later frames are dropped.
    private let lock = Mutex(false)

    init(fd: Int32) { self.fd = fd }

    /// Closes the pipe, which the peer reads as end of file (idempotent).
    func close() {
        lock.withLock { closed in
            guard !closed else { return }
            closed = true
            _ = Glibc.close(fd)
        }
    }

    /// Writes the frame; false when the peer is gone.
    @discardableResult
    func send(_ frame: RunnerFrame) -> Bool {
        let bytes = frame.encoded()
        return lock.withLock { closed in
            guard !closed else { return false }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }
}
