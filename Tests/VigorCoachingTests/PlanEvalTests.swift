import Foundation
import Testing

@testable import VigorCoaching

/// Plans for 30 varied profiles through the rule-based planner and the validator: every plan
/// valid, every listed piece of equipment used (or its absence explained), and every
/// difference from the request explained in `adjustments`.
///
/// Run with `swift test --filter PlanEvalTests`; it prints the figures it checks.
@Suite("Plan evaluation over varied profiles")
struct PlanEvalTests {
    struct Case: CustomTestStringConvertible {
        let label: String
        let profile: FitnessProfile
        let request: PlanRequest
        /// Pieces the plan must use (a single-kit profile must use its kit).
        var mustUse: [Equipment] = []

        var testDescription: String { label }
    }

    static let knee = Injury(area: "knee", severity: .mild, avoid: [.deepKneeFlexion, .plyometric])
    static let shoulder = Injury(area: "shoulder", severity: .moderate, avoid: [.overhead, .shoulderRotation])
    static let back = Injury(area: "lower back", severity: .moderate, avoid: [.spinalLoading, .spinalFlexion])
    static let wrist = Injury(area: "wrist", severity: .mild, avoid: [.wristExtension])

    static func person(
        _ level: FitnessLevel, _ goals: [Goal], _ equipment: [Equipment], days: Int? = nil, minutes: Int? = nil,
        injuries: [Injury] = [], screen: HealthScreen? = nil, disliked: [String] = []
    ) -> FitnessProfile {
        FitnessProfile(
            fitnessLevel: level, goals: goals, equipment: equipment, daysPerWeek: days, sessionMinutes: minutes,
            injuries: injuries, healthScreen: screen,
            preferences: disliked.isEmpty ? nil : Preferences(dislikedExerciseIDs: disliked))
    }

