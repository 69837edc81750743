import Foundation
import Synchronization
import VigorPluginAPI
import VigorPluginSDK

/// An in-process host for unit-testing a plugin: no `dlopen`, no server, no network.
///
/// It drives the plugin through its C entry table exactly as the real host does — `on_init`
/// with a real `vigor_host_api` table, `on_describe`, `on_invoke`, the stream functions and
/// `on_shutdown`, JSON in and out, buffers released with their own `release` — while the host
/// services behind that table are scripted by the test:
///
/// ```swift
/// let host = try MockPluginHost(components: [StretchCoach()])
/// host.http.script(url: "https://api.example.com/v1/chat", try fixtures.response("success.json"))
/// let result = try host.complete("dev.example.stretch", ChatRequest(messages: [.init(role: "user", content: "hi")]))
/// #expect(host.logLines.contains("answered"))
/// ```
///
/// A Swift plugin's components go through the SDK's own thunks (``init(components:options:)``,
/// ``init(options:factory:)``); any other plugin — a C plugin compiled into the test, say — is
/// driven through its entry table (``init(entryTable:options:)``).
///
/// Everything the plugin does against the ABI's rules (a non-empty output buffer without a
/// `release`, `on_done` not called exactly once, events after `on_done`) is recorded in
/// ``violations``; a well-behaved plugin leaves it empty.
public final class MockPluginHost: Sendable {
    /// How the host presents itself.
    public var options: MockHostOptions { state.options }
    /// Scripted `vigor.http/1` and the requests the plugin (or ``complete(_:_:baseURL:deadlineMs:)``) made.
    public var http: MockHTTP { state.http }
    /// The fake `vigor.llm/1` for generators.
    public var llm: MockLLM { state.llm }
    /// The controllable `vigor.clock/1`.
    public var clock: MockClock { state.clock }
    /// What the plugin logged through `vigor.log/1`, with levels.
    public var logEntries: [MockLogEntry] { state.log.withLock { $0 } }
    /// What the plugin logged through `vigor.log/1`: the messages only.
    public var logLines: [String] { logEntries.map(\.message) }
    /// ABI rule breaches seen so far (empty for a well-behaved plugin).
    public var violations: [String] { state.violations.withLock { $0 } }
    /// The plugin's descriptor, from `on_describe`.
    public let descriptor: PluginDescriptor
    /// The plugin's components.
    public var components: [ComponentDescriptor] { descriptor.plugins }

    let state: MockHostState
    let plugin: LivePlugin
    private let isShutDown = Mutex(false)
    private let nextCallID = Atomic<UInt64>(1)

    /// An initialised plugin: its entry table and the instance `on_init` returned. The table
    /// is static plugin data and the plugin promises its operations are callable from any
    /// thread (ABI thread rules), which is what makes sharing these pointers sound.
    struct LivePlugin: @unchecked Sendable {
        let table: UnsafePointer<vigor_plugin_table>
        let instance: OpaquePointer?
    }

    /// Hosts Swift components through the SDK's C thunks.
    public convenience init(components: [any PluginComponent], options: MockHostOptions = MockHostOptions()) throws(PluginError) {
        try self.init(options: options) { _ in components }
    }

    /// Hosts the components a plugin factory builds — the same closure a plugin passes to
    /// `PluginExport.table`, given the mock's services as ``HostServices``.
    public convenience init(options: MockHostOptions = MockHostOptions(), factory: @escaping PluginExport.Factory) throws(PluginError) {
        try self.init(table: PluginExport.entryTablePointer, state: MockHostState(options: options), factory: factory)
    }

    /// Hosts any plugin through its entry table: what its `vigor_plugin_entry` returns (a C
    /// plugin compiled into the test target, or a Swift plugin's exported entry function).
    public convenience init(entryTable: UnsafeRawPointer, options: MockHostOptions = MockHostOptions()) throws(PluginError) {
        try self.init(
            table: entryTable.assumingMemoryBound(to: vigor_plugin_table.self), state: MockHostState(options: options), factory: nil)
    }

