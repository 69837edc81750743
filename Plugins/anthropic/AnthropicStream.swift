import VigorPluginSDK

/// Parses a streamed Messages answer: named SSE events `message_start` (model, input tokens),
/// `content_block_start`/`content_block_delta` (`text_delta`)/`content_block_stop`,
/// `message_delta` (stop reason, cumulative output tokens), `message_stop`, `ping` and `error`.
/// There is no `[DONE]`; `message_stop` ends the stream. Framing, splits and the cut-stream
/// error are the SDK's (``SSEProviderStream``).
final class AnthropicStreamParser: SSEProviderStream {
    var state = ProviderStreamState(provider: "anthropic", doneSentinel: nil)
    private let kit: ProviderKit
    private var inputTokens = 0
    private var outputTokens = 0
    private var stopReason: String?

    init(kit: ProviderKit) { self.kit = kit }

    func plainBodyError(_ body: String) -> ProviderError? {
        AnthropicErrorObject.parse(body).map(kit.anthropicError(for:))
    }

    func handle(_ event: SSEDecoder.Event, atEnd: Bool) -> [StreamEvent] {
        guard let data = WireJSON.read(AnthropicStreamEvent.self, from: event.data) else { return state.unparseable(atEnd: atEnd) }
        switch data.type {
        case "message_start":
            note(data.message?.usage)
            return state.model(data.message?.model)
        case "content_block_delta":
            guard data.deltaType == "text_delta", let text = data.deltaText, !text.isEmpty else { return [] }
            return [.delta(text)]
        case "message_delta":
            note(data.usage)
            if let reason = data.stopReason { stopReason = reason }
            return []
        case "message_stop":
            state.close()
            if stopReason == "refusal" {
                return state.usageUpdate() + state.fail(kit.error(.contentBlocked, "the answer was withheld (stop_reason refusal)"))
            }
            return state.finish(AnthropicProvider.finishReason(stopReason ?? "end_turn")) + state.usageUpdate()
        case "error":
            return state.fail(
                kit.anthropicError(for: data.error ?? AnthropicErrorObject(type: "api_error", message: "error event in the stream")))
        default:
            // ping, content_block_start/stop, and event types added later: nothing to report.
            return []
        }
    }

    private func note(_ usage: AnthropicUsage?) {
        guard let usage else { return }
        if let input = usage.inputTokens { inputTokens = input }
        if let output = usage.outputTokens { outputTokens = output }
        state.noteUsage(TokenUsage(promptTokens: inputTokens, completionTokens: outputTokens))
    }
}