    static let cases: [Case] = [
        Case(
            label: "beginner weight loss, bands only, asks 4 days", profile: person(.beginner, [.weightLoss], [.bands]),
            request: PlanRequest(daysPerWeek: 4, sessionMinutes: 30), mustUse: [.bands]),
        Case(
            label: "beginner strength, kettlebell only", profile: person(.beginner, [.strength], [.kettlebell]),
            request: PlanRequest(daysPerWeek: 3, sessionMinutes: 45), mustUse: [.kettlebell]),
        Case(
            label: "beginner general, suspension only, 2 days", profile: person(.beginner, [.generalFitness], [.suspension]),
            request: PlanRequest(daysPerWeek: 2, sessionMinutes: 40), mustUse: [.suspension]),
        Case(
            label: "beginner endurance, cardio machine only", profile: person(.beginner, [.endurance], [.cardioMachine]),
            request: PlanRequest(daysPerWeek: 3, sessionMinutes: 30), mustUse: [.cardioMachine]),
        Case(
            label: "intermediate strength, cardio machine only", profile: person(.intermediate, [.strength], [.cardioMachine]),
            request: PlanRequest(daysPerWeek: 4, sessionMinutes: 60), mustUse: [.cardioMachine]),
        Case(
            label: "beginner muscle gain, dumbbells and bench, asks 6 days",
            profile: person(.beginner, [.muscleGain], [.dumbbell, .bench]), request: PlanRequest(daysPerWeek: 6, sessionMinutes: 60),
            mustUse: [.dumbbell, .bench]),
        Case(
            label: "beginner asks 1 day of 15 minutes", profile: person(.beginner, [.generalFitness], [.bodyOnly]),
            request: PlanRequest(daysPerWeek: 1, sessionMinutes: 15)),
        Case(
            label: "beginner 7 days from the profile", profile: person(.beginner, [.weightLoss], [.bodyOnly], days: 7, minutes: 45),
            request: PlanRequest()),
        Case(
            label: "intermediate 7 days, full gym", profile: person(.intermediate, [.muscleGain], Equipment.allCases),
            request: PlanRequest(daysPerWeek: 7, sessionMinutes: 75)),
        Case(
            label: "advanced strength, barbell rack bench, 5 days 90 min",
            profile: person(.advanced, [.strength], [.barbell, .rack, .bench]), request: PlanRequest(daysPerWeek: 5, sessionMinutes: 90),
            mustUse: [.barbell, .rack, .bench]),
        Case(
            label: "advanced muscle gain, 120 minutes", profile: person(.advanced, [.muscleGain], [.dumbbell, .bench, .pullupBar, .cable]),
            request: PlanRequest(daysPerWeek: 6, sessionMinutes: 120), mustUse: [.dumbbell, .bench, .pullupBar, .cable]),
        Case(
            label: "intermediate flexibility, bands and foam roller, 3 days",
            profile: person(.intermediate, [.flexibility], [.bands, .foamRoll]), request: PlanRequest(daysPerWeek: 3, sessionMinutes: 45),
            mustUse: [.bands, .foamRoll]),
        Case(
            label: "beginner knee injury, body weight, 20 minutes",
            profile: person(.beginner, [.weightLoss], [.bodyOnly], injuries: [knee]),
            request: PlanRequest(daysPerWeek: 3, sessionMinutes: 20)),
        Case(
            label: "intermediate shoulder injury, dumbbells",
            profile: person(.intermediate, [.muscleGain], [.dumbbell, .bench], injuries: [shoulder]),
            request: PlanRequest(daysPerWeek: 4, sessionMinutes: 50), mustUse: [.dumbbell, .bench]),
        Case(
            label: "advanced lower-back injury, full gym", profile: person(.advanced, [.strength], Equipment.allCases, injuries: [back]),
            request: PlanRequest(daysPerWeek: 5, sessionMinutes: 75)),
        Case(
            label: "beginner wrist injury, suspension and bands",
            profile: person(.beginner, [.generalFitness], [.suspension, .bands], injuries: [wrist]),
            request: PlanRequest(daysPerWeek: 3, sessionMinutes: 35), mustUse: [.suspension, .bands]),
        Case(
            label: "pregnant intermediate, dumbbells and exercise ball",
            profile: person(.intermediate, [.generalFitness], [.dumbbell, .exerciseBall], screen: HealthScreen(pregnant: true, age: 31)),
            request: PlanRequest(daysPerWeek: 3, sessionMinutes: 40), mustUse: [.dumbbell, .exerciseBall]),
        Case(
            label: "PAR-Q yes, advanced, kettlebell and cardio machine",
            profile: person(.advanced, [.weightLoss], [.kettlebell, .cardioMachine], screen: HealthScreen(parqAnyYes: true)),
            request: PlanRequest(daysPerWeek: 4, sessionMinutes: 45), mustUse: [.kettlebell, .cardioMachine]),
        Case(
            label: "age 74 inactive beginner, bands",
            profile: person(.beginner, [.generalFitness], [.bands], screen: HealthScreen(age: 74, inactive: true)),
            request: PlanRequest(daysPerWeek: 2, sessionMinutes: 30), mustUse: [.bands]),
        Case(
            label: "intermediate endurance, medicine ball and pull-up bar",
            profile: person(.intermediate, [.endurance], [.medicineBall, .pullupBar]),
            request: PlanRequest(daysPerWeek: 5, sessionMinutes: 40),
            mustUse: [.medicineBall, .pullupBar]),
        Case(
            label: "beginner, machines and cable", profile: person(.beginner, [.muscleGain], [.machine, .cable]),
            request: PlanRequest(daysPerWeek: 3, sessionMinutes: 60), mustUse: [.machine, .cable]),
        Case(
            label: "beginner, barbell only, 15 minutes", profile: person(.beginner, [.strength], [.barbell]),
            request: PlanRequest(daysPerWeek: 2, sessionMinutes: 15)),
        Case(
            label: "intermediate, kettlebell and suspension, 6 days",
            profile: person(.intermediate, [.muscleGain], [.kettlebell, .suspension]),
            request: PlanRequest(daysPerWeek: 6, sessionMinutes: 60), mustUse: [.kettlebell, .suspension]),
        Case(
            label: "advanced, suspension only, 4 days", profile: person(.advanced, [.strength], [.suspension]),
            request: PlanRequest(daysPerWeek: 4, sessionMinutes: 50), mustUse: [.suspension]),
        Case(
            label: "intermediate weight loss, treadmill-type machine and dumbbells, 1 day",
            profile: person(.intermediate, [.weightLoss], [.cardioMachine, .dumbbell]),
            request: PlanRequest(daysPerWeek: 1, sessionMinutes: 60),
            mustUse: [.cardioMachine, .dumbbell]),
        Case(
            label: "beginner, dislikes push-ups, body weight",
            profile: person(.beginner, [.generalFitness], [.bodyOnly], disliked: ["push_up", "bodyweight_squat"]),
            request: PlanRequest(daysPerWeek: 3, sessionMinutes: 30)),
        Case(
            label: "beginner, knee and shoulder injuries, kettlebell",
            profile: person(.beginner, [.strength], [.kettlebell], injuries: [knee, shoulder]),
            request: PlanRequest(daysPerWeek: 3, sessionMinutes: 45),
            mustUse: [.kettlebell]),
        Case(
            label: "intermediate, full gym, 25 minutes", profile: person(.intermediate, [.generalFitness], Equipment.allCases),
            request: PlanRequest(daysPerWeek: 3, sessionMinutes: 25)),
        Case(
            label: "pregnant beginner, bands and suspension, profile days 4",
            profile: person(
                .beginner, [.generalFitness], [.bands, .suspension], days: 4, minutes: 30, screen: HealthScreen(pregnant: true)),
            request: PlanRequest(), mustUse: [.bands, .suspension]),
        Case(
            label: "advanced endurance, cardio machine and bands, 6 days 30 minutes",
            profile: person(.advanced, [.endurance], [.cardioMachine, .bands]), request: PlanRequest(daysPerWeek: 6, sessionMinutes: 30),
            mustUse: [.cardioMachine, .bands]),
    ]