    /// Boots the plugin behind `table` against `state` (kept by the caller, e.g. to inspect
    /// what a refused `on_init` left behind), building components with `factory` if given.
    init(table: UnsafePointer<vigor_plugin_table>, state: MockHostState, factory: PluginExport.Factory?) throws(PluginError) {
        let booted: (instance: OpaquePointer?, descriptor: PluginDescriptor)
        if let factory {
            do {
                booted = try PluginExport.withFactory(factory) { _ in try Self.boot(table, state) }
            } catch let error as PluginError {
                throw error
            } catch {
                throw PluginError.internalError("\(error)")
            }
        } else {
            booted = try Self.boot(table, state)
        }
        self.state = state
        self.plugin = LivePlugin(table: table, instance: booted.instance)
        self.descriptor = booted.descriptor
    }

    deinit { shutdown() }

    /// The smallest entry table a v1 host can use: the compatibility record and every v1.0 operation.
    static let minimumTableSize = MemoryLayout<vigor_plugin_table>.offset(of: \.on_shutdown)! + MemoryLayout<UnsafeRawPointer>.size

    /// Checks the compatibility record, then `on_init` and `on_describe`, as the loader does.
    static func boot(
        _ table: UnsafePointer<vigor_plugin_table>, _ state: MockHostState
    ) throws(PluginError) -> (instance: OpaquePointer?, descriptor: PluginDescriptor) {
        let record = table.pointee
        func incompatible(_ message: String) -> PluginError { PluginError(status: VIGOR_ERR_INCOMPATIBLE, message: message) }
        guard record.magic == VIGOR_PLUGIN_MAGIC else { throw incompatible(String(format: "bad magic 0x%08x", record.magic)) }
        guard record.abi_major == UInt16(VIGOR_ABI_MAJOR), record.abi_minor <= UInt16(VIGOR_ABI_MINOR) else {
            throw incompatible(
                "plugin built for ABI \(record.abi_major).\(record.abi_minor), host is \(VIGOR_ABI_MAJOR).\(VIGOR_ABI_MINOR)")
        }
        guard Int(record.struct_size) >= minimumTableSize, let onInit = record.on_init, let onDescribe = record.on_describe else {
            throw incompatible("entry table is \(record.struct_size) bytes or lacks on_init/on_describe")
        }
        var instance: OpaquePointer?
        var error = vigor_buf()
        let status = onInit(UnsafePointer(state.apiTable.pointer), &instance, &error)
        let message = String(decoding: take(&error, state, "on_init message"), as: UTF8.self)
        guard status == VIGOR_OK else {
            throw PluginError(status: status, message: message.isEmpty ? "on_init failed with status \(status)" : message)
        }
        var out = vigor_buf()
        let describeStatus = onDescribe(instance, &out)
        let bytes = take(&out, state, "on_describe output")
        do throws(PluginError) {
            guard describeStatus == VIGOR_OK else {
                throw PluginError(status: describeStatus, message: "on_describe: \(String(decoding: bytes, as: UTF8.self))")
            }
            let descriptor = try MockWire.decode(PluginDescriptor.self, from: bytes)
            let ids = descriptor.plugins.map(\.id)
            guard !ids.isEmpty, Set(ids).count == ids.count else {
                throw PluginError.invalidInput("descriptor lists no components or an id twice: \(ids)")
            }
            state.allowedHosts.withLock { $0 = descriptor.plugins.flatMap(\.allowedHosts) }
            return (instance, descriptor)
        } catch {
            record.on_shutdown?(instance)
            throw error
        }
    }

    /// The component with `id`, if the plugin describes one.
    public func component(_ id: String) -> ComponentDescriptor? { components.first { $0.id == id } }

