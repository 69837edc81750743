import Foundation
import Testing

@testable import VigorCoaching

@Suite("Exercise catalogue")
struct CatalogTests {
    let exercises = catalog.exercises

    @Test("has well over a hundred exercises with unique snake_case ids and names")
    func size() {
        #expect(exercises.count >= 110)
        #expect(Set(exercises.map(\.id)).count == exercises.count)
        #expect(Set(exercises.map(\.name)).count == exercises.count)
        #expect(catalog.count == StandardCatalog.all.count)
        for exercise in exercises {
            let allowed = exercise.id.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
            }
            #expect(allowed && exercise.id.first!.isLetter, "\(exercise.id)")
        }
    }

    @Test("every entry is complete: muscles, equipment, instructions in a sentence or two")
    func completeness() {
        for exercise in exercises {
            #expect(!exercise.primaryMuscles.isEmpty, "\(exercise.id)")
            #expect(!exercise.equipment.isEmpty, "\(exercise.id)")
            #expect(!exercise.equipment.contains(.bodyOnly) || exercise.equipment == [.bodyOnly], "\(exercise.id)")
            let sentences = exercise.instructions.split(separator: ".").filter { !$0.allSatisfy(\.isWhitespace) }
            #expect((1...2).contains(sentences.count), "\(exercise.id)")
            #expect(exercise.instructions.count <= 200, "\(exercise.id)")
            if exercise.pattern == .cardio || exercise.pattern == .mobility {
                #expect(exercise.measure == .time, "\(exercise.id)")
            }
        }
    }

    @Test("every equipment value is used", arguments: Equipment.allCases)
    func equipment(_ value: Equipment) {
        #expect(exercises.contains { $0.equipment.contains(value) })
    }

    @Test("every muscle group is a primary target somewhere", arguments: MuscleGroup.allCases)
    func muscles(_ group: MuscleGroup) {
        #expect(exercises.contains { $0.primaryMuscles.contains(group) })
    }

    @Test("every pattern has a beginner body-weight option", arguments: MovementPattern.allCases)
    func beginnerBodyweight(_ pattern: MovementPattern) {
        #expect(exercises.contains { $0.pattern == pattern && $0.level == .beginner && $0.equipment == [.bodyOnly] })
    }

    @Test("every level appears in every main pattern")
    func levels() {
        for pattern in [MovementPattern.squat, .hinge, .lunge, .horizontalPush, .verticalPush, .horizontalPull, .verticalPull] {
            for level in FitnessLevel.allCases {
                #expect(exercises.contains { $0.pattern == pattern && $0.level == level }, "\(pattern) \(level)")
            }
        }
    }

    @Test("lookup by id; the first of duplicate ids wins")
    func lookup() {
        #expect(catalog["push_up"]?.name == "Push-up")
        #expect(catalog.exercise(id: "moon_walk") == nil)
        #expect(catalog.contains(id: "goblet_squat"))
        var copy = catalog["push_up"]!
        copy.name = "Other"
        let doubled = ExerciseCatalog(exercises: [catalog["push_up"]!, copy])
        #expect(doubled.count == 1)
        #expect(doubled["push_up"]?.name == "Push-up")
    }

    @Test("equipment and injury checks on an exercise")
    func checks() {
        let row = catalog["dumbbell_row"]!
        #expect(!row.isDoable(with: [.bodyOnly]))
        #expect(row.isDoable(with: [.dumbbell]))
        #expect(catalog["push_up"]!.isDoable(with: []))
        #expect(catalog["bodyweight_squat"]!.conflicts(with: [.deepKneeFlexion, .overhead]) == [.deepKneeFlexion])
    }

    @Test("bit masks agree with the sets they stand for")
    func masks() {
        for focus in SessionFocus.allCases where focus != .fullBody {
            #expect(focus.allowedMask == MuscleGroup.mask(Array(focus.allowedMuscles)), "\(focus)")
        }
        #expect(Set(MuscleGroup.allCases.map(\.bit)).count == MuscleGroup.allCases.count)
        for (exercise, traits) in zip(catalog.exercises, catalog.traits) {
            #expect(traits == ExerciseTraits(exercise))
        }
    }

    @Test("the catalogue round-trips through JSON with snake_case keys")
    func coding() throws {
        let data = try sortedJSON(catalog)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"primary_muscles\"") && text.contains("\"secondary_muscles\""))
        let decoded = try JSONDecoder().decode(ExerciseCatalog.self, from: data)
        #expect(decoded == catalog)
        #expect(decoded["kettlebell_swing"] == catalog["kettlebell_swing"])
    }

    @Test("warm-ups and cool-downs fill their minutes")
    func activities() {
        for minutes in [15, 30, 45, 90] {
            let allowance = ActivityLibrary.allowance(sessionMinutes: minutes)
            for focus in SessionFocus.allCases {
                let warmup = ActivityLibrary.warmUp(focus: focus, minutes: allowance.warmup, gentle: false)
                let cooldown = ActivityLibrary.coolDown(focus: focus, minutes: allowance.cooldown)
                #expect(warmup.reduce(0) { $0 + $1.minutes } == allowance.warmup)
                #expect(cooldown.reduce(0) { $0 + $1.minutes } == allowance.cooldown)
            }
        }
    }
}
