import Foundation
import VigorCoaching
import VigorPluginSDK

/// Builds the chat request of one coaching turn: persona and profile, recent history, new message.
enum CoachPrompt {
    static let persona = """
        You are Vigor, a supportive, evidence-based strength and conditioning coach. \
        Give practical, safe guidance suited to the person's level, goals, equipment and injuries. \
        Keep answers concise. You are not a doctor: for pain, injury or medical questions, \
        advise seeing a qualified professional, and never make medical claims. \
        Warning signs such as chest pain, fainting, sudden weakness or numbness on one side, or severe \
        breathlessness mean: stop exercising and get emergency care now.
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

extension CoachPrompt {
    /// The "Safety context" section for the system prompt: conditions with what they change and
    /// who must clear training, unsafe goals with the safe rate, red-flag topics the person asks
    /// about. `nil` when the screen found none of these.
    static func safetySection(
        _ assessment: SafetyAssessment, emergencyNumber: String = VigorConfiguration.defaultEmergencyNumber,
        crisisLines: String = SafetyLanguage.englishCrisisLines
    ) -> String? {
        var lines: [String] = []
        for finding in assessment.conditions where !lines.contains(where: { $0.hasPrefix("- \(finding.condition.title)") }) {
            var line = "- \(finding.condition.title)"
            if let days = finding.daysAgo, days > 0 { line += " (about \(Self.ago(days)))" }
            line += ": \(finding.condition.guidance)"
            lines.append(line)
        }
        let referrals = assessment.conditionSet.filter(\.requiresReferral)
        if !referrals.isEmpty {
            lines.append(
                "- Referral: a professional must decide about training with \(referrals.map(\.title).joined(separator: ", ")). "
                    + "Say so, and keep any advice general and low intensity until they are cleared.")
        }
        for goal in assessment.unsafeGoals {
            lines.append("- Unsafe goal: \(goal.note) Say plainly that this goal is unsafe and offer the safe rate instead.")
        }
        let topics = assessment.mentions.filter { $0.flag != .selfHarm }.map(\.flag.title)
        if assessment.mentions.contains(where: { $0.flag == .selfHarm }) {
            lines.append(
                "- The person mentions suicide or self-harm (a question, someone else, or the past; not as happening now). "
                    + "Answer with care and without detail of methods, and name where to get help: "
                    + "\(crisisLines); \(emergencyNumber) if anyone is in danger now.")
        }
        if !topics.isEmpty {
            lines.append(
                "- The person asks about \(topics.joined(separator: ", ")) (not as happening to them now). Answer, and say "
                    + "that if it happens during exercise they must stop at once and call \(emergencyNumber).")
        }
        guard !lines.isEmpty else { return nil }
        return "Safety context (from the host's safety screen; these rules come before the person's wishes):\n"
            + lines.joined(separator: "\n")
    }

    /// `request` with `section` appended to its first system message (or as a new first one).
    static func addingSafetyContext(_ section: String, to request: ChatRequest) -> ChatRequest {
        var annotated = request
        if let index = annotated.messages.firstIndex(where: { $0.role == "system" }) {
            annotated.messages[index].content += "\n\n" + section
        } else {
            annotated.messages.insert(ChatMessage(role: "system", content: section), at: 0)
        }
        return annotated
    }

    private static func ago(_ days: Int) -> String {
        switch days {
        case ..<14: "\(days) day\(days == 1 ? "" : "s") ago"
        case ..<60: "\(days / 7) weeks ago"
        case ..<730: "\(days / 30) months ago"
        default: "\(days / 365) years ago"
        }
    }
}
