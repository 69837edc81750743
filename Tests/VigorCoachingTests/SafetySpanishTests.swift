import Foundation
import Testing

@testable import VigorCoaching

/// The built-in Spanish table (``SafetyLanguage/spanish``): its evaluation set
/// (Tests/Fixtures/coaching-eval/safety-es.json), its answers, and that it reads nothing in
/// English text, since the standard screen applies both tables to every message.
@Suite("Safety screen: Spanish")
struct SafetySpanishTests {
    static func cases(_ name: String) throws -> [SafetyEvalTests.Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/coaching-eval/\(name)").standardized
        return try JSONDecoder().decode(SafetyEvalTests.EvalSet.self, from: Data(contentsOf: url)).cases
    }

    @Test("the Spanish set: every red flag escalates with its type, near-misses stay calm, conditions are found")
    func evaluate() throws {
        let cases = try Self.cases("safety-es.json")
        #expect(cases.count >= 60)
        #expect(Set(cases.map(\.message)).count == cases.count, "duplicate messages")
        var misses: [String] = []
        for item in cases {
            let assessment = SafetyScreen.standard.assess(item.message)
            switch item.kind {
            case "red_flag":
                if !assessment.redFlags.contains(where: { $0.flag.rawValue == item.expect }) {
                    misses.append("\(item.id) not escalated as \(item.expect ?? "?"): \(item.message)")
                }
            case "condition":
                if !assessment.conditions.contains(where: { $0.condition.rawValue == item.expect }) || assessment.escalates {
                    misses.append("\(item.id) condition \(item.expect ?? "?") not found: \(item.message)")
                }
            default:
                if assessment.escalates { misses.append("\(item.id) false alarm \(assessment.redFlags.map(\.rule)): \(item.message)") }
            }
        }
        for miss in misses { print("  miss: \(miss)") }
        #expect(misses.isEmpty, "\(misses.count) of \(cases.count)")
    }

    @Test("the Spanish table finds nothing in the English sets: no red flag, mention or condition")
    func silentOnEnglish() throws {
        let spanishOnly = SafetyScreen(languages: [.spanish])
        let english = try Self.cases("safety.json").map(\.message)
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/coaching-eval/coaching.json").standardized
        let coaching = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        #expect(!coaching.isEmpty)
        for message in english + [coaching] {
            let assessment = spanishOnly.assess(message)
            #expect(
                assessment.redFlags.isEmpty && assessment.mentions.isEmpty && assessment.conditions.isEmpty,
                "\(message.prefix(80)) → \(assessment)")
        }
    }

    @Test("a Spanish red flag is answered in Spanish, with the Spanish crisis lines unless the operator set others")
    func answers() {
        let screen = SafetyScreen.standard
        let chest = screen.assess("tengo una opresión en el pecho ahora mismo")
        #expect(chest.language == "es")
        let reply = screen.emergencyReply(for: chest, emergencyNumber: "112")
        #expect(reply.contains("Llama ahora al 112") && reply.contains("Dolor u opresión en el pecho"), "\(reply)")
        #expect(reply.contains("siéntate y descansa"))
        let unset = screen.emergencyReply(for: chest, emergencyNumber: SafetyLanguage.unsetEmergencyNumber)
        #expect(unset.contains("Llama ahora al número de emergencias de tu país (112 / 911)"), "\(unset)")
        let two = screen.emergencyReply(for: screen.assess("me duele el pecho y me voy a desmayar"), emergencyNumber: "112")
        #expect(two.contains("pecho y un desmayo"), "\(two)")
        let crisis = screen.assess("quiero suicidarme")
        let crisisReply = screen.emergencyReply(for: crisis, emergencyNumber: "112")
        #expect(crisisReply.contains("024") && crisisReply.contains("llama ahora al 112") && !crisisReply.contains("988"), "\(crisisReply)")
        let configured = screen.emergencyReply(for: crisis, emergencyNumber: "112", crisisLines: "llama al 135")
        #expect(configured.contains("llama al 135") && !configured.contains("024"))
        #expect(screen.crisisLines(for: screen.assess("I want to kill myself")) == SafetyLanguage.englishCrisisLines)
    }
}