    /// Calls `on_invoke` with raw JSON bytes; the output on `VIGOR_OK`, else the plugin's
    /// status and message as a ``PluginError``.
    ///
    /// - Parameters:
    ///   - deadlineMs: the call's wall-clock deadline (Unix epoch ms, real time); nil for none.
    ///   - cancelled: set the call's cancellation flag before the call.
    public func invoke(
        _ component: String, _ op: String, input: [UInt8], deadlineMs: Int64? = nil, cancelled: Bool = false
    ) throws(PluginError) -> [UInt8] {
        let live = try liveTable()
        guard let onInvoke = live.on_invoke else { throw PluginError.unsupported("plugin has no on_invoke") }
        var out = vigor_buf()
        let status = withCall(deadlineMs: deadlineMs, cancelled: cancelled) { call in
            Self.withStr(component) { id in
                Self.withStr(op) { name in
                    input.withUnsafeBufferPointer { onInvoke(plugin.instance, call, id, name, vigor_str($0), &out) }
                }
            }
        }
        let bytes = Self.take(&out, state, "on_invoke(\(op)) output")
        guard status == VIGOR_OK else { throw PluginError(status: status, message: String(decoding: bytes, as: UTF8.self)) }
        return bytes
    }

    /// Calls `on_invoke` with a typed input and decodes the typed output, e.g.
    /// `try host.invoke(id, "provider.build_request", input, as: UpstreamRequest.self)`.
    public func invoke<Input: Encodable, Output: Decodable>(
        _ component: String, _ op: String, _ input: Input, as output: Output.Type, deadlineMs: Int64? = nil, cancelled: Bool = false
    ) throws(PluginError) -> Output {
        let bytes = try invoke(component, op, input: MockWire.encode(input), deadlineMs: deadlineMs, cancelled: cancelled)
        do {
            return try JSONDecoder().decode(Output.self, from: Data(bytes))
        } catch {
            throw PluginError.internalError("\(component) returned invalid \(op) output: \(error)")
        }
    }

    /// Releases the plugin instance (`on_shutdown`); later calls fail. Idempotent; also done
    /// when the host is released.
    public func shutdown() {
        let first = isShutDown.withLock { done in
            defer { done = true }
            return !done
        }
        if first { plugin.table.pointee.on_shutdown?(plugin.instance) }
    }

    /// The entry table, or an error once the host is shut down.
    func liveTable() throws(PluginError) -> vigor_plugin_table {
        guard !isShutDown.withLock({ $0 }) else { throw PluginError.internalError("mock host was shut down") }
        return plugin.table.pointee
    }

    /// Runs `body` with a `vigor_call` for one operation: unique id, deadline, cancellation flag.
    func withCall<R>(deadlineMs: Int64?, cancelled: Bool, _ body: (UnsafePointer<vigor_call>) -> R) -> R {
        let flag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        flag.initialize(to: cancelled ? 1 : 0)
        defer { flag.deallocate() }
        var call = vigor_call(
            struct_size: UInt32(MemoryLayout<vigor_call>.size), reserved: 0,
            call_id: nextCallID.wrappingAdd(1, ordering: .relaxed).oldValue, deadline_ms: deadlineMs ?? 0,
            cancelled: UnsafePointer(flag))
        return withUnsafePointer(to: &call) { body($0) }
    }

    /// A borrowed `vigor_str` over a string's UTF-8 bytes for the duration of `body`.
    static func withStr<R>(_ string: String, _ body: (vigor_str) -> R) -> R {
        Array(string.utf8).withUnsafeBufferPointer { body(vigor_str($0)) }
    }

    /// Takes a buffer the plugin filled: copies the bytes and releases it with its own
    /// `release`. A non-empty buffer without one is an ownership breach: recorded and leaked
    /// (freeing plugin memory with the host's allocator is exactly what the ABI forbids).
    static func take(_ buffer: inout vigor_buf, _ state: MockHostState, _ what: String) -> [UInt8] {
        let bytes: [UInt8] = buffer.ptr.map { buffer.len > 0 ? Array(UnsafeRawBufferPointer(start: $0, count: buffer.len)) : [] } ?? []
        if let release = buffer.release {
            withUnsafeMutablePointer(to: &buffer) { release($0) }
            if buffer.ptr != nil { state.buffers.withLock { $0.notReset += 1 } }
            state.buffers.withLock { $0.released += 1 }
        } else if !bytes.isEmpty {
            state.violation("\(what): a \(bytes.count)-byte buffer has no release function")
        }
        buffer = vigor_buf()
        return bytes
    }
}
