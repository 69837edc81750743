import Foundation
import VigorCoaching
import VigorPluginSDK

/// Builds the chat request of one coaching turn: persona and profile, recent history, new message.
enum CoachPrompt {
    static let persona = """
        You are Vigor, a supportive, evidence-based strength and conditioning coach. \
        Give practical, safe guidance suited to the person's level, goals, equipment and injuries. \
        Keep answers concise. You are not a doctor: for pain, injury or medical questions, \
        advise seeing a qualified professional, and never make medical claims.
        """

    /// The system message: the persona plus the user's profile as JSON.
    static func systemMessage(profileJSON: String) -> String {
        "\(persona)\n\nThe person's fitness profile (JSON):\n\(profileJSON)"
    }

    /// The full request: system prompt, history (oldest first), then the new user message.
    static func request(profile: FitnessProfile, history: [MessageRecord], message: String) throws -> ChatRequest {
        let profileJSON = String(decoding: try JSONResponse.encoder.encode(profile), as: UTF8.self)
        var messages = [ChatMessage(role: "system", content: systemMessage(profileJSON: profileJSON))]
        messages += history.filter { $0.role == "user" || $0.role == "assistant" }
            .map { ChatMessage(role: $0.role, content: $0.content) }
        messages.append(ChatMessage(role: "user", content: message))
        return ChatRequest(messages: messages, temperature: 0.7, maxTokens: 800, profileJSON: profileJSON)
    }

    /// A conversation title from its first message.
    static func title(from message: String) -> String {
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? message
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 60 ? String(trimmed.prefix(57)) + "..." : trimmed
    }
}
