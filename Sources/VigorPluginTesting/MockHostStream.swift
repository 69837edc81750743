import Foundation
import VigorPluginAPI
import VigorPluginSDK

/// One open plugin stream on a ``MockPluginHost``: feed it bytes split however you like,
/// then close it. Events arrive through a real `vigor_stream_sink`.
///
/// Not thread-safe: like the real host, one owner feeds a stream in order (ABI "per stream").
/// Dropping an open stream closes it with `VIGOR_ERR_CANCELLED`.
public final class MockStream {
    let host: MockPluginHost
    let op: String
    private var handle: OpaquePointer?
    /// The sink lives at a stable address until the stream is gone (the ABI keeps it valid until `on_done`).
    private let sink: UnsafeMutablePointer<vigor_stream_sink>
    private var fresh: [StreamEvent] = []

    /// Every event delivered so far, in order.
    public private(set) var events: [StreamEvent] = []
    /// The status `on_done` reported first (nil until it is called).
    public private(set) var doneStatus: vigor_status?
    /// The message `on_done` reported first.
    public private(set) var doneMessage = ""
    /// How many times `on_done` was called: exactly one once the stream is closed.
    public private(set) var doneCount = 0
    /// Event payloads that were not valid stream events.
    public private(set) var undecodable: [String] = []

    init(host: MockPluginHost, op: String) {
        self.host = host
        self.op = op
        sink = .allocate(capacity: 1)
        sink.initialize(
            to: vigor_stream_sink(
                struct_size: UInt32(MemoryLayout<vigor_stream_sink>.size), reserved: 0, user: nil,
                on_event: { user, event in
                    guard let user else { return }
                    Unmanaged<MockStream>.fromOpaque(user).takeUnretainedValue().received(event.bytes)
                },
                on_done: { user, status, message in
                    guard let user else { return }
                    Unmanaged<MockStream>.fromOpaque(user).takeUnretainedValue().finished(status, message.string)
                }))
        sink.pointee.user = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        if handle != nil { close(status: VIGOR_ERR_CANCELLED, message: "stream abandoned") }
        sink.deinitialize(count: 1)
        sink.deallocate()
    }

    func open(component: String, input: [UInt8], deadlineMs: Int64?) throws(PluginError) {
        guard let onOpen = try host.liveTable().on_stream_open else { throw PluginError.unsupported("plugin has no on_stream_open") }
        var out = vigor_buf()
        var opened: OpaquePointer?
        let status = host.withCall(deadlineMs: deadlineMs, cancelled: false) { call in
            MockPluginHost.withStr(component) { id in
                MockPluginHost.withStr(op) { name in
                    input.withUnsafeBufferPointer { onOpen(host.plugin.instance, call, id, name, vigor_str($0), sink, &opened, &out) }
                }
            }
        }
        let message = String(decoding: MockPluginHost.take(&out, host.state, "on_stream_open(\(op)) message"), as: UTF8.self)
        if doneCount > 0 { host.state.violation("on_stream_open(\(op)): the sink was called although the stream did not open yet") }
        guard status == VIGOR_OK, let opened else {
            throw PluginError(
                status: status == VIGOR_OK ? VIGOR_ERR_INTERNAL : status, message: status == VIGOR_OK ? "no stream returned" : message)
        }
        handle = opened
    }

    /// Feeds the next bytes; returns the events they completed. Ignored once `on_done` has come.
    @discardableResult
    public func feed(_ bytes: [UInt8]) -> [StreamEvent] {
        guard let handle, doneStatus == nil, let feed = host.plugin.table.pointee.on_stream_feed else { return [] }
        bytes.withUnsafeBufferPointer { feed(handle, vigor_str($0)) }
        defer { fresh.removeAll() }
        return fresh
    }

    /// Feeds the UTF-8 bytes of `text`.
    @discardableResult
    public func feed(_ text: String) -> [StreamEvent] { feed(Array(text.utf8)) }

