import Testing

@testable import VigorCoaching

/// The letters the screen reads (``SafetyText/folded(_:)``), the answer to words of suicide
/// or self-harm (``RedFlag/selfHarm``) and a severe low blood sugar (``RedFlag/lowBloodSugar``).
@Suite("Safety screen: folding, the crisis answer, a severe low")
struct SafetyFoldingTests {
    let screen = SafetyScreen.standard

    @Test(
        "chest pain spelled in full-width, fancy, circled, look-alike or invisibly split letters escalates",
        arguments: [
            "Ｉ ｈａｖｅ ｃｈｅｓｔ ｐａｉｎ ｎｏｗ",  // full-width, from an East Asian keyboard
            "I have 𝐜𝐡𝐞𝐬𝐭 𝐩𝐚𝐢𝐧 now",  // mathematical bold
            "I have 𝘤𝘩𝘦𝘴𝘵 𝘱𝘢𝘪𝘯 now",  // sans-serif italic
            "I have ⓒⓗⓔⓢⓣ ⓟⓐⓘⓝ now",  // circled
            "I have chest pаin now",  // Cyrillic а
            "I have сhеst pain now",  // Cyrillic с and е
            "I have che\u{00AD}st pain now",  // soft hyphen
            "I have ch\u{200D}est p\u{200C}ain now",  // zero-width joiner and non-joiner
            "I have \u{202E}chest pain\u{202C} now",  // a direction override
            "\u{FEFF}I have chest\u{2060}pain now",  // byte-order mark, word joiner
        ])
    func foldedRedFlag(_ message: String) {
        let assessment = screen.assess(message)
        #expect(assessment.redFlags.map(\.flag) == [.chestPain], "\(message.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test("folding keeps negation, questions and other scripts as they were")
    func foldedCalm() {
        #expect(!screen.assess("Ｎｏ ｃｈｅｓｔ ｐａｉｎ ｔｏｄａｙ, ｊｕｓｔ ｓｏｒｅ ｌｅｇｓ").escalates)
        #expect(!screen.assess("What are the signs of a 𝐡𝐞𝐚𝐫𝐭 𝐚𝐭𝐭𝐚𝐜𝐤?").escalates)
        // Words wholly in Cyrillic or Greek are not read as Latin: that is their own language's table.
        #expect(SafetyText.folded("у меня болит грудь") == "у меня болит грудь")
        #expect(SafetyText.folded("πόνος στο στήθος") == "πόνος στο στήθος")
        #expect(SafetyText.folded("naïve café") == "naïve café")
        #expect(SafetyText.folded("pаin сhest") == "pain chest")
        #expect(SafetyText.folded("ＡＢＣ　１２３") == "ABC 123")
        #expect(SafetyText.folded("👍🏽 great run ❤️") == "👍🏽 great run ❤️")
    }

    @Test("ASCII text comes back unchanged; hostile text folds without trapping")
    func foldedEdges() {
        let ascii = String(repeating: "chest pain ", count: 1000)
        #expect(SafetyText.folded(ascii) == ascii)
        #expect(SafetyText.isASCII(ascii))
        #expect(!SafetyText.isASCII(String(repeating: "a", count: 15) + "é"))
        #expect(SafetyText.isASCII(""))
        #expect(SafetyText.folded("") == "")
        // Only format characters, only combining marks, unpaired look-alikes, the ends of the tables.
        #expect(SafetyText.folded(String(repeating: "\u{200B}", count: 10_000)) == "")
        #expect(SafetyText.folded(String(repeating: "a\u{0301}", count: 1000)).unicodeScalars.count == 2000)
        #expect(SafetyText.folded("\u{1D6A3}\u{1D7FF}\u{24E9}\u{FF5E}") == "z9z~")
        #expect(!screen.assess(String(repeating: "\u{00AD}", count: 50_000) + "ｃ").escalates)
    }

    @Test(
        "words of suicide or self-harm get the crisis answer, not training advice",
        arguments: [
            "I want to kill myself", "I don't want to live anymore", "I've been cutting myself again",
            "I'm going to end my life", "I am planning my suicide", "ｉ ｗａｎｔ ｔｏ ｋｉｌｌ ｍｙｓｅｌｆ",
        ])
    func crisisAnswer(_ message: String) {
        let assessment = screen.assess(message)
        #expect(assessment.redFlags.map(\.flag) == [.selfHarm])
        let reply = screen.emergencyReply(for: assessment, emergencyNumber: "112")
        #expect(reply.contains("988"))
        #expect(reply.contains("116 123"))
        #expect(reply.contains("findahelpline.com"))
        #expect(reply.contains("call 112 now"))
        #expect(!reply.contains("stop exercising"))
        #expect(!reply.contains("{number}"))
    }

    @Test("a symptom with words of self-harm gets both answers, the crisis one first")
    func crisisAndSymptom() {
        let assessment = screen.assess("I took a whole bottle of pills to end it and now my chest is crushing")
        #expect(Set(assessment.redFlags.map(\.flag)) == [.selfHarm, .chestPain])
        let reply = screen.emergencyReply(for: assessment, emergencyNumber: "911")
        let crisis = try? #require(reply.range(of: "988"))
        let emergency = try? #require(reply.range(of: "stop exercising"))
        if let crisis, let emergency { #expect(crisis.lowerBound < emergency.lowerBound) }
        #expect(reply.contains("Call 911 now"))
    }

    @Test("drills, grips, hyperbole, injuries and someone else's past are not a crisis")
    func notACrisis() {
        for message in [
            "suicide sprints at basketball practice", "is the suicide grip safe on bench?", "burpees make me want to die lol",
            "I hurt myself deadlifting", "I'm burning myself out with two-a-days", "I cut myself shaving before the meet",
            "I overdosed on pre-workout and feel jittery", "my mum tried to take her own life years ago, how can I support her now?",
            "I'd kill for a protein shake", "I took all my tablets this morning, can I still run?",
            "we went bungee jumping off a bridge on holiday",
        ] {
            #expect(!screen.assess(message).redFlags.contains { $0.flag == .selfHarm }, "\(message)")
        }
        let past = screen.assess("my mum tried to take her own life years ago, how can I support her now?")
        #expect(past.mentions.contains { $0.flag == .selfHarm })
    }

    @Test("confusion or drowsiness with diabetes is a severe low: the emergency answer with the fast-sugar advice")
    func lowBloodSugar() {
        for message in [
            "I'm diabetic and shaking and sweaty and confused after my run",
            "my dad is diabetic and he's acting strange and drowsy after his walk, what do I do",
            "type 1 here, my sugar won't come up after two juices",
        ] {
            let assessment = screen.assess(message)
            #expect(assessment.redFlags.map(\.flag) == [.lowBloodSugar], "\(message)")
            let reply = screen.emergencyReply(for: assessment, emergencyNumber: "112")
            #expect(reply.contains("Call 112 now") && reply.contains("15–20 g of fast-acting sugar"), "\(reply)")
        }
        for message in [
            "I get confused about which macros to track as a type 2 diabetic", "I feel confused and foggy after a bad night",
            "type 2 muscle fibres confuse me", "my glucose monitor keeps dropping connection at the gym",
        ] {
            #expect(!screen.assess(message).escalates, "\(message)")
        }
    }

    @Test("a language without its own crisis answer gets the English one")
    func crisisFallback() {
        let table = SafetyLanguage(
            code: "xx", redFlagRules: [RedFlagRule("xx.self", .selfHarm, triggers: [["zzkill"]])], emergencyReply: "{signs} {number}")
        let screen = SafetyScreen(languages: [table])
        let assessment = screen.assess("zzkill")
        #expect(assessment.escalates)
        #expect(screen.emergencyReply(for: assessment, emergencyNumber: "000").contains("call 000 now"))
    }
}
