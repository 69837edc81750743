import Foundation
import Testing

@testable import VigorCoaching

/// One test per domain rule: a valid generated plan, changed to break exactly that rule,
/// must be reported with exactly that rule's code.
@Suite("Plan validator rules")
struct ValidatorRuleTests {
    /// The violation codes for `plan`, as a set, after checking the unchanged plan was valid.
    func violations(_ plan: WorkoutPlan, _ person: FitnessProfile) -> Set<String> {
        Set(codes(plan, person))
    }

    func valid(_ person: FitnessProfile, days: Int = 3, minutes: Int? = nil) -> WorkoutPlan {
        let generated = plan(person, days: days, minutes: minutes)
        #expect(codes(generated, person).isEmpty)
        return generated
    }

    /// Replaces every use of exercise `old` with catalogue exercise `new` (keeping the dose).
    func replace(_ old: String, with new: String, in plan: inout WorkoutPlan) {
        plan.editSessions { session in
            for index in session.exercises.indices where session.exercises[index].exerciseID == old {
                session.exercises[index].exerciseID = new
            }
        }
    }

    @Test("rule 1: structure — days, weeks, sessions")
    func rule1() {
        let person = profile(.beginner, kit: .bodyOnly)
        var missingDay = valid(person)
        missingDay.weeks[0].days.removeLast()
        #expect(violations(missingDay, person) == ["schema"])

        var restWithSession = valid(person)
        restWithSession.weeks[1].days[1].session = restWithSession.firstSession
        #expect(violations(restWithSession, person) == ["schema"])

        var badNumbers = valid(person)
        badNumbers.weeks[2].number = 7
        #expect(violations(badNumbers, person) == ["schema"])

        var noDose = valid(person)
        noDose.editSessions {
            $0.exercises[0].reps = nil
            $0.exercises[0].durationSeconds = nil
        }
        #expect(violations(noDose, person) == ["schema"])

        var noWeeks = valid(person)
        noWeeks.weeks = []
        noWeeks.deloadWeeks = []
        #expect(codes(noWeeks, person).contains("schema"))
    }

    @Test("rule 2: every id is in the catalogue")
    func rule2() {
        let person = profile(.beginner, kit: .bodyOnly)
        var unknown = valid(person)
        replace(unknown.firstSession.exercises[0].exerciseID, with: "moon_walk", in: &unknown)
        #expect(violations(unknown, person) == ["unknown_exercise"])

        var badSubstitution = valid(person)
        badSubstitution.editSessions { $0.exercises[0].substitutions = ["not_an_exercise"] }
        #expect(violations(badSubstitution, person) == ["unknown_exercise"])
    }

    @Test("rule 3: equipment the person has (body weight always allowed)")
    func rule3() {
        let person = profile(.beginner, kit: .bodyOnly)
        var generated = valid(person)
        let pull = generated.firstSession.exercises.first { catalog[$0.exerciseID]?.pattern == .horizontalPull }!
        replace(pull.exerciseID, with: "dumbbell_row", in: &generated)
        #expect(violations(generated, person) == ["equipment_missing"])
        let report = PlanValidator.validate(generated, profile: person, catalog: catalog)
        #expect(report.first?.rule == 3)
        #expect(report.first?.message.contains("dumbbell") == true)
    }

    @Test("rule 4: nothing an injury rules out, and a professional-advice note")
    func rule4() {
        let person = profile(.beginner, kit: .bodyOnly, injuries: InjuryCase.knee.injuries)
        var contraindicated = valid(person)
        let squat = contraindicated.firstSession.exercises.first { catalog[$0.exerciseID]?.pattern == .squat }!
        replace(squat.exerciseID, with: "bodyweight_squat", in: &contraindicated)
        #expect(violations(contraindicated, person) == ["contraindicated"])

        var noNote = valid(person)
        noNote.safetyNotes.removeAll { $0.lowercased().contains("professional") }
        #expect(violations(noNote, person) == ["professional_advice_note"])
    }

    @Test("rule 5: beginner level, volume and intensity")
    func rule5() {
        let person = profile(.beginner, kit: .bodyOnly)
        var level = valid(person)
        let push = level.firstSession.exercises.first { catalog[$0.exerciseID]?.pattern == .horizontalPush }!
        replace(push.exerciseID, with: "decline_push_up", in: &level)
        #expect(violations(level, person) == ["beginner_level"])

        var sets = valid(person, minutes: 120)
        sets.editSessions { $0.exercises[0].sets = 4 }
        #expect(violations(sets, person) == ["beginner_volume"])

        var rpe = valid(person)
        rpe.editSessions { $0.exercises[0].load = .rpe(9) }
        #expect(violations(rpe, person) == ["beginner_intensity"])

        var failure = valid(person)
        failure.editSessions { $0.exercises[0].instructions += " Take the last set to failure." }
        #expect(violations(failure, person) == ["beginner_intensity"])

        var tooMany = valid(person, minutes: 120)
        tooMany.editSessions { session in
            while session.exercises.count <= 10 { session.exercises.append(session.exercises.last!) }
            session.exercises = session.exercises.map { exercise in
                var light = exercise
                light.sets = 1
                return light
            }
        }
        #expect(violations(tooMany, person).contains("beginner_volume"))
    }

