/// Answers to "make me a plan": point to the plan generator and sketch a matching split.
extension OfflineCoach {
    /// The plan generator route, as documented in the host's API.
    static let planEndpoint = "POST /api/v1/ai/workout-plan"

    func plan(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        let split = Self.split(days: profile?.daysPerWeek, level: profile?.level)
        var answer = CoachAnswer(
            core: [
                "For a complete plan — weeks, sessions, sets, reps, rest and a progression rule, checked against your equipment and injuries — use the plan generator endpoint (\(Self.planEndpoint), or \"Generate plan\" in the app); its rule-based planner works even without an AI provider.",
                split.sentence,
            ],
            summary: "use the plan generator for the full plan; \(split.short)",
            why:
                "A split decides how often each muscle is trained and how long it recovers. Training each muscle about twice a week with 48 hours in between works better than once a week for most people, and a generated plan also respects your equipment, injuries and session length, which a generic template can't.",
            more:
                "Once you have the plan, follow it for 4–8 weeks before judging it: log each session, use double progression on the main lifts, and take a lighter week when performance stalls. If your schedule changes, update days_per_week in your profile and generate a new plan rather than squeezing sessions together."
        )
        guard let profile else { return answer }
        if let goal = profile.goals.first {
            answer.personal.append(Self.goalFocus(goal))
        }
        var fit = "It will only use what you have (\(profile.equipmentPhrase))"
        if let minutes = profile.sessionMinutes { fit += " and fit \(minutes)-minute sessions" }
        if let level = profile.level { fit += ", with \(level)-level exercises" }
        answer.personal.append(fit + ".")
        return answer
    }

    /// A split for a number of training days: a full sentence and a short clause.
    static func split(days: Int?, level: String?) -> (sentence: String, short: String) {
        guard let days else {
            return (
                "As a guide: 2–3 days a week suits full-body sessions, 4 days an upper/lower split, and 5–6 days push/pull/legs, always with at least one full rest day.",
                "full-body for 2–3 days, upper/lower for 4, push/pull/legs for 5–6"
            )
        }
        if level == "beginner", days > 3 {
            return (
                "With \(days) days a week as a beginner: 3 full-body strength days (Monday, Wednesday, Friday) and \(days == 7 ? "3 days of light cardio or mobility plus 1 full rest day" : "\(days - 3) days of light cardio or mobility").",
                "3 full-body days plus light cardio"
            )
        }
        switch days {
        case 1:
            return (
                "With 1 day a week: one full-body session (squat, hinge, push, pull, core) and walks on other days; a second session would speed up progress.",
                "one full-body session a week"
            )
        case 2:
            return (
                "With 2 days a week: two full-body sessions, for example Monday and Thursday, each covering squat, hinge, push, pull and core.",
                "two full-body sessions a week"
            )
        case 3:
            return (
                "With 3 days a week: three full-body sessions on alternate days (Monday, Wednesday, Friday), rotating the main lifts.",
                "three full-body sessions a week"
            )
        case 4:
            return (
                "With 4 days a week: an upper/lower split — upper Monday, lower Tuesday, upper Thursday, lower Friday.",
                "an upper/lower split over 4 days"
            )
        case 5:
            return (
                "With 5 days a week: upper/lower plus push/pull/legs — upper Monday, lower Tuesday, push Thursday, pull Friday, legs Saturday.",
                "upper/lower plus push/pull/legs over 5 days"
            )
        case 6:
            return (
                "With 6 days a week: push/pull/legs twice, Monday to Saturday, with Sunday off.",
                "push/pull/legs twice a week"
            )
        default:
            return (
                "Seven days is a lot — keep at least one full rest day: push/pull/legs twice plus a rest day.",
                "push/pull/legs twice plus a rest day"
            )
        }
    }

    /// What a plan for a goal emphasises.
    static func goalFocus(_ goal: String) -> String {
        switch goal {
        case "strength": "For strength, expect low reps (3–6) on the main lifts with 2–3 minute rests."
        case "muscle_gain": "For muscle gain, expect mostly 8–12 reps and about 10–20 hard sets per muscle each week."
        case "weight_loss": "For weight loss, expect strength work with shorter rests plus 150 or more minutes of weekly cardio."
        case "endurance": "For endurance, expect higher reps (12–20), short rests and 2–3 cardio sessions."
        case "flexibility": "For flexibility, expect moderate resistance plus 10–15 minutes of mobility each session."
        default:
            "For \(CoachProfile.goalName(goal)), expect a balanced mix of strength work (8–12 reps) and about 150 minutes of weekly cardio."
        }
    }
}