    /// Listed pieces (body weight aside) that no main exercise of the plan uses.
    static func unused(_ plan: WorkoutPlan, _ profile: FitnessProfile) -> [Equipment] {
        let used = Set(plan.allSessions.flatMap(\.exercises).compactMap { catalog[$0.exerciseID] }.flatMap(\.equipment))
        return Equipment.allCases.filter { $0 != .bodyOnly && profile.equipment.contains($0) && !used.contains($0) }
    }

    /// What went wrong with one case; empty when it passes.
    static func problems(_ item: Case) -> [String] {
        let plan = RuleBasedPlanner.generate(profile: item.profile, request: item.request, catalog: catalog)
        var problems = PlanValidator.validate(plan, profile: item.profile, catalog: catalog).map(\.description)
        let kinds = plan.adjustments.map(\.kind)
        let askedDays = item.request.daysPerWeek ?? item.profile.daysPerWeek
        if let askedDays, askedDays != plan.daysPerWeek, !kinds.contains(.days) {
            problems.append("asked \(askedDays) days, got \(plan.daysPerWeek), no days adjustment")
        }
        if let asked = item.request.sessionMinutes ?? item.profile.sessionMinutes {
            let longest = plan.allSessions.map(\.estimatedMinutes).max() ?? 0
            let short = asked - longest > AdjustmentWriter.shortfallAllowance(minutes: asked)
            if plan.sessionMinutes != asked || short, !kinds.contains(.minutes) {
                problems.append("asked \(asked) minutes, longest session \(longest), no minutes adjustment")
            }
        }
        for piece in unused(plan, item.profile) {
            if item.mustUse.contains(piece) { problems.append("\(piece) is listed but unused") }
            if !plan.adjustments.contains(where: { $0.kind == .equipment && $0.what.contains(CoachWords.equipment(piece)) }) {
                problems.append("\(piece) unused without an explanation")
            }
        }
        if item.profile.injuries.contains(where: { !$0.avoid.isEmpty }), !kinds.contains(.injury) {
            problems.append("injuries listed but no injury adjustment")
        }
        if item.profile.needsMedicalClearance, !kinds.contains(.healthScreen) {
            problems.append("health screen asks for clearance but no health_screen adjustment")
        }
        for adjustment in plan.adjustments where adjustment.what.isEmpty || adjustment.why.isEmpty {
            problems.append("empty adjustment \(adjustment)")
        }
        return problems
    }

    @Test("at least 25 varied profiles, covering every level, goal, single-kit profile and days 1–7")
    func coverage() {
        #expect(Self.cases.count >= 25)
        #expect(Set(Self.cases.map(\.profile.fitnessLevel)) == Set(FitnessLevel.allCases))
        #expect(Set(Self.cases.flatMap(\.profile.goals)) == Set(Goal.allCases))
        let days = Set(Self.cases.compactMap { $0.request.daysPerWeek ?? $0.profile.daysPerWeek })
        #expect(days == Set(1...7))
        let minutes = Self.cases.compactMap { $0.request.sessionMinutes ?? $0.profile.sessionMinutes }
        #expect(minutes.contains(15) && minutes.contains(120))
        for kit in [Equipment.bands, .kettlebell, .suspension, .cardioMachine] {
            #expect(Self.cases.contains { $0.profile.equipment == [kit] }, "\(kit) alone")
        }
        #expect(Self.cases.contains { $0.profile.healthScreen?.pregnant == true })
        #expect(Self.cases.contains { $0.profile.healthScreen?.parqAnyYes == true })
    }

