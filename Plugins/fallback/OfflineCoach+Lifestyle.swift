import VigorCoaching

/// Answers about life around training: nutrition, cardio and weight loss, motivation,
/// plus the greeting and the general default.
extension OfflineCoach {
    /// Said with every nutrition answer.
    static let dietDisclaimer =
        "This is general information, not medical or dietetic advice — a registered dietitian can tailor it, especially if you have a medical condition or are pregnant."

    func nutrition(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        let goal = profile?.goals.first
        let protein = Self.proteinLine(goal: goal)
        let energy = Self.energyLine(goal: goal)
        let water =
            "Drink water through the day, more around training and in the heat; pale-yellow urine is a simple check, and a drink of water with each meal and during sessions covers most people."
        let asksAboutWater = context.mentions(["water", "drink", "drinking", "hydration", "hydrate", "hydrated"])
        var answer = CoachAnswer(
            core: asksAboutWater
                ? ["A few basics that work for most people. \(water)", protein, energy]
                : ["A few basics that work for most people. \(protein)", energy, water],
            summary: "about 1.6 g/kg of protein a day, calories matched to your goal, mostly whole foods, and enough water",
            why:
                "Protein supplies the amino acids that repair and build muscle after training, and around 1.6 g/kg a day is where the benefit for building and keeping muscle levels off for most people. Energy balance decides whether you gain or lose weight; protein and training decide how much of that change is muscle rather than fat. Even mild dehydration reduces performance.",
            more:
                "Include a protein source at every meal, fill half the plate with vegetables or fruit, and eat protein and carbohydrate within a few hours around training. Supplements are optional: protein powder is just convenient food, and creatine monohydrate (3–5 g a day) is the best-studied for strength. Weigh yourself weekly and adjust by 100–200 kcal.",
            notes: [Self.dietDisclaimer]
        )
        guard let profile else { return answer }
        switch profile.goals.first {
        case "muscle_gain"?:
            answer.personal.append(
                "For your muscle gain goal, a 70 kg person would aim for roughly 110 g of protein a day plus a small surplus.")
        case "weight_loss"?:
            answer.personal.append(
                "For your weight loss goal, keep protein high (1.6 g/kg or more) in a moderate deficit so you keep muscle while losing fat."
            )
        case "strength"?:
            answer.personal.append(
                "For your strength goal, the same protein target applies; eat enough carbohydrate to fuel heavy sessions.")
        case "endurance"?:
            answer.personal.append("For your endurance goal, carbohydrate fuels longer sessions, so include it before and after training.")
        case let goal?:
            answer.personal.append(
                "For your \(CoachProfile.goalName(goal)) goal, eat mostly whole foods at roughly maintenance calories with enough protein.")
        case nil: break
        }
        if let days = profile.daysPerWeek {
            answer.personal.append("On your \(CoachText.days(days)) of training, keep protein the same every day — rest days included.")
        }
        return answer
    }

    /// The protein sentence, in the words of the main goal (never "for muscle gain" to
    /// someone losing weight).
    static func proteinLine(goal: String?) -> String {
        switch goal {
        case "muscle_gain"?:
            "For muscle gain, aim for about 1.6 g/kg of protein a day (1.6 grams per kilogram of body weight), spread over 3–4 meals — meat, fish, eggs, dairy, tofu, beans."
        case "weight_loss"?:
            "While losing weight, aim for about 1.6 g/kg of protein a day or a little more (grams per kilogram of body weight), spread over 3–4 meals — it keeps you full and protects your muscle: fish, eggs, dairy, tofu, beans, lean meat."
        default:
            "Aim for about 1.2–1.6 g/kg of protein a day (grams per kilogram of body weight), spread over 3–4 meals — meat, fish, eggs, dairy, tofu, beans."
        }
    }

