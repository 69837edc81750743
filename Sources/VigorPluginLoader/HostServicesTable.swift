import Foundation
import Logging
import Synchronization
import VigorPluginAPI
import VigorPluginSDK

/// What the host knows about a call in flight, for host services called back by a plugin.
public struct CallInfo: Sendable {
    public var userID: Int64
    public var requestID: String
    public var deadlineMs: Int64?
    /// Inside `vigor plugin-runner`: the host's id for the call, so services forwarded to
    /// the host find the call's user and request there.
    public var remoteCallID: UInt64?

    public init(userID: Int64, requestID: String, deadlineMs: Int64? = nil, remoteCallID: UInt64? = nil) {
        self.userID = userID
        self.requestID = requestID
        self.deadlineMs = deadlineMs
        self.remoteCallID = remoteCallID
    }
}

/// Answers `vigor.llm/1` and `vigor.http/1` for plugins. Runs on the plugin's calling thread,
/// which is never a Swift concurrency thread (see ``BlockingBridge``).
public protocol HostServiceHandler: Sendable {
    func complete(_ request: ChatRequest, call: CallInfo?, plugin: String) async throws -> ChatResponse
    func http(_ request: UpstreamRequest, call: CallInfo?, plugin: String, allowedHosts: [String]) async throws -> UpstreamResponse
}

/// The per-library host context behind `vigor_host_api.host_ctx`: which plugin is calling,
/// its logger, the calls in flight and the service handler. Lives as long as the process.
final class PluginHostContext: Sendable {
    let pluginPath: String
    let logger: Logger
    let handler: Mutex<(any HostServiceHandler)?>
    let allowedHosts: Mutex<[String]>
    /// The secrets the library's descriptor declares: the only ones its requests may name.
    let declaredSecrets: Mutex<Set<String>>
    let calls = Mutex<[UInt64: CallInfo]>([:])
    let clock: @Sendable () -> Date

    init(pluginPath: String, logger: Logger, handler: (any HostServiceHandler)?, clock: @escaping @Sendable () -> Date) {
        self.pluginPath = pluginPath
        self.logger = logger
        self.handler = Mutex(handler)
        self.allowedHosts = Mutex([])
        self.declaredSecrets = Mutex([])
        self.clock = clock
        self.apiTable = APITable(pointer: .allocate(capacity: 1))
        apiTable.pointer.initialize(
            to: vigor_host_api(
                struct_size: UInt32(MemoryLayout<vigor_host_api>.size),
                abi_major: UInt16(VIGOR_ABI_MAJOR),
                abi_minor: UInt16(VIGOR_ABI_MINOR),
                host_ctx: Unmanaged.passRetained(self).toOpaque(),
                get_service: HostServiceTables.getService
            ))
    }

