import VigorCoaching

/// Answers about training itself: technique, progression, warm-ups, plans, getting started.
extension OfflineCoach {
    func form(_ context: CoachContext) -> CoachAnswer {
        if let named = context.catalogExercise { return catalogForm(named, context) }
        let profile = context.profile
        let exercise = context.exercise
        let cues = exercise?.cues ?? CoachExercise.generalCues
        let numbered = cues.enumerated().map { "\($0.offset + 1)) \(CoachText.lowerFirst($0.element))" }
        let subject = exercise.map { "the \($0.name)" } ?? "good technique on any lift"
        var answer = CoachAnswer(
            core: [
                "Key cues for \(subject): \(numbered.joined(separator: "; ")).",
                "Start light, film a set from the side if you can, and end the set when your form breaks rather than grinding out ugly reps.",
            ],
            summary: "for \(subject), \(CoachText.lowerFirst(cues[1])) — and \(CoachText.lowerFirst(cues[2]))",
            why:
                "Good form puts the load on the muscles the exercise is meant to train and keeps your joints in positions they tolerate well. It also makes progress measurable: if every rep looks the same, a heavier weight means you really got stronger. Bracing and a controlled lowering phase are what protect your back and joints as the loads rise.",
            more: exercise?.commonMistake
                ?? "Technique improves fastest with practice at moderate loads: two or three sessions a week, the same cues every rep, and a video now and then to compare with how it felt."
        )
        if let exercise, let entry = CoachCatalog.catalog[exercise.catalogID],
            case let conflicts = CoachCatalog.conflicts(entry, profile: profile), !conflicts.isEmpty
        {
            // The profile's injuries (or a pregnancy) rule the movement out: no variations of it.
            var note =
                "Your profile says to avoid \(CoachText.list(conflicts.map(Self.tagWords))), which the \(exercise.name) involves, so skip it for now"
            if let alternative = CoachCatalog.alternative(to: entry, profile: profile) {
                note += " — the \(alternative.name.lowercased()) trains the same muscles without it"
            }
            answer.notes.append(note + "; seek professional advice before bringing it back.")
            answer.coversInjuries = true
        } else if let exercise {
            if let profile, profile.hasDumbbells {
                answer.personal.append(
                    "Since you have dumbbells, the \(exercise.dumbbellVariation) is a great way to practise this pattern.")
            } else if profile != nil {
                answer.personal.append("With body weight, start with the \(exercise.bodyweightVariation).")
            } else {
                answer.personal.append(
                    "With dumbbells, try the \(exercise.dumbbellVariation); with body weight only, the \(exercise.bodyweightVariation) teaches the same pattern."
                )
            }
        }
        if let profile, let intro = profile.intro {
            answer.personal.append(
                profile.level == "beginner" || profile.level == nil
                    ? "\(intro), keep 2–3 reps in reserve and own the movement for a few weeks before adding load."
                    : "\(intro), keep the cues identical on your heaviest sets — technique usually breaks down on the last reps.")
        }
        return answer
    }