    /// The energy-balance sentence for the main goal.
    static func energyLine(goal: String?) -> String {
        switch goal {
        case "muscle_gain"?:
            "Body weight follows energy balance: a small surplus (about 200–300 kcal a day) supports muscle gain. Build meals around vegetables, fruit and whole grains."
        case "weight_loss"?:
            "Body weight follows energy balance: a moderate deficit of about 300–500 kcal a day supports steady fat loss. Build meals around vegetables, fruit, whole grains and lean protein."
        case nil:
            "Body weight follows energy balance: a small surplus (about 200–300 kcal a day) supports muscle gain, a moderate deficit (about 300–500 kcal) supports fat loss. Build meals around vegetables, fruit and whole grains."
        default:
            "Body weight follows energy balance: eating around maintenance keeps your weight steady while training improves your fitness. Build meals around vegetables, fruit and whole grains."
        }
    }

    /// A goal-specific tip for eating around training.
    static func aroundTrainingTip(goal: String?, before: Bool) -> String? {
        switch goal {
        case "weight_loss"?:
            before
                ? "For your weight loss goal, count this snack as part of the day's food rather than an extra, and keep it small — a banana or a yogurt is plenty for a session under an hour."
                : "For your weight loss goal, make this one of your planned meals rather than an extra; protein keeps you full, which makes the deficit easier."
        case "muscle_gain"?:
            "For your muscle gain goal, include 20–40 g of protein in the meals before and after training, and eat enough overall to stay in a small surplus."
        case "strength"?:
            "For your strength goal, carbohydrate fuels heavy sessions: include rice, potatoes, oats or bread in the meal \(before ? "before" : "after") training."
        case "endurance"?:
            before
                ? "For your endurance goal, eat more carbohydrate before sessions longer than 60–90 minutes, and take some during them."
                : "For your endurance goal, refill with plenty of carbohydrate after long sessions, especially if you train again within a day."
        case let goal?:
            "For your \(CoachProfile.goalName(goal)) goal, a normal balanced meal is all you need; no special products required."
        case nil:
            nil
        }
    }

    func preWorkoutNutrition(_ context: CoachContext) -> CoachAnswer {
        let morning = context.mentions(["morning", "early", "breakfast", "wake up", "fasted", "empty stomach"])
        var core = [
            "Before a workout, the aim is not to train hungry or over-full. A normal meal 2–3 hours before works well; closer in, have a small, easily digested snack 30–60 minutes before — a banana, toast with honey or jam, a yogurt or a small bowl of oats."
        ]
        core.append(
            morning
                ? "For an early morning session, a light snack such as a banana or a glass of milk, or training on an empty stomach, are both fine if you feel good — just eat a proper breakfast afterwards. Drink a glass of water when you wake up; coffee is fine if it agrees with you."
                : "Drink a glass or two of water in the two hours before, and sip during longer sessions. Coffee 30–60 minutes before is fine if it agrees with you; skip heavy, fatty or very high-fibre food right before."
        )
        var answer = CoachAnswer(
            core: core,
            summary: "a normal meal 2–3 hours before, or a small carb-based snack 30–60 minutes before, plus water",
            why:
                "Carbohydrate eaten before training tops up the energy your muscles use, so hard sets and intervals feel easier, while a small, low-fat snack empties from the stomach quickly and doesn't slosh around. For short, easy sessions your body has enough stored energy, which is why training fasted is fine then.",
            more:
                "If you get dizzy, shaky or sick during training, try a slightly bigger snack a little earlier. Sports drinks and gels are only worth it for hard sessions longer than about an hour.",
            notes: [Self.dietDisclaimer]
        )
        if let tip = Self.aroundTrainingTip(goal: context.profile?.goals.first, before: true) { answer.personal.append(tip) }
        return answer
    }

    func postWorkoutNutrition(_ context: CoachContext) -> CoachAnswer {
        var answer = CoachAnswer(
            core: [
                "After training, eat a meal or snack with protein and carbohydrate within a couple of hours — for example chicken, fish or tofu with rice and vegetables, eggs on toast, or yogurt with fruit and oats. About 20–40 g of protein per meal, spread over the day, supports recovery; carbohydrate refills your energy stores, which matters most after long or hard sessions.",
                "Rehydrate with water until your urine is pale again. A protein shake is only convenient food — useful when you can't eat a meal soon, not essential.",
            ],
            summary: "a meal with 20–40 g of protein and some carbohydrate within a couple of hours, and water",
            why:
                "Training breaks down muscle protein and uses stored carbohydrate; protein after training supplies the building blocks to repair and adapt, and carbohydrate restores energy for the next session. The total over the day matters more than the exact minute, so there is no need to rush.",
            more:
                "If you train in the evening, a normal dinner does the job. A glass of milk is a simple option: it has protein, carbohydrate and fluid together.",
            notes: [Self.dietDisclaimer]
        )
        if let tip = Self.aroundTrainingTip(goal: context.profile?.goals.first, before: false) { answer.personal.append(tip) }
        return answer
    }

