import CoreMetrics
import Foundation
import Logging
import VigorCoaching
import VigorPluginLoader
import VigorPluginSDK

/// The host's safety screen in front of every chat, whatever serves it: wraps the AI layer
/// the routes use (`/api/v1/ai/chat`, its SSE form and `/v1/chat/completions` all call
/// ``chat(_:context:)`` or ``chatStream(_:context:)``).
///
/// - A new user message with a red flag (``SafetyAssessment/escalates``) gets the emergency
///   answer at once, from provider ``provider`` (`safety`, model ``model``): no provider call,
///   no quota reservation, no cost; streamed as one delta and `done`. The escalation is
///   recorded (type, user, request id, time; never the text).
/// - Otherwise conditions (from the new message, earlier user turns and the profile), unsafe
///   goals and red-flag topics asked about are added to the system prompt as a
///   "Safety context" section (``CoachPrompt/safetySection(_:)``), and the request goes on.
///
/// Plan generation and the inventory calls pass straight through.
public struct SafetyScreenedCoachAI: CoachAI {
    /// The provider name of a screen answer (in replies, the stored conversation and the usage-free log).
    public static let provider = "safety"
    /// The model name of a screen answer.
    public static let model = "vigor-safety-screen"

    let inner: any CoachAI
    let screen: SafetyScreen
    let emergencyNumber: String
    let crisisLines: String?
    let log: (any SafetyEscalationLog)?
    let clock: VigorClock
    let logger: Logger
    let metrics: HostMetrics?

    /// Wraps `inner`.
    ///
    /// - Parameters:
    ///   - emergencyNumber: named in the emergency answer (``VigorConfiguration/emergencyNumber``).
    ///   - crisisLines: named in the crisis answer and prompt line (``VigorConfiguration/crisisLines``);
    ///     `nil`: those of the language the message was screened in.
    ///   - log: where escalations are recorded (the SQLite store); `nil` records nothing.
    public init(
        wrapping inner: any CoachAI, screen: SafetyScreen = .standard, emergencyNumber: String = VigorConfiguration.defaultEmergencyNumber,
        crisisLines: String? = nil, log: (any SafetyEscalationLog)?, clock: VigorClock = .system,
        logger: Logger, metrics: HostMetrics? = nil
    ) {
        self.inner = inner
        self.screen = screen
        self.emergencyNumber = emergencyNumber
        self.crisisLines = crisisLines
        self.log = log
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
    }

    /// What the screen decided for one request.
    enum Decision {
        /// Answer with this reply; record these escalations.
        case answer(CoachReply, [SafetyEscalation])
        /// Send this (possibly annotated) request on.
        case forward(ChatRequest)
    }

    /// Screens the last user message of `request` (and earlier user turns for conditions).
    func decide(_ request: ChatRequest, context: AIRequestContext) -> Decision {
        guard let lastUser = request.messages.lastIndex(where: { $0.role == "user" }) else { return .forward(request) }
        let profile = request.profileJSON.flatMap { try? JSONDecoder().decode(FitnessProfile.self, from: Data($0.utf8)) }
        var assessment = screen.assess(Self.screened(request.messages[lastUser].content), profile: profile)
        if assessment.escalates {
            let text = screen.emergencyReply(for: assessment, emergencyNumber: emergencyNumber, crisisLines: crisisLines)
            let reply = CoachReply(
                text: text, provider: Self.provider, model: Self.model, usage: TokenUsage(promptTokens: 0, completionTokens: 0),
                costMicros: 0)
            let escalations = assessment.redFlags.map {
                SafetyEscalation(userID: context.userID, requestID: context.requestID, flag: $0.flag, subject: $0.subject, rule: $0.rule)
            }
            return .answer(reply, escalations)
        }
        // Conditions stated earlier in the conversation still hold ("I'm pregnant" three turns ago).
        // Newest first, within one budget for the whole history: the screen runs before any quota
        // is reserved, so what one request can make it read must stay bounded.
        var budget = Self.historyCharacters
        for message in request.messages[..<lastUser].suffix(40).reversed() where message.role == "user" && budget > 0 {
            let characters = message.content.count
            let text = characters > budget ? String(message.content.suffix(budget)) : message.content
            budget -= characters > budget ? text.count : characters
            for finding in screen.assess(text).conditions where !assessment.has(finding.condition) {
                assessment.conditions.append(finding)
            }
        }
        guard
            let section = CoachPrompt.safetySection(
                assessment, emergencyNumber: emergencyNumber, crisisLines: crisisLines ?? screen.crisisLines(for: assessment))
        else {
            return .forward(request)
        }
        return .forward(CoachPrompt.addingSafetyContext(section, to: request))
    }

