import Foundation
import Hummingbird
import VigorPluginSDK

/// The `/v1/chat/completions` stream's wire format: `chat.completion.chunk` data frames (the
/// first carries `role: assistant`), a `finish_reason: stop` chunk, an optional usage chunk,
/// then `data: [DONE]`; a cut stream ends with `data: {"error":…}` and no `[DONE]`.
struct OpenAIChunkEncoder: ChatStreamEncoder {
    let id: String
    let created: Int
    /// The requested model (chunks go out before the serving model is known).
    let model: String
    /// Whether the client asked for the usage chunk (`stream_options.include_usage`).
    let includeUsage: Bool
    private var sentRole = false

    init(id: String, created: Int, model: String, includeUsage: Bool) {
        self.id = id
        self.created = created
        self.model = model
        self.includeUsage = includeUsage
    }

    var name: String { "completion" }

    private func chunk(_ delta: OpenAIChatChunk.Delta?, finish: String? = nil, usage: OpenAIUsage? = nil) -> ByteBuffer {
        EventStream.frame(
            wire: OpenAIChatChunk(
                id: id, created: created, model: model, delta: delta, finishReason: finish, usage: usage,
                includeUsage: includeUsage))
    }

    mutating func delta(_ piece: String) -> [ByteBuffer] {
        defer { sentRole = true }
        return [chunk(.init(role: sentRole ? nil : "assistant", content: piece))]
    }

    mutating func done(_ reply: CoachReply) async throws -> [ByteBuffer] {
        var frames: [ByteBuffer] = []
        if !sentRole { frames.append(chunk(.init(role: "assistant", content: ""))) }
        sentRole = true
        frames.append(chunk(.init(), finish: "stop"))
        if includeUsage { frames.append(chunk(nil, usage: OpenAIUsage(reply.usage))) }
        frames.append(EventStream.frame(data: "[DONE]"))
        return frames
    }

    func failure(_ error: any Error, sentText: String) async throws -> ByteBuffer {
        EventStream.frame(data: OpenAIErrorBody.eventData(ChatStreamRelay.streamError(error)))
    }
}
