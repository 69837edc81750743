import Foundation
import Testing
import VigorPluginSDK

/// A red flag the message only mentions (someone else, a question, the past) never reaches the
/// host's emergency answer; the offline coach says what to do if it happens instead of "I
/// don't know that one".
@Suite("Offline coach: red flags mentioned, not happening")
struct CoachRedFlagMentionTests {
    static let profile = #"{"fitness_level":"beginner","goals":["weight_loss"],"equipment":["body_only"]}"#

    @Test(
        "a question about someone else's or a past red flag gets what to do, first",
        arguments: [
            "my mate collapsed at the gym yesterday, what should I have done?",
            "what should I do if a gym friend faints?",
            "what should I do if my training partner gets chest pain?",
        ])
    func mention(question: String) throws {
        let text = try CoachInjuryProgressionTests.ask(question, profile: Self.profile)
        #expect(!text.contains("I don't know that one"), "\(text)")
        #expect(text.contains("call your local emergency number"), "\(text)")
        let words = text.split(whereSeparator: \.isWhitespace).count
        #expect((20...200).contains(words), "\(words) words: \(text)")
    }

    @Test("an ordinary question gets no emergency note")
    func ordinary() throws {
        let text = try CoachInjuryProgressionTests.ask("how many rest days should I take?", profile: Self.profile)
        #expect(!text.contains("emergency number"), "\(text)")
    }
}