    /// The longest text screened whole, in characters; of a longer message (only `/v1` allows
    /// them) the first and last halves of this are screened, so the cost stays bounded.
    static let screenedCharacters = 20_000
    /// Characters of earlier user turns screened for conditions, newest first, per request.
    static let historyCharacters = 20_000

    static func screened(_ text: String) -> String {
        // No more UTF-8 bytes than the limit means no more characters: skip counting them.
        guard text.utf8.count > screenedCharacters, text.count > screenedCharacters else { return text }
        return String(text.prefix(screenedCharacters / 2)) + "\n" + String(text.suffix(screenedCharacters / 2))
    }

    /// Records the escalations; a failure to record never holds back the answer.
    func record(_ escalations: [SafetyEscalation], context: AIRequestContext) async {
        for escalation in escalations {
            metrics?.recordSafetyEscalation(type: escalation.flag.rawValue)
            logger.notice(
                "safety screen escalated",
                metadata: [
                    "red_flag": "\(escalation.flag.rawValue)", "subject": "\(escalation.subject.rawValue)",
                    "rule": "\(escalation.rule)", "request_id": "\(context.requestID)", "user_id": "\(context.userID)",
                ])
        }
        do {
            try await log?.recordSafetyEscalations(escalations, at: clock.now())
        } catch {
            logger.error("could not record a safety escalation", metadata: ["error": "\(error)", "request_id": "\(context.requestID)"])
        }
    }

    public func chat(_ request: ChatRequest, context: AIRequestContext) async throws -> CoachReply {
        switch decide(request, context: context) {
        case .answer(let reply, let escalations):
            await record(escalations, context: context)
            return reply
        case .forward(let forwarded):
            return try await inner.chat(forwarded, context: context)
        }
    }

    public func chatStream(_ request: ChatRequest, context: AIRequestContext) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        switch decide(request, context: context) {
        case .forward(let forwarded):
            return inner.chatStream(forwarded, context: context)
        case .answer(let reply, let escalations):
            return AsyncThrowingStream { continuation in
                let task = Task {
                    await record(escalations, context: context)
                    continuation.yield(.delta(reply.text))
                    continuation.yield(.done(reply))
                    continuation.finish()
                }
                continuation.onTermination = { _ in task.cancel() }
            }
        }
    }

    public func generatePlan(profile: FitnessProfile, request: PlanRequest, context: AIRequestContext) async throws -> GeneratedPlan {
        try await inner.generatePlan(profile: profile, request: request, context: context)
    }

    public var isReady: Bool { inner.isReady }
    public func listModels() async -> [ModelListing] { await inner.listModels() }
    public var modelAdmin: (any ModelAdministration)? { inner.modelAdmin }
    public var pluginInventory: PluginInventory? { inner.pluginInventory }
    public func providerHealth(nowMs: Int64) -> [ProviderHealth] { inner.providerHealth(nowMs: nowMs) }
    public func reloadPlugins() -> (inventory: PluginInventory, changed: [String])? { inner.reloadPlugins() }
}

extension HostMetrics {
    /// Counts one safety-screen escalation by red-flag type (`vigor_safety_escalations_total{type}`).
    func recordSafetyEscalation(type: String) {
        CoreMetrics.Counter(label: "vigor_safety_escalations_total", dimensions: [("type", type)], factory: factory).increment()
    }
}

extension VigorConfiguration {
    /// The emergency number named when nothing is configured.
    public static let defaultEmergencyNumber = SafetyLanguage.unsetEmergencyNumber
}
