import Foundation
import Synchronization
import VigorPluginAPI
import VigorPluginSDK

/// An initialised plugin library: its instance and host context. Never unloaded.
final class PluginInstanceHandle: @unchecked Sendable {
    // The instance pointer is owned by the plugin and valid for the process; the plugin
    // promises that its operations are callable from any thread (ABI thread rules).
    let library: PluginLibrary
    let instance: OpaquePointer?
    let hostContext: PluginHostContext

    init(library: PluginLibrary, instance: OpaquePointer?, hostContext: PluginHostContext) {
        self.library = library
        self.instance = instance
        self.hostContext = hostContext
    }
}

/// One component (provider or generator) of a loaded plugin, as the host calls it: in
/// this process through the C table, or, for an isolated plugin, in its runner process.
public final class PluginComponentHandle: Sendable {
    public let descriptor: ComponentDescriptor
    let owner: PluginInstanceHandle?
    /// The `vigor plugin-runner` process serving this component, when it is isolated.
    public let runner: PluginRunner?

    /// The library file the component came from.
    public var path: String { runner?.sourcePath ?? owner?.library.path ?? "" }
    /// Provider short name used in routing and reports (descriptor `provider`, else the id's
    /// last part). Made once: the router asks for it many times a request.
    public let providerName: String

    init(descriptor: ComponentDescriptor, owner: PluginInstanceHandle) {
        self.descriptor = descriptor
        self.owner = owner
        self.runner = nil
        self.providerName = Self.providerName(of: descriptor)
    }

    init(descriptor: ComponentDescriptor, runner: PluginRunner) {
        self.descriptor = descriptor
        self.owner = nil
        self.runner = runner
        self.providerName = Self.providerName(of: descriptor)
    }

    static func providerName(of descriptor: ComponentDescriptor) -> String {
        descriptor.provider ?? descriptor.id.split(separator: ".").last.map(String.init) ?? descriptor.id
    }

    private static let nextCallID = Atomic<UInt64>(1)

    /// Calls `on_invoke` and blocks the current thread for the answer.
    public func invoke(
        op: String, input: [UInt8], deadlineMs: Int64? = nil, call info: CallInfo? = nil,
        cancelled: CancelFlag? = nil
    ) throws(PluginCallError) -> [UInt8] {
        if let runner {
            return try runner.invoke(component: descriptor.id, op: op, input: input, deadlineMs: deadlineMs, info: info).get()
        }
        guard let owner, let onInvoke = owner.library.table.pointee.on_invoke else {
            throw PluginCallError(.unsupported, message: "plugin has no on_invoke")
        }
        let flag = cancelled ?? CancelFlag()
        let callID = Self.nextCallID.wrappingAdd(1, ordering: .relaxed).oldValue
        if let info { owner.hostContext.calls.withLock { $0[callID] = info } }
        defer { if info != nil { _ = owner.hostContext.calls.withLock { $0.removeValue(forKey: callID) } } }
        // `deadlineMs` is on the loader's clock; the plugin reads its deadline on the real one.
        let wallDeadline = deadlineMs.map { VigorClock(now: owner.hostContext.clock).wallDeadline($0) } ?? 0
        var call = vigor_call(
            struct_size: UInt32(MemoryLayout<vigor_call>.size), reserved: 0, call_id: callID,
            deadline_ms: wallDeadline, cancelled: UnsafePointer(flag.pointer))
        var out = vigor_buf()
        let status: vigor_status = withExtendedLifetime(flag) {
            descriptor.id.utf8CString.withUnsafeBufferPointer { idPtr in
                op.utf8CString.withUnsafeBufferPointer { opPtr in
                    input.withUnsafeBufferPointer { inPtr in
                        onInvoke(
                            owner.instance, &call, vigor_str(ptr: idPtr.baseAddress, len: idPtr.count - 1),
                            vigor_str(ptr: opPtr.baseAddress, len: opPtr.count - 1), vigor_str(inPtr), &out)
                    }
                }
            }
        }
        let bytes = out.takeBytes()
        guard status == VIGOR_OK else {
            throw PluginCallError(status: status, message: String(decoding: bytes, as: UTF8.self))
        }
        return bytes
    }

