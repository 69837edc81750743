// The English rule table of the safety screen. Sources of each rule: docs/coaching.md.
// To add a rule: add a trigger to an existing rule, or a new RedFlagRule/ConditionRule with a
// new id, using the concepts below (or new ones); then add messages to
// Tests/Fixtures/coaching-eval/safety.json and run `swift test --filter SafetyEval`.

extension SafetyLanguage {
    /// The built-in English rules.
    public static let english = SafetyLanguage(
        code: "en",
        wordReplacements: EnglishSafetyTable.wordReplacements,
        suffixReplacements: [
            ("can't", ["cannot"]), ("won't", ["will", "not"]), ("n't", ["not"]), ("'m", ["am"]), ("'re", ["are"]),
            ("'ve", ["have"]), ("'ll", ["will"]), ("'d", ["would"]), ("'s", []),
        ],
        clauseBreaks: ["but", "however", "whereas", "except", "otherwise", "apart"],
        negationCues: [
            "no", "not", "never", "without", "denies", "deny", "denied", "nor", "neither", "none", "free of", "absence of",
            "ruled out", "negative for", "cannot say", "zero", "nothing like", "not once have i", "not once did i",
            "at no point have i", "at no point did i",
        ],
        negationExceptions: [
            "not sure", "not certain", "no idea", "not know", "not understand", "no matter", "not only", "not just",
            "never mind", "not stop", "cannot stop", "not go away", "not going away", "not get better", "not getting better",
            "not improving", "not help", "not helping", "not working", "not slow down", "not slowing down", "not settle",
            "not settling", "not calm down", "no reason", "not normal", "not feel right", "not feel my", "not feel the",
            "not move", "not lift", "not breathe", "not catch", "not see", "not speak", "not talk", "not think straight",
            "not responding", "not breathing", "not waking", "not wake", "not make sense", "not making sense",
            "not remember", "not raise", "not grip", "not smile", "not get my words", "not get words", "not get air",
            "not get enough air", "not stand", "not walk", "not pee", "not stop shaking",
        ],
        negationCancellers: [
            "like this", "this bad", "this badly", "this severe", "this strong", "until now", "until today", "before today",
            "like it before", "like that before",
        ],
        negationScopeBreakers: [
            "i", "my", "me", "and", "then", "now", "it", "this", "that", "which", "who", "why", "what", "how", "when",
            "because", "since", "so", "while", "after", "during", "he", "she", "they", "his", "her", "their", "we",
        ],
        hypotheticalCues: [
            "what if", "what happens if", "what should i do if", "what do i do if", "what to do if", "what should you do if",
            "what do you do if", "what would you do if", "what should we do if", "how should i react if", "in case", "if ever", "if i ever",
            "if someone", "if somebody", "if anyone", "if a", "if an",
            "if my @other_person", "if @other_person", "if your", "if you", "should i stop if", "do i stop if",
            "when should i stop", "when to stop", "signs of", "sign of", "symptoms of", "symptom of", "warning signs",
            "warning sign", "how do i know if", "how do i know when", "how would i know", "how can i tell if",
            "how do you know if", "how do i recognise", "how do i recognize", "how to recognise", "how to recognize",
            "how to spot", "how to tell", "what causes", "what can cause", "can ? cause", "can ? ? cause", "does ? cause",
            "is it possible to", "why do people", "afraid of having", "worried about having", "scared of having",
            "fear of having", "risk of", "afraid i might", "worried i might", "how common is", "how common are", "first aid for",
            "first aid if",
            "is ? a sign", "explain", "teach me", "what does ? mean", "difference between", "would ? cause",
        ],
        helpCues: [
            "how do i help", "how can i help", "how to help", "how can i support", "how do i support", "how to support",
        ],
        cryClauses: [
            "help", "help me", "help help", "help help help", "please help", "please help me", "help please", "help me please",
            "someone help", "someone help me", "somebody help", "somebody help me", "sos", "emergency", "call 911",
            "call 999", "call 112", "call an ambulance",
        ],
        otherPersonWords: EnglishSafetyTable.otherPersonWords,
        firstPersonWords: ["i", "me", "my", "myself", "mine"],
        nowCues: [
            "now", "right now", "just", "currently", "at the moment", "not responding", "not breathing", "unresponsive",
            "not waking", "what do i do", "is having", "are having",
        ],
        remotePastCues: [
            "years ago", "year ago", "months ago", "years back", "as a kid", "as a child", "as a teenager", "as a teen",
            "when i was young", "when i was younger", "when i was a kid", "when i was a child", "when i was little",
            "when i was a teenager", "in high school", "in school", "in college", "at school", "long ago", "long time ago",
            "in the past", "used to", "back in", "last year", "a while ago", "a while back", "decade ago", "decades ago",
        ],
        presentCues: [
            "again", "today", "still", "right now", "currently", "this morning", "tonight", "keep", "keeps", "every time",
            "whenever", "lately", "recently", "these days", "this week", "right now", "came back", "comes back", "back again",
            "since last", "ever since", "for the last", "for the past",
        ],
        pastStateWords: ["was", "were", "been"],
        futureCues: [
            "planning", "plan to", "trying to", "try to", "want to get", "hope to", "hoping to", "going to have",
            "will have", "next week", "next month", "scheduled", "upcoming", "thinking about", "in the future",
            "before my surgery", "before surgery", "before the operation", "would like to get", "to get pregnant",
            "when i get pregnant", "if i get pregnant",
        ],
        agoWords: ["ago", "back", "postpartum", "pp", "post", "out", "since"],
        lastWords: ["last", "past"],
        yearWords: ["in", "since", "back", "during", "from"],
        dayWords: ["today": 0, "yesterday": 1, "tonight": 0, "earlier": 0, "recently": 7],
        durationUnits: [
            "minute": 0, "minutes": 0, "min": 0, "mins": 0, "hour": 1.0 / 24, "hours": 1.0 / 24, "hr": 1.0 / 24, "hrs": 1.0 / 24,
            "h": 1.0 / 24, "day": 1, "days": 1, "week": 7, "weeks": 7, "wk": 7, "wks": 7, "fortnight": 14, "month": 30,
            "months": 30, "year": 365, "years": 365, "decade": 3650,
        ],
        numberWords: EnglishSafetyTable.numberWords,
        concepts: EnglishSafetyTable.concepts,
        redFlagRules: EnglishSafetyTable.redFlagRules,
        conditionRules: EnglishSafetyTable.conditionRules,
        age: AgeVocabulary(
            patterns: [
                "i am #", "i am # years", "i am # yo", "i am aged #", "im #", "# years old", "# year old", "# yrs old",
                "# yo", "aged #", "age #", "at my age of #", "i turned #", "i will be # soon", "i am a # year",
            ],
            decades: ["sixties": 65, "seventies": 75, "eighties": 85, "nineties": 95, "60s": 65, "70s": 75, "80s": 85],
            decadePrefix: "in my",
            notAgeWords: [
                "kg", "kgs", "kilo", "kilos", "kilograms", "lb", "lbs", "pound", "pounds", "stone", "st", "weeks", "week",
                "months", "days", "minutes", "min", "mins", "percent", "cm", "inches", "reps", "sets", "pregnant", "kcal",
                "calories", "bpm", "km", "miles", "mile", "hours", "times", "x", "seconds", "degrees", "feet", "ft",
                "minute", "hour", "meters", "m", "foot", "mph", "kph",
            ],
            olderAdultAge: 65, possessives: ["my", "our", "his", "her", "their", "your"]),
        goals: GoalVocabulary(
            lossWords: ["lose", "losing", "drop", "dropping", "shed", "shedding", "cut", "cutting", "burn off", "get rid of", "slim down"],
            lossAfterWords: ["off", "down", "lighter"],
            weightUnits: [
                "kg": 1, "kgs": 1, "kilo": 1, "kilos": 1, "kilogram": 1, "kilograms": 1, "lb": 0.4536, "lbs": 0.4536,
                "pound": 0.4536, "pounds": 0.4536, "stone": 6.35, "stones": 6.35, "st": 6.35,
            ],
            rateWords: ["a", "per", "each", "every", "an"],
            rateAdverbs: ["weekly": 7, "daily": 1, "monthly": 30],
            nextWords: ["next", "this", "one", "the"],
            bodyWeightPatterns: [
                "i weigh #", "i weight #", "my weight is #", "weighing #", "i am # kg", "i am # kgs", "i am # kilos",
                "i am # lbs", "i am # pounds", "i am # stone", "currently # kg", "currently # lbs", "at # kg", "at # lbs",
                "body weight is #", "bodyweight is #", "body weight of #", "bodyweight of #",
            ],
            energyUnits: ["kcal", "kcals", "calories", "calorie", "cal", "cals", "kilocalories"],
            intakeWords: [
                "eat", "eating", "eats", "diet", "intake", "consume", "consuming", "only", "limit", "stick to", "live on", "under",
            ],
            burnWords: ["burn", "burned", "burnt", "burning", "burns", "expend", "expended", "torch"],
            dailyWords: ["a day", "per day", "each day", "every day", "daily", "diet", "a day diet", "day"],
            mealWords: ["snack", "meal", "breakfast", "lunch", "dinner", "bar", "shake", "drink", "per meal", "serving", "portion"],
            deficitWords: ["deficit", "below maintenance", "under maintenance", "under my maintenance"],
            fastWords: [
                "fast", "fasting", "water fast", "juice fast", "dry fast", "not eat", "not eating", "not to eat", "stop eating",
                "stopping eating", "no eating", "eat nothing", "no food",
                "only water", "only drink water", "nothing but water", "skip eating",
            ],
            fastForDaysWords: ["for days", "for a few days", "for several days", "for weeks", "for a week", "for a couple of days"],
            starveWords: ["starve", "starving myself", "starve myself", "starvation"]),
        emergencyReply: """
            Please stop exercising now. {signs} can be a sign of a medical emergency. Call {number} now, or have someone \
            take you to emergency care; do not drive yourself. If this is happening to someone with you, call {number} for \
            them and stay with them. I am a fitness coach and cannot assess this: please get help now, and do not train \
            again until a doctor has checked you.
            """,
        redFlagAdvice: [
            .chestPain: "While you wait, sit down and rest; do not carry on to see if it passes.",
            .fainting: "Lie down with your legs raised until help comes; do not stand up quickly.",
            .heatIllness: "Move into the shade or a cool room, loosen clothing and cool the body with cool water while you wait.",
            .seizure: "If someone is having a seizure: do not hold them down or put anything in their mouth; move hard objects away.",
            .pregnancyWarningSign: "Also call your maternity unit or midwife.",
            .rhabdomyolysis: "Drink water and do not exercise again until a doctor has checked your kidneys and muscles.",
            .headInjury:
                "Do not train or play again today. Someone should stay with you for the next 24 hours, and do not drive; if "
                + "the neck hurts or an arm or leg is numb, keep still until help arrives.",
            .anaphylaxis:
                "If you have an adrenaline auto-injector (such as an EpiPen), use it now, even if you are not sure; a second "
                + "one can be used after 5 minutes if there is no improvement. Lie down with your legs raised, or sit up if "
                + "breathing is hard.",
            .cardiacArrest:
                "If they are not breathing normally, start CPR now: push hard and fast in the centre of the chest, 100–120 "
                + "times a minute, and use a defibrillator (AED) if there is one; the call handler will guide you.",
            .bloodClot: "Sit or lie still while you wait, and do not massage or stretch the leg.",
            .severeInjury:
                "Press firmly on a bleeding wound with a clean cloth and keep pressing; do not push a bone back in; do not "
                + "move someone who may have hurt their neck or back unless they are in danger.",
            .lowBloodSugar:
                "If you can swallow safely, have 15–20 g of fast-acting sugar now (glucose tablets, fruit juice or a regular soft "
                + "drink) and check your glucose again after 15 minutes; give nothing by mouth to someone drowsy or unable to swallow.",
        ],
        crisisReply: """
            I am really sorry you are going through this, and I am glad you told me. You deserve to talk to a person about \
            this now, not to a training app. If you might act on these thoughts, have hurt yourself, or are not safe, \
            call {number} now. You can also reach a crisis line, free and at any hour: \
            {crisis_lines}. If you can, tell someone you trust how you feel and stay near them. If this is about someone with you, stay with them and \
            call {number} if they are in danger. If I have misread you, say so and we will carry on with your training.
            """,
        crisisLines: SafetyLanguage.englishCrisisLines)

    /// Crisis lines named in the English answers and prompts (facts: the US and Canada's 988
    /// Suicide and Crisis Lifeline, Samaritans in the UK and Ireland, and a directory of the rest).
    public static let englishCrisisLines =
        "call or text 988 in the US or Canada, call Samaritans on 116 123 in the UK or Ireland, or find a line for your country at findahelpline.com"
}
