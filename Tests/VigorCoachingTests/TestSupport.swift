import Foundation
import Testing

@testable import VigorCoaching

/// The standard catalogue, shared by the tests.
let catalog = ExerciseCatalog.standard

/// Equipment sets the grid covers.
enum Kit: String, CaseIterable, CustomTestStringConvertible {
    case bodyOnly, dumbbellsAndBench, fullGym

    var equipment: [Equipment] {
        switch self {
        case .bodyOnly: [.bodyOnly]
        case .dumbbellsAndBench: [.bodyOnly, .dumbbell, .bench]
        case .fullGym: Equipment.allCases
        }
    }

    var testDescription: String { rawValue }
}

/// Injury situations the grid covers.
enum InjuryCase: String, CaseIterable {
    case none, knee, shoulder

    var injuries: [Injury] {
        switch self {
        case .none: []
        case .knee: [Injury(area: "knee", severity: .mild, avoid: [.deepKneeFlexion, .plyometric])]
        case .shoulder: [Injury(area: "shoulder", severity: .moderate, avoid: [.overhead])]
        }
    }
}

/// A profile for the given level, goal and kit.
func profile(
    _ level: FitnessLevel, _ goal: Goal = .generalFitness, kit: Kit = .fullGym,
    injuries: [Injury] = [], healthScreen: HealthScreen? = nil
) -> FitnessProfile {
    FitnessProfile(
        fitnessLevel: level, goals: [goal], equipment: kit.equipment, injuries: injuries,
        healthScreen: healthScreen)
}

/// JSON with sorted keys, as the determinism check compares it.
func sortedJSON<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(value)
}

/// A generated plan for a profile (days and minutes from the request).
func plan(
    _ profile: FitnessProfile, days: Int? = nil, minutes: Int? = nil, weeks: Int? = nil
) -> WorkoutPlan {
    RuleBasedPlanner.generate(
        profile: profile,
        request: PlanRequest(daysPerWeek: days, sessionMinutes: minutes, weeks: weeks),
        catalog: catalog)
}

/// The violation codes the validator reports.
func codes(_ plan: WorkoutPlan, _ profile: FitnessProfile) -> [String] {
    PlanValidator.validate(plan, profile: profile, catalog: catalog).map(\.code)
}

extension WorkoutPlan {
    /// Applies `change` to every session of the plan.
    mutating func editSessions(_ change: (inout Session) -> Void) {
        for w in weeks.indices {
            for d in weeks[w].days.indices where weeks[w].days[d].session != nil {
                change(&weeks[w].days[d].session!)
            }
        }
    }

    /// The first session of week 1.
    var firstSession: Session { weeks[0].trainingDays[0].session! }
}
