import VigorPluginSDK

/// Parses a streamed Chat Completions body: `data: {chunk}` events, then (with
/// `stream_options.include_usage`) a usage chunk with empty `choices`, then `data: [DONE]`.
/// Framing, splits, `[DONE]` and the cut-stream error are the SDK's (``SSEProviderStream``).
final class OpenAIStreamParser: SSEProviderStream {
    var state: ProviderStreamState
    private let kit: ProviderKit

    init(kit: ProviderKit) {
        self.kit = kit
        state = ProviderStreamState(provider: kit.provider)
    }

    func plainBodyError(_ body: String) -> ProviderError? {
        WireJSON.read(OpenAIErrorEnvelope.self, from: body)?.error.map(kit.openAIError(for:))
    }

    /// A cut stream reports no usage here (it comes only in the last chunk).
    func beforeCut() -> [StreamEvent] { [] }

    func handle(_ event: SSEDecoder.Event, atEnd: Bool) -> [StreamEvent] {
        guard let chunk = WireJSON.read(OpenAIChunk.self, from: event.trimmedData) else { return state.unparseable(atEnd: atEnd) }
        if let error = chunk.error { return state.fail(kit.openAIError(for: error)) }
        var events = state.model(chunk.model)
        if let choice = chunk.choices?.first {
            if let text = choice.content, !text.isEmpty { events.append(.delta(text)) }
            if let reason = choice.finishReason {
                if reason == "content_filter" {
                    return events + state.fail(kit.error(.contentBlocked, "the answer was withheld by the content filter"))
                }
                events += state.finish(reason)
            }
        }
        if let usage = chunk.usage {
            events.append(.usage(TokenUsage(promptTokens: usage.promptTokens ?? 0, completionTokens: usage.completionTokens ?? 0)))
        }
        return events
    }
}