    /// Ends the stream (`VIGOR_OK` = end of input, else the reason); returns the last events.
    /// Idempotent. Afterwards `on_done` must have been called exactly once.
    @discardableResult
    public func close(status: vigor_status = VIGOR_OK, message: String = "") -> [StreamEvent] {
        guard let handle, let close = host.plugin.table.pointee.on_stream_close else { return [] }
        self.handle = nil
        MockPluginHost.withStr(message) { close(handle, status, $0) }
        if doneCount != 1 { host.state.violation("stream \(op): on_done called \(doneCount) times (the ABI says exactly once)") }
        defer { fresh.removeAll() }
        return fresh
    }

    /// What the stream produced so far.
    public var result: MockStreamResult {
        MockStreamResult(events: events, doneStatus: doneStatus, doneMessage: doneMessage, doneCount: doneCount)
    }

    private func received(_ bytes: [UInt8]) {
        if doneCount > 0 { host.state.violation("stream \(op): an event arrived after on_done") }
        guard let event = try? JSONDecoder().decode(StreamEvent.self, from: Data(bytes)) else {
            undecodable.append(String(decoding: bytes, as: UTF8.self))
            host.state.violation("stream \(op): undecodable event \(String(decoding: bytes.prefix(200), as: UTF8.self))")
            return
        }
        events.append(event)
        fresh.append(event)
    }

    private func finished(_ status: vigor_status, _ message: String) {
        doneCount += 1
        if doneStatus == nil {
            doneStatus = status
            doneMessage = message
        }
    }
}

/// What a stream produced, with the usual questions about it answered.
public struct MockStreamResult: Sendable, Hashable {
    public var events: [StreamEvent]
    public var doneStatus: vigor_status?
    public var doneMessage: String
    public var doneCount: Int

    /// The delta texts joined.
    public var text: String {
        events.reduce(into: "") { text, event in
            if case .delta(let piece) = event { text += piece }
        }
    }

    /// The last finish reason.
    public var finishReason: String? {
        events.lazy.reversed().compactMap { if case .finish(let reason) = $0 { reason } else { nil } }.first
    }

    /// The last usage report.
    public var usage: TokenUsage? {
        events.lazy.reversed().compactMap { if case .usage(let usage) = $0 { usage } else { nil } }.first
    }

    /// The model the upstream reported.
    public var model: String? {
        events.lazy.reversed().compactMap { if case .model(let model) = $0 { model } else { nil } }.first
    }

    /// Citations, in order.
    public var citations: [String] {
        events.reduce(into: [String]()) { all, event in
            if case .citations(let list) = event { all += list }
        }
    }

    /// The first error event.
    public var error: ProviderError? {
        events.lazy.compactMap { if case .error(let error) = $0 { error } else { nil } }.first
    }
}

extension MockPluginHost {
    /// Opens a stream (`on_stream_open`) on a component, e.g. `provider.stream` with a chat request.
    public func openStream<Input: Encodable>(
        _ component: String, _ op: String = "provider.stream", input: Input, deadlineMs: Int64? = nil
    ) throws(PluginError) -> MockStream {
        let stream = MockStream(host: self, op: op)
        try stream.open(component: component, input: MockWire.encode(input), deadlineMs: deadlineMs)
        return stream
    }

    /// Runs a whole stream over recorded bytes (an upstream SSE body, say) fed in
    /// `chunkSize`-byte pieces (0: all at once), then closes it with `status`.
    public func stream<Input: Encodable>(
        _ component: String, _ op: String = "provider.stream", input: Input, body: [UInt8], chunkSize: Int = 16,
        closeWith status: vigor_status = VIGOR_OK, message: String = ""
    ) throws(PluginError) -> MockStreamResult {
        let size = chunkSize > 0 ? chunkSize : max(1, body.count)
        let chunks = stride(from: 0, to: body.count, by: size).map { Array(body[$0..<min($0 + size, body.count)]) }
        return try stream(component, op, input: input, chunks: chunks, closeWith: status, message: message)
    }

    /// Runs a whole stream over the given chunks, in order, then closes it with `status`.
    public func stream<Input: Encodable>(
        _ component: String, _ op: String = "provider.stream", input: Input, chunks: [[UInt8]],
        closeWith status: vigor_status = VIGOR_OK, message: String = ""
    ) throws(PluginError) -> MockStreamResult {
        let stream = try openStream(component, op, input: input)
        for chunk in chunks { stream.feed(chunk) }
        stream.close(status: status, message: message)
        return stream.result
    }
}
