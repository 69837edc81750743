/// What a coaching question is about, recognised from keywords.
///
/// The cases are declared in tie-break order: when two topics score the same, the one
/// declared first wins (safety topics first, the broad ones last). `greeting` only wins
/// when nothing else matched, and `general` is the default and has no keywords.
enum CoachTopic: String, CaseIterable, Sendable {
    /// A weight-loss goal faster than is safe, or an extreme diet (found by the safety screen).
    case unsafeGoal = "unsafe_goal"
    case pregnancy
    case olderAdults = "older_adults"
    case soreness
    case injury
    /// "Give me a workout for today": a real session from the catalogue.
    case todayWorkout = "today_workout"
    case preWorkoutNutrition = "pre_workout_nutrition"
    case postWorkoutNutrition = "post_workout_nutrition"
    case warmUp = "warm_up"
    case coolDown = "cool_down"
    case nutrition
    case sleep
    case rest
    case plateau
    /// Building muscle: volume, effort, food and sleep, the rate to expect.
    case muscleGain = "muscle_gain"
    case progression
    case form
    case plan
    case cardio
    case motivation
    case beginner
    case greeting
    /// Nothing matched: "I don't know that one", with what the coach can help with.
    case general

    /// A short human name, used in follow-up replies ("One more point on recovery: …").
    var label: String {
        switch self {
        case .unsafeGoal: "safe weight loss"
        case .pregnancy: "exercise in pregnancy"
        case .olderAdults: "training as an older adult"
        case .soreness: "soreness"
        case .injury: "pain and injuries"
        case .todayWorkout: "today's workout"
        case .preWorkoutNutrition: "eating before training"
        case .postWorkoutNutrition: "eating after training"
        case .warmUp: "warming up"
        case .coolDown: "cooling down"
        case .plateau: "plateaus"
        case .muscleGain: "building muscle"
        case .nutrition: "nutrition"
        case .sleep: "sleep"
        case .rest: "rest and recovery"
        case .progression: "progression"
        case .form: "technique"
        case .plan: "your plan"
        case .cardio: "cardio and weight loss"
        case .motivation: "consistency"
        case .beginner: "getting started"
        case .greeting: "getting started with me"
        case .general: "training in general"
        }
    }

