import Foundation
import Testing
import VigorCoaching
import VigorPluginLoader
import VigorPluginSDK
import VigorPluginTesting

@Suite("Bundled plugins through dlopen")
struct BundledPluginTests {
    static let registry: PluginRegistry = {
        let registry = TestSupport.registry()
        registry.scan(directory: TestSupport.builtProducts.path)
        return registry
    }()

    @Test("the fallback coach answers from the profile, not an echo")
    func fallbackAnswers() throws {
        let fallback = try #require(Self.registry.component(id: "dev.vigor.fallback"))
        let question = "How many rest days do I need?"
        let profile = #"{"fitness_level":"beginner","goals":["muscle_gain"],"equipment":["dumbbell"],"days_per_week":3}"#
        let request = ChatRequest(messages: [ChatMessage(role: "user", content: question)], profileJSON: profile)
        let result = try fallback.invoke("provider.complete", request, as: ProviderResult.self)
        let response = try #require(result.response)
        #expect(!response.text.contains(question))
        #expect(response.text.lowercased().contains("rest"))
        #expect(response.usage.promptTokens > 0 && response.usage.completionTokens > 0)
        // Deterministic.
        let again = try fallback.invoke("provider.complete", request, as: ProviderResult.self)
        #expect(again.response == response)
    }

    @Test("the fallback coach honours max_tokens")
    func fallbackMaxTokens() throws {
        let fallback = try #require(Self.registry.component(id: "dev.vigor.fallback"))
        let request = ChatRequest(messages: [ChatMessage(role: "user", content: "How should I squat?")], maxTokens: 5)
        let response = try #require(try fallback.invoke("provider.complete", request, as: ProviderResult.self).response)
        #expect(response.finishReason == "length")
        #expect(response.usage.completionTokens <= 6)
    }

    @Test("the planner plugin produces a valid plan for a profile")
    func plannerPlans() throws {
        let planner = try #require(Self.registry.component(id: "dev.vigor.planner"))
        var profile = FitnessProfile.default
        profile.daysPerWeek = 3
        let output = try planner.invoke(
            "generator.generate", GenerateInput(profile: profile, request: PlanRequest(weeks: 4)), as: GenerateOutput<WorkoutPlan>.self)
        #expect(output.plan.weeks.count == 4)
        #expect(PlanValidator.validate(output.plan, profile: profile, catalog: .standard).isEmpty)
    }

    @Test("the planner refuses an invalid request with a field error")
    func plannerRefuses() throws {
        let planner = try #require(Self.registry.component(id: "dev.vigor.planner"))
        #expect(throws: PluginCallError.self) {
            try planner.invoke(
                "generator.generate", GenerateInput(profile: FitnessProfile.default, request: PlanRequest(weeks: 40)),
                as: GenerateOutput<WorkoutPlan>.self)
        }
    }

    @Test("bundled and example plugins pass the conformance suite", arguments: ["VigorFallback", "VigorPlanner"])
    func conformance(product: String) {
        let report = ConformanceSuite(threads: 4, callsPerThread: 10).run(path: TestSupport.bundledPlugin(product))
        #expect(report.passed, "\(report.text)")
        #expect(report.checks.count >= 10)
    }

    @Test("the C example plugin passes the conformance suite")
    func cConformance() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = try TestSupport.compileC(LoaderTests.cCoach, to: dir.appendingPathComponent("libc_coach.so").path)
        let report = ConformanceSuite(threads: 4, callsPerThread: 10).run(path: path)
        #expect(report.passed, "\(report.text)")
    }

    @Test("the conformance suite fails a plugin that cannot load")
    func conformanceFails() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("libjunk.so").path
        FileManager.default.createFile(atPath: path, contents: Data("junk".utf8))
        let report = ConformanceSuite().run(path: path)
        #expect(!report.passed)
        #expect(report.text.contains("FAIL"))
    }
}

@Suite("Offline coach examples through the real plugin")
struct OfflineCoachExampleTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var messages: [ChatMessage]
            var profile_json: String?
            var must_contain: [String]
        }
        var closing_line: String
        var cases: [Case]
    }

    @Test("every recorded example is answered as expected")
    func examples() throws {
        let url = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/fallback-examples.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.cases.count >= 20)
        let fallback = try #require(BundledPluginTests.registry.component(id: "dev.vigor.fallback"))
        for example in fixture.cases {
            let request = ChatRequest(messages: example.messages, profileJSON: example.profile_json)
            let text = try #require(try fallback.invoke("provider.complete", request, as: ProviderResult.self).response?.text)
            for needle in example.must_contain {
                #expect(text.contains(needle), "\(example.messages.last?.content ?? ""): missing \(needle) in \(text)")
            }
            let words = text.split(whereSeparator: \.isWhitespace).count
            #expect((60...200).contains(words), "\(words) words")
            #expect(text.hasSuffix(fixture.closing_line))
        }
    }
}