    func cardio(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        let target =
            "A solid weekly target: 150–300 minutes of moderate cardio (brisk walking, cycling, swimming — you can talk but not sing) or 75–150 minutes of vigorous work, plus strength training at least twice a week."
        let intervals =
            "Intervals such as 6–10 rounds of 30 seconds hard and 90 seconds easy save time, but keep them to once or twice a week. Daily steps count too."
        let weightLoss =
            "For weight loss, the biggest lever is a moderate calorie deficit; cardio adds to it, while strength training keeps your muscle so the weight you lose is mostly fat."
        let asksAboutWeight =
            profile?.goals.first == "weight_loss"
            || context.mentions(CoachTopic.cardio.keywords.filter { $0.contains("weight") || $0.contains("fat") || $0.contains("slim") })
        var answer = CoachAnswer(
            core: asksAboutWeight
                ? ["\(weightLoss) \(target)", intervals]
                : [
                    "Cardio trains your heart and lungs, speeds recovery between sets, and helps with weight control. \(target)",
                    "\(intervals) \(weightLoss)",
                ],
            summary: "a moderate calorie deficit, 150–300 minutes of moderate cardio a week, and strength training at least twice a week",
            why:
                "Fat loss happens when you use more energy than you take in, and eating 400 kcal less is far easier than burning 400 kcal more. Cardio improves heart health and adds to the deficit, while strength training tells your body to keep muscle, so what comes off is mostly fat. The 150–300 minute range comes from the US Physical Activity Guidelines.",
            more:
                "Track the trend, not the day: weigh yourself a few times a week and compare weekly averages, aiming to lose about 0.5–1 % of body weight per week. Everyday movement — walking, stairs, standing — adds up, so try 2,000–3,000 more steps than your current daily average."
        )
        guard let profile else { return answer }
        switch profile.goals.first {
        case "weight_loss"?:
            answer.personal.append("Since weight loss is your main goal, pair this with a deficit of about 300–500 kcal a day.")
        case "endurance"?:
            answer.personal.append("For your endurance goal, keep most cardio easy and conversational, with one harder session a week.")
        case let goal?:
            answer.personal.append(
                "With \(CoachProfile.goalName(goal)) as your main goal, 2–3 cardio sessions a week support it without hurting your strength work."
            )
        case nil: break
        }
        if profile.hasCardioMachine {
            answer.personal.append("Your cardio machine makes steady sessions easy to fit in.")
        } else if profile.hasKettlebell {
            answer.personal.append("Kettlebell swings make a great short finisher.")
        } else {
            let circuit = Self.allowedNames(
                [
                    ("bodyweight_squat", "squats"), ("step_up", "step-ups"), ("mountain_climber", "mountain climbers"),
                    ("march_in_place", "brisk marching"),
                ],
                profile: profile)
            answer.personal.append(
                "Without machines, brisk walks, stair climbs or a bodyweight circuit (\(CoachText.list(Array(circuit.prefix(3))))) work well."
            )
        }
        if profile.level == "beginner" {
            answer.personal.append("As a beginner, start with 20–30 minute walks and build the weekly total by about 10 % a week.")
        }
        if let days = profile.daysPerWeek, days < 7 {
            answer.personal.append(
                "With \(CoachText.days(days)) of strength training a week, add cardio on the other days or after lifting.")
        }
        return answer
    }

