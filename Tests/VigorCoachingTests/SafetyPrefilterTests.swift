import Foundation
import Testing

@testable import VigorCoaching

/// The byte-level pre-check of the safety screen (``SafetyPrefilter``): it may only ever skip
/// a message the full screen finds nothing in, and its word scanner must read exactly the
/// words the tokeniser reads.
@Suite("Safety screen pre-check")
struct SafetyPrefilterTests {
    static let screen = SafetyScreen.standard
    static let english = screen.compiled[0]

    /// A small deterministic generator (SplitMix64), so a failure reproduces.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    /// Both ways through the screen agree; returns the full result.
    @discardableResult
    static func expectSame(_ message: String, profile: FitnessProfile? = nil, sourceLocation: SourceLocation = #_sourceLocation)
        -> SafetyAssessment
    {
        let full = screen.assess(message, profile: profile, bodyWeightKg: nil, prefilter: false)
        let fast = screen.assess(message, profile: profile, bodyWeightKg: nil, prefilter: true)
        if !full.isClear || full.language != nil {
            let mayFind = english.prefilter.mayFind(in: message)
            #expect(mayFind, "the pre-check cleared a message the screen flags: \(message)", sourceLocation: sourceLocation)
        }
        #expect(fast == full, "\(message)", sourceLocation: sourceLocation)
        return full
    }

    /// Case and apostrophe forms of `message` the screen must read alike.
    static func variants(_ message: String) -> [String] {
        let curly = message.replacingOccurrences(of: "'", with: "\u{2019}")
        return [
            message, message.uppercased(), message.capitalized, curly, "Hello. " + message + "!!",
            message.replacingOccurrences(of: " ", with: "\n"), message + " caf\u{E9}",
        ]
    }

    static func rawWords(_ text: String) -> [String] {
        SafetyText.rawTokens(text).compactMap {
            if case .word(let word) = $0 { return word }
            return nil
        }
    }

    @Test("the byte scanner reads the same words as the tokeniser (random ASCII and curly apostrophes)")
    func scannerMatchesTokeniser() {
        let pieces = [
            "a", "B", "z", "Q", "t", "kg", "0", "1", "9", "'", "`", "\u{2019}", "\u{2018}", ".", ",", "!", "?", ";", " ", "\n", "\r",
            "\r\n", "-", "/", "\t", "(", "\"", "n't", "I'm", "10", "2.5", "1,000",
        ]
        var generator = Generator(state: 17)
        for _ in 0..<4_000 {
            let text = (0..<Int.random(in: 0...24, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            #expect(SafetyWordScanner.words(in: text) == Self.rawWords(text), "\(text.debugDescription)")
        }
        for text in ["Plan a 3-day beginner workout", "t22 t2d 10kg 1,000.5kg 3.. x'y x' 'x don't o'clock's a1b2", "\r\n\r\n"] {
            #expect(SafetyWordScanner.words(in: text) == Self.rawWords(text), "\(text.debugDescription)")
        }
        // Anything else is left to the full screen.
        for text in ["caf\u{E9}", "e\u{301}", "\u{1F3CB}", "\u{5E9}\u{5DC}\u{5D5}\u{5DD}", "x\u{2019}\u{301}y", "\u{212A}g", "\u{37E}"] {
            #expect(SafetyWordScanner.words(in: text) == nil, "\(text.debugDescription)")
            let mayFind = Self.english.prefilter.mayFind(in: text)
            #expect(mayFind)
        }
    }

    @Test("every phrase of every English red-flag and condition rule, in odd case and apostrophe forms, is never cleared")
    func everyRulePhrase() {
        func sample(_ phrase: [SafetyPattern.Word]) -> String {
            phrase.map {
                switch $0 {
                case .exact(let word): word
                case .prefix(let head): head + "ing"
                case .number: "12"
                case .any: "really"
                }
            }.joined(separator: " ")
        }
        var flagged = 0
        var messages = 0
        let rules = Self.english.redFlagRules.map(\.compiled) + Self.english.conditionRules.map(\.compiled)
        for trigger in rules.flatMap(\.triggers) {
            let firsts = trigger.map { $0.phrases.first.map(sample) ?? "" }
            for (position, term) in trigger.enumerated() {
                for phrase in term.phrases {
                    var parts = firsts
                    parts[position] = sample(phrase)
                    let message = "i have " + parts.joined(separator: " ") + " now"
                    let contracted = message.replacingOccurrences(of: "cannot", with: "can't").replacingOccurrences(of: " not", with: "n't")
                    for text in [
                        message, message.uppercased(), contracted.capitalized, contracted.replacingOccurrences(of: "'", with: "\u{2019}"),
                    ] {
                        messages += 1
                        if !Self.expectSame(text).isClear { flagged += 1 }
                    }
                }
            }
        }
        #expect(messages > 2_000)
        #expect(flagged > messages / 2, "the generated messages must mostly be findings to test anything")
    }

    @Test("the evaluation set and its case, apostrophe and line-break forms get the same assessment both ways")
    func evaluationSet() throws {
        let cases = try #require(SafetyEvalTests.evalSet).cases
        for item in cases {
            for text in Self.variants(item.message) { Self.expectSame(text) }
        }
        let profile = FitnessProfile(fitnessLevel: .beginner, healthScreen: HealthScreen(pregnant: true))
        for item in cases.prefix(60) { Self.expectSame(item.message, profile: profile) }
    }

    @Test("ages, goals, fasts and contractions: same assessment both ways")
    func agesGoalsAndContractions() {
        let messages = [
            "I'm 72", "im 68 and new to this", "I am 70 years old", "I'M SEVENTY", "i am sixty eight", "in my seventies", "aged 81",
            "I will be 66 soon", "my 80 year old mother wants to train", "I turned 65 today", "i'm 9", "I'm 10",
            "lose 10 kg in 2 weeks", "I want to drop 3 pounds a week", "10kg off by next week", "LOSE 2 STONE IN A MONTH",
            "I weigh 200 lbs and want to lose 20 pounds in a month", "eat 800 calories a day", "a 1000 kcal diet",
            "a 1500 calorie deficit", "I burn 800 calories a day", "fast for 3 days", "a 5-day water fast", "not eat for a week",
            "starve myself", "I'm fasting for days", "I can't breathe", "I can\u{2019}t breathe", "I CAN`T BREATHE", "I don't feel my arm",
            "my friend's chest hurts", "she's pregnant", "i've had surgery", "I'd faint", "we're fine", "rock'n'roll's back",
            "t2d", "T1D since 2015", "b12", "Plan a 3-day beginner workout", "hello, give me a short tip", "",
            String(repeating: "x", count: 70) + "'s chest pain", String(repeating: "dizz", count: 40),
        ]
        for message in messages {
            for text in Self.variants(message) { Self.expectSame(text) }
        }
    }

    @Test("random messages from the rule vocabulary: same assessment both ways")
    func randomVocabulary() {
        var pool = ["i", "my", "friend", "not", "no", "never", "but", "and", "now", "years", "ago", "what", "if", "12", "3", "80"]
        let rules = Self.english.redFlagRules.map(\.compiled) + Self.english.conditionRules.map(\.compiled)
        for phrase in rules.flatMap(\.triggers).joined().flatMap(\.phrases) {
            for word in phrase {
                if case .exact(let text) = word { pool.append(text) }
                if case .prefix(let head) = word { pool.append(head + "y") }
            }
        }
        pool += ["can't", "don't", "I'm", "it's", "wasn't", "kg", "lbs", "kcal", "calories", "week", "days", "a", "day", "fast", "lose"]
        pool += [".", "?", ",", "\n", "but"]
        var generator = Generator(state: 99)
        for _ in 0..<600 {
            let words = (0..<Int.random(in: 1...14, using: &generator)).map { _ in pool.randomElement(using: &generator) ?? "" }
            Self.expectSame(words.joined(separator: " "))
        }
    }

    @Test("hostile input: long, odd Unicode, combining marks, RTL, emoji and long words read alike both ways")
    func hostileInput() {
        let pieces = [
            "e\u{301}\u{302}", "\u{5E9}\u{5DC}\u{5D5}\u{5DD} ", "\u{1F3CB}\u{FE0F}\u{200D}\u{2640}\u{FE0F}", " \u{200F}chest\u{200E} pain ",
            "CHEST\u{0307} PAIN", "supercalifragilistic", "\u{FDFA}", "\u{FF23}\u{FF28}\u{FF25}\u{FF33}\u{FF34} pain", ". ", "\u{2019}",
        ]
        var text = ""
        for index in 0..<400 { text += pieces[index % pieces.count] }
        Self.expectSame(text)
        Self.expectSame(String(repeating: "a", count: 5_000))
        Self.expectSame(String(repeating: "hello world. ", count: 400))
        Self.expectSame(String(repeating: "don't ", count: 500) + "chest pain")
        Self.expectSame(String(repeating: "9", count: 3_000))
    }

    @Test("the one-pass index finds exactly what each pattern finds alone, in the same order (prefix phrases by first byte)")
    func indexMatchesPatterns() throws {
        let language = Self.english
        let rules = language.redFlagRules.map(\.compiled) + language.conditionRules.map(\.compiled)
        var patterns = [
            language.negation, language.negationExceptions, language.negationCancellers, language.hypothetical, language.now,
            language.remotePast, language.present, language.future, language.decadePrefix,
        ]
        patterns += language.agePatterns.map(\.pattern) + rules.flatMap(\.triggers).joined() + rules.compactMap(\.unless)
        var messages = try #require(SafetyEvalTests.evalSet).cases.map(\.message)
        messages += ["dizzy dizzying dizz d\u{301}izzy \u{0107}ramp cramping 12 weeks along", "i am 72 years old in my seventies"]
        var compared = 0
        for message in messages {
            for words in SafetyText.clauses(message, language: language.language) {
                let found = language.index.scan(words, language: language.language)
                for pattern in patterns {
                    #expect(found[pattern.id] == pattern.occurrences(in: words, language: language.language), "\(words)")
                    compared += 1
                }
            }
        }
        #expect(compared > 10_000)
    }

    @Test("typical benign messages are cleared by the pre-check alone")
    func benignMessagesSkipTheFullScreen() {
        for message in [
            "hello, give me a short tip", "Plan a 3-day beginner workout", "How many sets of squats should I do?",
            "Can you make my plan easier this week", "What should I eat after a workout?", "I don't have a barbell, only dumbbells",
            "I want to lose weight, what should I eat", "my knee hurts after running", "Give me a 20 minute core workout",
            "I run 5 km three times a week, how do I get faster?", "What\u{2019}s a good warm up before bench press?",
        ] {
            // Every built-in language clears them: one that cannot costs every request the full screen.
            for language in SafetyScreen.standard.compiled {
                #expect(language.prefilter.isEnabled, "\(language.language.code)")
                #expect(!language.prefilter.mayFind(in: message), "\(language.language.code): \(message)")
            }
            #expect(Self.screen.assess(message).isClear)
        }
        // Spanish ordinary messages, ASCII-only, are cleared too (accented text goes to the full screen).
        for message in [
            "cuantas series hago a la semana", "que desayuno antes de entrenar", "hola, dame un consejo", "no hay barra, solo mancuernas",
        ] {
            for language in SafetyScreen.standard.compiled {
                #expect(!language.prefilter.mayFind(in: message), "\(language.language.code): \(message)")
            }
        }
    }
}