    /// Cues for any catalogue exercise, with a safer or doable alternative when the
    /// profile's injuries, equipment or level call for one.
    func catalogForm(_ exercise: Exercise, _ context: CoachContext) -> CoachAnswer {
        let cues = exercise.cues
        let numbered = cues.enumerated().map { "\($0.offset + 1)) \(CoachText.lowerFirst($0.element))" }
        let name = exercise.name.lowercased()
        var answer = CoachAnswer(
            core: [
                "Key cues for the \(name): \(numbered.joined(separator: "; ")).",
                "How to do it: \(exercise.instructions) Start light and stop the set when your form slips.",
            ],
            summary: "for the \(name), \(CoachText.lowerFirst(cues[0])) — and \(CoachText.lowerFirst(cues[1]))",
            why:
                "Good form puts the load on the muscles the exercise is meant to train (for the \(name), mainly the \(CoachText.list(exercise.primaryMuscles.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }))) and keeps your joints in positions they tolerate well. If every rep looks the same, progress is real.",
            more:
                "Film a set from the side now and then and compare it with the cues; change one thing at a time. When all your sets feel smooth at the top of the rep range, add a little load or a harder variation.",
            coversInjuries: true
        )
        let profile = context.profile
        let conflicts = CoachCatalog.conflicts(exercise, profile: profile)
        let kit = profile?.fitnessProfile.availableEquipment ?? [.bodyOnly]
        let alternative = CoachCatalog.alternative(to: exercise, profile: profile)
        if !conflicts.isEmpty {
            let words = conflicts.map(Self.tagWords)
            var note = "Your profile says to avoid \(CoachText.list(words)), which the \(name) involves, so skip it for now"
            if let alternative { note += " — the \(alternative.name.lowercased()) trains the same muscles without it" }
            answer.notes.append(note + "; seek professional advice before bringing it back.")
        } else if let profile, !profile.isEmpty {
            if !exercise.isDoable(with: kit) {
                let missing = exercise.equipment.filter { !kit.contains($0) }.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }
                let swap = alternative.map { " — the \($0.name.lowercased()) works with what you have" } ?? ""
                answer.personal.append("You don't list \(CoachText.list(missing)) in your equipment\(swap).")
            }
            let level = profile.fitnessProfile.fitnessLevel
            if exercise.level > level {
                let build = alternative.map { "; build up with the \($0.name.lowercased()) first" } ?? ""
                answer.personal.append("The \(name) is an \(exercise.level.rawValue) exercise\(build).")
            }
            if let caution = profile.injuryCaution { answer.notes.append(caution) }
        }
        return answer
    }

    /// The rep range that suits a goal.
    static func repRange(for goal: String?) -> String {
        switch goal {
        case "strength": "4–6"
        case "endurance", "weight_loss": "12–15"
        default: "8–12"
        }
    }

    func progression(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        var answer = CoachAnswer(
            core: [
                "Use double progression. Pick a rep range, for example 8–12, and keep the same load until every set reaches the top of the range (say 3 × 12 with good form). Then add load — the smallest step available and never more than 10 % — and build back up from the bottom of the range.",
                "If you miss your reps for three sessions in a row, drop the load by about 10 % and work back up. Plateaus usually come from too little sleep or food, too many sets to failure, or months on the same program; a lighter deload week every 4–8 weeks helps.",
            ],
            summary: "keep the load until every set reaches the top of your rep range, then add no more than 10 %",
            why:
                "Double progression makes you earn the heavier weight: reaching the top of the range on every set shows the current load is no longer a real challenge. Small steps of at most 10 % keep your technique intact and give muscles, tendons and joints time to adapt — tendons adapt more slowly than muscle. Dropping back 10 % after repeated misses lets fatigue clear so you can build momentum again.",
            more:
                "Besides load, you can progress by adding a set (up to roughly 10–20 hard sets per muscle each week), using a fuller range of motion, or slowing the lowering phase. Keep a log of weight, reps and effort, and change one thing at a time so you know what worked."
        )
        if let exercise = context.exercise, let entry = CoachCatalog.catalog[exercise.catalogID],
            case let conflicts = CoachCatalog.conflicts(entry, profile: profile), !conflicts.isEmpty
        {
            // The profile's injuries (or a pregnancy) rule the movement out: no advice to load it up.
            var note =
                "Your profile says to avoid \(CoachText.list(conflicts.map(Self.tagWords))), which the \(exercise.name) involves, so don't progress it for now"
            if let alternative = CoachCatalog.alternative(to: entry, profile: profile) {
                note += " — apply the rule to the \(alternative.name.lowercased()) instead, which trains the same muscles without it"
            }
            answer.notes.append(note + "; seek professional advice before bringing it back.")
            answer.coversInjuries = true
        } else if let exercise = context.exercise {
            answer.personal.append(
                "The same rule works for the \(exercise.name): log every set and add load only when all of them reach the top of the range."
            )
        }
        guard let profile else { return answer }
        let range = Self.repRange(for: profile.goals.first)
        let goalPart =
            profile.mainGoal.map { "For your \($0) goal, a \(range) rep range fits well" } ?? "A \(range) rep range suits most goals"
        switch profile.level {
        case "beginner": answer.personal.append("\(goalPart); as a beginner you can often add load every week or two.")
        case "intermediate":
            answer.personal.append("\(goalPart); at an intermediate level expect steps every few weeks, so log every session.")
        case "advanced": answer.personal.append("\(goalPart); as an advanced lifter, judge progress by the month and plan your deloads.")
        default: answer.personal.append("\(goalPart).")
        }
        if profile.hasDumbbells {
            answer.personal.append(
                "With dumbbells the next pair is often more than 10 % heavier, so add reps, a set or a slower tempo before moving up.")
        } else if profile.hasBarbell {
            answer.personal.append("With a barbell, small plates (1–1.25 kg) keep each step under 10 %.")
        } else if profile.bodyweightOnly {
            answer.personal.append(
                "With body weight only, progress by adding reps, slowing the tempo, or moving to a harder variation — incline push-up, then floor push-up, then feet raised."
            )
        }
        return answer
    }

    func warmUp(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        let squats = Self.allowedNames([("bodyweight_squat", "bodyweight squats")], profile: profile).first ?? "sit-to-stands"
        var answer = CoachAnswer(
            core: [
                "A good warm-up takes 5–10 minutes: 1) 3–5 minutes of easy cardio such as a brisk walk, bike or skipping to raise your body temperature; 2) dynamic mobility for the joints you'll use — leg swings, hip circles, arm circles, cat-cow, \(squats); 3) two or three lighter ramp-up sets of your first exercise before your working weight.",
                "Save long static stretches for the cool-down or a separate session, and finish each workout with a few minutes of easy movement and light stretching.",
            ],
            summary: "5–10 minutes of easy cardio, dynamic mobility and lighter ramp-up sets before your working weight",
            why:
                "Warmer muscles and connective tissue are more pliable and your nerves conduct faster, so your first working set feels better and you usually perform more. Ramp-up sets rehearse the exact movement, which sharpens technique. Long static holds right before heavy or explosive work can slightly reduce power, which is why dynamic movement comes first and static stretching later.",
            more:
                "For the cool-down, 3–5 minutes of easy walking then 20–30 second stretches for the muscles you trained work well. To improve flexibility, a separate 10–15 minute mobility session two or three times a week (hips, hamstrings, upper back, shoulders) does more than a longer warm-up."
        )
        guard let profile else { return answer }
        if let minutes = profile.sessionMinutes {
            answer.personal.append(
                minutes <= 30
                    ? "In \(minutes)-minute sessions, 5 minutes is enough — make the first set of each exercise a lighter one."
                    : "In your \(minutes)-minute sessions, budget about 5–8 minutes for this.")
        }
        if profile.hasBands {
            answer.personal.append("Your resistance bands are ideal for pull-aparts and lateral band walks.")
        } else if profile.hasDumbbells, Self.allowedNames([("goblet_squat", "")], profile: profile).count == 1 {
            answer.personal.append("With your dumbbells, a light set of goblet squats and presses makes a good ramp-up.")
        } else {
            let moves = Self.allowedNames(
                [
                    ("bodyweight_squat", "squats"), ("reverse_lunge", "lunges"), ("incline_push_up", "incline push-ups"),
                    ("sit_to_stand", "sit-to-stands"), ("bird_dog", "bird dogs"),
                ], profile: profile)
            answer.personal.append("With body weight, a few easy \(CoachText.list(Array(moves.prefix(3)))) make a good ramp-up.")
        }
        if let intro = profile.intro {
            answer.personal.append("\(intro), treat the warm-up as practice for the day's movements, too.")
        }
        return answer
    }

    func beginner(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        var answer = CoachAnswer(
            core: [
                "Welcome — starting is the hardest part. A simple, effective start: 2–3 full-body sessions a week on non-consecutive days, 30–45 minutes each. In each session, warm up for 5 minutes, then do one exercise per basic pattern — squat, hip hinge, push, pull and core — for 2–3 sets of 8–12 reps, stopping with 2–3 reps left in the tank.",
                "Walk on the other days. Spend the first month learning the movements, then add reps and load gradually.",
            ],
            summary: "2–3 full-body sessions a week, the basic movement patterns, 2–3 sets of 8–12 reps, and patience",
            why:
                "Full-body sessions two or three times a week train every muscle often enough to improve quickly while leaving 48 hours to recover. The basic patterns carry over to everything else, and stopping a few reps short of failure lets you practise good technique without crushing soreness, which is what keeps beginners coming back.",
            more:
                "Keep a simple log (exercise, weight, reps), expect some soreness in the first two weeks, and judge progress over a month rather than a session. Sleep 7–9 hours, eat enough protein, and compare yourself only with last month's you."
        )
        guard let profile else { return answer }
        let kit =
            profile.hasDumbbells
            ? [
                ("goblet_squat", "goblet squats"), ("dumbbell_romanian_deadlift", "dumbbell Romanian deadlifts"), ("push_up", "push-ups"),
                ("dumbbell_row", "one-arm rows"), ("plank", "planks"), ("sit_to_stand", "chair squats"),
                ("incline_push_up", "incline push-ups"),
            ]
            : [
                ("sit_to_stand", "chair squats"), ("glute_bridge", "glute bridges"), ("incline_push_up", "incline push-ups"),
                ("table_row", "table rows"), ("plank", "planks"), ("hip_hinge_drill", "hip hinges"), ("wall_push_up", "wall push-ups"),
            ]
        let names = Self.allowedNames(kit, profile: profile).prefix(5)
        answer.personal.append("With \(profile.hasDumbbells ? "your dumbbells" : "body weight only"): \(CoachText.list(Array(names))).")
        if let days = profile.daysPerWeek, days > 3 {
            answer.personal.append(
                "Your profile says \(days) days a week; keep 3 of them for strength work and use the others for walking or mobility.")
        } else if let goal = profile.mainGoal {
            answer.personal.append("This builds the base for your \(goal) goal; the plan generator can turn it into a full program.")
        }
        return answer
    }
}