    func motivation(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        var answer = CoachAnswer(
            core: [
                "Motivation comes and goes; habits carry you through. What works: 1) schedule sessions like appointments and set a minimum version — ten minutes still counts on bad days; 2) track something, like your reps and loads climbing; 3) never miss twice — one skipped session is normal, two starts a pattern; 4) set a goal for the next 4–6 weeks, not only the distant one, and pick training you enjoy.",
                "A workout partner or keeping your streak going in the app helps too.",
            ],
            summary: "fixed training times, a minimum version for bad days, tracking progress, and never missing twice",
            why:
                "Motivation depends on mood, energy and circumstances, so relying on it fails sooner or later. Habits tied to a fixed time and place need far less willpower, and small visible wins — a heavier weight, an extra rep — feed motivation back. Missing once is harmless; a run of missed sessions is what breaks a habit, which is why 'never miss twice' works.",
            more:
                "Reduce friction: lay out your kit the night before, train at the same time, and keep a 20-minute backup workout for busy days. Reward consistency rather than results, and if you dread every session, change the program — enjoyment predicts consistency better than the perfect plan."
        )
        guard let profile else { return answer }
        if let days = profile.daysPerWeek {
            if profile.level == "beginner", days > 3 {
                answer.personal.append(
                    "Your profile says \(days) days a week; if that feels like too much, 3 well-kept days beat \(days) planned ones.")
            } else {
                answer.personal.append(
                    "Your profile says \(CoachText.days(days)) a week — protect those slots first, for example \(CoachProfile.schedule(days))."
                )
            }
        }
        if let goal = profile.mainGoal {
            answer.personal.append("Keep your \(goal) goal visible, but celebrate process wins like completing every session this week.")
        }
        if profile.level == "beginner" {
            answer.personal.append(
                "As a beginner, the first 6–8 weeks are the hardest; after that, training starts to feel like part of your week.")
        }
        return answer
    }

    func greeting(_ context: CoachContext) -> CoachAnswer {
        let opening = context.isThanks ? "You're welcome — glad to help." : "Hi! I'm Vigor's offline coach."
        var answer = CoachAnswer(
            core: [
                "\(opening) I can help with exercise form, progression and plateaus, rest and recovery, soreness, warm-ups, cardio and weight loss, nutrition basics, sleep, motivation and getting started, and I can point you to the plan generator for a full weekly program."
            ],
            summary: "ask me about form, progression, recovery, nutrition, cardio, sleep, motivation or a plan",
            why:
                "I'm running without a live AI model, so I answer from well-established training guidelines and your profile rather than inventing specifics.",
            more: "You can ask short follow-ups too — \"why?\" or \"more\" — and I'll stay on the same subject."
        )
        if let profile = context.profile, !profile.isEmpty {
            answer.personal.append("I see you're \(profile.descriptor).")
        } else {
            answer.personal.append("Fill in your fitness profile — level, goals, equipment and days per week — so I can tailor my answers.")
        }
        answer.personal.append(context.isThanks ? "What would you like to work on next?" : "What would you like to work on today?")
        return answer
    }

    /// What the offline coach can help with, for the "I don't know that one" answer.
    static let helpList =
        "form cues for any exercise in the catalogue, a workout for today, building muscle, warm-ups and cool-downs, progression and plateaus, soreness and recovery, sleep, motivation, eating before and after training, safe weight loss, and exercise in pregnancy or later life"

    func general(_ context: CoachContext) -> CoachAnswer {
        var answer = CoachAnswer(
            core: [
                "I don't know that one — I'm the offline coach, so I answer a set list of training questions from general guidelines rather than a live AI model. Here's what I can help with: \(Self.helpList).",
                "The fundamentals that cover most situations: train each muscle group about twice a week, progress gradually, keep most sets 1–3 reps short of failure, sleep 7–9 hours and stay active on rest days.",
            ],
            summary: "train each muscle about twice a week, progress gradually, recover well, and stay consistent",
            why:
                "These basics come from decades of training research, such as the ACSM position stand on progression: they cover the main drivers of progress — enough stimulus, gradual overload and enough recovery — and work for almost everyone before any fine-tuning.",
            more:
                "Consistency beats perfection: a simple plan followed for months does more than a perfect one followed for weeks. Log your sessions, add a little when everything feels solid, and take a lighter week when performance stalls."
        )
        if let profile = context.profile, !profile.isEmpty {
            answer.personal.append("For you — \(profile.descriptor) — the plan generator can turn this into a week-by-week program.")
        }
        return answer
    }
}
