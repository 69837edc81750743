/// What a coaching question is about, recognised from keywords.
///
/// The cases are declared in tie-break order: when two topics score the same, the one
/// declared first wins (safety topics first, the broad ones last). `greeting` only wins
/// when nothing else matched, and `general` is the default and has no keywords.
enum CoachTopic: String, CaseIterable, Sendable {
    case soreness
    case injury
    case warmUp = "warm_up"
    case nutrition
    case sleep
    case rest
    case progression
    case form
    case plan
    case cardio
    case motivation
    case beginner
    case greeting
    case general

    /// A short human name, used in follow-up replies ("One more point on recovery: …").
    var label: String {
        switch self {
        case .soreness: "soreness"
        case .injury: "pain and injuries"
        case .warmUp: "warming up"
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
        case .soreness:
            ["sore", "soreness", "doms", "aching", "achy", "ache", "stiff", "stiffness", "muscle ache",
             "delayed onset"]
        case .injury:
            ["injury", "injuries", "injured", "injure", "hurt", "hurting", "pain", "painful", "sprain",
             "sprained", "strain", "strained", "torn", "tear", "tendinitis", "tendonitis", "swelling",
             "swollen", "numb", "numbness", "tingling", "pinched", "tweaked", "twinge", "sciatica",
             "hernia", "dislocated", "physio", "physiotherapist", "rehab", "pulled a muscle", "pulled my"]
        case .warmUp:
            ["warm up", "warmup", "warming up", "warm", "mobility", "stretch", "stretching", "cool down",
             "cooldown", "cooling down", "flexibility", "before training", "before a workout",
             "before my workout", "before lifting"]
        case .nutrition:
            ["protein", "eat", "eating", "ate", "diet", "dieting", "nutrition", "food", "meal", "meal plan",
             "diet plan", "nutrition plan", "calorie", "kcal", "carb", "carbohydrate", "fats", "macro",
             "hydration", "hydrate", "hydrated", "water", "drink", "drinking", "supplement", "creatine",
             "whey", "shake", "breakfast", "snack", "bulk", "bulking", "cutting", "vegan", "vegetarian",
             "energy balance"]
        case .sleep:
            ["sleep", "sleeping", "slept", "insomnia", "nap", "napping", "bedtime", "bed", "asleep",
             "sleep schedule", "wake up", "waking up"]
        case .rest:
            ["rest", "resting", "rest day", "recovery", "recover", "recovering", "day off", "days off",
             "time off", "overtraining", "overtrained", "overtrain", "deload", "deloading", "how often",
             "every day", "everyday", "between sets", "tired", "exhausted", "fatigue", "fatigued",
             "burnout", "burned out", "burnt out"]
        case .progression:
            ["progress", "progression", "progressing", "progressive overload", "overload", "plateau",
             "plateaued", "stuck", "stall", "stalled", "stalling", "heavier", "increase weight",
             "increase the weight", "add weight", "more weight", "adding weight", "gains", "stronger",
             "how many reps", "how many sets", "rep range", "reps", "sets", "double progression",
             "not improving", "same weight"]
        case .form:
            ["form", "technique", "cue", "posture", "proper", "properly", "correctly", "correct way",
             "how to do", "how do i do", "how do you do", "good form", "bad form", "proper form"]
        case .plan:
            ["plan", "program", "programme", "routine", "schedule", "split", "workout plan",
             "training plan", "workout program", "training program", "weekly plan", "make me",
             "build me", "write me", "create me", "design me", "give me a workout", "generate"]
        case .cardio:
            ["cardio", "aerobic", "run", "running", "jog", "jogging", "cycling", "bike", "biking", "swim",
             "swimming", "rowing", "hiit", "interval", "walk", "walking", "steps", "lose weight",
             "losing weight", "weight loss", "fat loss", "lose fat", "burn fat", "burning fat",
             "belly fat", "slim", "slimming", "tone", "toning", "conditioning", "endurance", "stamina",
             "heart rate", "zone 2", "treadmill", "elliptical", "skipping", "jump rope"]
        case .motivation:
            ["motivation", "motivated", "unmotivated", "demotivated", "motivate", "consistency",
             "consistent", "inconsistent", "lazy", "discipline", "habit", "keep going", "give up",
             "giving up", "quit", "quitting", "stick to", "stick with", "skip", "skipping workouts",
             "bored", "boring", "excuse", "procrastinate", "procrastinating", "accountability",
             "mindset", "enjoy"]
        case .beginner:
            ["beginner", "start", "starting", "get started", "getting started", "new to", "never",
             "first time", "first workout", "first week", "newbie", "novice", "just started",
             "just starting", "out of shape", "where do i begin", "where to start", "basics"]
        case .greeting:
            ["hi", "hello", "hey", "hiya", "howdy", "yo", "greetings", "good morning", "good afternoon",
             "good evening", "morning", "sup", "who are you", "what can you do", "help"]
        case .general:
            []
        }
    }

    /// Words that thank the coach; with no other topic they get the greeting reply.
    static let thanksKeywords = ["thanks", "thank you", "thx", "cheers", "ty", "appreciate it"]

    /// The keyword score of this topic in a normalised text.
    func score(in padded: String) -> Int {
        keywords.reduce(0) { total, keyword in
            CoachText.contains(padded, keyword) ? total + (keyword.contains(" ") ? 2 : 1) : total
        }
    }
}