/// Answers about the end of a session and about stalls.
extension OfflineCoach {
    func coolDown(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        var answer = CoachAnswer(
            core: [
                "A cool-down takes 5–10 minutes: 3–5 minutes of easy walking, cycling or slow movement to bring your heart rate and breathing down, then gentle static stretches of 20–30 seconds for the muscles you trained — hamstrings, hips, quads, calves, chest and upper back — breathing slowly and never bouncing.",
                "It won't do much for next-day soreness, but it eases you back to rest, helps avoid dizziness after hard efforts, and is the best time for flexibility work.",
            ],
            summary: "3–5 minutes of easy movement, then 20–30 second stretches for the muscles you trained",
            why:
                "Stopping hard exercise abruptly can let blood pool in the legs and make you light-headed; easy movement brings the heart rate down gradually. Muscles are warm at the end of a session, so stretching then improves flexibility with less discomfort.",
            more:
                "For more flexibility, hold each stretch 30 seconds, two or three times, and stretch most days. Foam rolling for a minute per area can make muscles feel looser, too."
        )
        guard let profile else { return answer }
        if profile.hasFoamRoller {
            answer.personal.append("Your foam roller fits well here: a minute each on the calves, quads and upper back.")
        }
        if let minutes = profile.sessionMinutes {
            answer.personal.append("In your \(minutes)-minute sessions, keep \(minutes <= 30 ? "3–5" : "5–10") minutes for this.")
        }
        return answer
    }