    /// Normalised keywords (see ``CoachText/normalize(_:)``); plurals in `s`/`es` match too.
    /// A keyword of two or more words weighs 2, a single word 1. Exercise names count
    /// towards `form` separately (see ``CoachExercise``).
    var keywords: [String] {
        switch self {
        case .unsafeGoal:
            ["crash diet", "starve", "starving", "stop eating", "lose weight fast", "lose weight quickly", "rapid weight loss"]
        case .pregnancy:
            [
                "pregnant", "pregnancy", "trimester", "expecting a baby", "prenatal", "antenatal", "midwife", "postpartum",
                "postnatal", "gave birth", "after giving birth", "c section", "caesarean", "cesarean", "baby bump",
                "weeks pregnant", "months pregnant",
            ]
        case .olderAdults:
            [
                "older adult", "older adults", "senior", "seniors", "elderly", "retired", "retiree", "pensioner",
                "grandmother", "grandfather", "grandma", "grandpa", "over 60", "over 65", "over 70", "over 75", "over 80",
                "in my 60s", "in my 70s", "in my 80s", "in my sixties", "in my seventies", "in my eighties",
                "my age", "aging", "ageing", "osteoporosis", "fall prevention", "prevent falls", "balance training",
                "my balance", "better balance",
            ]
        case .todayWorkout:
            [
                "today s workout", "todays workout", "workout for today", "workout today", "session for today",
                "home workout", "quick workout", "short workout", "give me a workout", "write me a workout",
                "a workout i can do", "train today", "do today", "workout now", "workout tonight", "minute workout",
                "min workout", "minutes workout", "circuit for today", "what should i train", "what should i do today",
                "what can i do today", "what to do today",
            ]
        case .preWorkoutNutrition:
            [
                "pre workout", "preworkout", "before a workout", "before my workout", "before training",
                "before the gym", "before i train", "before a run", "before exercising", "before a morning workout",
                "before morning workout", "fasted", "empty stomach", "train fasted", "work out fasted",
            ]
        case .postWorkoutNutrition:
            [
                "post workout", "postworkout", "after a workout", "after my workout", "after training",
                "after the gym", "after i train", "after a run", "after exercising", "recovery meal", "recovery drink",
            ]
        case .coolDown:
            ["cool down", "cooldown", "cooling down", "stretch after", "stretching after", "after my workout stretch"]
        case .plateau:
            [
                "plateau", "plateaued", "plateauing", "stuck", "stalled", "stall", "stalling", "stopped losing",
                "not losing", "scale", "not moving", "no progress", "hit a wall", "not improving", "same weight",
            ]
        case .soreness:
            [
                "sore", "soreness", "doms", "aching", "achy", "ache", "stiff", "stiffness", "muscle ache",
                "delayed onset",
            ]
        case .injury:
            [
                "injury", "injuries", "injured", "injure", "hurt", "hurting", "pain", "painful", "sprain",
                "sprained", "strain", "strained", "torn", "tear", "tendinitis", "tendonitis", "swelling",
                "swollen", "numb", "numbness", "tingling", "pinched", "tweaked", "twinge", "sciatica",
                "hernia", "dislocated", "physio", "physiotherapist", "rehab", "pulled a muscle", "pulled my",
            ]
        case .warmUp:
            [
                "warm up", "warmup", "warming up", "warm", "mobility", "stretch", "stretching", "flexibility",
                "before lifting",
            ]
        case .nutrition:
            [
                "protein", "eat", "eating", "ate", "diet", "dieting", "nutrition", "food", "meal", "meal plan",
                "diet plan", "nutrition plan", "calorie", "kcal", "carb", "carbohydrate", "fats", "macro",
                "hydration", "hydrate", "hydrated", "water", "drink", "drinking", "supplement", "creatine",
                "whey", "shake", "breakfast", "snack", "bulk", "bulking", "cutting", "vegan", "vegetarian",
                "energy balance",
            ]
        case .sleep:
            [
                "sleep", "sleeping", "slept", "insomnia", "nap", "napping", "bedtime", "bed", "asleep",
                "sleep schedule", "wake up", "waking up",
            ]
        case .rest:
            [
                "rest", "resting", "rest day", "recovery", "recover", "recovering", "day off", "days off",
                "time off", "overtraining", "overtrained", "overtrain", "deload", "deloading", "how often",
                "every day", "everyday", "between sets", "tired", "exhausted", "fatigue", "fatigued",
                "burnout", "burned out", "burnt out",
            ]
        case .muscleGain:
            [
                "build muscle", "building muscle", "gain muscle", "gaining muscle", "put on muscle", "putting on muscle",
                "grow muscle", "grow my", "growing muscle", "muscle growth", "muscle mass", "lean mass", "hypertrophy",
                "get bigger", "getting bigger", "bigger arms", "bigger chest", "bigger legs", "add size", "gain size",
                "bulk up", "muscle building", "for hypertrophy", "hypertrophy training", "muscle size", "more muscle", "build mass",
                "gain mass", "skinny", "hardgainer",
            ]
        case .progression:
            [
                "progress", "progression", "progressing", "progressive overload", "overload", "heavier",
                "increase weight", "increase the weight", "add weight", "more weight", "adding weight", "gains",
                "stronger", "how many reps", "how many sets", "rep range", "reps", "sets", "double progression",
            ]
        case .form:
            [
                "form", "technique", "cue", "posture", "proper", "properly", "correctly", "correct way",
                "how to do", "how do i do", "how do you do", "good form", "bad form", "proper form",
            ]
        case .plan:
            [
                "plan", "program", "programme", "routine", "schedule", "split", "workout plan",
                "training plan", "workout program", "training program", "weekly plan", "make me",
                "build me", "create me", "design me", "generate",
            ]
        case .cardio:
            [
                "cardio", "aerobic", "run", "running", "jog", "jogging", "cycling", "bike", "biking", "swim",
                "swimming", "rowing", "hiit", "interval", "walk", "walking", "steps", "lose weight",
                "losing weight", "weight loss", "fat loss", "lose fat", "burn fat", "burning fat",
                "belly fat", "slim", "slimming", "tone", "toning", "conditioning", "endurance", "stamina",
                "heart rate", "zone 2", "treadmill", "elliptical", "skipping", "jump rope",
            ]
        case .motivation:
            [
                "motivation", "motivated", "unmotivated", "demotivated", "motivate", "consistency",
                "consistent", "inconsistent", "lazy", "discipline", "habit", "keep going", "give up",
                "giving up", "quit", "quitting", "stick to", "stick with", "skip", "skipping workouts",
                "bored", "boring", "excuse", "procrastinate", "procrastinating", "accountability",
                "mindset", "enjoy",
            ]
        case .beginner:
            [
                "beginner", "start", "starting", "get started", "getting started", "new to", "never",
                "first time", "first workout", "first week", "newbie", "novice", "just started",
                "just starting", "out of shape", "where do i begin", "where to start", "basics",
            ]
        case .greeting:
            [
                "hi", "hello", "hey", "hiya", "howdy", "yo", "greetings", "good morning", "good afternoon",
                "good evening", "morning", "sup", "who are you", "what can you do", "help",
            ]
        case .general:
            []
        }
    }

    /// Words for a session or workout, used with time words to recognise "today's workout".
    static let sessionWords = ["workout", "session", "routine", "circuit", "exercises", "training session", "something to do"]
    /// Words for now or a single day.
    static let nowWords = [
        "today", "tonight", "now", "right now", "this morning", "this evening", "this afternoon", "at home", "home",
        "quick", "short", "in my hotel", "lunch break", "minute", "minutes", "min", "mins", "half an hour", "an hour",
    ]
    /// Words for a longer programme, which the plan topic answers.
    static let programWords = ["plan", "program", "programme", "weekly", "week", "weeks", "split", "schedule", "month"]
    /// Food words that make "before/after my workout" a nutrition question.
    static let foodWords = [
        "eat", "eating", "food", "meal", "snack", "breakfast", "drink", "protein", "carb", "carbs", "shake",
        "coffee", "caffeine", "banana", "fuel", "nutrition", "hungry", "fasted", "empty stomach",
    ]

    /// Words that thank the coach; with no other topic they get the greeting reply.
    static let thanksKeywords = ["thanks", "thank you", "thx", "cheers", "ty", "appreciate it"]

    /// The keyword score of this topic in a normalised text.
    func score(in padded: String) -> Int {
        keywords.reduce(0) { total, keyword in
            CoachText.contains(padded, keyword) ? total + (keyword.contains(" ") ? 2 : 1) : total
        }
    }
}
