import Testing
import VigorPluginAPI
import VigorPluginSDK
import VigorPluginTesting

@testable import StretchCoach

/// Unit tests through the Vigor mock host: the plugin runs in-process, through the same
/// C entry points the real host calls.
@Suite struct StretchCoachTests {
    let id = "dev.example.stretch-coach"

    func ask(_ question: String, maxTokens: Int? = nil) -> ChatRequest {
        ChatRequest(messages: [ChatMessage(role: "user", content: question)], maxTokens: maxTokens)
    }

    @Test func describesItselfAndLogsAtStartup() throws {
        let host = try MockPluginHost { services in
            services.log(.info, "stretch coach ready")
            return [StretchCoach()]
        }
        #expect(host.component(id)?.capabilities.offline == true)
        #expect(host.logLines == ["stretch coach ready"])
    }

    @Test func answersForTheAreaAsked() throws {
        let host = try MockPluginHost(components: [StretchCoach()])
        let response = try #require(try host.complete(id, ask("My hips feel tight after running")).response)
        #expect(response.text.hasPrefix("For your hips: 90/90 hip switch"))
        #expect(response.finishReason == "stop")
        #expect(response.model == "stretch-coach-1")
        #expect(host.http.requests.isEmpty)  // offline: no egress at all
    }

    @Test func honoursMaxTokens() throws {
        let host = try MockPluginHost(components: [StretchCoach()])
        let response = try #require(try host.complete(id, ask("neck?", maxTokens: 5)).response)
        #expect(response.finishReason == "length")
        #expect(response.usage.completionTokens == 5)
    }

    @Test func refusesARequestWithoutAQuestion() throws {
        let host = try MockPluginHost(components: [StretchCoach()])
        let error = #expect(throws: PluginError.self) {
            try host.invoke(id, "provider.complete", ChatRequest(messages: []), as: ProviderResult.self)
        }
        #expect(error?.status == VIGOR_ERR_INVALID_INPUT)
        #expect(host.violations.isEmpty)
    }
}
