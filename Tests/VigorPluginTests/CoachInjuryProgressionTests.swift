import Foundation
import Testing
import VigorPluginSDK

/// A progression or plateau question about a lift the profile's injuries rule out is not
/// answered with advice to add load to that lift.
@Suite("Offline coach: progression respects injuries")
struct CoachInjuryProgressionTests {
    static func ask(_ question: String, profile: String) throws -> String {
        let fallback = try #require(BundledPluginTests.registry.component(id: "dev.vigor.fallback"))
        let request = ChatRequest(messages: [ChatMessage(role: "user", content: question)], profileJSON: profile)
        return try #require(try fallback.invoke("provider.complete", request, as: ProviderResult.self).response?.text)
    }

    @Test(
        "the lift the injury forbids is not progressed; the answer says to skip it",
        arguments: [
            (
                "how do I progress my overhead press?", "overhead press", "pressing overhead",
                #"{"fitness_level":"advanced","goals":["muscle_gain"],"equipment":["barbell","rack","dumbbell"],"#
                    + #""injuries":[{"area":"shoulder","severity":"moderate","avoid":["overhead"]}]}"#
            ),
            (
                "I'm stuck on my overhead press, how do I break the plateau?", "overhead press", "pressing overhead",
                #"{"fitness_level":"advanced","goals":["muscle_gain"],"equipment":["barbell","rack","dumbbell"],"#
                    + #""injuries":[{"area":"shoulder","severity":"moderate","avoid":["overhead"]}]}"#
            ),
            (
                "how do I progress my squats?", "squat", "deep knee flexion",
                #"{"fitness_level":"beginner","goals":["general_fitness"],"equipment":["body_only"],"#
                    + #""injuries":[{"area":"knee","severity":"mild","avoid":["deep_knee_flexion","plyometric"]}]}"#
            ),
            (
                "how do I progress my deadlift?", "deadlift", "spinal loading",
                #"{"fitness_level":"beginner","goals":["weight_loss"],"equipment":["dumbbell"],"#
                    + #""injuries":[{"area":"lower back","severity":"moderate","avoid":["spinal_loading","spinal_flexion"]}]}"#
            ),
        ])
    func forbiddenLift(question: String, lift: String, avoided: String, profile: String) throws {
        let text = try Self.ask(question, profile: profile)
        #expect(!text.contains("The same rule works for the \(lift)"), "\(text)")
        #expect(text.contains("Your profile says to avoid \(avoided)"), "\(text)")
        #expect(text.contains("don't progress it for now"), "\(text)")
        let words = text.split(whereSeparator: \.isWhitespace).count
        #expect((60...200).contains(words), "\(words) words: \(text)")
    }

    @Test("a lift the profile allows keeps the progression line")
    func allowedLift() throws {
        let profile = #"{"fitness_level":"intermediate","goals":["muscle_gain"],"equipment":["dumbbell","bench"]}"#
        let text = try Self.ask("how do I progress my squats?", profile: profile)
        #expect(text.contains("The same rule works for the squat"), "\(text)")
    }
}
