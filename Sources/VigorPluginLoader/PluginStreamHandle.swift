import Foundation
import VigorPluginAPI
import VigorPluginSDK

/// The host side of one plugin stream. Not thread-safe: one owner feeds it in order
/// (the ABI's "per stream" rule). Events arrive through the sink while `feed` runs,
/// so each call returns the events it produced.
public final class PluginStreamHandle {
    let component: PluginComponentHandle
    private var stream: OpaquePointer?
    /// The stream's id in the runner process, for an isolated plugin.
    private var remote: UInt64?
    private var pending: [StreamEvent] = []
    /// Heap memory at a stable address: the ABI lets a plugin keep the sink pointer until `on_done`.
    private let sink = UnsafeMutablePointer<vigor_stream_sink>.allocate(capacity: 1)
    /// Set once, when the plugin calls `on_done`.
    public private(set) var doneStatus: vigor_status?
    public private(set) var doneMessage = ""
    /// How the stream failed, in the host's terms: nil while it is open or when it ended well.
    public var failure: PluginCallError.Kind? {
        doneStatus.flatMap { $0 == VIGOR_OK ? nil : PluginCallError.Kind(status: $0) }
    }
    /// Incremented on each `on_done` call; the ABI promises exactly one.
    public private(set) var doneCount = 0
    /// Event payloads the host could not decode (a plugin bug); reported as errors.
    public private(set) var undecodable = 0

    init(component: PluginComponentHandle) {
        self.component = component
    }

    func open(op: String, input: [UInt8], deadlineMs: Int64?) throws(PluginCallError) {
        if let runner = component.runner {
            remote = try runner.openStream(component: component.descriptor.id, op: op, input: input, deadlineMs: deadlineMs).get()
            return
        }
        try openInProcess(op: op, input: input)
    }

    /// Like ``open(op:input:deadlineMs:)``, but an isolated plugin's answer is awaited without
    /// holding a thread (an in-process open runs on the caller's thread, as every in-process call).
    func openAsync(op: String, input: [UInt8], deadlineMs: Int64?) async throws(PluginCallError) {
        if let runner = component.runner {
            let id = component.descriptor.id
            remote = try await runner.openStreamAsync(component: id, op: op, input: input, deadlineMs: deadlineMs).get()
            return
        }
        try openInProcess(op: op, input: input)
    }

    private func openInProcess(op: String, input: [UInt8]) throws(PluginCallError) {
        guard let owner = component.owner, let onOpen = owner.library.table.pointee.on_stream_open else {
            throw PluginCallError(.unsupported, message: "plugin has no on_stream_open")
        }
        sink.initialize(
            to: vigor_stream_sink(
                struct_size: UInt32(MemoryLayout<vigor_stream_sink>.size), reserved: 0,
                user: Unmanaged.passUnretained(self).toOpaque(),
                on_event: { user, event in
                    guard let user else { return }
                    let me = Unmanaged<PluginStreamHandle>.fromOpaque(user).takeUnretainedValue()
                    if let decoded = StreamEvent.fromWire(event.bytes) {
                        me.pending.append(decoded)
                    } else {
                        me.undecodable += 1
                    }
                },
                on_done: { user, status, message in
                    guard let user else { return }
                    let me = Unmanaged<PluginStreamHandle>.fromOpaque(user).takeUnretainedValue()
                    me.doneCount += 1
                    if me.doneStatus == nil {
                        me.doneStatus = status
                        me.doneMessage = message.string
                    }
                }))
        var out = vigor_buf()
        var handle: OpaquePointer?
        let id = component.descriptor.id
        let status = id.utf8CString.withUnsafeBufferPointer { idPtr in
            op.utf8CString.withUnsafeBufferPointer { opPtr in
                input.withUnsafeBufferPointer { inPtr in
                    onOpen(
                        owner.instance, nil, vigor_str(ptr: idPtr.baseAddress, len: idPtr.count - 1),
                        vigor_str(ptr: opPtr.baseAddress, len: opPtr.count - 1), vigor_str(inPtr), sink, &handle, &out)
                }
            }
        }
        let message = out.takeBytes()
        guard status == VIGOR_OK, let handle else {
            throw PluginCallError(
                status: status == VIGOR_OK ? VIGOR_ERR_INTERNAL : status, message: String(decoding: message, as: UTF8.self))
        }
        stream = handle
    }

    /// Feeds bytes; returns the events they completed.
    public func feed(_ bytes: [UInt8]) -> [StreamEvent] {
        if let remote, let runner = component.runner {
            guard doneStatus == nil else { return [] }
            return received(runner.streamStep(.streamFeed, id: remote, fields: [bytes]))
        }
        guard let stream, doneStatus == nil, let feed = component.owner?.library.table.pointee.on_stream_feed else { return [] }
        bytes.withUnsafeBufferPointer { feed(stream, vigor_str($0)) }
        defer { pending.removeAll() }
        return pending
    }

    /// Ends the stream (idempotent); returns the last events. `doneStatus` is set afterwards.
    @discardableResult
    public func close(status: vigor_status = VIGOR_OK, message: String = "") -> [StreamEvent] {
        if let remote, let runner = component.runner {
            self.remote = nil
            return received(runner.streamStep(.streamClose, id: remote, fields: [status, message]))
        }
        guard let stream, let close = component.owner?.library.table.pointee.on_stream_close else { return [] }
        self.stream = nil
        message.utf8CString.withUnsafeBufferPointer { close(stream, status, vigor_str(ptr: $0.baseAddress, len: $0.count - 1)) }
        defer { pending.removeAll() }
        return pending
    }

    /// ``feed(_:)`` without holding a thread while an isolated plugin answers.
    public func feedAsync(_ bytes: [UInt8]) async -> [StreamEvent] {
        guard let remote, let runner = component.runner else { return feed(bytes) }
        guard doneStatus == nil else { return [] }
        return received(await runner.streamStepAsync(.streamFeed, id: remote, fields: [bytes]))
    }

    /// ``close(status:message:)`` without holding a thread while an isolated plugin answers.
    @discardableResult
    public func closeAsync(status: vigor_status = VIGOR_OK, message: String = "") async -> [StreamEvent] {
        guard let remote, let runner = component.runner else { return close(status: status, message: message) }
        self.remote = nil
        return received(await runner.streamStepAsync(.streamClose, id: remote, fields: [status, message]))
    }

    /// Applies a runner's answer: its events, and `on_done` when the plugin called it. A
    /// runner that died ends the stream with an error event.
    private func received(_ result: Result<RunnerFrame, PluginCallError>) -> [StreamEvent] {
        switch result {
        case .failure(let error):
            if doneStatus == nil {
                doneStatus = error.status
                doneMessage = error.message
                doneCount += 1
            }
            remote = nil
            return [.error(ProviderError(kind: .badResponse, message: error.message))]
        case .success(let frame):
            if let status = frame.int(0) {
                doneCount += 1
                if doneStatus == nil {
                    doneStatus = Int32(status)
                    doneMessage = frame.string(1)
                }
            }
            var events: [StreamEvent] = []
            for field in frame.fields.dropFirst(2) {
                if let event = StreamEvent.fromWire(field) { events.append(event) } else { undecodable += 1 }
            }
            return events
        }
    }

    deinit {
        if let remote, let runner = component.runner {
            runner.abandonStream(remote)
            self.remote = nil
        }
        close(status: VIGOR_ERR_CANCELLED, message: "stream abandoned")
        sink.deallocate()
    }
}