    /// The C table handed to `on_init`: allocated once per context, never freed (plugins
    /// may keep it for the life of the process), immutable after `init`.
    struct APITable: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<vigor_host_api>
    }

    let apiTable: APITable

    static func from(_ raw: UnsafeMutableRawPointer?) -> PluginHostContext? {
        raw.map { Unmanaged<PluginHostContext>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// The static service tables (`vigor.log/1`, `vigor.clock/1`, `vigor.http/1`, `vigor.llm/1`).
enum HostServiceTables {
    struct Tables: @unchecked Sendable {  // immutable process-lifetime C tables
        let log: UnsafeMutablePointer<vigor_log_v1>
        let clock: UnsafeMutablePointer<vigor_clock_v1>
        let http: UnsafeMutablePointer<vigor_http_v1>
        let llm: UnsafeMutablePointer<vigor_llm_v1>
    }

    static let tables: Tables = {
        func make<T>(_ value: T) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: 1)
            p.initialize(to: value)
            return p
        }
        return Tables(
            log: make(vigor_log_v1(struct_size: UInt32(MemoryLayout<vigor_log_v1>.size), log: log)),
            clock: make(vigor_clock_v1(struct_size: UInt32(MemoryLayout<vigor_clock_v1>.size), now_ms: nowMs, monotonic_ns: monotonicNs)),
            http: make(vigor_http_v1(struct_size: UInt32(MemoryLayout<vigor_http_v1>.size), request: http)),
            llm: make(vigor_llm_v1(struct_size: UInt32(MemoryLayout<vigor_llm_v1>.size), complete: complete))
        )
    }()

    static let getService: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> UnsafeRawPointer? = { _, id in
        guard let id else { return nil }
        switch String(cString: id) {
        case VIGOR_SERVICE_LOG: return UnsafeRawPointer(tables.log)
        case VIGOR_SERVICE_CLOCK: return UnsafeRawPointer(tables.clock)
        case VIGOR_SERVICE_HTTP: return UnsafeRawPointer(tables.http)
        case VIGOR_SERVICE_LLM: return UnsafeRawPointer(tables.llm)
        default: return nil
        }
    }

    static let log: @convention(c) (UnsafeMutableRawPointer?, Int32, vigor_str) -> Void = { ctx, level, message in
        guard let context = PluginHostContext.from(ctx) else { return }
        let levels: [Logger.Level] = [.debug, .info, .warning, .error]
        let lvl = levels[Int(max(0, min(3, level)))]
        context.logger.log(level: lvl, "\(message.string.prefix(4096))", metadata: ["plugin": "\(context.pluginPath)"])
    }

    static let nowMs: @convention(c) (UnsafeMutableRawPointer?) -> Int64 = { ctx in
        let date = PluginHostContext.from(ctx)?.clock() ?? Date()
        return Int64(date.timeIntervalSince1970 * 1000)
    }

    static let monotonicNs: @convention(c) (UnsafeMutableRawPointer?) -> UInt64 = { _ in
        DispatchTime.now().uptimeNanoseconds
    }

    static let complete:
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafePointer<vigor_call>?, vigor_str, UnsafeMutablePointer<vigor_buf>?
        ) -> vigor_status = { ctx, call, input, out in
            serve(ctx, call, input, out) { context, handler, info, bytes in
                let request = try WireJSON.decode(ChatRequest.self, from: bytes)
                return try WireJSON.encode(try await handler.complete(request, call: info, plugin: context.pluginPath))
            }
        }

    static let http:
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafePointer<vigor_call>?, vigor_str, UnsafeMutablePointer<vigor_buf>?
        ) -> vigor_status = { ctx, call, input, out in
            serve(ctx, call, input, out) { context, handler, info, bytes in
                let request = try WireJSON.decode(UpstreamRequest.self, from: bytes)
                let hosts = context.allowedHosts.withLock { $0 }
                let declared = context.declaredSecrets.withLock { $0 }
                if let secret = SecretGrant.undeclared(in: request, declared: declared) {
                    throw PluginError.invalidInput(SecretGrant.refusal(secret: secret, plugin: context.pluginPath, declared: declared))
                }
                return try WireJSON.encode(try await handler.http(request, call: info, plugin: context.pluginPath, allowedHosts: hosts))
            }
        }

    /// Runs an async service on behalf of a blocking plugin thread, honouring the call's deadline.
    private static func serve(
        _ ctx: UnsafeMutableRawPointer?, _ call: UnsafePointer<vigor_call>?, _ input: vigor_str,
        _ out: UnsafeMutablePointer<vigor_buf>?,
        _ body: @escaping @Sendable (PluginHostContext, any HostServiceHandler, CallInfo?, [UInt8]) async throws -> [UInt8]
    ) -> vigor_status {
        guard let context = PluginHostContext.from(ctx), let out else { return VIGOR_ERR_INVALID_INPUT }
        guard let handler = context.handler.withLock({ $0 }) else {
            out.pointee = .allocate(Array("host service not available".utf8))
            return VIGOR_ERR_UNAVAILABLE
        }
        let callID = call?.pointee.call_id ?? 0
        let info = context.calls.withLock { $0[callID] }
        let deadline = call.flatMap { $0.pointee.deadline_ms == 0 ? nil : $0.pointee.deadline_ms }
        let bytes = input.bytes
        // The call's deadline was set on the loader's clock; the wait itself is real.
        let clock = VigorClock(now: context.clock)
        let result = BlockingBridge.run(deadlineMs: deadline, clock: clock) { try await body(context, handler, info, bytes) }
        switch result {
        case .success(let bytes):
            out.pointee = .allocate(bytes)
            return VIGOR_OK
        case .failure(let error):
            out.pointee = .allocate(Array(error.message.utf8))
            return error.status
        }
    }
}
