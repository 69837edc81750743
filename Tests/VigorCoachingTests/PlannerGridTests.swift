import Foundation
import Testing

@testable import VigorCoaching

/// Every level × goal × kit × days (2–6) × injury case passes the validator and is
/// deterministic.
///
/// Determinism: every plan is generated twice and the two values compared; on a rotating
/// fifth of the grid (each days value in turn) both are also encoded with sorted keys and
/// the bytes compared. Equal values always encode to equal sorted-key JSON (plans hold no
/// dictionaries), and encoding every plan twice would triple the suite's run time in debug.
@Suite("Planner grid")
struct PlannerGridTests {
    @Test(
        "every generated plan passes the validator and is deterministic",
        arguments: FitnessLevel.allCases, Goal.allCases)
    func grid(level: FitnessLevel, goal: Goal) throws {
        let goalIndex = Goal.allCases.firstIndex(of: goal)!
        for (kitIndex, kit) in Kit.allCases.enumerated() {
            for (injuryIndex, injury) in InjuryCase.allCases.enumerated() {
                let person = profile(level, goal, kit: kit, injuries: injury.injuries)
                for days in 2...6 {
                    let label = "\(level) \(goal) \(kit) \(injury) \(days) days"
                    let first = plan(person, days: days)
                    let violations = PlanValidator.validate(first, profile: person, catalog: catalog)
                    #expect(violations.isEmpty, "\(label): \(violations.map(\.description))")
                    let again = plan(person, days: days)
                    #expect(first == again, "\(label)")
                    if (days - 2) == (goalIndex + kitIndex + injuryIndex) % 5 {
                        #expect(try sortedJSON(first) == sortedJSON(again), "\(label)")
                    }
                }
            }
        }
    }

    @Test("extreme session lengths and plan lengths still pass", arguments: FitnessLevel.allCases)
    func extremes(level: FitnessLevel) {
        for goal in Goal.allCases {
            for (minutes, weeks) in [(15, 1), (120, 16)] {
                let person = profile(level, goal, kit: .bodyOnly, injuries: InjuryCase.knee.injuries)
                let generated = plan(person, days: 6, minutes: minutes, weeks: weeks)
                let violations = PlanValidator.validate(generated, profile: person, catalog: catalog)
                #expect(violations.isEmpty, "\(level) \(goal) \(minutes) min: \(violations.map(\.description))")
                #expect(generated.weeks.count == weeks)
                #expect(generated.allSessions.allSatisfy { $0.estimatedMinutes <= minutes })
            }
        }
    }

    @Test("a positive health screen or a pregnancy still yields valid plans", arguments: Kit.allCases)
    func healthScreens(kit: Kit) {
        let screens = [
            HealthScreen(parqAnyYes: true), HealthScreen(pregnant: true, age: 30),
            HealthScreen(age: 75, inactive: true),
        ]
        for screen in screens {
            for level in FitnessLevel.allCases {
                for days in [2, 4, 6] {
                    let person = profile(level, .strength, kit: kit, healthScreen: screen)
                    let generated = plan(person, days: days)
                    let violations = PlanValidator.validate(generated, profile: person, catalog: catalog)
                    #expect(violations.isEmpty, "\(level) \(days) days \(screen): \(violations.map(\.description))")
                }
            }
        }
    }
}
