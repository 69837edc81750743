import Testing

@testable import VigorCoaching

@Suite("Plan validator details")
struct ValidatorDetailTests {
    @Test("session timing: warm-up + sets × (work + rest) + cool-down")
    func timing() {
        let reps = PlannedExercise(
            exerciseID: "push_up", name: "Push-up", sets: 3, reps: RepRange(min: 8, max: 10),
            durationSeconds: nil, load: .rpe(7), restSeconds: 60, instructions: "", substitutions: [])
        var timed = reps
        timed.reps = nil
        timed.durationSeconds = 40
        #expect(SessionTiming.seconds(reps) == 3 * (30 + 60))
        #expect(SessionTiming.seconds(timed) == 3 * (40 + 60))
        let session = Session(
            name: "x", focus: "full_body", muscleGroups: [], warmup: [Activity(name: "walk", minutes: 5)],
            exercises: [reps, timed], cooldown: [Activity(name: "stretch", minutes: 3)], estimatedMinutes: 0)
        #expect(session.estimatedSeconds == 480 + 270 + 300)
        #expect(session.computedMinutes() == 18)
    }

    @Test("balance rule: small volumes pass, otherwise at most 2:1 either way")
    func balance() {
        #expect(PlanValidator.isBalanced(push: 5, pull: 0))
        #expect(PlanValidator.isBalanced(push: 8, pull: 4))
        #expect(!PlanValidator.isBalanced(push: 9, pull: 4))
        #expect(!PlanValidator.isBalanced(push: 0, pull: 6))
        #expect(PlanValidator.isBalanced(push: 6, pull: 6))
    }

    @Test("failure and claim wording is found as whole words")
    func wording() {
        #expect(TextScan.asksForFailure("Go to failure on the last set."))
        #expect(TextScan.asksForFailure("Do AMRAP."))
        #expect(TextScan.asksForFailure("as many reps as possible"))
        #expect(!TextScan.asksForFailure("Stop two reps before failure."))
        #expect(TextScan.words(in: "Treadmill: Health, healing!") == ["treadmill", "health", "healing"])
    }

    @Test("each exercise finding is reported once, with rule numbers")
    func deduplication() {
        let person = profile(.beginner, kit: .bodyOnly)
        var generated = plan(person)
        generated.editSessions { session in
            for index in session.exercises.indices where catalog[session.exercises[index].exerciseID]?.pattern == .hinge {
                session.exercises[index].exerciseID = "moon_walk"
            }
        }
        let report = PlanValidator.validate(generated, profile: person, catalog: catalog)
        #expect(report.count == 1, "\(report)")
        #expect(report[0] == PlanViolation(rule: 2, code: PlanViolation.Code.unknownExercise, message: report[0].message))
        #expect(report[0].message.contains("week 1, day 1"))
    }
}

@Suite("Plan validator on hand-written plans")
struct HandWrittenPlanTests {
    func exercise(_ id: String, sets: Int = 2, reps: RepRange? = RepRange(min: 8, max: 12), seconds: Int? = nil)
        -> PlannedExercise
    {
        PlannedExercise(
            exerciseID: id, name: catalog[id]?.name ?? id, sets: sets, reps: reps, durationSeconds: seconds,
            load: .rpe(6), restSeconds: 60, instructions: "Move with control.", substitutions: [])
    }

    /// A small plan written by hand, the way another generator might: one week,
    /// full body on Monday and Thursday.
    func handWritten() -> WorkoutPlan {
        let session = Session(
            name: "Full body", focus: "full_body", muscleGroups: [.quads, .chest, .back, .core],
            warmup: [Activity(name: "March", minutes: 5)],
            exercises: [
                exercise("bodyweight_squat"), exercise("push_up"), exercise("table_row"),
                exercise("plank", reps: nil, seconds: 20),
            ],
            cooldown: [Activity(name: "Stretch", minutes: 3)], estimatedMinutes: 20)
        let days = (1...7).map { day in
            [1, 4].contains(day) ? PlanDay(day: day, rest: false, session: session) : .restDay(day)
        }
        return WorkoutPlan(
            title: "Starter", summary: "Two short sessions.", level: .beginner, goals: [.generalFitness],
            split: "full_body", daysPerWeek: 2, sessionMinutes: 30,
            weeks: [PlanWeek(number: 1, deload: false, days: days)], progression: .doubleProgression,
            deloadWeeks: [], safetyNotes: ["Stop if anything hurts."],
            disclaimer: "General fitness guidance, not medical advice.", generator: "test.hand")
    }

    @Test("a plan from another generator is judged on the same rules")
    func accepted() {
        #expect(codes(handWritten(), .default).isEmpty)
    }

    @Test("the same plan breaks rules for a person it does not suit")
    func unsuitable() {
        let knee = FitnessProfile(
            fitnessLevel: .beginner, equipment: [.bodyOnly], injuries: InjuryCase.knee.injuries,
            healthScreen: HealthScreen(pregnant: true))
        #expect(Set(codes(handWritten(), knee)) == ["contraindicated", "professional_advice_note", "medical_clearance_note"])
        var twice = handWritten()
        twice.weeks[0].days[1] = twice.weeks[0].days[0]
        twice.weeks[0].days[1].day = 2
        twice.daysPerWeek = 3
        #expect(Set(codes(twice, .default)) == ["consecutive_muscle"])
    }
}
