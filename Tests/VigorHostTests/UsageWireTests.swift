import Testing
import VigorPluginSDK

@testable import VigorHost

/// The usage log's kinds and outcomes are typed in code; their stored strings never change.
@Suite("Usage log wire strings")
struct UsageWireTests {
    @Test("kinds and outcomes keep the strings already in the database")
    func storedStrings() {
        #expect(UsageKind.allCases.map(\.rawValue) == ["chat", "plan", "analysis", "openai_chat"])
        #expect(UsageOutcome.success.rawValue == "success")
        #expect(UsageOutcome.clientDisconnected.rawValue == "client_disconnected")
        #expect(UsageOutcome(ProviderErrorKind.rateLimited).rawValue == "rate_limited")
        #expect(UsageOutcome(AIError.Code.invalidPlan).rawValue == "invalid_plan")
        let charge = AttemptCharge(userID: 1, requestID: "r", kind: UsageKind.openAIChat, provider: "p", model: "m", estimatedCostMicros: 0)
        #expect(charge.kind == "openai_chat")
        #expect(EventStream.accelBuffering.rawName == "X-Accel-Buffering")
        #expect([EventStream.Event.delta, EventStream.Event.done, EventStream.Event.error] == ["delta", "done", "error"])
    }
}
