import Foundation
import VigorPluginSDK

/// Parses a streamed Sonar answer: OpenAI-style `data: {chunk}` events, each carrying the
/// running `usage` and the `citations`/`search_results`; the last one has a finish reason
/// (`object: "chat.completion.done"`), optionally followed by `data: [DONE]`. Bytes may arrive
/// split anywhere. A body that ends with no finish reason is a cut stream: the last usage
/// seen is reported, then a `bad_response` error event.
final class PerplexityStreamParser: PluginStream {
    /// Plain (non-SSE) error bodies are kept up to this size so `finish` can parse them.
    private static let rawLimit = 64 * 1024

    private var decoder = SSEDecoder()
    private var think = ThinkFilter()
    /// Set once a finish reason arrived; later events may still update the usage.
    private var finished = false
    /// Set after `[DONE]` or an error event: later bytes are ignored.
    private var closed = false
    private var sentModel = false
    private var sawEvent = false
    private var raw: [UInt8] = []
    private var sentCitations: [String] = []
    private var latestUsage: PerplexityUsage?
    private var sentUsage: PerplexityUsage?

    func feed(_ bytes: [UInt8]) throws -> [StreamEvent] {
        guard !closed else { return [] }
        if !sawEvent, raw.count < Self.rawLimit { raw += bytes.prefix(Self.rawLimit - raw.count) }
        return handle(decoder.feed(bytes))
    }

    func finish() throws -> [StreamEvent] {
        guard !closed else { return [] }
        var events = handle(decoder.finish(), atEnd: true)
        guard !closed, !finished else { return events }
        closed = true
        if !sawEvent, let object = PerplexityErrorObject.parse(String(decoding: raw, as: UTF8.self)) {
            events.append(.error(PerplexityErrors.error(for: object)))
        } else {
            events += usageUpdate()
            events.append(.error(ProviderError(kind: .badResponse, message: "perplexity: stream ended before completion")))
        }
        return events
    }

    /// `atEnd`: the events flushed at the end of input, where an unparseable one is a line
    /// cut short (reported as a cut stream, not as garbage).
    private func handle(_ decoded: [SSEDecoder.Event], atEnd: Bool = false) -> [StreamEvent] {
        var events: [StreamEvent] = []
        for event in decoded where !closed {
            sawEvent = true
            let data = event.trimmedData
            if data == "[DONE]" {
                if !finished { events += close(reason: "stop") }
                closed = true
                break
            }
            guard let chunk = WireJSON.read(PerplexityCompletion.self, from: data) else {
                if atEnd { break }
                let error = PerplexityErrorObject.parse(data).map(PerplexityErrors.error(for:))
                events.append(.error(error ?? ProviderError(kind: .badResponse, message: "perplexity: unparseable stream event")))
                closed = true
                break
            }
            events += handle(chunk)
        }
        return events
    }

    private func handle(_ chunk: PerplexityCompletion) -> [StreamEvent] {
        if let error = chunk.error {
            closed = true
            return [.error(PerplexityErrors.error(for: error))]
        }
        var events: [StreamEvent] = []
        if let usage = chunk.usage { latestUsage = usage }
        if !sentModel, let model = chunk.model, !model.isEmpty {
            sentModel = true
            events.append(.model(model))
        }
        let sources = chunk.sources
        if !sources.isEmpty, sources != sentCitations {
            sentCitations = sources
            events.append(.citations(sources))
        }
        if let choice = chunk.choices?.first {
            // Only `delta` is incremental; a chunk's `message`, when present, repeats the text so far.
            let text = think.feed(choice.delta?.content ?? "")
            if !text.isEmpty { events.append(.delta(text)) }
            if let reason = choice.finishReason, !finished { return events + close(reason: reason) }
        }
        return finished ? events + usageUpdate() : events
    }

    /// The end of the answer: held-back text, the finish reason, the final usage.
    private func close(reason: String) -> [StreamEvent] {
        finished = true
        let rest = think.flush()
        return (rest.isEmpty ? [] : [.delta(rest)]) + [.finish(reason)] + usageUpdate()
    }

    /// A usage event when the latest usage has not been reported yet.
    private func usageUpdate() -> [StreamEvent] {
        guard let usage = latestUsage, usage != sentUsage else { return [] }
        sentUsage = usage
        return [.usage(TokenUsage(promptTokens: usage.promptTokens ?? 0, completionTokens: usage.completionTokens ?? 0))]
    }
}
