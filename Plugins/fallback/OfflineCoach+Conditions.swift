import VigorCoaching

/// Answers where safety shapes the advice: unsafe weight-loss goals, pregnancy, older adults.
/// Detection is the safety screen's (``SafetyScreen``); the wording is the coach's.
extension OfflineCoach {
    func unsafeGoal(_ context: CoachContext) -> CoachAnswer {
        let goal = context.assessment.unsafeGoals.first
        var lead: String
        switch goal?.kind {
        case .extremeDeficit?:
            lead =
                "That isn't safe: eating under about 1,200 kcal a day, or cutting more than about 1,000 kcal below what you need, costs muscle, energy and nutrients and is hard to sustain — do it only under medical supervision."
        case .prolongedFast?:
            lead =
                "That isn't safe: fasting for days as a way to lose weight costs muscle, can make you dizzy or faint during exercise, and the weight usually returns."
        default:
            lead =
                "That goal is unsafe: losing weight that fast means losing far more than the safe rate of about 0.5–1 % of your body weight a week (roughly 0.5–1 kg for most people). Much of it would be water and muscle, it can cause dizziness, fatigue and gallstones, and the weight tends to come back."
            if let requested = goal?.requestedKgPerWeek, requested.isFinite, requested <= 500 {
                lead += " You're asking for about \(Self.kilograms(requested)) kg a week."
            }
        }
        var plan =
            "A safe plan instead: a deficit of about 300–500 kcal a day, protein at every meal, strength training 2–3 times a week and daily walking."
        if let target = goal?.targetKg, target > 0, target <= 500 {
            let fast = min(max(goal?.safeKgPerWeek ?? 1, 0.25), 5)
            let slowWeeks = Int((target / max(fast / 2, 0.25)).rounded(.up))
            let fastWeeks = Int((target / max(fast, 0.5)).rounded(.up))
            plan += " At a safe pace, \(Self.kilograms(target)) kg takes about \(fastWeeks)–\(slowWeeks) weeks — and it stays off."
        }
        var answer = CoachAnswer(
            core: [lead, plan],
            summary: "lose about 0.5–1 % of your body weight a week with a moderate deficit, protein and strength training",
            why:
                "Your body can only burn so much fat a day; a bigger deficit takes the rest from muscle and water, slows your metabolism and leaves you tired and hungry, which is why crash diets usually rebound. A rate of 0.5–1 % of body weight a week keeps muscle, energy and training quality.",
            more:
                "Track the weekly average of your weight rather than daily readings, aim for 7–9 hours of sleep (short sleep raises hunger), and judge progress by your waist and how clothes fit as well as the scale.",
            notes: [
                "If you have a medical condition or a history of disordered eating, talk to your doctor or a registered dietitian before dieting."
            ]
        )
        if let profile = context.profile, let days = profile.daysPerWeek {
            answer.personal.append("Your \(CoachText.days(days)) of training a week fit this well; add daily walks on the other days.")
        }
        return answer
    }

    /// `10` → `"10"`, `2.55` → `"2.5"`; values outside 0–10,000 kg are clamped (input is the user's).
    static func kilograms(_ value: Double) -> String {
        let kg = value.isFinite ? min(max(value, 0), 10_000) : 0
        return kg == kg.rounded() ? String(Int(kg)) : String(Double(Int(kg * 10)) / 10)
    }

    func pregnancy(_ context: CoachContext) -> CoachAnswer {
        let said = context.assessment.conditions.filter { $0.origin == .message }.map(\.condition)
        if said.contains(.postpartum) && !said.contains(.pregnancy) { return postpartum(context) }
        var core = [
            "In an uncomplicated pregnancy, exercise is generally safe and good for you — about 150 minutes a week of moderate activity, at a pace where you can still talk — but check with your midwife or doctor first. What changes: after the first trimester, avoid lying flat on your back for long (the womb can press on a large vein and make you dizzy), and skip contact sports, anything with a fall risk, heavy straining or breath-holding, and overheating."
        ]
        if let exercise = context.catalogExercise {
            core.append(Self.pregnancyVerdict(exercise, context))
        }
        core.append(
            "Stop and contact your midwife or doctor at once if you have bleeding, fluid leaking, painful contractions, dizziness, chest pain, headache, or calf pain or swelling."
        )
        var answer = CoachAnswer(
            core: core,
            summary:
                "moderate exercise with your midwife's or doctor's OK, no lying flat on your back after the first trimester, no contact or fall risks",
            why:
                "Moderate exercise in pregnancy supports fitness, mood, sleep and blood-sugar control. Lying flat on your back later in pregnancy can reduce blood flow back to the heart, and your balance and joints change as the bump grows, which is why falls, impacts and heavy straining are left out.",
            more:
                "Good choices: walking, swimming, stationary cycling, pregnancy yoga or pilates, and light strength work with bands or dumbbells in standing, seated, side-lying or incline positions. Pelvic-floor exercises every day help during pregnancy and after birth.",
            coversInjuries: false
        )
        if let profile = context.profile, !profile.pregnant {
            answer.personal.append(
                "Add the pregnancy to your profile's health screen so generated plans leave out lying on your back and heavy spinal loading."
            )
        }
        return answer
    }

