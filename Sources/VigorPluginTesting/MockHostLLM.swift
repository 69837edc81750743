import Foundation
import Synchronization
import VigorPluginAPI
import VigorPluginSDK

/// A fake `vigor.llm/1` for generators: scripted completions instead of routed providers.
///
/// Scripted steps are used in order; the last one keeps answering once the others are used
/// up, so a single `reply` serves every call. With nothing scripted, a completion fails with
/// `VIGOR_ERR_UNAVAILABLE`. Every request is kept in ``requests``.
///
/// ```swift
/// host.llm.reply(#"{"days":[]}"#)
/// host.llm.reply { request in ChatResponse(text: request.messages.last!.content, model: "echo", usage: .init(promptTokens: 1, completionTokens: 1)) }
/// ```
public final class MockLLM: Sendable {
    /// Answers one chat request, or throws (a ``PluginError`` keeps its status).
    public typealias Responder = @Sendable (ChatRequest) throws -> ChatResponse

    private let state = Mutex<(steps: [Responder], requests: [ChatRequest])>(([], []))

    init() {}

    /// Queues an answer with `text`; usage defaults to an estimate (4 bytes a token).
    public func reply(
        _ text: String, finishReason: String = "stop", model: String = "mock-llm", usage: TokenUsage? = nil
    ) {
        reply { request in
            let prompt = request.messages.reduce(0) { $0 + $1.content.utf8.count / 4 + 1 }
            return ChatResponse(
                text: text, finishReason: finishReason, model: model,
                usage: usage ?? TokenUsage(promptTokens: prompt, completionTokens: text.utf8.count / 4 + 1))
        }
    }

    /// Queues a fixed response.
    public func reply(_ response: ChatResponse) { reply { _ in response } }

    /// Queues a handler that computes the answer from the request.
    public func reply(with respond: @escaping Responder) { state.withLock { $0.steps.append(respond) } }

    /// Queues a failure, as when routing, quotas or every provider fail.
    public func fail(_ error: PluginError = .unavailable("no provider could answer")) { reply { _ in throw error } }

    /// Every request received, in order.
    public var requests: [ChatRequest] { state.withLock { $0.requests } }

    /// Forgets every scripted step and recorded request.
    public func reset() { state.withLock { $0 = ([], []) } }

    func handle(_ request: ChatRequest) throws(PluginError) -> ChatResponse {
        let step = state.withLock { s -> Responder? in
            s.requests.append(request)
            guard let first = s.steps.first else { return nil }
            if s.steps.count > 1 { s.steps.removeFirst() }
            return first
        }
        guard let step else { throw PluginError.unavailable("mock host: no LLM reply scripted (use host.llm.reply)") }
        do {
            return try step(request)
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError.unavailable("\(error)")
        }
    }
}