    func plateau(_ context: CoachContext) -> CoachAnswer {
        let lifting =
            context.exercise != nil || context.catalogExercise != nil
            || context.mentions([
                "lift", "lifts", "lifting", "strength", "reps", "bench", "squat", "deadlift", "press", "pull up", "stronger",
            ])
        let weight = context.mentions(["weight", "scale", "losing", "lose", "kg", "pounds", "lbs", "fat", "waist", "weigh"])
        guard weight && !lifting || !lifting && context.profile?.goals.first == "weight_loss" else {
            var answer = progression(context)
            answer.core.insert(
                "Plateaus happen to everyone; a lift usually moves again with a change of plan rather than more effort.", at: 0)
            return answer
        }
        var answer = CoachAnswer(
            core: [
                "Weight-loss plateaus are normal: as you get lighter you burn a little less, and water shifts can hide fat loss for a week or two. Judge the trend from weekly averages over 2–3 weeks. If it has truly stalled, re-check portions and snacks honestly for a week, keep protein high, add 1,500–2,000 daily steps, and if needed trim another 100–200 kcal a day — staying within a safe rate of about 0.5–1 % of body weight a week.",
                "Keep strength training so that what you lose is fat, sleep 7–9 hours, and after months of dieting take a week or two at maintenance. Your waist measurement and how clothes fit show changes the scale misses.",
            ],
            summary: "check the 2–3 week trend, tighten portions, add steps, and trim 100–200 kcal only if needed",
            why:
                "A smaller body needs less energy, so the deficit that worked at the start shrinks as you lose weight; intake and everyday movement also tend to drift without you noticing. Small, deliberate changes restart progress without extreme dieting.",
            more:
                "Water retention from a new training program, salty meals or the menstrual cycle can mask fat loss for days. Weigh at the same time each morning and compare weekly averages."
        )
        if let days = context.profile?.daysPerWeek {
            answer.personal.append("Keep your \(CoachText.days(days)) of training a week steady while you adjust food and steps.")
        }
        return answer
    }
}
