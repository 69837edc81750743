/// Answers about recovery: rest days, soreness, pain and injuries, sleep.
extension OfflineCoach {
    func rest(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        var answer = CoachAnswer(
            core: [
                "Muscles adapt between sessions, not during them. Give each muscle group about 48 hours before training it hard again, and take at least one or two full rest days a week; rest days can be active — a walk, easy cycling or mobility work.",
                "Between sets, rest about 1–2 minutes for most exercises and 2–3 minutes for heavy compound lifts. Warning signs that you need more recovery: performance dropping for several sessions, lingering fatigue, poor sleep or low mood — a lighter deload week every 4–8 weeks helps.",
            ],
            summary: "about 48 hours before training the same muscles hard again, and at least one or two rest days a week",
            why:
                "Training is the stimulus; the adaptation — stronger muscles and tendons, a fitter heart — happens while you recover. Muscle protein synthesis stays raised for roughly 24–48 hours after a session, so hitting the same muscles hard again too soon cuts that process short and fatigue piles up instead of fitness.",
            more:
                "Good recovery is mostly simple: 7–9 hours of sleep, enough protein and total food, and managing stress. Active recovery — 20–30 minutes of walking, cycling or mobility at a conversational pace — helps blood flow without adding fatigue. If your usual warm-up weights feel heavy for a week, take a deload."
        )
        guard let profile else { return answer }
        if let days = profile.daysPerWeek {
            switch days {
            case ...3:
                answer.personal.append(
                    "With \(CoachText.days(days)) of training a week you have \(7 - days) rest days — spread the sessions out, for example \(CoachProfile.schedule(days))."
                )
            case 4...5:
                answer.personal.append(
                    "With \(days) training days a week, alternate upper and lower body or keep some days easy so no muscle is trained hard two days running."
                )
            default:
                answer.personal.append(
                    "Training \(days) days a week leaves little recovery: rotate muscle groups and keep at least one full rest day.")
            }
        }
        switch profile.level {
        case "beginner": answer.personal.append("As a beginner, a day off between full-body sessions is ideal.")
        case "advanced": answer.personal.append("As an advanced lifter you train closer to your limits, so planned deloads matter more.")
        default: break
        }
        if let goal = profile.mainGoal {
            answer.personal.append("Recovery is when your \(goal) progress actually happens.")
        }
        return answer
    }

    func soreness(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        var answer = CoachAnswer(
            core: [
                "Muscle soreness (DOMS) usually appears 12–24 hours after a new or harder workout, peaks around 24–72 hours and fades within a few days. It's a dull, tender ache in the muscles you trained and is normal, especially when you start or change your program. Gentle movement, walking, sleep and enough protein help, and you can train other muscle groups meanwhile.",
                "Pain is different: sharp or stabbing pain, joint pain, swelling, pain that worsens during exercise or lasts more than a week, or severe soreness with dark urine — stop and see a health professional.",
            ],
            summary:
                "ordinary soreness (DOMS) peaks within 1–3 days and is normal; sharp, joint or lasting pain needs a health professional",
            why:
                "DOMS comes from small disruptions in muscle fibres and the repair process that follows, mostly after unfamiliar work or heavy lowering (eccentric) movements. Your body adapts quickly — the repeated bout effect — so the same workout causes far less soreness next time. Soreness isn't a measure of a good workout; progress in reps and load is.",
            more:
                "To keep soreness manageable, increase volume gradually, keep new exercises light for the first sessions, and warm up well. Massage, foam rolling and light activity can ease it. If you're still very sore when the next session comes, train a different area or go lighter."
        )
        if let area = context.areas.first {
            answer.personal.append(
                "Soreness around a joint such as your \(area), rather than in the muscle itself, deserves extra caution.")
        }
        switch context.profile?.level {
        case "beginner"?:
            answer.personal.append("As a beginner, expect more soreness in the first two weeks; it drops quickly once you train regularly.")
        case .some: answer.personal.append("At your level, unusual soreness usually means a jump in volume — add sets more gradually.")
        case nil: break
        }
        if let profile, let goal = profile.mainGoal {
            answer.personal.append("It won't slow your \(goal) progress as long as you keep training consistently.")
        }
        return answer
    }

