/// Answers about life around training: nutrition, cardio and weight loss, motivation,
/// plus the greeting and the general default.
extension OfflineCoach {
    /// Said with every nutrition answer.
    static let dietDisclaimer = "This is general information, not medical or dietetic advice — a registered dietitian can tailor it, especially if you have a medical condition or are pregnant."

    func nutrition(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        let protein = "For muscle gain, aim for about 1.6 g/kg of protein a day (1.6 grams per kilogram of body weight), spread over 3–4 meals — meat, fish, eggs, dairy, tofu, beans."
        let energy = "Body weight follows energy balance: a small surplus (about 200–300 kcal a day) supports muscle gain, a moderate deficit (about 300–500 kcal) supports fat loss. Build meals around vegetables, fruit and whole grains."
        let water = "Drink water through the day, more around training and in the heat; pale-yellow urine is a simple check, and a drink of water with each meal and during sessions covers most people."
        let asksAboutWater = context.mentions(["water", "drink", "drinking", "hydration", "hydrate", "hydrated"])
        var answer = CoachAnswer(
            core: asksAboutWater
                ? ["A few basics that work for most people. \(water)", protein, energy]
                : ["A few basics that work for most people. \(protein)", energy, water],
            summary: "about 1.6 g/kg of protein a day, calories matched to your goal, mostly whole foods, and enough water",
            why: "Protein supplies the amino acids that repair and build muscle after training, and around 1.6 g/kg a day is where the benefit for muscle gain levels off for most people. Energy balance decides whether you gain or lose weight; protein and training decide how much of that change is muscle rather than fat. Even mild dehydration reduces performance.",
            more: "Include a protein source at every meal, fill half the plate with vegetables or fruit, and eat protein and carbohydrate within a few hours around training. Supplements are optional: protein powder is just convenient food, and creatine monohydrate (3–5 g a day) is the best-studied for strength. Weigh yourself weekly and adjust by 100–200 kcal.",
            notes: [Self.dietDisclaimer]
        )
        guard let profile else { return answer }
        switch profile.goals.first {
        case "muscle_gain"?:
            answer.personal.append("For your muscle gain goal, a 70 kg person would aim for roughly 110 g of protein a day plus a small surplus.")
        case "weight_loss"?:
            answer.personal.append("For your weight loss goal, keep protein high (1.6 g/kg or more) in a moderate deficit so you keep muscle while losing fat.")
        case "strength"?:
            answer.personal.append("For your strength goal, the same protein target applies; eat enough carbohydrate to fuel heavy sessions.")
        case "endurance"?:
            answer.personal.append("For your endurance goal, carbohydrate fuels longer sessions, so include it before and after training.")
        case let goal?:
            answer.personal.append("For your \(CoachProfile.goalName(goal)) goal, eat mostly whole foods at roughly maintenance calories with enough protein.")
        case nil: break
        }
        if let days = profile.daysPerWeek {
            answer.personal.append("On your \(CoachText.days(days)) of training, keep protein the same every day — rest days included.")
        }
        return answer
    }

