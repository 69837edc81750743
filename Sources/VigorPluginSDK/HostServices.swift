import Foundation
import VigorPluginAPI

/// The host's services as a plugin sees them, fetched once at `on_init` by versioned id.
/// A service the host does not offer is `nil` and its method throws ``PluginError/unsupported(_:)``.
public struct HostServices: Sendable {
    /// Host tables live for the whole process and are immutable, so sharing the
    /// pointers across threads is safe; this is the one place the SDK says so.
    struct Tables: @unchecked Sendable {
        var ctx: UnsafeMutableRawPointer?
        var log: UnsafePointer<vigor_log_v1>?
        var clock: UnsafePointer<vigor_clock_v1>?
        var http: UnsafePointer<vigor_http_v1>?
        var llm: UnsafePointer<vigor_llm_v1>?
    }

    let tables: Tables

    /// Host ABI version seen at init.
    public let abiMajor: UInt16
    public let abiMinor: UInt16

    init(host: UnsafePointer<vigor_host_api>) {
        abiMajor = host.pointee.abi_major
        abiMinor = host.pointee.abi_minor
        var t = Tables(ctx: host.pointee.host_ctx)
        let needed = MemoryLayout<vigor_host_api>.offset(of: \.get_service)! + MemoryLayout<UnsafeRawPointer>.size
        if host.pointee.struct_size >= UInt32(needed), let get = host.pointee.get_service {
            func service<T>(_ id: String, _: T.Type, minSize: Int) -> UnsafePointer<T>? {
                guard let raw = id.withCString({ get(host.pointee.host_ctx, $0) }) else { return nil }
                // A table smaller than the version we need is treated as absent.
                guard raw.load(as: UInt32.self) >= UInt32(minSize) else { return nil }
                return raw.assumingMemoryBound(to: T.self)
            }
            t.log = service(VIGOR_SERVICE_LOG, vigor_log_v1.self, minSize: MemoryLayout<vigor_log_v1>.size)
            t.clock = service(VIGOR_SERVICE_CLOCK, vigor_clock_v1.self, minSize: MemoryLayout<vigor_clock_v1>.size)
            t.http = service(VIGOR_SERVICE_HTTP, vigor_http_v1.self, minSize: MemoryLayout<vigor_http_v1>.size)
            t.llm = service(VIGOR_SERVICE_LLM, vigor_llm_v1.self, minSize: MemoryLayout<vigor_llm_v1>.size)
        }
        tables = t
    }

    /// Log levels of `vigor.log/1`.
    public enum LogLevel: Int32, Sendable {
        case debug = 0
        case info, warning, error
    }

    /// Whether the host offers `vigor.llm/1`.
    public var hasLLM: Bool { tables.llm != nil }

    /// Logs through the host's logger (dropped when the host offers no log service).
    public func log(_ level: LogLevel, _ message: String) {
        guard let log = tables.log?.pointee.log else { return }
        var message = message
        message.withUTF8 {
            log(
                tables.ctx, level.rawValue,
                vigor_str(ptr: $0.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, len: $0.count))
        }
    }

    /// The host's wall clock (tests control it); the system clock when the host offers none.
    public func now() -> Date {
        guard let now = tables.clock?.pointee.now_ms else { return Date() }
        return Date(timeIntervalSince1970: Double(now(tables.ctx)) / 1000)
    }

    /// Asks the host for a chat completion (routing, quotas and accounting apply).
    public func complete(_ request: ChatRequest, context: CallContext) throws -> ChatResponse {
        guard let complete = tables.llm?.pointee.complete else { throw PluginError.unsupported("host offers no \(VIGOR_SERVICE_LLM)") }
        let bytes = try call(complete, WireJSON.encode(request), context)
        return try WireJSON.decode(ChatResponse.self, from: bytes)
    }

    /// Asks the host to perform an HTTP request (allow-list, timeouts, size caps apply).
    public func http(_ request: UpstreamRequest, context: CallContext) throws -> UpstreamResponse {
        guard let send = tables.http?.pointee.request else { throw PluginError.unsupported("host offers no \(VIGOR_SERVICE_HTTP)") }
        let bytes = try call(send, WireJSON.encode(request), context)
        return try WireJSON.decode(UpstreamResponse.self, from: bytes)
    }

    private typealias ServiceCall =
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafePointer<vigor_call>?, vigor_str, UnsafeMutablePointer<vigor_buf>?
        ) -> vigor_status

    private func call(_ fn: ServiceCall, _ input: [UInt8], _ context: CallContext) throws -> [UInt8] {
        var out = vigor_buf()
        let status = input.withUnsafeBufferPointer { bytes in
            fn(tables.ctx, context.raw, vigor_str(bytes), &out)
        }
        let result = out.takeBytes()
        guard status == VIGOR_OK else {
            throw PluginError(status: status, message: String(decoding: result, as: UTF8.self))
        }
        return result
    }
}

extension vigor_str {
    /// A borrowed view of bytes, valid as long as `bytes` is.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.init(ptr: bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, len: bytes.count)
    }

    /// Copies the borrowed bytes.
    public var bytes: [UInt8] {
        guard let ptr, len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: ptr, count: len))
    }

    /// Copies the borrowed bytes as a string (invalid UTF-8 is repaired).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}

extension vigor_buf {
    /// Fills a buffer with a `malloc` copy of `bytes`, released with `free`.
    public static func allocate(_ bytes: [UInt8]) -> vigor_buf {
        let count = bytes.count
        guard let ptr = malloc(max(count, 1))?.assumingMemoryBound(to: CChar.self) else { return vigor_buf() }
        bytes.withUnsafeBytes { src in
            if let base = src.baseAddress { memcpy(ptr, base, count) }
        }
        return vigor_buf(
            ptr: ptr, len: count,
            release: { buf in
                guard let buf else { return }
                free(buf.pointee.ptr)
                buf.pointee = vigor_buf()
            })
    }

    /// Copies the bytes out and releases the buffer with its own release function.
    public mutating func takeBytes() -> [UInt8] {
        defer {
            if let release { withUnsafeMutablePointer(to: &self) { release($0) } }
            self = vigor_buf()
        }
        guard let ptr, len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: ptr, count: len))
    }
}