    /// Whether a named exercise suits pregnancy, and what to do instead.
    static func pregnancyVerdict(_ exercise: Exercise, _ context: CoachContext) -> String {
        let weeks = Self.pregnancyWeeks(context.text)
        let when = weeks.map { $0 > 13 ? "At \($0) weeks" : "Early on" } ?? "After the first trimester"
        let risky: Set<ContraindicationTag> = [.supine, .spinalFlexion, .spinalLoading, .plyometric, .highImpact, .inverted]
        let conflicts = exercise.tags.filter(risky.contains)
        guard !conflicts.isEmpty else {
            return
                "The \(exercise.name.lowercased()) is generally fine in pregnancy if it feels comfortable: \(CoachText.lowerFirst(exercise.cues[0])), and keep the effort moderate."
        }
        var profile = context.profile ?? CoachProfile()
        profile.pregnant = true
        var alternatives: [String] = []
        var excluded: Set<String> = [exercise.id]
        while alternatives.count < 2, let next = Self.safeAlternative(exercise, profile: profile, excluding: excluded) {
            alternatives.append(next.name.lowercased())
            excluded.insert(next.id)
        }
        let reason =
            conflicts.contains(.supine)
            ? "they're done lying on your back\(conflicts.contains(.spinalFlexion) ? " and strain the stretching abdominal muscles" : "")"
            : "they involve \(CoachText.list(conflicts.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }))"
        let swap = alternatives.isEmpty ? "" : " Try \(CoachText.list(alternatives, conjunction: "or")) instead."
        let verb = weeks.map { $0 <= 13 } == true ? "are best phased out by the second trimester" : "are best left out"
        return "\(when), \(CoachText.plural(exercise.name.lowercased())) \(verb): \(reason).\(swap)"
    }

    /// A catalogue alternative that suits the profile and pregnancy, not already excluded.
    static func safeAlternative(_ exercise: Exercise, profile: CoachProfile, excluding: Set<String>) -> Exercise? {
        let kit = profile.fitnessProfile.availableEquipment
        return CoachCatalog.catalog.exercises.first { other in
            !excluding.contains(other.id) && other.pattern == exercise.pattern && other.level == .beginner
                && other.isDoable(with: kit) && CoachCatalog.conflicts(other, profile: profile).isEmpty
                && !other.tags.contains(.spinalFlexion)
        }
    }

    /// "20 weeks pregnant" → 20.
    static func pregnancyWeeks(_ padded: String) -> Int? {
        let words = CoachText.words(ofNormalized: padded)
        for (index, word) in words.enumerated() where index + 1 < words.count {
            if let value = Int(word), (1...42).contains(value), ["week", "weeks", "wk", "wks"].contains(words[index + 1]) {
                return value
            }
            if let value = Int(word), (1...9).contains(value), ["month", "months"].contains(words[index + 1]) {
                return value * 4 + 2
            }
        }
        return nil
    }

    private func postpartum(_ context: CoachContext) -> CoachAnswer {
        CoachAnswer(
            core: [
                "After giving birth, return gradually. Start with daily pelvic-floor exercises, gentle breathing and core work and walking as soon as you feel ready; wait for your postnatal check (often around 6–8 weeks) and your midwife's or doctor's OK before running, jumping or heavy lifting — longer after a caesarean or a difficult birth.",
                "Build up over months, not weeks. Leaking, heaviness in the pelvis, a bulge along the middle of your tummy or pain are signs to ease off and see a pelvic-health physiotherapist.",
            ],
            summary: "pelvic-floor and gentle core work first, walking, and your midwife's or doctor's OK before impact or heavy lifting",
            why:
                "Pregnancy and birth stretch the pelvic floor and the abdominal wall, and they take months to regain strength. Loading them too early with impact or heavy lifts can cause leaking or prolapse, which is why rebuilding comes before intensity.",
            more:
                "A pelvic-health physiotherapist can check your pelvic floor and any separation of the tummy muscles and give you a return-to-running plan. Sleep is short with a newborn, so keep sessions brief and gentle."
        )
    }

    func olderAdults(_ context: CoachContext) -> CoachAnswer {
        let starters: [(id: String, words: String)] = [
            ("sit_to_stand", "chair sit-to-stands"), ("wall_push_up", "wall push-ups"), ("step_up", "step-ups on a low stair"),
            ("calf_raise", "heel raises holding a counter"), ("standing_march_hold", "standing knee lifts"),
        ]
        let names = Self.allowedNames(starters, profile: context.profile)
        var answer = CoachAnswer(
            core: [
                "Staying active is one of the best things you can do at any age. A good week for older adults: about 150 minutes of moderate activity such as brisk walking, strength work for the major muscles at least twice a week, and balance practice on most days. Start low and go slow — easy effort, 1–2 sets of 10–15 reps — and add a little every week or two.",
                "Good starting exercises: \(CoachText.list(names)), plus standing on one leg or heel-to-toe walking next to a counter for balance. If you've been inactive, or have a heart, lung or other chronic condition or symptoms such as chest pain or dizziness, get your doctor's clearance first.",
            ],
            summary:
                "150 minutes of moderate activity, strength twice a week and balance practice, starting easy, with your doctor's clearance if needed",
            why:
                "Muscle and balance decline with age unless they're trained, and both protect against falls and keep everyday tasks easy. Strength training works at any age, and balance practice lowers the risk of falling; starting easy lets joints and tendons adapt.",
            more:
                "Keep a chair or counter within reach for balance work, warm up a little longer, and progress by adding reps before load. Walking with a friend or a class makes it easier to keep going."
        )
        if let profile = context.profile, profile.hasBands {
            answer.personal.append("Your resistance bands are ideal for seated rows and chest presses at home.")
        }
        return answer
    }

    /// The words of the entries whose catalogue exercise the profile's injuries and pregnancy allow.
    static func allowedNames(_ entries: [(id: String, words: String)], profile: CoachProfile?) -> [String] {
        entries.filter { entry in
            guard let exercise = CoachCatalog.catalog[entry.id] else { return true }
            return CoachCatalog.conflicts(exercise, profile: profile).isEmpty
        }.map(\.words)
    }
}