    func cardio(_ context: CoachContext) -> CoachAnswer {
        let profile = context.profile
        let target = "A solid weekly target: 150–300 minutes of moderate cardio (brisk walking, cycling, swimming — you can talk but not sing) or 75–150 minutes of vigorous work, plus strength training at least twice a week."
        let intervals = "Intervals such as 6–10 rounds of 30 seconds hard and 90 seconds easy save time, but keep them to once or twice a week. Daily steps count too."
        let weightLoss = "For weight loss, the biggest lever is a moderate calorie deficit; cardio adds to it, while strength training keeps your muscle so the weight you lose is mostly fat."
        let asksAboutWeight = profile?.goals.first == "weight_loss"
            || context.mentions(CoachTopic.cardio.keywords.filter { $0.contains("weight") || $0.contains("fat") || $0.contains("slim") })
        var answer = CoachAnswer(
            core: asksAboutWeight
                ? ["\(weightLoss) \(target)", intervals]
                : ["Cardio trains your heart and lungs, speeds recovery between sets, and helps with weight control. \(target)", "\(intervals) \(weightLoss)"],
            summary: "a moderate calorie deficit, 150–300 minutes of moderate cardio a week, and strength training at least twice a week",
            why: "Fat loss happens when you use more energy than you take in, and eating 400 kcal less is far easier than burning 400 kcal more. Cardio improves heart health and adds to the deficit, while strength training tells your body to keep muscle, so what comes off is mostly fat. The 150–300 minute range comes from the US Physical Activity Guidelines.",
            more: "Track the trend, not the day: weigh yourself a few times a week and compare weekly averages, aiming to lose about 0.5–1 % of body weight per week. Everyday movement — walking, stairs, standing — adds up, so try 2,000–3,000 more steps than your current daily average."
        )
        guard let profile else { return answer }
        switch profile.goals.first {
        case "weight_loss"?:
            answer.personal.append("Since weight loss is your main goal, pair this with a deficit of about 300–500 kcal a day.")
        case "endurance"?:
            answer.personal.append("For your endurance goal, keep most cardio easy and conversational, with one harder session a week.")
        case let goal?:
            answer.personal.append("With \(CoachProfile.goalName(goal)) as your main goal, 2–3 cardio sessions a week support it without hurting your strength work.")
        case nil: break
        }
        if profile.hasCardioMachine {
            answer.personal.append("Your cardio machine makes steady sessions easy to fit in.")
        } else if profile.hasKettlebell {
            answer.personal.append("Kettlebell swings make a great short finisher.")
        } else {
            answer.personal.append("Without machines, brisk walks, stair climbs or a bodyweight circuit (squats, step-ups, mountain climbers) work well.")
        }
        if profile.level == "beginner" {
            answer.personal.append("As a beginner, start with 20–30 minute walks and build the weekly total by about 10 % a week.")
        }
        if let days = profile.daysPerWeek, days < 7 {
            answer.personal.append("With \(CoachText.days(days)) of strength training a week, add cardio on the other days or after lifting.")
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
            why: "Motivation depends on mood, energy and circumstances, so relying on it fails sooner or later. Habits tied to a fixed time and place need far less willpower, and small visible wins — a heavier weight, an extra rep — feed motivation back. Missing once is harmless; a run of missed sessions is what breaks a habit, which is why 'never miss twice' works.",
            more: "Reduce friction: lay out your kit the night before, train at the same time, and keep a 20-minute backup workout for busy days. Reward consistency rather than results, and if you dread every session, change the program — enjoyment predicts consistency better than the perfect plan."
        )
        guard let profile else { return answer }
        if let days = profile.daysPerWeek {
            if profile.level == "beginner", days > 3 {
                answer.personal.append("Your profile says \(days) days a week; if that feels like too much, 3 well-kept days beat \(days) planned ones.")
            } else {
                answer.personal.append("Your profile says \(CoachText.days(days)) a week — protect those slots first, for example \(CoachProfile.schedule(days)).")
            }
        }
        if let goal = profile.mainGoal {
            answer.personal.append("Keep your \(goal) goal visible, but celebrate process wins like completing every session this week.")
        }
        if profile.level == "beginner" {
            answer.personal.append("As a beginner, the first 6–8 weeks are the hardest; after that, training starts to feel like part of your week.")
        }
        return answer
    }

    func greeting(_ context: CoachContext) -> CoachAnswer {
        let opening = context.isThanks ? "You're welcome — glad to help." : "Hi! I'm Vigor's offline coach."
        var answer = CoachAnswer(
            core: [
                "\(opening) I can help with exercise form, progression and plateaus, rest and recovery, soreness, warm-ups, cardio and weight loss, nutrition basics, sleep, motivation and getting started, and I can point you to the plan generator for a full weekly program.",
            ],
            summary: "ask me about form, progression, recovery, nutrition, cardio, sleep, motivation or a plan",
            why: "I'm running without a live AI model, so I answer from well-established training guidelines and your profile rather than inventing specifics.",
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

    func general(_ context: CoachContext) -> CoachAnswer {
        var answer = CoachAnswer(
            core: [
                "I'm the offline coach, so I answer from general training principles rather than a live AI model. The fundamentals that cover most situations: train each muscle group about twice a week, progress gradually (add reps first, then load in steps of no more than 10 %), keep most sets 1–3 reps short of failure, sleep 7–9 hours, eat enough protein, and stay active on rest days.",
                "Ask me about form, progression, recovery, soreness, warm-ups, cardio, nutrition, sleep, motivation or a workout plan and I'll get specific.",
            ],
            summary: "train each muscle about twice a week, progress gradually, recover well, and stay consistent",
            why: "These basics come from decades of training research, such as the ACSM position stand on progression: they cover the main drivers of progress — enough stimulus, gradual overload and enough recovery — and work for almost everyone before any fine-tuning.",
            more: "Consistency beats perfection: a simple plan followed for months does more than a perfect one followed for weeks. Log your sessions, add a little when everything feels solid, and take a lighter week when performance stalls."
        )
        if let profile = context.profile, !profile.isEmpty {
            answer.personal.append("For you — \(profile.descriptor) — the plan generator can turn this into a week-by-week program.")
        }
        return answer
    }
}
