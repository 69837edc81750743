/// An exercise the offline coach has technique cues for.
enum CoachExercise: String, CaseIterable, Sendable {
    case squat
    case deadlift
    case pushUp = "push_up"
    case plank
    case benchPress = "bench_press"
    case overheadPress = "overhead_press"
    case row
    case lunge
    case pullUp = "pull_up"

    /// The exercise named in a normalised text: the longest matching keyword wins
    /// ("split squat" is a lunge, not a squat); ties go to the earlier case.
    static func detect(in padded: String) -> CoachExercise? {
        var best: (exercise: CoachExercise, length: Int)?
        for exercise in allCases {
            for keyword in exercise.keywords where CoachText.contains(padded, keyword) {
                if keyword.count > (best?.length ?? 0) { best = (exercise, keyword.count) }
            }
        }
        return best?.exercise
    }

    /// Normalised names people use for it.
    var keywords: [String] {
        switch self {
        case .squat: ["squat", "squatting", "goblet squat", "back squat", "front squat", "air squat"]
        case .deadlift: ["deadlift", "dead lift", "deadlifting", "rdl", "romanian deadlift", "hip hinge", "hinge"]
        case .pushUp: ["push up", "pushup", "press up", "pressup"]
        case .plank: ["plank", "planking"]
        case .benchPress: ["bench press", "bench", "benching", "chest press"]
        case .overheadPress: ["overhead press", "ohp", "shoulder press", "military press"]
        case .row: ["row", "bent over row", "dumbbell row", "cable row", "barbell row"]
        case .lunge: ["lunge", "lunging", "split squat", "bulgarian split squat"]
        case .pullUp: ["pull up", "pullup", "chin up", "chinup"]
        }
    }

    /// The catalogue entry that stands for it when checking a profile's injuries.
    var catalogID: String {
        switch self {
        case .squat: "bodyweight_squat"
        case .deadlift: "dumbbell_romanian_deadlift"
        case .pushUp: "push_up"
        case .plank: "plank"
        case .benchPress: "dumbbell_bench_press"
        case .overheadPress: "dumbbell_shoulder_press"
        case .row: "dumbbell_row"
        case .lunge: "reverse_lunge"
        case .pullUp: "pull_up"
        }
    }

    /// The name used in a sentence ("the squat").
    var name: String {
        switch self {
        case .squat: "squat"
        case .deadlift: "deadlift"
        case .pushUp: "push-up"
        case .plank: "plank"
        case .benchPress: "bench press"
        case .overheadPress: "overhead press"
        case .row: "row"
        case .lunge: "lunge"
        case .pullUp: "pull-up"
        }
    }

    /// Four technique cues, most important first.
    var cues: [String] {
        switch self {
        case .squat:
            [
                "Feet about shoulder-width, toes turned out slightly",
                "Brace your core and keep your chest up",
                "Sit the hips back and down with your knees tracking over your toes",
                "Drive up through the whole foot, heels down",
            ]
        case .deadlift:
            [
                "Keep the weight close to your shins, feet hip-width apart",
                "Hinge at the hips with a flat, neutral back",
                "Brace hard and push the floor away, hips and shoulders rising together",
                "Stand tall at the top without leaning back",
            ]
        case .pushUp:
            [
                "Hands slightly wider than your shoulders, body in one straight line",
                "Squeeze your glutes and brace so your hips don't sag",
                "Lower with elbows about 45 degrees from your body until your chest nearly touches the floor",
                "Press the floor away to straight arms",
            ]
        case .plank:
            [
                "Elbows under your shoulders, forearms on the floor",
                "Keep a straight line from head to heels, hips neither sagging nor piked",
                "Squeeze your glutes and brace your abs",
                "Breathe steadily and stop when your position slips",
            ]
        case .benchPress:
            [
                "Feet planted, shoulder blades squeezed together and down",
                "Grip just wider than shoulder-width with wrists stacked over elbows",
                "Lower under control to mid-chest, elbows about 45–70 degrees from your body",
                "Press up and slightly back, with a spotter or safety pins when it gets heavy",
            ]
        case .overheadPress:
            [
                "Stand with feet hip-width apart, glutes and abs tight",
                "Start with your hands just outside your shoulders, forearms vertical",
                "Press straight up, moving your head back slightly so the weight passes your face",
                "Finish with arms locked overhead without arching your lower back",
            ]
        case .row:
            [
                "Hinge forward with a flat back, or support one hand on a bench",
                "Pull your elbow back towards your hip, not up to your ear",
                "Squeeze your shoulder blade at the top for a second",
                "Lower under control without twisting your torso",
            ]
        case .lunge:
            [
                "Take a step long enough that both knees bend to about 90 degrees",
                "Keep your torso upright and the front knee over the middle of your foot",
                "Lower the back knee towards the floor under control",
                "Push through the front heel to come back up",
            ]
        case .pullUp:
            [
                "Start from a dead hang with your shoulders pulled down and back",
                "Pull your elbows down towards your ribs, chest towards the bar",
                "Get your chin over the bar without kicking or swinging",
                "Lower all the way down under control",
            ]
        }
    }

