extension Exercise {
    /// Three or four technique cues, most important first: the catalogue's own
    /// (``formCues``) when it lists them, otherwise cues derived from the movement
    /// pattern, the main muscle and the kind of stress the exercise carries.
    public var cues: [String] {
        formCues.isEmpty ? FormCueLibrary.derived(for: self) : formCues
    }
}

/// Cues that hold for every exercise of a pattern, used for entries without their own.
///
/// The cues are general coaching points (brace, control the lowering, joint alignment),
/// not copied from any source; a tag adds the caution that goes with it.
enum FormCueLibrary {
    /// Two pattern cues, a cue naming the main muscle, and one for the first tag that has one
    /// (or a third pattern cue).
    static func derived(for exercise: Exercise) -> [String] {
        let pattern = patternCues(exercise.pattern)
        var cues = Array(pattern.prefix(2))
        if let muscle = exercise.primaryMuscles.first, exercise.pattern.isResistance {
            cues.append(muscleCue(muscle))
        }
        if let tagged = exercise.tags.lazy.compactMap(tagCue).first {
            cues.append(tagged)
        } else {
            cues.append(pattern[2])
        }
        return cues
    }

    /// Three cues for a movement pattern.
    static func patternCues(_ pattern: MovementPattern) -> [String] {
        switch pattern {
        case .squat:
            [
                "Keep your heels down and your knees in line with your toes", "Brace your trunk and keep your chest up",
                "Go only as deep as you can keep that position",
            ]
        case .hinge:
            [
                "Push your hips back and keep your back flat", "Keep the load close to your body",
                "Finish by squeezing your glutes, without leaning back",
            ]
        case .lunge:
            [
                "Keep the front knee over the middle of the foot", "Keep your torso upright and lower straight down",
                "Drive up through the front heel",
            ]
        case .horizontalPush:
            [
                "Set your shoulder blades back and down", "Keep your elbows about 45 degrees from your body",
                "Lower under control and press to straight arms",
            ]
        case .verticalPush:
            [
                "Squeeze your glutes and keep your ribs down so your back doesn't arch",
                "Press in a straight line, finishing with the arms beside your ears", "Lower under control to the start",
            ]
        case .horizontalPull:
            [
                "Lead with the elbows toward your hips", "Squeeze your shoulder blades together at the end",
                "Keep your torso still; no swinging",
            ]
        case .verticalPull:
            [
                "Pull your shoulders down before you bend the elbows", "Drive the elbows down toward your ribs",
                "Lower all the way under control",
            ]
        case .carry:
            [
                "Stand tall with your shoulders level", "Brace your trunk and take short, steady steps",
                "Set the load down before your grip or posture fails",
            ]
        case .core:
            [
                "Keep your lower back in a neutral position and stop when it starts to arch or round",
                "Breathe steadily instead of holding your breath", "Move slowly and with control",
            ]
        case .isolation:
            [
                "Move only the working joint; keep the rest of your body still", "Take 2–3 seconds to lower",
                "Use a load you can move without swinging",
            ]
        case .cardio:
            [
                "Start easy for the first minute or two", "Work at a pace where you can still speak a few words",
                "Keep your shoulders relaxed and breathe rhythmically",
            ]
        case .mobility:
            [
                "Ease into the position slowly; never bounce", "Breathe slowly and relax into it",
                "Stop at a mild stretch, never at pain",
            ]
        }
    }

    /// "You should feel it mainly in your glutes".
    static func muscleCue(_ muscle: MuscleGroup) -> String {
        switch muscle {
        case .fullBody: "Move the whole body as one unit, powered by the hips and legs"
        case .cardio: "Keep the effort steady"
        case .hips: "You should feel it mainly around your hips"
        case .core: "You should feel it mainly in your abs and trunk"
        default: "You should feel it mainly in your \(muscle.rawValue)"
        }
    }

    /// The caution that goes with a contraindication tag, if it needs one.
    static func tagCue(_ tag: ContraindicationTag) -> String? {
        switch tag {
        case .spinalLoading: "Brace before every rep and keep a neutral spine under the load"
        case .deepKneeFlexion: "Control the depth; stop above any point where your knees complain"
        case .plyometric: "Land softly and quietly with your knees tracking over your toes"
        case .highImpact: "Land softly on the balls of your feet"
        case .overhead: "Only go overhead as far as your shoulders move freely, without arching your back"
        case .wristExtension: "If your wrists complain, use fists, handles or a raised surface"
        case .shoulderRotation: "Move slowly and stop short of any pinch in the shoulder"
        case .spinalRotation: "Turn from the hips and upper back, not the lower back"
        case .spinalFlexion: "Curl up smoothly; don't yank your neck"
        case .supine, .inverted: nil
        }
    }
}
