import VigorCoaching

/// Building muscle: the drivers (hard sets, progression, protein, a small surplus, sleep) and
/// the rate to expect, tailored by days per week, level, equipment and goal.
extension OfflineCoach {
    func muscleGain(_ context: CoachContext) -> CoachAnswer {
        var answer = CoachAnswer(
            core: [
                "To build muscle, train each muscle group about twice a week with roughly 10–20 hard sets per muscle each week, mostly 6–15 reps taken to 1–3 reps short of failure. Add reps, then load, as the sets get easier (double progression), and keep the same main exercises for 6–8 weeks so you can see them move.",
                "Outside the gym: about 1.6 g of protein per kilogram of body weight a day over 3–4 meals, a small surplus of about 200–300 kcal a day, and 7–9 hours of sleep. Expect roughly 0.5–1 kg of muscle a month in your first months, slower after the first year — judge it by your training log and measurements, not the mirror.",
            ],
            summary: "about 10–20 hard sets per muscle a week, add reps then load, 1.6 g/kg of protein, a small surplus and good sleep",
            why:
                "Muscle grows when it is made to work close to its limit again and again and then given the material and the rest to adapt: hard sets near failure are the stimulus, gradual overload keeps it a stimulus as you get stronger, and protein, a little extra energy and sleep supply the repair. Past about 20 hard sets per muscle a week, more volume mostly adds fatigue.",
            more:
                "Compound lifts (squats, hinges, presses, rows, pull-ups) train many muscles at once; add one or two isolation exercises for the parts you want to bring up. Take a lighter deload week every 4–8 weeks, and if your weight does not move for a month, add another 100–200 kcal a day."
        )
        guard let profile = context.profile else { return answer }
        if profile.goals.first == "weight_loss" {
            answer.personal.append(
                "Your main goal is weight loss: you can still build some muscle in a moderate deficit if you keep protein high and train hard, just more slowly than in a surplus."
            )
        }
        if let days = profile.daysPerWeek {
            let split =
                switch days {
                case ...1: "one full-body session is a start; a second day a week would roughly double what you can do for each muscle"
                case 2...3:
                    "full-body sessions suit you best, so each muscle gets trained \(days == 2 ? "twice" : "two to three times") a week"
                case 4: "an upper/lower split, each half twice a week, fits you well"
                default: "an upper/lower or push/pull/legs split lets each muscle be trained twice a week with a rest day to spare"
                }
            answer.personal.append("With \(CoachText.days(days)) a week, \(split).")
        }
        if !profile.equipment.isEmpty, profile.equipment.allSatisfy({ $0 == Equipment.bodyOnly.rawValue }) {
            answer.personal.insert(
                "With body weight only, make sets hard by choosing harder variations (feet-elevated push-ups, split squats, slow lowering) and doing reps up to 20–30 close to failure.",
                at: 0)
        }
        if profile.level == "beginner" {
            answer.personal.append(
                "As a beginner you grow on less: 6–10 hard sets per muscle a week is plenty for the first few months.")
        }
        return answer
    }
}
