import VigorPluginSDK

/// Parses `:streamGenerateContent?alt=sse`: every `data:` event is a whole
/// `GenerateContentResponse` carrying the next text and the running `usageMetadata`;
/// there is no `[DONE]`, the last event has the candidate's `finishReason`. Framing, splits
/// and the cut-stream error (after the last usage seen) are the SDK's (``SSEProviderStream``).
final class GeminiStreamParser: SSEProviderStream {
    var state = ProviderStreamState(provider: "gemini", doneSentinel: nil)
    private let kit: ProviderKit

    init(kit: ProviderKit) { self.kit = kit }

    func plainBodyError(_ body: String) -> ProviderError? {
        GeminiErrorEnvelope.parse(body).map { kit.geminiError(for: $0, status: nil) }
    }

    func handle(_ event: SSEDecoder.Event, atEnd: Bool) -> [StreamEvent] {
        guard let chunk = WireJSON.read(GeminiResponse.self, from: event.data) else { return state.unparseable(atEnd: atEnd) }
        if let error = chunk.error { return state.fail(kit.geminiError(for: error, status: nil)) }
        if let usage = chunk.usageMetadata?.tokenUsage {
            state.noteUsage(TokenUsage(promptTokens: usage.prompt, completionTokens: usage.completion))
        }
        var events = state.model(chunk.modelVersion)
        if let reason = chunk.blockReason {
            return events + state.usageUpdate() + state.fail(kit.geminiBlocked(reason, prompt: true))
        }
        if let candidate = chunk.candidates?.first {
            let text = candidate.text
            if !text.isEmpty { events.append(.delta(text)) }
            if let reason = candidate.finishReason, reason != "FINISH_REASON_UNSPECIFIED", !state.finished {
                if GeminiErrors.blockedFinishReasons.contains(reason) {
                    return events + state.usageUpdate() + state.fail(kit.geminiBlocked(reason, prompt: false))
                }
                events += state.finish(GeminiErrors.finishReason(reason))
            }
        }
        return state.finished ? events + state.usageUpdate() : events
    }
}
