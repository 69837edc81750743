import Foundation
import VigorPluginSDK

/// Parses `:streamGenerateContent?alt=sse`: every `data:` event is a whole
/// `GenerateContentResponse` carrying the next text and the running `usageMetadata`;
/// there is no `[DONE]`, the last event has the candidate's `finishReason`. Bytes may arrive
/// split anywhere. A body that ends with no finish reason is a cut stream: the last usage
/// seen is reported, then a `bad_response` error event.
final class GeminiStreamParser: PluginStream {
    /// Plain (non-SSE) error bodies are kept up to this size so `finish` can parse them.
    private static let rawLimit = 64 * 1024

    private var decoder = SSEDecoder()
    /// Set once a finish reason arrived; later events may still update the usage.
    private var finished = false
    /// Set after an error event: later bytes are ignored.
    private var closed = false
    private var sentModel = false
    private var sawEvent = false
    private var raw: [UInt8] = []
    private var latestUsage: GeminiResponse.UsageMetadata?
    private var sentUsage: GeminiResponse.UsageMetadata?

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
        if !sawEvent, let object = GeminiErrorEnvelope.parse(String(decoding: raw, as: UTF8.self)) {
            events.append(.error(GeminiErrors.error(for: object, status: nil)))
        } else {
            events += usageUpdate()
            events.append(.error(ProviderError(kind: .badResponse, message: "gemini: stream ended before completion")))
        }
        return events
    }

    /// `atEnd`: the events flushed at the end of input, where an unparseable one is a line
    /// cut short (reported as a cut stream, not as garbage).
    private func handle(_ decoded: [SSEDecoder.Event], atEnd: Bool = false) -> [StreamEvent] {
        var events: [StreamEvent] = []
        for event in decoded where !closed {
            sawEvent = true
            guard let chunk = WireJSON.read(GeminiResponse.self, from: event.data) else {
                if atEnd { break }
                events.append(.error(ProviderError(kind: .badResponse, message: "gemini: unparseable stream event")))
                closed = true
                break
            }
            events += handle(chunk)
        }
        return events
    }

    private func handle(_ chunk: GeminiResponse) -> [StreamEvent] {
        if let error = chunk.error {
            closed = true
            return [.error(GeminiErrors.error(for: error, status: nil))]
        }
        var events: [StreamEvent] = []
        if let usage = chunk.usageMetadata { latestUsage = usage }
        if !sentModel, let model = chunk.modelVersion, !model.isEmpty {
            sentModel = true
            events.append(.model(model))
        }
        if let reason = chunk.blockReason {
            closed = true
            return events + usageUpdate() + [.error(GeminiErrors.blocked(reason, prompt: true))]
        }
        if let candidate = chunk.candidates?.first {
            let text = candidate.text
            if !text.isEmpty { events.append(.delta(text)) }
            if let reason = candidate.finishReason, reason != "FINISH_REASON_UNSPECIFIED", !finished {
                if GeminiErrors.blockedFinishReasons.contains(reason) {
                    closed = true
                    return events + usageUpdate() + [.error(GeminiErrors.blocked(reason, prompt: false))]
                }
                finished = true
                events.append(.finish(GeminiErrors.finishReason(reason)))
            }
        }
        return finished ? events + usageUpdate() : events
    }

    /// A usage event when the latest usage has not been reported yet.
    private func usageUpdate() -> [StreamEvent] {
        guard let usage = latestUsage, usage != sentUsage else { return [] }
        sentUsage = usage
        let counts = usage.tokenUsage
        return [.usage(TokenUsage(promptTokens: counts.prompt, completionTokens: counts.completion))]
    }
}