    /// Like ``invoke(op:input:deadlineMs:call:cancelled:)``, but an isolated plugin's answer
    /// is awaited without holding a thread. In-process calls (translators, microseconds)
    /// run on the caller's thread.
    public func invokeAsync(op: String, input: [UInt8], deadlineMs: Int64? = nil, call info: CallInfo? = nil) async throws(PluginCallError)
        -> [UInt8]
    {
        if let runner {
            return try await runner.invokeAsync(component: descriptor.id, op: op, input: input, deadlineMs: deadlineMs, info: info).get()
        }
        return try invoke(op: op, input: input, deadlineMs: deadlineMs, call: info)
    }

    /// Typed convenience over ``invoke(op:input:deadlineMs:call:cancelled:)``.
    public func invoke<Input: Encodable, Output: Decodable>(
        _ op: String, _ input: Input, as: Output.Type, deadlineMs: Int64? = nil, call info: CallInfo? = nil
    ) throws -> Output {
        try decode(op, try invoke(op: op, input: WireJSON.encode(input), deadlineMs: deadlineMs, call: info))
    }

    /// Typed convenience over ``invokeAsync(op:input:deadlineMs:call:)``.
    public func invokeAsync<Input: Encodable, Output: Decodable>(
        _ op: String, _ input: Input, as: Output.Type, deadlineMs: Int64? = nil, call info: CallInfo? = nil
    ) async throws -> Output {
        try decode(op, try await invokeAsync(op: op, input: WireJSON.encode(input), deadlineMs: deadlineMs, call: info))
    }

    /// Typed convenience for payloads that write and read themselves (every payload of the
    /// provider calls): no dynamic cast to find the direct coding, in or out.
    public func invokeAsync<Input: Encodable & WireEncodable, Output: Decodable & WireDecodable>(
        _ op: String, _ input: Input, as: Output.Type, deadlineMs: Int64? = nil, call info: CallInfo? = nil
    ) async throws -> Output {
        let bytes = try await invokeAsync(op: op, input: WireJSON.bytes(of: input), deadlineMs: deadlineMs, call: info)
        return try decode(op, bytes) { try WireJSON.decode(Output.self, from: $0) }
    }

    private func decode<Output: Decodable>(_ op: String, _ bytes: [UInt8]) throws -> Output {
        try decode(op, bytes) { try WireJSON.decode(Output.self, from: $0) }
    }

    /// Decodes a plugin's output. An upstream request is checked against the component's
    /// declared secrets here, the one place every plugin-built request passes through.
    private func decode<Output>(_ op: String, _ bytes: [UInt8], _ read: ([UInt8]) throws -> Output) throws -> Output {
        let output: Output
        do {
            output = try read(bytes)
        } catch let error as PluginError {
            throw PluginCallError(
                .internal, message: "plugin \(descriptor.id) returned invalid \(op) output: \(error.message)")
        } catch {
            throw PluginCallError(.internal, message: "plugin \(descriptor.id) returned invalid \(op) output: \(error)")
        }
        // The metatype compare first: a cast per call for the outputs that are not requests.
        if Output.self == UpstreamRequest.self, let request = output as? UpstreamRequest,
            let secret = SecretGrant.undeclared(in: request, declared: descriptor.secrets)
        {
            throw PluginCallError(
                .internal,
                message: SecretGrant.refusal(secret: secret, plugin: descriptor.id, declared: descriptor.secrets))
        }
        return output
    }

    /// Opens a stream (`on_stream_open`); feed it upstream bytes and close it exactly once.
    ///
    /// For an isolated plugin, `deadlineMs` (Unix epoch milliseconds on the loader's clock)
    /// is when its runner closes the stream whatever the owner does (default: ten minutes
    /// from now); each step also has its own deadline. An in-process stream runs on the
    /// caller's thread and has none.
    public func openStream(op: String, input: [UInt8], deadlineMs: Int64? = nil) throws(PluginCallError) -> PluginStreamHandle {
        let stream = PluginStreamHandle(component: self)
        try stream.open(op: op, input: input, deadlineMs: deadlineMs)
        return stream
    }

    /// Like ``openStream(op:input:deadlineMs:)``, but an isolated plugin's open is awaited
    /// without blocking the calling thread (the router's path: a plugin that hangs in
    /// `on_stream_open` must not hold one of the host's threads until its deadline).
    public func openStreamAsync(op: String, input: [UInt8], deadlineMs: Int64? = nil) async throws(PluginCallError)
        -> PluginStreamHandle
    {
        let stream = PluginStreamHandle(component: self)
        try await stream.openAsync(op: op, input: input, deadlineMs: deadlineMs)
        return stream
    }
}