    @Test("rule 6: no muscle group on consecutive days, across weeks too")
    func rule6() {
        let person = profile(.intermediate, kit: .fullGym)
        var sameDay = valid(person, days: 4)
        let upper = sameDay.weeks[0].days[0].session!
        sameDay.weeks[0].days[1].session = upper
        #expect(violations(sameDay, person) == ["consecutive_muscle"])

        var acrossWeeks = valid(person, days: 4)
        let thursday = acrossWeeks.weeks[0].days[3]
        acrossWeeks.weeks[0].days[3] = .restDay(4)
        acrossWeeks.weeks[0].days[6] = PlanDay(day: 7, rest: false, session: thursday.session)
        let report = PlanValidator.validate(acrossWeeks, profile: person, catalog: catalog)
        #expect(Set(report.map(\.code)) == ["consecutive_muscle"])
        #expect(report.contains { $0.message.contains("week 1 day 7 and week 2 day 1") })
    }

    @Test("rule 7: sessions fit the session length")
    func rule7() {
        let person = profile(.intermediate, kit: .fullGym)
        var generated = valid(person, days: 3, minutes: 60)
        generated.sessionMinutes = 20
        #expect(violations(generated, person) == ["session_too_long"])
    }

    @Test("rule 8: compound before isolation")
    func rule8Order() {
        let person = profile(.intermediate, kit: .fullGym)
        var generated = valid(person, days: 4, minutes: 90)
        generated.editSessions { $0.exercises.reverse() }
        #expect(violations(generated, person) == ["compound_order"])
    }

    @Test("rule 8: push and pull balanced over the week")
    func rule8Balance() {
        let person = profile(.intermediate, kit: .fullGym)
        var generated = valid(person, days: 4, minutes: 90)
        for day in generated.weeks[0].days.indices {
            guard var session = generated.weeks[0].days[day].session else { continue }
            for index in session.exercises.indices where catalog[session.exercises[index].exerciseID]!.pattern.isPull {
                session.exercises[index].exerciseID = "push_up"
            }
            generated.weeks[0].days[day].session = session
        }
        let report = PlanValidator.validate(generated, profile: person, catalog: catalog)
        #expect(report.map(\.code) == ["push_pull_balance"])
        #expect(report.first?.message.contains("week 1") == true)
    }

    @Test("rule 9: sets, reps, rest and weeks within bounds")
    func rule9() {
        let person = profile(.intermediate, kit: .fullGym)
        var rest = valid(person, minutes: 90)
        rest.editSessions { $0.exercises[0].restSeconds = 10 }
        #expect(violations(rest, person) == ["bounds"])

        var reps = valid(person, minutes: 90)
        reps.editSessions { session in
            if let index = session.exercises.firstIndex(where: { $0.reps != nil }) {
                session.exercises[index].reps = RepRange(min: 0, max: 8)
            }
        }
        #expect(violations(reps, person) == ["bounds"])

        var sets = valid(person, minutes: 120)
        sets.editSessions {
            $0.exercises[$0.exercises.count - 1].sets = 11
            $0.exercises[$0.exercises.count - 1].restSeconds = 15
        }
        sets.sessionMinutes = 120
        #expect(violations(sets, person).contains("bounds"))

        var long = plan(person, days: 3, weeks: 16)
        var extra = long.weeks[0]
        extra.number = 17
        long.weeks.append(extra)
        #expect(violations(long, person) == ["bounds"])
    }

    @Test("rule 10: health screen note and intensity, disclaimer, no medical claims")
    func rule10() {
        let screened = profile(.intermediate, kit: .fullGym, healthScreen: HealthScreen(age: 72, inactive: true))
        var note = valid(screened)
        note.safetyNotes.removeAll { $0.contains("medical clearance") }
        #expect(violations(note, screened) == ["medical_clearance_note"])

        var intensity = valid(screened)
        intensity.editSessions { $0.exercises[0].load = .rpe(7) }
        #expect(violations(intensity, screened) == ["high_intensity"])

        let unscreenedPlan = plan(profile(.intermediate, kit: .fullGym))
        #expect(violations(unscreenedPlan, screened) == ["medical_clearance_note", "high_intensity"])

        let person = profile(.intermediate, kit: .fullGym)
        var disclaimer = valid(person)
        disclaimer.disclaimer = ""
        #expect(violations(disclaimer, person) == ["missing_disclaimer"])

        var claim = valid(person)
        claim.summary += " This routine cures back pain."
        let report = PlanValidator.validate(claim, profile: person, catalog: catalog)
        #expect(report.map(\.code) == ["medical_claim"])
        #expect(report.allSatisfy { $0.rule == 10 })
    }
}