    /// Cues for any lift, when no exercise is named.
    static let generalCues = [
        "Pick a load you can move with identical form on every rep",
        "Brace your core before each rep and keep a neutral spine",
        "Lower the weight under control, about 2–3 seconds",
        "End the set 1–3 reps before your form breaks down",
    ]

    /// A dumbbell version to learn or load the pattern with.
    var dumbbellVariation: String {
        switch self {
        case .squat: "goblet squat (one dumbbell held at your chest)"
        case .deadlift: "dumbbell Romanian deadlift"
        case .pushUp: "dumbbell floor press"
        case .plank: "plank with a dumbbell pull-through"
        case .benchPress: "dumbbell bench press (or floor press without a bench)"
        case .overheadPress: "seated dumbbell shoulder press"
        case .row: "one-arm dumbbell row"
        case .lunge: "dumbbell split squat"
        case .pullUp: "one-arm dumbbell row"
        }
    }

    /// A body-weight version that trains the same pattern.
    var bodyweightVariation: String {
        switch self {
        case .squat: "bodyweight box squat to a chair"
        case .deadlift: "glute bridge and single-leg hip hinge"
        case .pushUp: "incline push-up with your hands on a bench or table"
        case .plank: "knee plank, then side planks"
        case .benchPress: "push-up (feet raised to make it harder)"
        case .overheadPress: "pike push-up"
        case .row: "inverted row under a sturdy table"
        case .lunge: "reverse lunge, which is easier on the knees"
        case .pullUp: "inverted row under a sturdy table, or slow negatives"
        }
    }

    /// The most common mistake and its fix, for "tell me more".
    var commonMistake: String {
        switch self {
        case .squat:
            "The usual squat faults are heels lifting and knees caving in: widen your stance slightly, push your knees out over your little toes, and take 2–3 seconds on the way down."
        case .deadlift:
            "The usual deadlift fault is a rounding lower back, often from starting with the weight too far forward or the hips too low; brace before every rep and reset between reps."
        case .pushUp:
            "The usual push-up faults are sagging hips and elbows flared straight out; if you can't hold the line, raise your hands on a bench rather than dropping to your knees."
        case .plank:
            "The usual plank fault is holding too long with poor position; several 20–40 second holds with perfect form beat one sagging two-minute plank."
        case .benchPress:
            "The usual bench faults are bouncing the bar off the chest and loose shoulders; pause briefly on the chest and keep your shoulder blades pinned."
        case .overheadPress:
            "The usual pressing fault is leaning back to finish the rep; squeeze your glutes, keep your ribs down, and lower the weight if you can't."
        case .row:
            "The usual rowing fault is yanking with the torso; if your body swings, the weight is too heavy — pause each rep at the top."
        case .lunge:
            "The usual lunge fault is a step that is too short, pushing the front knee far forward; lengthen the step and keep your weight over the front heel."
        case .pullUp:
            "The usual pull-up fault is half reps; use bands or slow 3–5 second lowering reps until you can do full reps from a dead hang."
        }
    }
}