    func injury(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        let areas = context.areas
        let stop =
            areas.isEmpty
            ? "Stop the movement that causes it."
            : "Stop any movement that hurts your \(CoachText.list(areas)) and don't load it through pain."
        var answer = CoachAnswer(
            core: [
                "Pain is a signal to stop, not to push through. \(stop) If you have sharp pain, swelling, numbness, tingling, a joint that feels unstable, or pain that persists or gets worse, see a health professional — a doctor or physiotherapist — for a proper assessment; I can't diagnose injuries.",
                "Meanwhile you can usually keep training unaffected areas with pain-free exercises, and once you're cleared, return gradually following their advice.",
            ],
            summary: "stop what hurts, and see a health professional for sharp, swelling, numb or lasting pain",
            why:
                "Pain changes how you move, so pushing through it tends to overload other tissues and can turn a minor problem into a long one. A professional can tell a muscle strain from a joint or nerve problem and give you a rehab plan, while training around the injury keeps the rest of you fit without delaying healing.",
            more:
                "While you recover, keep moving what doesn't hurt — with a sore knee, upper-body and core work are often fine; with a sore shoulder, legs and walking. In rehab, mild discomfort (up to about 3 out of 10) that settles by the next day is usually acceptable; anything sharper isn't.",
            coversInjuries: true
        )
        if let profile, !profile.injuries.isEmpty {
            let listed = CoachText.list(profile.injuries.prefix(2).map(CoachProfile.injuryName))
            var note = "Your profile lists \(listed)"
            let avoid = profile.injuries.prefix(2).flatMap(\.avoid).prefix(3)
            if !avoid.isEmpty { note += " (avoid: \(CoachText.list(Array(avoid))))" }
            note += "; plans generated for you already leave those movements out — update your profile if anything has changed."
            answer.notes.append(note)
        } else {
            answer.notes.append(
                "If this is ongoing, add it to the injuries in your profile so generated plans avoid aggravating movements.")
        }
        if let intro = profile?.intro {
            answer.personal.append("\(intro), protecting the injury now keeps you training for the long run.")
        }
        return answer
    }

    func sleep(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        var answer = CoachAnswer(
            core: [
                "Sleep is when much of your recovery happens; most adults need 7–9 hours a night. What helps: regular bed and wake times (weekends too), a dark, cool, quiet bedroom, no caffeine after early afternoon, little alcohol, and dimmer screens for the last 30–60 minutes.",
                "If hard evening training keeps you awake, finish at least 2 hours before bed. After a poor night, train lighter rather than chasing records. Heavy snoring, waking unrefreshed or weeks of insomnia are worth raising with a doctor.",
            ],
            summary: "aim for 7–9 hours with regular sleep times, and train lighter after a bad night",
            why:
                "During deep sleep your body releases growth hormone and repairs tissue, and your nervous system recovers from hard training. Sleeping under about 6 hours is linked with weaker performance, higher perceived effort, more injuries and more appetite, so sleep is one of the cheapest ways to improve your results.",
            more:
                "A 10–20 minute nap early in the afternoon can help after a poor night without spoiling the next one. Keep the bedroom around 17–19 °C, get daylight in the morning, and build a wind-down routine — reading, a shower, light stretching. If you train early, go to bed earlier rather than cutting sleep short."
        )
        guard let profile else { return answer }
        switch profile.goals.first {
        case "muscle_gain"?, "strength"?:
            answer.personal.append(
                "For your \(profile.mainGoal ?? "training") goal, short sleep noticeably slows strength and muscle gains.")
        case "weight_loss"?:
            answer.personal.append("For your weight loss goal, short sleep raises hunger and makes a calorie deficit harder to stick to.")
        case let goal?:
            answer.personal.append("For your \(CoachProfile.goalName(goal)) goal, good sleep improves both energy and consistency.")
        case nil: break
        }
        if let days = profile.daysPerWeek {
            answer.personal.append("On your \(CoachText.days(days)) of training a week, the nights after hard sessions matter most.")
        }
        if profile.level == "beginner" {
            answer.personal.append("As a beginner, a regular sleep routine makes the first weeks of training feel much easier.")
        }
        return answer
    }
}
