import Testing

@testable import VigorCoaching

/// The red flags of injuries and reactions met around training: a head injury with warning
/// signs (``RedFlag/headInjury``), a severe allergic reaction (``RedFlag/anaphylaxis``), a
/// swollen leg with breathlessness or chest pain (``RedFlag/bloodClot``); and a cry for help
/// in a clause of its own ("heart attack?? help").
@Suite("Safety screen: head injury, anaphylaxis, blood clot, cries for help")
struct SafetyInjuryAllergyTests {
    let screen = SafetyScreen.standard

    @Test("a blow to the head with a warning sign escalates with the head-injury advice; a knock without one does not")
    func headInjury() {
        for message in [
            "I hit my head on the barbell and now I'm throwing up and confused",
            "my daughter banged her head on the beam and keeps asking the same questions",
            "got knocked out sparring and my head is pounding",
        ] {
            let assessment = screen.assess(message)
            #expect(assessment.redFlags.map(\.flag).contains(.headInjury), "\(message)")
            let reply = screen.emergencyReply(for: assessment, emergencyNumber: "112")
            #expect(reply.contains("Call 112 now") && reply.contains("Do not train or play again today"), "\(reply)")
        }
        for message in [
            "I hit my head on the bar yesterday, no symptoms, can I train today?",
            "bumped my head on the pull-up bar, I'm not dizzy and I haven't been sick",
            "knocked out 5 sets of squats before work", "how do I avoid head injuries when boxing?",
        ] {
            #expect(!screen.assess(message).escalates, "\(message)")
        }
    }

    @Test("swelling of the throat or tongue, or an allergy with breathing or dizziness, is anaphylaxis: use the auto-injector")
    func anaphylaxis() {
        for message in [
            "my throat is closing up after eating nuts", "I'm allergic to shrimp, ate some and now I'm wheezing",
            "covered in hives and dizzy after my run", "I used my EpiPen 5 minutes ago and it's not getting better",
        ] {
            let assessment = screen.assess(message)
            #expect(assessment.redFlags.map(\.flag).contains(.anaphylaxis), "\(message)")
            let reply = screen.emergencyReply(for: assessment, emergencyNumber: "911")
            #expect(reply.contains("Call 911 now") && reply.contains("adrenaline auto-injector"), "\(reply)")
        }
        for message in [
            "I carry an EpiPen for my peanut allergy, can I do HIIT?", "stung by a wasp on my run and my arm is swollen",
            "I have a sore throat and swollen glands, should I train?", "I'm allergic to shellfish, what should I eat after training?",
        ] {
            #expect(!screen.assess(message).escalates, "\(message)")
        }
    }

    @Test("a swollen, red or hot leg with breathlessness or chest pain is a possible clot; a pumped calf is not")
    func bloodClot() {
        for message in [
            "my calf is swollen and hot since the flight and now I'm short of breath",
            "I have a DVT and now I'm coughing up blood",
        ] {
            let assessment = screen.assess(message)
            #expect(assessment.redFlags.map(\.flag).contains(.bloodClot), "\(message)")
            let reply = screen.emergencyReply(for: assessment, emergencyNumber: "112")
            #expect(reply.contains("do not massage or stretch the leg"), "\(reply)")
        }
        for message in [
            "my calves are swollen with pump after calf raises and I'm out of breath",
            "my leg is swollen from a sprained ankle", "what are the signs of a blood clot?",
        ] {
            #expect(!screen.assess(message).escalates, "\(message)")
        }
    }

    @Test("a bone through the skin, bleeding that will not stop, or a fall and legs that cannot be felt: keep still, press on the wound")
    func severeInjury() {
        for message in [
            "I think I broke my ankle, the bone is sticking out", "my finger got caught in the machine and it won't stop bleeding",
            "my friend fell off the box and landed on his neck, now he can't move his legs",
        ] {
            let assessment = screen.assess(message)
            #expect(assessment.redFlags.map(\.flag).contains(.severeInjury), "\(message)")
            let reply = screen.emergencyReply(for: assessment, emergencyNumber: "112")
            #expect(reply.contains("Press firmly on a bleeding wound") && reply.contains("neck or back"), "\(reply)")
        }
        for message in [
            "I can't feel my legs after that leg day lol", "my gums are bleeding a lot when I floss", "bone broth after training?",
            "I broke my toe last month, can I run yet?", "the knurling cut my hand a bit, it's bleeding slightly",
        ] {
            #expect(!screen.assess(message).escalates, "\(message)")
        }
    }

    @Test("someone collapsed and not breathing: CPR, not 'lie down with your legs raised'; breathing technique is not an arrest")
    func cardiacArrest() {
        for (message, cpr) in [
            ("my friend collapsed at the gym and isn't breathing", "start CPR now"),
            ("mi compañero se ha desmayado y no respira", "empieza la RCP ahora"),
        ] {
            let assessment = screen.assess(message)
            #expect(assessment.redFlags.map(\.flag).contains(.cardiacArrest), "\(message)")
            let reply = screen.emergencyReply(for: assessment, emergencyNumber: "112")
            #expect(reply.contains(cpr) && !reply.contains("legs raised") && !reply.contains("piernas en alto"), "\(reply)")
            #expect(reply.contains("not breathing after a collapse") || reply.contains("no respirar tras un desmayo"), "\(reply)")
        }
        for message in [
            "I'm not breathing properly during heavy squats", "am I not breathing right when I run?",
            "I pass out if I'm not breathing enough on heavy lifts, how do I brace?",
        ] {
            #expect(!screen.assess(message).redFlags.contains { $0.flag == .cardiacArrest }, "\(message)")
        }
    }

    @Test("a clause that is only a cry joins its neighbour: 'heart attack?? help' escalates, 'help me understand' does not")
    func cries() {
        for message in ["heart attack?? help", "HELP!! heart attack", "heart attack. someone help me!", "stroke?? please help"] {
            #expect(screen.assess(message).escalates, "\(message)")
        }
        for message in [
            "what does a heart attack feel like? help me understand", "my breast stroke?? help",
            "help! what should I eat after a workout?", "can you help me plan rehab after my heart attack?",
        ] {
            #expect(!screen.assess(message).escalates, "\(message)")
        }
        let clauses = SafetyText.clauses("help!! heart attack. sos", language: .english)
        #expect(clauses == [["help", "heart", "attack", "sos"]])
        #expect(SafetyText.clauses("help", language: .english) == [["help"]])
    }
}
