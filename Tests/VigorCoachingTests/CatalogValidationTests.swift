import Foundation
import Testing

@testable import VigorCoaching

@Suite("Exercise catalogue checks: cues, substitutions, equipment coverage")
struct CatalogValidationTests {
    @Test("the standard catalogue has no problems")
    func sound() {
        #expect(catalog.problems() == [])
    }

    @Test("the checks catch a bad substitution, a self-substitution and a blank cue")
    func catches() {
        var bad = catalog["push_up"]!
        bad.substitutions = ["moon_walk", "push_up", "bodyweight_squat"]
        bad.formCues = ["Brace", " ", "Lower slowly"]
        let problems = ExerciseCatalog(exercises: [bad, catalog["bodyweight_squat"]!]).problems()
        #expect(problems.contains("push_up: substitution 'moon_walk' is not in the catalogue"))
        #expect(problems.contains("push_up: lists itself as a substitution"))
        #expect(problems.contains("push_up: substitution 'bodyweight_squat' trains neither the same pattern nor the same muscles"))
        #expect(problems.contains("push_up: needs at least three form cues"))
        #expect(problems.contains("bands: 0 exercises, fewer than 12"))
    }

    @Test("every exercise has at least three distinct form cues", arguments: catalog.exercises.map(\.id))
    func cues(_ id: String) {
        let cues = catalog[id]!.cues
        #expect(cues.count >= 3)
        #expect(Set(cues).count == cues.count)
        #expect(cues.allSatisfy { !$0.allSatisfy(\.isWhitespace) && $0.count <= 140 })
    }

    @Test(
        "the kinds a person may own alone each cover a full-body session for a beginner",
        arguments: [Equipment.bands, .kettlebell, .suspension])
    func singleKit(_ piece: Equipment) {
        let beginner = catalog.exercises.filter { $0.equipment == [piece] && $0.level == .beginner }
        for patterns in [[MovementPattern.squat], [.hinge, .lunge], [.horizontalPush], [.horizontalPull]] {
            #expect(beginner.contains { patterns.contains($0.pattern) }, "\(piece) \(patterns)")
        }
        #expect(catalog.exercises.filter { $0.equipment.contains(piece) }.count >= 12)
    }

    @Test("cardio machines: steady work for beginners and intervals for the others")
    func cardioMachines() {
        let machine = catalog.exercises.filter { $0.equipment == [.cardioMachine] }
        #expect(machine.count >= 8)
        #expect(machine.allSatisfy { $0.pattern == .cardio && $0.measure == .time })
        #expect(machine.contains { $0.level == .beginner && $0.tags.isEmpty })
        #expect(machine.contains { $0.level == .intermediate })
    }

    @Test("entries in the equipment files list their own cues and substitutions")
    func newEntries() {
        for exercise in StandardCatalog.bands + StandardCatalog.kettlebells + StandardCatalog.suspension
            + StandardCatalog.cardioMachines
        {
            #expect(exercise.formCues.count >= 3, "\(exercise.id)")
            #expect(!exercise.substitutions.isEmpty, "\(exercise.id)")
        }
    }

    @Test("form cues and substitutions round-trip through JSON and may be absent")
    func coding() throws {
        let swing = try #require(catalog["suspension_row"])
        let data = try JSONEncoder().encode(swing)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"form_cues\"") && text.contains("\"substitutions\""))
        #expect(try JSONDecoder().decode(Exercise.self, from: data) == swing)
        let plain = try JSONEncoder().encode(catalog["push_up"]!)
        #expect(!String(decoding: plain, as: UTF8.self).contains("form_cues"))
        #expect(try JSONDecoder().decode(Exercise.self, from: plain) == catalog["push_up"]!)
    }
}
