import Foundation
import VigorPluginAPI
import VigorPluginSDK

/// The host side of one plugin stream. Not thread-safe: one owner feeds it in order
/// (the ABI's "per stream" rule). Events arrive through the sink while `feed` runs,
/// so each call returns the events it produced.
public final class PluginStreamHandle {
    let component: PluginComponentHandle
    private var stream: OpaquePointer?
    private var pending: [StreamEvent] = []
    /// Heap memory at a stable address: the ABI lets a plugin keep the sink pointer until `on_done`.
    private let sink = UnsafeMutablePointer<vigor_stream_sink>.allocate(capacity: 1)
    /// Set once, when the plugin calls `on_done`.
    public private(set) var doneStatus: vigor_status?
    public private(set) var doneMessage = ""
    /// Incremented on each `on_done` call; the ABI promises exactly one.
    public private(set) var doneCount = 0
    /// Event payloads the host could not decode (a plugin bug); reported as errors.
    public private(set) var undecodable = 0

    init(component: PluginComponentHandle) {
        self.component = component
    }

    func open(op: String, input: [UInt8]) throws(PluginCallError) {
        let table = component.owner.library.table.pointee
        guard let onOpen = table.on_stream_open else {
            throw PluginCallError(status: VIGOR_ERR_UNSUPPORTED, message: "plugin has no on_stream_open")
        }
        sink.initialize(to: vigor_stream_sink(
            struct_size: UInt32(MemoryLayout<vigor_stream_sink>.size), reserved: 0,
            user: Unmanaged.passUnretained(self).toOpaque(),
            on_event: { user, event in
                guard let user else { return }
                let me = Unmanaged<PluginStreamHandle>.fromOpaque(user).takeUnretainedValue()
                if let decoded = try? JSONDecoder().decode(StreamEvent.self, from: Data(event.bytes)) {
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
                        component.owner.instance, nil, vigor_str(ptr: idPtr.baseAddress, len: idPtr.count - 1),
                        vigor_str(ptr: opPtr.baseAddress, len: opPtr.count - 1), vigor_str(inPtr), sink, &handle, &out)
                }
            }
        }
        let message = out.takeBytes()
        guard status == VIGOR_OK, let handle else {
            throw PluginCallError(status: status == VIGOR_OK ? VIGOR_ERR_INTERNAL : status, message: String(decoding: message, as: UTF8.self))
        }
        stream = handle
    }

    /// Feeds bytes; returns the events they completed.
    public func feed(_ bytes: [UInt8]) -> [StreamEvent] {
        guard let stream, doneStatus == nil, let feed = component.owner.library.table.pointee.on_stream_feed else { return [] }
        bytes.withUnsafeBufferPointer { feed(stream, vigor_str($0)) }
        defer { pending.removeAll() }
        return pending
    }

    /// Ends the stream (idempotent); returns the last events. `doneStatus` is set afterwards.
    @discardableResult
    public func close(status: vigor_status = VIGOR_OK, message: String = "") -> [StreamEvent] {
        guard let stream, let close = component.owner.library.table.pointee.on_stream_close else { return [] }
        self.stream = nil
        message.utf8CString.withUnsafeBufferPointer { close(stream, status, vigor_str(ptr: $0.baseAddress, len: $0.count - 1)) }
        defer { pending.removeAll() }
        return pending
    }

    deinit {
        close(status: VIGOR_ERR_CANCELLED, message: "stream abandoned")
        sink.deallocate()
    }
}
