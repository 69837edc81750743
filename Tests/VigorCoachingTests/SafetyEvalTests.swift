import Foundation
import Testing

@testable import VigorCoaching

/// The safety screen's evaluation set (Tests/Fixtures/coaching-eval/safety.json): red flags must
/// all escalate with their type; near-misses and condition questions must not; conditions and
/// unsafe goals must be found. Prints recall, false-alarm rate, detection rates and the cost.
@Suite("Safety screen evaluation set")
struct SafetyEvalTests {
    struct Case: Decodable {
        var id: String
        var kind: String
        var message: String
        var expect: String?
    }

    struct EvalSet: Decodable {
        var cases: [Case]
    }

    static let evalSet: EvalSet? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/coaching-eval/safety.json").standardized
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(EvalSet.self, from: data)
    }()

    static func rate(_ hits: Int, _ total: Int) -> Double { total == 0 ? 1 : Double(hits) / Double(total) }

    static func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }

    @Test("the set has at least 50 red flags, 40 near-misses and 20 condition questions, all distinct")
    func setSize() throws {
        let cases = try #require(Self.evalSet).cases
        #expect(cases.filter { $0.kind == "red_flag" }.count >= 50)
        #expect(cases.filter { $0.kind == "near_miss" }.count >= 40)
        #expect(cases.filter { $0.kind == "condition" }.count >= 20)
        #expect(Set(cases.map(\.message)).count == cases.count, "duplicate messages")
        #expect(Set(cases.map(\.id)).count == cases.count, "duplicate ids")
        for item in cases where item.kind == "red_flag" { #expect(RedFlag(rawValue: item.expect ?? "") != nil, "\(item.id)") }
        for item in cases where item.kind == "condition" { #expect(HealthCondition(rawValue: item.expect ?? "") != nil, "\(item.id)") }
    }

    @Test("recall 100 % on red flags, false alarms at most 5 %, conditions and unsafe goals found")
    func evaluate() throws {
        let cases = try #require(Self.evalSet).cases
        let screen = SafetyScreen.standard
        var redFlags = (total: 0, escalated: 0, typed: 0)
        var calm = (total: 0, alarms: 0)
        var conditions = (total: 0, found: 0)
        var goals = (total: 0, found: 0)
        var misses: [String] = []
        for item in cases {
            let assessment = screen.assess(item.message)
            switch item.kind {
            case "red_flag":
                redFlags.total += 1
                if assessment.escalates { redFlags.escalated += 1 }
                if assessment.redFlags.contains(where: { $0.flag.rawValue == item.expect }) {
                    redFlags.typed += 1
                } else {
                    misses.append("\(item.id) not escalated as \(item.expect ?? "?"): \(item.message)")
                }
            case "condition":
                conditions.total += 1
                calm.total += 1
                if assessment.escalates {
                    calm.alarms += 1
                    misses.append("\(item.id) false alarm: \(item.message)")
                }
                if assessment.conditions.contains(where: { $0.condition.rawValue == item.expect }) {
                    conditions.found += 1
                } else {
                    misses.append("\(item.id) condition \(item.expect ?? "?") not found: \(item.message)")
                }
            case "condition_absent":
                conditions.total += 1
                calm.total += 1
                if assessment.escalates {
                    calm.alarms += 1
                    misses.append("\(item.id) false alarm: \(item.message)")
                }
                if assessment.conditions.contains(where: { $0.condition.rawValue == item.expect }) {
                    misses.append("\(item.id) condition \(item.expect ?? "?") found but must not be: \(item.message)")
                } else {
                    conditions.found += 1
                }
            case "unsafe_goal", "safe_goal":
                goals.total += 1
                calm.total += 1
                if assessment.escalates {
                    calm.alarms += 1
                    misses.append("\(item.id) false alarm: \(item.message)")
                }
                let found = assessment.unsafeGoals.contains { $0.kind.rawValue == item.expect }
                if item.kind == "unsafe_goal" ? found : assessment.unsafeGoals.isEmpty {
                    goals.found += 1
                } else {
                    misses.append("\(item.id) goal: \(item.message) → \(assessment.unsafeGoals.map(\.kind.rawValue))")
                }
            default:
                calm.total += 1
                if assessment.escalates {
                    calm.alarms += 1
                    misses.append("\(item.id) false alarm \(assessment.redFlags.map(\.rule)): \(item.message)")
                }
            }
        }
        let recall = Self.rate(redFlags.escalated, redFlags.total)
        let typedRecall = Self.rate(redFlags.typed, redFlags.total)
        let falseAlarms = Self.rate(calm.alarms, calm.total)
        let detection = Self.rate(conditions.found, conditions.total)
        let goalAccuracy = Self.rate(goals.found, goals.total)
        print(
            """
            safety eval: \(cases.count) messages
              escalation recall (red flags):   \(Self.percent(recall)) (\(redFlags.escalated)/\(redFlags.total)); with the expected type \
            \(Self.percent(typedRecall))
              false-alarm rate (all others):   \(Self.percent(falseAlarms)) (\(calm.alarms)/\(calm.total))
              condition detection (+ absence): \(Self.percent(detection)) (\(conditions.found)/\(conditions.total))
              unsafe-goal accuracy:            \(Self.percent(goalAccuracy)) (\(goals.found)/\(goals.total))
            """)
        for miss in misses { print("  miss: \(miss)") }
        #expect(recall == 1, "every red flag must escalate")
        #expect(typedRecall == 1, "every red flag must carry its type")
        #expect(falseAlarms <= 0.05)
        #expect(detection >= 0.9)
        #expect(goalAccuracy >= 0.9)
    }

    @Test("the ordinary coaching questions of coaching.json (written separately) do not escalate")
    func ordinaryQuestions() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/coaching-eval/coaching.json").standardized
        guard let data = try? Data(contentsOf: url), let root = try? JSONSerialization.jsonObject(with: data) else { return }
        var questions: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let question = object["question"] as? String { questions.append(question) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(root)
        let alarms = questions.filter { SafetyScreen.standard.assess($0).escalates }
        print("safety eval: ordinary coaching questions escalated: \(alarms.count)/\(questions.count)")
        #expect(Self.rate(alarms.count, questions.count) <= 0.05, "\(alarms)")
    }

    @Test("cost per message: median over the set, printed in microseconds")
    func cost() throws {
        let messages = try #require(Self.evalSet).cases.map(\.message)
        let screen = SafetyScreen.standard
        let clock = ContinuousClock()
        var perMessage: [Double] = []
        var sink = 0
        for message in messages {
            let rounds = 20
            let elapsed = clock.measure {
                for _ in 0..<rounds { sink &+= screen.assess(message).redFlags.count }
            }
            let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
            perMessage.append(micros / Double(rounds))
        }
        perMessage.sort()
        let median = perMessage[perMessage.count / 2]
        let p90 = perMessage[perMessage.count * 9 / 10]
        print(
            String(
                format: "safety screen cost: median %.1f µs, p90 %.1f µs per message (%d messages; this build)", median, p90,
                messages.count))
        #expect(sink >= 0)
        #expect(median < 20_000)
    }
}

/// The screen's rules one behaviour at a time.
@Suite("Safety screen behaviour")
struct SafetyScreenBehaviourTests {
    let screen = SafetyScreen.standard

    func flags(_ message: String, profile: FitnessProfile? = nil) -> [RedFlag] {
        screen.assess(message, profile: profile).redFlags.map(\.flag)
    }

    @Test("negation: a negated symptom does not escalate, a new subject ends the negation")
    func negation() {
        #expect(flags("no chest pain, no dizziness, never fainted").isEmpty)
        #expect(flags("I have no chest pain, dizziness or fainting").isEmpty)
        #expect(flags("I don't have chest pain and my left arm is numb") == [.oneSidedWeakness])
        #expect(flags("no chest pain but I passed out") == [.fainting])
        #expect(flags("I can't feel my left arm") == [.oneSidedWeakness], "'can't feel' is the symptom, not a negation")
        #expect(flags("I can’t breathe, even sitting down") == [.breathlessnessAtRest], "curly apostrophe")
        #expect(flags("Not once have I passed out").isEmpty)
        #expect(flags("I have never had chest pain").isEmpty)
        #expect(flags("I've never had chest pain like this") == [.chestPain], "'like this' describes it now")
        #expect(flags("I've never had a headache this bad") == [.suddenSevereHeadache])
    }

    @Test("tense: remote past is history, recent past and 'again' escalate")
    func tense() {
        let past = screen.assess("I fainted years ago when I was a teenager")
        #expect(!past.escalates)
        #expect(past.mentions.first?.reason == .past)
        #expect(past.has(.symptomHistory))
        #expect(flags("I fainted yesterday after squats") == [.fainting])
        #expect(flags("I fainted years ago and it happened again today") == [.fainting])
        #expect(flags("Since last year I get palpitations and dizziness when I run") == [.palpitations], "ongoing since")
        #expect(flags("I fainted 2 years ago, I get nervous in the gym").isEmpty)
        #expect(flags("I'm 70 years old and I get chest pain when I walk") == [.chestPain], "an age is not a time ago")
        #expect(flags("can't lift my left arm above my head after shoulder day").isEmpty, "range of motion, not weakness")
        #expect(!screen.assess("I had knee surgery 10 years ago").has(.recentSurgery))
        let surgery = screen.assess("I had knee surgery 3 weeks ago")
        #expect(surgery.conditions.first { $0.condition == .recentSurgery }?.daysAgo == 21)
        #expect(screen.assess("I had a heart attack last month").has(.heartDisease))
        #expect(!screen.assess("I was pregnant two years ago").has(.pregnancy))
        #expect(!screen.assess("we are trying to get pregnant").has(.pregnancy))
    }

    @Test("hypotheticals and questions about others do not escalate; someone else's emergency now does")
    func subjects() {
        let question = screen.assess("What should I do if a gym friend faints?")
        #expect(!question.escalates)
        #expect(question.mentions == [RedFlagMention(flag: .fainting, reason: .hypothetical)])
        #expect(!screen.assess("My dad had a stroke years ago and his face was drooping").escalates)
        let now = screen.assess("My training partner is having a seizure right now")
        #expect(now.redFlags.first?.subject == .other)
        #expect(!screen.assess("My wife is pregnant, can she lift?").has(.pregnancy))
        #expect(!screen.assess("My mum has diabetes").has(.diabetes))
    }

    @Test("paraphrase: the same red flag in different words")
    func paraphrase() {
        for message in [
            "tightness in my chest", "pressure on my chest", "my chest feels like it is being squeezed",
            "it feels like an elephant on my chest",
        ] {
            #expect(flags(message) == [.chestPain], "\(message)")
        }
        for message in ["I passed out", "I blacked out on the bike", "I lost consciousness for a moment"] {
            #expect(flags(message) == [.fainting], "\(message)")
        }
        #expect(flags("heart pounding and I feel lightheaded") == [.palpitations])
        #expect(flags("my face is drooping") == [.strokeSigns])
        #expect(flags("worst headache of my life") == [.suddenSevereHeadache])
        #expect(flags("my pee is cola-coloured after leg day") == [.rhabdomyolysis])
        #expect(flags("my pee is dark yellow after leg day").isEmpty)
    }

    @Test("the profile adds pregnancy, older age and the PAR-Q; pregnancy warning signs need a pregnancy")
    func profile() {
        let profile = FitnessProfile(
            fitnessLevel: .beginner, healthScreen: HealthScreen(parqAnyYes: true, pregnant: true, age: 71))
        let assessment = screen.assess("what should I train today?", profile: profile)
        #expect(assessment.conditionSet == [.pregnancy, .olderAdult, .parqPositive])
        #expect(assessment.conditions.allSatisfy { $0.origin == .profile })
        #expect(flags("I noticed some bleeding after my walk", profile: profile) == [.pregnancyWarningSign])
        #expect(flags("I noticed some bleeding after my walk").isEmpty)
        #expect(screen.assess("I'm 72 and new to the gym").has(.olderAdult))
        #expect(!screen.assess("I'm 72 kg and new to the gym").has(.olderAdult))
        #expect(!screen.assess("my 80 year old mother wants to walk more").has(.olderAdult))
    }

    @Test("unsafe goals: more than 1 % of body weight (1 kg unknown) a week, < 1200 kcal, fasting for days")
    func goals() throws {
        let fast = try #require(screen.assess("I want to lose 10 kg in 2 weeks").unsafeGoals.first)
        #expect(fast.kind == .rapidWeightLoss)
        #expect(fast.requestedKgPerWeek == 5)
        #expect(fast.safeKgPerWeek == 1)
        #expect(fast.note.contains("0.5–1 kg a week"))
        #expect(fast.note.contains("10–20 weeks"))
        #expect(screen.assess("I want to lose 5 kg in 10 weeks").unsafeGoals.isEmpty)
        let heavy = try #require(screen.assess("I weigh 60 kg and want to lose 1 kg a week").unsafeGoals.first)
        #expect(heavy.safeKgPerWeek == 0.6)
        #expect(screen.assess("I want to lose 1 kg a week", bodyWeightKg: 120).unsafeGoals.isEmpty)
        #expect(screen.assess("I eat 900 calories a day").unsafeGoals.first?.kind == .extremeDeficit)
        #expect(screen.assess("I burned 900 calories today").unsafeGoals.isEmpty)
        #expect(screen.assess("I want to do a 3 day water fast").unsafeGoals.first?.fastHours == 72)
        #expect(screen.assess("I fast for 16 hours a day").unsafeGoals.isEmpty)
    }

    @Test("the emergency reply names the sign and the configured number")
    func emergencyReply() {
        let assessment = screen.assess("I get chest pain when I run")
        let reply = screen.emergencyReply(for: assessment, emergencyNumber: "112")
        #expect(reply.contains("stop exercising"))
        #expect(reply.contains("Call 112 now"))
        #expect(reply.contains("Chest pain or pressure"))
    }

    @Test("an operator adds a language as a rule table; both languages apply")
    func addedLanguage() {
        let german = SafetyLanguage(
            code: "de", clauseBreaks: ["aber"], negationCues: ["kein", "keine", "keinen", "nicht"],
            negationScopeBreakers: ["ich", "mein", "meine", "und"], firstPersonWords: ["ich", "mein", "meine", "mir"],
            concepts: ["brust": ["brust", "brustkorb"], "schmerz": ["schmerz*", "druck", "engegefühl", "tut weh"]],
            redFlagRules: [RedFlagRule("de.brust", .chestPain, triggers: [["@brust", "@schmerz"]])],
            emergencyReply: "Hören Sie sofort mit dem Training auf. {signs}: rufen Sie jetzt {number} an.",
            redFlagNames: [.chestPain: "Brustschmerzen"])
        let screen = SafetyScreen(languages: [.english, german])
        let assessment = screen.assess("Ich habe Schmerzen in der Brust beim Laufen")
        #expect(assessment.redFlags.map(\.flag) == [.chestPain])
        #expect(assessment.language == "de")
        #expect(
            screen.emergencyReply(for: assessment, emergencyNumber: "112")
                == "Hören Sie sofort mit dem Training auf. Brustschmerzen: rufen Sie jetzt 112 an.")
        #expect(!screen.assess("Ich habe keine Schmerzen in der Brust").escalates)
        #expect(screen.assess("I get chest pain when I run").language == "en")
    }

    @Test("hostile input: empty, huge, odd characters, numbers")
    func hostile() {
        #expect(screen.assess("").isClear)
        #expect(screen.assess("   \n\n ...!!!??? ").isClear)
        #expect(screen.assess(String(repeating: "chest ", count: 5_000)).redFlags.isEmpty)
        #expect(screen.assess("lose 99999999999999999999 kg in 0 days").unsafeGoals.count <= 1)
        #expect(screen.assess("I'm 1e309 years old").conditions.isEmpty)
        #expect(screen.assess("🫀💔 chest pain 😵").escalates)
        #expect(screen.assess("CHEST PAIN").escalates)
        // Repeated trigger words and negations stay near-linear (no combinatorial matching).
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(screen.assess(String(repeating: "heart racing dizzy ", count: 2_000)).escalates)
            #expect(!screen.assess(String(repeating: "no ", count: 5_000) + "chest pain").escalates)
            #expect(screen.assess(String(repeating: "lose 5 kg ", count: 2_000)).unsafeGoals.isEmpty)
        }
        #expect(elapsed < .seconds(20), "\(elapsed)")
    }
}
