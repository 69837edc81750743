import VigorPluginSDK

/// Parses a streamed Sonar answer: OpenAI-style `data: {chunk}` events, each carrying the
/// running `usage` and the `citations`/`search_results`; the last one has a finish reason
/// (`object: "chat.completion.done"`), optionally followed by `data: [DONE]`. Framing, splits,
/// `[DONE]` and the cut-stream error (after the last usage seen) are the SDK's (``SSEProviderStream``).
final class PerplexityStreamParser: SSEProviderStream {
    var state = ProviderStreamState(provider: "perplexity")
    private let kit: ProviderKit
    private var think = ThinkFilter()
    private var sentCitations: [String] = []

    init(kit: ProviderKit) { self.kit = kit }

    func plainBodyError(_ body: String) -> ProviderError? {
        PerplexityErrorObject.parse(body).map(kit.perplexityError(for:))
    }

    func onDone() -> [StreamEvent] { state.finished ? [] : close(reason: "stop") }

    func handle(_ event: SSEDecoder.Event, atEnd: Bool) -> [StreamEvent] {
        let data = event.trimmedData
        guard let chunk = WireJSON.read(PerplexityCompletion.self, from: data) else {
            if !atEnd, let object = PerplexityErrorObject.parse(data) { return state.fail(kit.perplexityError(for: object)) }
            return state.unparseable(atEnd: atEnd)
        }
        if let error = chunk.error { return state.fail(kit.perplexityError(for: error)) }
        if let usage = chunk.usage {
            state.noteUsage(TokenUsage(promptTokens: usage.promptTokens ?? 0, completionTokens: usage.completionTokens ?? 0))
        }
        var events = state.model(chunk.model)
        let sources = chunk.sources
        if !sources.isEmpty, sources != sentCitations {
            sentCitations = sources
            events.append(.citations(sources))
        }
        if let choice = chunk.choices?.first {
            // Only `delta` is incremental; a chunk's `message`, when present, repeats the text so far.
            let text = think.feed(choice.delta?.content ?? "")
            if !text.isEmpty { events.append(.delta(text)) }
            if let reason = choice.finishReason, !state.finished { return events + close(reason: reason) }
        }
        return state.finished ? events + state.usageUpdate() : events
    }

    /// The end of the answer: held-back text, the finish reason, the final usage.
    private func close(reason: String) -> [StreamEvent] {
        let rest = think.flush()
        return (rest.isEmpty ? [] : [.delta(rest)]) + state.finish(reason) + state.usageUpdate()
    }
}
