import Foundation
import VigorPluginSDK

/// Parses a streamed Chat Completions body: `data: {chunk}` events, then (with
/// `stream_options.include_usage`) a usage chunk with empty `choices`, then `data: [DONE]`.
/// Bytes may arrive split anywhere. A body that ends before `[DONE]` or a finish reason
/// is a cut stream and ends with a `bad_response` error event.
final class OpenAIStreamParser: PluginStream {
    private enum Phase {
        /// Still reading; `finished` once a finish reason was seen.
        case open(finished: Bool)
        /// `[DONE]` seen, or an error event emitted: later bytes are ignored.
        case closed
    }

    /// Plain (non-SSE) error bodies are kept up to this size so `finish` can parse them.
    private static let rawLimit = 64 * 1024

    private var decoder = SSEDecoder()
    private var phase = Phase.open(finished: false)
    private var sentModel = false
    private var sawEvent = false
    private var raw: [UInt8] = []

    func feed(_ bytes: [UInt8]) throws -> [StreamEvent] {
        guard case .open = phase else { return [] }
        if !sawEvent, raw.count < Self.rawLimit { raw += bytes.prefix(Self.rawLimit - raw.count) }
        return handle(decoder.feed(bytes))
    }

    func finish() throws -> [StreamEvent] {
        guard case .open = phase else { return [] }
        var events = handle(decoder.finish(), atEnd: true)
        guard case .open(let finished) = phase, !finished else { return events }
        phase = .closed
        if !sawEvent, let object = WireJSON.read(OpenAIErrorEnvelope.self, from: String(decoding: raw, as: UTF8.self))?.error {
            events.append(.error(OpenAIErrors.error(for: object)))
        } else {
            events.append(.error(ProviderError(kind: .badResponse, message: "openai: stream ended before completion")))
        }
        return events
    }

    /// `atEnd`: the events flushed at the end of input, where an unparseable one is a line
    /// cut short (reported as a cut stream, not as garbage).
    private func handle(_ decoded: [SSEDecoder.Event], atEnd: Bool = false) -> [StreamEvent] {
        var events: [StreamEvent] = []
        for event in decoded {
            guard case .open(let finished) = phase else { break }
            sawEvent = true
            let data = event.trimmedData
            if data == "[DONE]" {
                // Some compatible servers end with [DONE] and no finish reason: the answer is complete.
                if !finished { events.append(.finish("stop")) }
                phase = .closed
                break
            }
            guard let chunk = WireJSON.read(OpenAIChunk.self, from: data) else {
                if atEnd { break }
                events.append(.error(ProviderError(kind: .badResponse, message: "openai: unparseable stream event")))
                phase = .closed
                break
            }
            if let error = chunk.error {
                events.append(.error(OpenAIErrors.error(for: error)))
                phase = .closed
                break
            }
            if !sentModel, let model = chunk.model, !model.isEmpty {
                sentModel = true
                events.append(.model(model))
            }
            if let choice = chunk.choices?.first {
                if let text = choice.content, !text.isEmpty { events.append(.delta(text)) }
                if let reason = choice.finishReason {
                    if reason == "content_filter" {
                        events.append(
                            .error(ProviderError(kind: .contentBlocked, message: "openai: the answer was withheld by the content filter")))
                        phase = .closed
                        break
                    }
                    events.append(.finish(reason))
                    phase = .open(finished: true)
                }
            }
            if let usage = chunk.usage {
                events.append(.usage(TokenUsage(promptTokens: usage.promptTokens ?? 0, completionTokens: usage.completionTokens ?? 0)))
            }
        }
        return events
    }
}