    @Test("every plan is valid, uses the listed equipment and explains every difference")
    func evaluate() {
        var valid = 0
        var listed = 0
        var used = 0
        var adjustments = 0
        for item in Self.cases {
            let problems = Self.problems(item)
            #expect(problems.isEmpty, "\(item.label): \(problems)")
            let plan = RuleBasedPlanner.generate(profile: item.profile, request: item.request, catalog: catalog)
            if PlanValidator.isValid(plan, profile: item.profile, catalog: catalog) { valid += 1 }
            let pieces = item.profile.equipment.filter { $0 != .bodyOnly }
            listed += pieces.count
            used += pieces.count - Self.unused(plan, item.profile).count
            adjustments += plan.adjustments.count
        }
        print(
            "Plan eval: \(valid)/\(Self.cases.count) plans valid; \(used)/\(listed) listed pieces of equipment used; "
                + "\(adjustments) adjustments explained")
        #expect(valid == Self.cases.count)
    }

    @Test("a beginner who asks for 4 days is told why the plan has 3")
    func beginnerDays() throws {
        let plan = RuleBasedPlanner.generate(
            profile: Self.person(.beginner, [.weightLoss], [.bodyOnly]), request: PlanRequest(daysPerWeek: 4), catalog: catalog)
        #expect(plan.daysPerWeek == 3)
        let days = try #require(plan.adjustments.first { $0.kind == .days })
        #expect(days.what.contains("3") && days.what.contains("4"))
        #expect(days.why.contains("Beginners"))
    }

    @Test("a bands-only person gets band exercises in every session")
    func bandsOnly() {
        let plan = RuleBasedPlanner.generate(
            profile: Self.person(.beginner, [.weightLoss], [.bands]), request: PlanRequest(daysPerWeek: 3), catalog: catalog)
        for session in plan.allSessions {
            #expect(session.exercises.contains { catalog[$0.exerciseID]?.equipment.contains(.bands) == true }, "\(session.name)")
        }
    }

    @Test("warm-ups follow the profile: the cardio machine for its owner, no squats for a knee that avoids deep flexion")
    func warmUps() {
        let machine = RuleBasedPlanner.generate(
            profile: Self.person(.intermediate, [.strength], [.cardioMachine]), request: PlanRequest(daysPerWeek: 3), catalog: catalog)
        #expect(machine.allSessions.allSatisfy { $0.warmup[0].name.contains("rower") })
        let knee = RuleBasedPlanner.generate(
            profile: Self.person(.beginner, [.weightLoss], [.bodyOnly], injuries: [Self.knee]), request: PlanRequest(), catalog: catalog)
        let warmups = knee.allSessions.flatMap(\.warmup).map(\.name)
        #expect(warmups.allSatisfy { !$0.contains("squat") && !$0.contains("skipping") })
    }

    @Test("the validator rejects a blank adjustment and a medical claim in one")
    func validatorReadsAdjustments() {
        let person = Self.person(.beginner, [.weightLoss], [.bodyOnly])
        var generated = RuleBasedPlanner.generate(profile: person, request: PlanRequest(daysPerWeek: 5), catalog: catalog)
        #expect(codes(generated, person).isEmpty)
        generated.adjustments.append(PlanAdjustment(kind: .injury, what: " ", why: "because"))
        #expect(codes(generated, person).contains(PlanViolation.Code.schema))
        generated.adjustments[generated.adjustments.count - 1] = PlanAdjustment(
            kind: .injury, what: "Squats left out.", why: "This plan cures knee pain.")
        #expect(codes(generated, person) == [PlanViolation.Code.medicalClaim])
    }

    @Test("adjustments encode under `adjustments` and a plan without the field still decodes")
    func coding() throws {
        let plan = RuleBasedPlanner.generate(
            profile: Self.person(.beginner, [.weightLoss], [.bodyOnly], injuries: [Self.knee]), request: PlanRequest(daysPerWeek: 5),
            catalog: catalog)
        let data = try sortedJSON(plan)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"adjustments\":[{\"kind\":\"days\""))
        #expect(text.contains("\"kind\":\"injury\""))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object.removeValue(forKey: "adjustments")
        let old = try JSONDecoder().decode(WorkoutPlan.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.adjustments.isEmpty)
        #expect(old.weeks == plan.weeks)
    }
}
