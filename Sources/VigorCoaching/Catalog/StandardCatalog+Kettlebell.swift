extension StandardCatalog {
    /// Kettlebell work beyond the classic lifts listed with their patterns, so that one
    /// kettlebell covers every main pattern but vertical pulling.
    static let kettlebells: [Exercise] = [
        reps(
            "kettlebell_romanian_deadlift", "Kettlebell Romanian deadlift", .beginner, .hinge, .compound,
            [.hamstrings, .glutes], [.back, .forearms], [.kettlebell], [.spinalLoading],
            "Holding the kettlebell by the handle with both hands, push your hips back with soft "
                + "knees until it reaches the shins, then stand by squeezing the glutes.",
            cues: [
                "Keep the bell close to your legs", "Move from the hips with a flat back",
                "Finish tall without leaning back",
            ],
            subs: ["kettlebell_deadlift", "dumbbell_romanian_deadlift", "hip_hinge_drill"]),
        reps(
            "kettlebell_reverse_lunge", "Kettlebell reverse lunge", .beginner, .lunge, .compound,
            [.quads, .glutes], [.hamstrings, .core], [.kettlebell], [.deepKneeFlexion],
            "Hold a kettlebell at your chest, step back into a lunge until the back knee "
                + "nearly touches the floor, and drive back up through the front foot.",
            cues: [
                "Keep the bell tight to your chest", "Front knee stays over the middle of the foot",
                "Lower the back knee gently; don't drop onto it",
            ],
            subs: ["reverse_lunge", "dumbbell_reverse_lunge", "split_squat"]),
        reps(
            "kettlebell_step_up", "Kettlebell step-up", .beginner, .lunge, .compound,
            [.quads, .glutes], [.hamstrings], [.kettlebell], [],
            "Hold a kettlebell at your chest and step onto a sturdy step or low box, stand tall on top, and step down under control.",
            cues: [
                "Drive through the whole foot on the step", "Don't push off the back foot",
                "Step down slowly, the same leg leading",
            ],
            subs: ["step_up", "dumbbell_step_up", "kettlebell_reverse_lunge"]),
        reps(
            "kettlebell_floor_press", "Kettlebell floor press", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders], [.kettlebell], [.supine],
            "Lie on your back with knees bent and a kettlebell in one hand, upper arm on the "
                + "floor, then press it straight up over your shoulder and lower slowly.",
            cues: [
                "Keep the wrist straight with the bell resting on the forearm", "Let the upper arm touch the floor softly each rep",
                "Press up in line with your shoulder",
            ],
            subs: ["dumbbell_floor_press", "push_up", "band_chest_press"]),
        reps(
            "kettlebell_half_kneeling_press", "Half-kneeling kettlebell press", .beginner, .verticalPush, .compound,
            [.shoulders, .triceps], [.core], [.kettlebell], [.overhead],
            "Kneel on one knee, hold the kettlebell at the shoulder on the same side "
                + "as the down knee, and press it overhead without leaning.",
            cues: [
                "Squeeze the glute of the down leg to keep your hips square", "Keep your ribs down; don't arch",
                "Finish with the biceps beside your ear",
            ],
            subs: ["kettlebell_press", "band_overhead_press", "incline_pike_push_up"]),
        reps(
            "kettlebell_curl", "Kettlebell curl", .beginner, .isolation, .isolation,
            [.biceps], [.forearms], [.kettlebell], [],
            "Hold a kettlebell by the handle or horns with elbows at your sides, curl it to your chest, and lower slowly.",
            cues: [
                "Keep your elbows pinned to your sides", "Don't swing with your hips",
                "Take 2–3 seconds to lower",
            ],
            subs: ["dumbbell_curl", "band_curl", "hammer_curl"]),
        reps(
            "kettlebell_overhead_triceps_extension", "Kettlebell overhead triceps extension", .beginner, .isolation, .isolation,
            [.triceps], [], [.kettlebell], [.overhead],
            "Hold a kettlebell by the horns behind your head with elbows pointing up, "
                + "straighten your arms, and lower it slowly behind you.",
            cues: [
                "Keep your elbows pointing forward and close", "Keep your ribs down while the arms move",
                "Lower only as far as your shoulders allow",
            ],
            subs: ["dumbbell_overhead_triceps_extension", "band_triceps_pushdown", "bench_dip"]),
        reps(
            "kettlebell_gorilla_row", "Kettlebell gorilla row", .intermediate, .horizontalPull, .compound,
            [.back], [.biceps, .core], [.kettlebell], [],
            "In a wide hinge with two kettlebells between your feet, row one to your hip "
                + "while pressing the other into the floor, then alternate.",
            cues: [
                "Keep your back flat and hips still", "Pull the elbow toward your hip",
                "Press the other bell into the floor to stay square",
            ],
            subs: ["kettlebell_row", "dumbbell_row", "band_row"]),
        reps(
            "kettlebell_single_leg_deadlift", "Kettlebell single-leg deadlift", .intermediate, .hinge, .compound,
            [.hamstrings, .glutes], [.core, .hips], [.kettlebell], [],
            "Hold a kettlebell in the hand opposite the standing leg, hinge forward as the "
                + "free leg reaches back, and return upright without twisting.",
            cues: [
                "Keep your hips level, toes of the back leg pointing down", "Keep a soft bend in the standing knee",
                "Lower only as far as your back stays flat",
            ],
            subs: ["single_leg_romanian_deadlift", "kettlebell_romanian_deadlift"]),
        reps(
            "kettlebell_high_pull", "Kettlebell high pull", .intermediate, .hinge, .compound,
            [.glutes, .back], [.shoulders, .hamstrings], [.kettlebell], [.spinalLoading],
            "Swing the kettlebell back between your legs, drive the hips forward and pull the "
                + "handle to chest height with the elbow high, then let it swing back.",
            cues: [
                "The hips drive the bell; the arm only guides it", "Keep the bell close to your body",
                "Stay tall at the top, without leaning back",
            ],
            subs: ["kettlebell_swing", "kettlebell_deadlift"]),
        reps(
            "kettlebell_windmill", "Kettlebell windmill", .advanced, .core, .isolation,
            [.core], [.shoulders, .hamstrings, .hips], [.kettlebell], [.overhead, .spinalRotation],
            "Press a kettlebell overhead, turn your feet out, and hinge sideways to reach the "
                + "free hand toward your front foot while the bell stays locked out.",
            cues: [
                "Keep your eyes on the bell", "Push your hip out to the side of the bell",
                "Keep the top arm straight and vertical",
            ],
            subs: ["turkish_get_up", "side_plank"]),
        reps(
            "kettlebell_snatch", "Kettlebell snatch", .advanced, .hinge, .compound,
            [.fullBody], [.shoulders, .glutes], [.kettlebell], [.overhead, .spinalLoading],
            "Swing the kettlebell back, drive the hips through and pull it up close to your body, "
                + "punching your hand through to lock it out overhead in one motion.",
            cues: [
                "Punch through early so the bell doesn't flip onto your wrist", "Keep the bell close on the way up",
                "Let the hips, not the arm, do the work",
            ],
            subs: ["kettlebell_clean_and_press", "kettlebell_swing"]),
    ]
}
