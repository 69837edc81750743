import Foundation
import Synchronization
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

/// What lies behind a mock host's `host_ctx`: the scripted services and what the plugin did.
///
/// Plugins may keep the host table and its `host_ctx` for the life of the process (ABI rule),
/// so every state is kept alive by ``MockHostState/all`` and never freed.
final class MockHostState: Sendable {
    let options: MockHostOptions
    let http = MockHTTP()
    let llm = MockLLM()
    let clock: MockClock
    let log = Mutex<[MockLogEntry]>([])
    let allowedHosts = Mutex<[String]>([])
    let violations = Mutex<[String]>([])
    /// Output buffers released through their own `release`, and how many of those it left set.
    let buffers = Mutex<(released: Int, notReset: Int)>((0, 0))
    let apiTable: MockHostTables.HostTable

    /// Every state ever made: `host_ctx` must stay valid for the process.
    private static let all = Mutex<[MockHostState]>([])

    init(options: MockHostOptions) {
        self.options = options
        clock = MockClock(start: options.start)
        apiTable = MockHostTables.HostTable(pointer: .allocate(capacity: 1))
        apiTable.pointer.initialize(
            to: vigor_host_api(
                struct_size: UInt32(MemoryLayout<vigor_host_api>.size), abi_major: options.abiMajor, abi_minor: options.abiMinor,
                host_ctx: Unmanaged.passUnretained(self).toOpaque(), get_service: MockHostTables.getService))
        Self.all.withLock { $0.append(self) }
    }

    static func from(_ ctx: UnsafeMutableRawPointer?) -> MockHostState? {
        ctx.map { Unmanaged<MockHostState>.fromOpaque($0).takeUnretainedValue() }
    }

    func violation(_ message: String) { violations.withLock { $0.append(message) } }
}

/// The C side of the mock host: the `vigor_host_api` table and the service tables, whose
/// functions find their ``MockHostState`` through `host_ctx` — the same shape as the real host.
enum MockHostTables {
    /// A host table allocated once and never freed (plugins may keep it); immutable after init.
    struct HostTable: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<vigor_host_api>
    }

    /// The service tables: static, immutable, process-lifetime C memory.
    struct Services: @unchecked Sendable {
        let log: UnsafeMutablePointer<vigor_log_v1>
        let clock: UnsafeMutablePointer<vigor_clock_v1>
        let http: UnsafeMutablePointer<vigor_http_v1>
        let llm: UnsafeMutablePointer<vigor_llm_v1>
    }

    static let services: Services = {
        func make<T>(_ value: T) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
            pointer.initialize(to: value)
            return pointer
        }
        return Services(
            log: make(vigor_log_v1(struct_size: UInt32(MemoryLayout<vigor_log_v1>.size), log: log)),
            clock: make(vigor_clock_v1(struct_size: UInt32(MemoryLayout<vigor_clock_v1>.size), now_ms: nowMs, monotonic_ns: monotonicNs)),
            http: make(vigor_http_v1(struct_size: UInt32(MemoryLayout<vigor_http_v1>.size), request: http)),
            llm: make(vigor_llm_v1(struct_size: UInt32(MemoryLayout<vigor_llm_v1>.size), complete: complete)))
    }()

    static let getService: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> UnsafeRawPointer? = { ctx, id in
        guard let state = MockHostState.from(ctx), let id, let service = MockHostService(id: String(cString: id)),
            state.options.services.contains(service)
        else { return nil }
        switch service {
        case .log: return UnsafeRawPointer(services.log)
        case .clock: return UnsafeRawPointer(services.clock)
        case .http: return UnsafeRawPointer(services.http)
        case .llm: return UnsafeRawPointer(services.llm)
        }
    }

    static let log: @convention(c) (UnsafeMutableRawPointer?, Int32, vigor_str) -> Void = { ctx, level, message in
        guard let state = MockHostState.from(ctx) else { return }
        let entry = MockLogEntry(
            level: HostServices.LogLevel(rawValue: max(0, min(3, level))) ?? .info,
            message: String(decoding: message.bytes.prefix(4096), as: UTF8.self))
        state.log.withLock { $0.append(entry) }
        if state.options.echoLog { FileHandle.standardError.write(Data("[plugin] \(entry)\n".utf8)) }
    }

    static let nowMs: @convention(c) (UnsafeMutableRawPointer?) -> Int64 = { ctx in
        MockHostState.from(ctx)?.clock.nowMs ?? Int64(Date().timeIntervalSince1970 * 1000)
    }

    static let monotonicNs: @convention(c) (UnsafeMutableRawPointer?) -> UInt64 = { ctx in
        MockHostState.from(ctx)?.clock.monotonicNanoseconds ?? DispatchTime.now().uptimeNanoseconds
    }

    static let http:
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafePointer<vigor_call>?, vigor_str, UnsafeMutablePointer<vigor_buf>?
        ) -> vigor_status = { ctx, call, input, out in
            serve(ctx, call, input, out) { state, bytes throws(PluginError) in
                let request = try MockWire.decode(UpstreamRequest.self, from: bytes)
                if state.options.enforceAllowedHosts {
                    let host = URL(string: request.url)?.host ?? ""
                    let allowed = state.allowedHosts.withLock { $0 }
                    guard HostAllowList.allows(host, patterns: allowed) else {
                        throw PluginError.unavailable("host \"\(host)\" is not in the plugin's allowed_hosts \(allowed)")
                    }
                }
                return try MockWire.encode(state.http.handle(request))
            }
        }

    static let complete:
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafePointer<vigor_call>?, vigor_str, UnsafeMutablePointer<vigor_buf>?
        ) -> vigor_status = { ctx, call, input, out in
            serve(ctx, call, input, out) { state, bytes throws(PluginError) in
                try MockWire.encode(state.llm.handle(MockWire.decode(ChatRequest.self, from: bytes)))
            }
        }

    /// A blocking service call as the host serves it: refuse a cancelled or expired call,
    /// run the service, answer with a host-owned buffer (released with `free`).
    private static func serve(
        _ ctx: UnsafeMutableRawPointer?, _ call: UnsafePointer<vigor_call>?, _ input: vigor_str,
        _ out: UnsafeMutablePointer<vigor_buf>?, _ body: (MockHostState, [UInt8]) throws(PluginError) -> [UInt8]
    ) -> vigor_status {
        guard let state = MockHostState.from(ctx), let out else { return VIGOR_ERR_INVALID_INPUT }
        do throws(PluginError) {
            if let call {
                if let flag = call.pointee.cancelled, flag.pointee != 0 { throw PluginError.cancelled() }
                let deadline = call.pointee.deadline_ms
                if deadline != 0, Int64(Date().timeIntervalSince1970 * 1000) >= deadline { throw PluginError.deadline() }
            }
            out.pointee = .allocate(try body(state, input.bytes))
            return VIGOR_OK
        } catch {
            out.pointee = .allocate(Array(error.message.utf8))
            return error.status
        }
    }
}
