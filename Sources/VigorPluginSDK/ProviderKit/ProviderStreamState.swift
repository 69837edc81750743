/// The state every streamed provider answer shares: SSE framing, the phases of the answer
/// (open, finished, closed), a plain error body sent instead of a stream, the model and usage
/// reported once, and the "stream ended before completion" error.
///
/// A provider's parser adopts ``SSEProviderStream`` and keeps one of these; it only reads
/// each event's JSON in its own wire format.
public struct ProviderStreamState: Sendable {
    /// Plain (non-SSE) error bodies are kept up to this size so `finish` can parse them.
    public static let rawLimit = 64 * 1024

    /// The provider's short name, for messages.
    public let provider: String
    /// The data of an event that ends the stream (`[DONE]` for OpenAI-style streams), or nil.
    public let doneSentinel: String?
    /// A finish reason arrived; later events may still update the usage.
    public private(set) var finished = false
    /// `[DONE]` or an error was seen: later bytes are ignored.
    public private(set) var closed = false
    var decoder = SSEDecoder()
    var sawEvent = false
    private var raw: [UInt8] = []
    private var sentModel = false
    private var latestUsage: TokenUsage?
    private var sentUsage: TokenUsage?

    public init(provider: String, doneSentinel: String? = "[DONE]") {
        self.provider = provider
        self.doneSentinel = doneSentinel
    }

    /// Keeps the first bytes while no SSE event was seen (a plain error body instead of a stream).
    mutating func capture(_ bytes: [UInt8]) {
        if !sawEvent, raw.count < Self.rawLimit { raw += bytes.prefix(Self.rawLimit - raw.count) }
    }

    /// The body as text when it held no SSE event at all (to be read as an error object).
    public var unframedBody: String? { sawEvent ? nil : String(decoding: raw, as: UTF8.self) }

    /// Records the finish reason: returns its event (once; nil after the first).
    public mutating func finish(_ reason: String) -> [StreamEvent] {
        guard !finished else { return [] }
        finished = true
        return [.finish(reason)]
    }

    /// Ends the stream with `error`: later bytes are ignored.
    public mutating func fail(_ error: ProviderError) -> [StreamEvent] {
        closed = true
        return [.error(error)]
    }

    /// Ends the stream without an event (after `[DONE]`, or an upstream's own end event).
    public mutating func close() { closed = true }

    /// The model event, the first time a non-empty model is seen.
    public mutating func model(_ model: String?) -> [StreamEvent] {
        guard !sentModel, let model, !model.isEmpty else { return [] }
        sentModel = true
        return [.model(model)]
    }

    /// Records the running usage (cumulative upstreams send it in every event).
    public mutating func noteUsage(_ usage: TokenUsage) { latestUsage = usage }

    /// A usage event when the latest usage has not been reported yet.
    public mutating func usageUpdate() -> [StreamEvent] {
        guard let usage = latestUsage, usage != sentUsage else { return [] }
        sentUsage = usage
        return [.usage(usage)]
    }

    /// An event whose data is not what the provider sends: a `bad_response` error that ends the
    /// stream, except at the end of input, where it is a line cut short (nothing; the cut-stream
    /// error follows).
    public mutating func unparseable(atEnd: Bool) -> [StreamEvent] {
        atEnd ? [] : fail(ProviderError(kind: .badResponse, message: "\(provider): unparseable stream event"))
    }

    /// The error of a body that ended before the answer did.
    public var cutError: ProviderError {
        ProviderError(kind: .badResponse, message: "\(provider): stream ended before completion")
    }
}

/// A provider's stream parser over ``ProviderStreamState``: the SDK implements `feed` and
/// `finish` (SSE splitting, `data:` framing, the done sentinel, the cut-stream error); the
/// plugin reads one event at a time.
public protocol SSEProviderStream: PluginStream {
    /// The shared state; the protocol's methods update it.
    var state: ProviderStreamState { get set }

    /// The events of one SSE event (its `event:` name and `data:`). `atEnd`: it was flushed at
    /// the end of input, so an unreadable one is a line cut short (``ProviderStreamState/unparseable(atEnd:)``).
    func handle(_ event: SSEDecoder.Event, atEnd: Bool) -> [StreamEvent]

    /// The error of a body that held no SSE event (a plain JSON error body), or nil.
    func plainBodyError(_ body: String) -> ProviderError?

    /// The events for the done sentinel; by default the finish reason `stop` when none came
    /// (some compatible servers end with `[DONE]` alone).
    func onDone() -> [StreamEvent]

    /// Events before the cut-stream error (by default the last usage seen).
    func beforeCut() -> [StreamEvent]
}

extension SSEProviderStream {
    public func onDone() -> [StreamEvent] { state.finish("stop") }

    public func beforeCut() -> [StreamEvent] { state.usageUpdate() }

    public func feed(_ bytes: [UInt8]) throws -> [StreamEvent] {
        guard !state.closed else { return [] }
        state.capture(bytes)
        let decoded = state.decoder.feed(bytes)
        return dispatch(decoded, atEnd: false)
    }

    public func finish() throws -> [StreamEvent] {
        guard !state.closed else { return [] }
        let decoded = state.decoder.finish()
        var events = dispatch(decoded, atEnd: true)
        guard !state.closed, !state.finished else { return events }
        if let body = state.unframedBody, let error = plainBodyError(body) {
            events += state.fail(error)
        } else {
            events += beforeCut()
            events += state.fail(state.cutError)
        }
        return events
    }

    private func dispatch(_ decoded: [SSEDecoder.Event], atEnd: Bool) -> [StreamEvent] {
        var events: [StreamEvent] = []
        for event in decoded {
            guard !state.closed else { break }
            state.sawEvent = true
            if let sentinel = state.doneSentinel, event.trimmedData == sentinel {
                events += onDone()
                state.close()
                break
            }
            events += handle(event, atEnd: atEnd)
        }
        return events
    }
}
