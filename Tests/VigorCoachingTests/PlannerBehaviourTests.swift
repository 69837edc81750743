import Foundation
import Testing

@testable import VigorCoaching

@Suite("Rule-based planner")
struct PlannerBehaviourTests {
    @Test("beginners get 2–3 full-body days on spaced days, whatever they ask")
    func beginnerDays() {
        let person = profile(.beginner)
        #expect(plan(person, days: 6).weeks[0].trainingDays.map(\.day) == [1, 3, 5])
        #expect(plan(person, days: 1).weeks[0].trainingDays.map(\.day) == [1, 4])
        #expect(plan(person, days: 6).split == "full_body")
        #expect(plan(person, days: 6).daysPerWeek == 3)
    }

    @Test("the split follows the days for non-beginners")
    func splits() {
        let person = profile(.intermediate)
        #expect(plan(person, days: 3).split == "full_body")
        #expect(plan(person, days: 4).split == "upper_lower")
        #expect(plan(person, days: 5).split == "push_pull_legs_upper_lower")
        #expect(plan(person, days: 6).split == "push_pull_legs")
        let seven = plan(person, days: 7)
        #expect(seven.daysPerWeek == 6)
        #expect(seven.weeks[0].days.contains { $0.rest })
        #expect(
            plan(person, days: 4).weeks[0].trainingDays.compactMap(\.session?.focus) == [
                "upper", "lower", "upper", "lower",
            ])
    }

    @Test("defaults: profile days and minutes, else 3 days, 45 minutes, 4 weeks")
    func defaults() {
        var person = profile(.intermediate)
        let plain = plan(person)
        #expect(plain.daysPerWeek == 3 && plain.sessionMinutes == 45 && plain.weeks.count == 4)
        person.daysPerWeek = 4
        person.sessionMinutes = 60
        let fromProfile = plan(person)
        #expect(fromProfile.daysPerWeek == 4 && fromProfile.sessionMinutes == 60)
        let fromRequest = plan(person, days: 2, minutes: 30)
        #expect(fromRequest.daysPerWeek == 2 && fromRequest.sessionMinutes == 30)
    }

    @Test("every fourth week is a deload with fewer sets")
    func deloads() {
        let eight = plan(profile(.advanced, .muscleGain), days: 4, weeks: 8)
        #expect(eight.deloadWeeks == [4, 8])
        #expect(eight.weeks.map(\.deload) == [false, false, false, true, false, false, false, true])
        let regular = eight.weeks[0].trainingDays.flatMap { $0.session!.exercises }.reduce(0) { $0 + $1.sets }
        let light = eight.weeks[3].trainingDays.flatMap { $0.session!.exercises }.reduce(0) { $0 + $1.sets }
        #expect(light < regular)
        #expect(plan(profile(.advanced), weeks: 3).deloadWeeks.isEmpty)
    }

    @Test("beginners: beginner exercises, 1–3 sets, RPE 7 at most")
    func beginnerDose() {
        let generated = plan(profile(.beginner, .strength, kit: .fullGym), days: 3)
        for session in generated.allSessions {
            for exercise in session.exercises {
                #expect(catalog[exercise.exerciseID]?.level == .beginner)
                #expect((1...3).contains(exercise.sets))
                #expect(exercise.load.value! <= 7)
            }
        }
    }

    @Test(
        "reps and rest follow the goal",
        arguments: [
            (Goal.strength, 3...6, 120...180), (.muscleGain, 8...12, 60...90),
            (.endurance, 12...20, 30...60), (.weightLoss, 12...20, 30...60),
        ])
    func goalDose(goal: Goal, reps: ClosedRange<Int>, rest: ClosedRange<Int>) {
        let generated = plan(profile(.intermediate, goal, kit: .fullGym), days: 4)
        let compounds = generated.firstSession.exercises.filter {
            catalog[$0.exerciseID]?.mechanic == .compound && catalog[$0.exerciseID]!.pattern.isResistance
                && $0.reps != nil
        }
        #expect(!compounds.isEmpty)
        for exercise in compounds {
            #expect(reps.contains(exercise.reps!.min) && reps.contains(exercise.reps!.max))
            #expect(rest.contains(exercise.restSeconds))
        }
    }

    @Test("a positive health screen: clearance note, RPE 6 at most, no jumping")
    func healthScreen() {
        let person = profile(.advanced, .weightLoss, kit: .fullGym, healthScreen: HealthScreen(parqAnyYes: true))
        let generated = plan(person, days: 5)
        #expect(generated.safetyNotes.contains { $0.contains("medical clearance") })
        for session in generated.allSessions {
            for exercise in session.exercises {
                #expect(exercise.load.value! <= 6)
                let tags = catalog[exercise.exerciseID]!.tags
                #expect(!tags.contains(.plyometric) && !tags.contains(.highImpact))
            }
        }
    }

    @Test("pregnancy leaves out lying on the back and spinal loading")
    func pregnancy() {
        let person = profile(.intermediate, kit: .fullGym, healthScreen: HealthScreen(pregnant: true))
        let used = plan(person, days: 4).allSessions.flatMap(\.exercises).map(\.exerciseID)
        #expect(used.allSatisfy { !catalog[$0]!.tags.contains(.supine) && !catalog[$0]!.tags.contains(.spinalLoading) })
    }

    @Test("injuries: avoided tags left out and professional advice noted")
    func injuries() {
        let person = profile(.intermediate, kit: .fullGym, injuries: InjuryCase.shoulder.injuries)
        let generated = plan(person, days: 4)
        let ids = generated.allSessions.flatMap(\.exercises).flatMap { [$0.exerciseID] + $0.substitutions }
        #expect(ids.allSatisfy { !catalog[$0]!.tags.contains(.overhead) })
        #expect(generated.safetyNotes.contains { $0.contains("professional advice") })
    }

    @Test("disliked exercises never appear, not even as substitutions")
    func dislikes() {
        var person = profile(.beginner, kit: .bodyOnly)
        let first = plan(person).firstSession.exercises[0].exerciseID
        person.preferences = Preferences(dislikedExerciseIDs: [first])
        let ids = plan(person).allSessions.flatMap(\.exercises).flatMap { [$0.exerciseID] + $0.substitutions }
        #expect(!ids.contains(first))
    }

    @Test("focus areas add work for those muscles")
    func focusAreas() {
        let person = profile(.intermediate, kit: .fullGym)
        let request = PlanRequest(daysPerWeek: 3, sessionMinutes: 90, focusAreas: ["Arms"])
        let focused = RuleBasedPlanner.generate(profile: person, request: request, catalog: catalog)
        let primaries = focused.firstSession.exercises.flatMap { catalog[$0.exerciseID]!.primaryMuscles }
        #expect(primaries.contains(.biceps) && primaries.contains(.triceps))
        #expect(PlanValidator.validate(focused, profile: person, catalog: catalog).isEmpty)
    }

    @Test("sessions: compound first, estimate by the shared formula, only catalogue ids")
    func sessions() {
        let generated = plan(profile(.advanced, .muscleGain, kit: .fullGym), days: 6, minutes: 75)
        for session in generated.allSessions {
            #expect(session.estimatedMinutes == session.computedMinutes())
            #expect(session.estimatedMinutes <= 75)
            #expect(!session.warmup.isEmpty && !session.cooldown.isEmpty)
            #expect(session.exercises.allSatisfy { catalog.contains(id: $0.exerciseID) })
            #expect(PlanValidator.firstCompoundAfterIsolation(session, catalog) == nil)
        }
        #expect(generated.generator == "dev.vigor.planner")
        #expect(generated.disclaimer.contains("not medical advice"))
        #expect(generated.progression == .doubleProgression)
    }

    @Test("only the given catalogue is used")
    func smallCatalogue() {
        let mine = ExerciseCatalog(exercises: catalog.exercises.filter { $0.equipment == [.bodyOnly] && $0.level == .beginner })
        let generated = RuleBasedPlanner.generate(
            profile: profile(.beginner, kit: .fullGym), request: PlanRequest(), catalog: mine)
        #expect(generated.allSessions.flatMap(\.exercises).allSatisfy { mine.contains(id: $0.exerciseID) })
    }

    @Test("plans encode with snake_case keys and decode back")
    func coding() throws {
        let generated = plan(profile(.intermediate, .endurance), days: 4)
        let json = String(decoding: try sortedJSON(generated), as: UTF8.self)
        for key in [
            "\"days_per_week\"", "\"session_minutes\"", "\"deload_weeks\"", "\"safety_notes\"", "\"exercise_id\"",
            "\"rest_seconds\"", "\"estimated_minutes\"", "\"muscle_groups\"", "\"increment_cap_percent\"",
            "\"failed_sessions_before_deload\"", "\"deload_drop_percent\"",
        ] {
            #expect(json.contains(key), "\(key)")
        }
        #expect(try JSONDecoder().decode(WorkoutPlan.self, from: sortedJSON(generated)) == generated)
    }
}
