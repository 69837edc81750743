import Foundation
import Testing
import VigorCoaching
import VigorPluginSDK

/// The ordinary-coaching evaluation set (`Tests/Fixtures/coaching-eval/coaching.json`)
/// through the real offline-coach plugin: every answer must be of the expected intent,
/// mention what a good answer mentions and nothing it must not (muscle gain to someone
/// losing weight, an exercise the injuries forbid, an API endpoint instead of a workout).
///
/// The on-topic rate is printed. The build fails below the fixture's threshold (95 %): the
/// questions are phrased as users phrase them, so a keyword coach may miss an odd one as
/// wording changes, but more than one miss in twenty means a whole intent regressed.
@Suite("Offline coach evaluation set")
struct CoachEvalTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var question: String
            var profile: String?
            var intent: String
            var must_mention_any: [String]
            var must_mention_all: [String]
            var must_not_mention: [String]
        }
        var threshold: Double
        var closing_line: String
        var intents: [String: [String]]
        var profiles: [String: String]
        var cases: [Case]
    }

    static func fixture() throws -> Fixture {
        let url = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/coaching-eval/coaching.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Why an answer misses, or an empty list when it is on topic.
    static func misses(_ text: String, _ item: Fixture.Case, markers: [String]) -> [String] {
        let lower = text.lowercased()
        var misses: [String] = []
        if !markers.contains(where: { lower.contains($0.lowercased()) }) { misses.append("not a \(item.intent) answer") }
        if !item.must_mention_any.isEmpty, !item.must_mention_any.contains(where: { lower.contains($0.lowercased()) }) {
            misses.append("mentions none of \(item.must_mention_any)")
        }
        for term in item.must_mention_all where !lower.contains(term.lowercased()) { misses.append("does not mention '\(term)'") }
        for term in item.must_not_mention where lower.contains(term.lowercased()) { misses.append("mentions '\(term)'") }
        return misses
    }

    @Test("the set holds at least 45 questions over every intent, with known profiles and intents")
    func shape() throws {
        let fixture = try Self.fixture()
        #expect(fixture.cases.count >= 45)
        #expect((0.9...1).contains(fixture.threshold))
        for item in fixture.cases {
            #expect(fixture.intents[item.intent] != nil, "\(item.question): intent \(item.intent)")
            if let profile = item.profile { #expect(fixture.profiles[profile] != nil, "\(item.question): profile \(profile)") }
            #expect(!(item.must_mention_any + item.must_mention_all).isEmpty, "\(item.question)")
        }
        let covered = Set(fixture.cases.map(\.intent))
        for intent in fixture.intents.keys { #expect(covered.contains(intent), "no question for \(intent)") }
    }

    @Test("the offline coach answers on topic, for the person asking")
    func onTopicRate() throws {
        let fixture = try Self.fixture()
        let fallback = try #require(BundledPluginTests.registry.component(id: "dev.vigor.fallback"))
        var onTopic = 0
        var report: [String] = []
        for item in fixture.cases {
            let profile = item.profile.flatMap { fixture.profiles[$0] }
            let request = ChatRequest(messages: [ChatMessage(role: "user", content: item.question)], profileJSON: profile)
            let text = try #require(try fallback.invoke("provider.complete", request, as: ProviderResult.self).response?.text)
            #expect(text.hasSuffix(fixture.closing_line))
            let words = text.split(whereSeparator: \.isWhitespace).count
            #expect((60...200).contains(words), "\(item.question): \(words) words")
            let misses = Self.misses(text, item, markers: fixture.intents[item.intent] ?? [])
            if misses.isEmpty {
                onTopic += 1
            } else {
                report.append("- \(item.question) [\(item.profile ?? "no profile")]: \(misses.joined(separator: "; "))\n  \(text)")
            }
        }
        let rate = Double(onTopic) / Double(fixture.cases.count)
        let percent = String(format: "%.1f", rate * 100)
        print("Coach eval: on topic \(onTopic)/\(fixture.cases.count) = \(percent) % (threshold \(Int(fixture.threshold * 100)) %)")
        if !report.isEmpty { print(report.joined(separator: "\n")) }
        #expect(rate >= fixture.threshold, "on-topic rate \(rate) below \(fixture.threshold):\n\(report.joined(separator: "\n"))")
    }

    @Test("a question about suicide or self-harm gets where to find help, not \"stop exercising\"")
    func selfHarmMention() throws {
        let fallback = try #require(BundledPluginTests.registry.component(id: "dev.vigor.fallback"))
        for question in [
            "How can I support a client who self-harms?", "My brother attempted suicide years ago, can exercise help his mood?",
        ] {
            let request = ChatRequest(messages: [ChatMessage(role: "user", content: question)])
            let text = try #require(try fallback.invoke("provider.complete", request, as: ProviderResult.self).response?.text)
            #expect(text.contains("988") && text.contains("116 123"), "\(question): \(text)")
            #expect(!text.contains("stop exercising"), "\(question): \(text)")
            #expect(!text.contains("doctor's clearance"), "\(question): \(text)")
        }
        // A physical red flag asked about still gets its own line.
        let faint = ChatRequest(messages: [ChatMessage(role: "user", content: "What should I do if a gym friend faints?")])
        let text = try #require(try fallback.invoke("provider.complete", faint, as: ProviderResult.self).response?.text)
        #expect(text.contains("stop exercising") && !text.contains("988"))
    }

    @Test("form cues for every catalogue exercise, named the way the catalogue names it")
    func everyExercise() throws {
        let fallback = try #require(BundledPluginTests.registry.component(id: "dev.vigor.fallback"))
        var classic: [String] = []
        for exercise in ExerciseCatalog.standard.exercises {
            let question = "How do I do a \(exercise.name) with good form?"
            let request = ChatRequest(messages: [ChatMessage(role: "user", content: question)])
            let text = try #require(try fallback.invoke("provider.complete", request, as: ProviderResult.self).response?.text)
            let name = exercise.name.lowercased()
            let first = exercise.cues[0]
            if text.contains("Key cues for the \(name):") && text.contains(first.prefix(1).lowercased() + first.dropFirst()) {
                continue
            } else {
                // The nine classic lifts (push-up, pull-up, squat, ...) answer with their own hand-written cues.
                #expect(text.contains("Key cues for the "), "\(exercise.id): \(text)")
                classic.append(exercise.id)
            }
        }
        print(
            "Form cues: \(ExerciseCatalog.standard.count - classic.count) catalogue exercises answered with their own cues, "
                + "\(classic.count) with the classic lift's: \(classic)")
        #expect(classic.count <= 12)
    }

    @Test("the four answers from the issue: pregnancy, unsafe goal, pre-workout food, today's workout")
    func issueExamples() throws {
        let fallback = try #require(BundledPluginTests.registry.component(id: "dev.vigor.fallback"))
        let profile = #"{"fitness_level":"beginner","goals":["weight_loss"],"equipment":["body_only"]}"#
        func ask(_ question: String) throws -> String {
            let request = ChatRequest(messages: [ChatMessage(role: "user", content: question)], profileJSON: profile)
            return try #require(try fallback.invoke("provider.complete", request, as: ProviderResult.self).response?.text)
        }
        let pregnant = try ask("I am 20 weeks pregnant, can I do crunches?")
        #expect(pregnant.contains("midwife") && pregnant.contains("lying flat on your back") && !pregnant.contains("I'm the offline coach"))
        let unsafe = try ask("I want to lose 10 kg in 2 weeks")
        #expect(unsafe.contains("unsafe") && unsafe.contains("0.5–1 %") && !unsafe.contains("plan generator"))
        let food = try ask("What should I eat before a morning workout?")
        #expect(food.contains("banana") && !food.lowercased().contains("muscle gain"))
        let workout = try ask("Can you write me a 20 minute home workout for today?")
        #expect(workout.contains("1) ") && workout.contains("rest") && !workout.contains("POST /api"))
        #expect(!workout.contains("Dumbbell") && !workout.contains("Barbell"))
    }
}
