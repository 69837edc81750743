extension StandardCatalog {
    /// Suspension-trainer work: enough beginner entries in every main pattern but vertical
    /// pushing that a person with only a suspension trainer gets a full-body session.
    static let suspension: [Exercise] = [
        reps(
            "suspension_row", "Suspension row", .beginner, .horizontalPull, .compound,
            [.back], [.biceps, .shoulders], [.suspension], [],
            "Hold the handles, walk your feet forward and lean back with straight arms, "
                + "then row your chest up to the handles with a rigid body.",
            cues: [
                "Keep one straight line from head to heels", "Lead with the elbows and squeeze your shoulder blades together",
                "Walk your feet forward to make it harder, back to make it easier",
            ],
            subs: ["band_row", "table_row", "suspension_single_arm_row"]),
        reps(
            "suspension_chest_press", "Suspension chest press", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders, .core], [.suspension], [],
            "Facing away from the anchor, lean onto the handles with straight arms, lower your chest between them, and press back up.",
            cues: [
                "Brace your trunk so your hips don't sag", "Lower until your hands are beside your chest, elbows about 45 degrees out",
                "Step your feet back toward the anchor to make it harder",
            ],
            subs: ["incline_push_up", "band_chest_press", "push_up"]),
        reps(
            "suspension_squat", "Suspension squat", .beginner, .squat, .compound,
            [.quads, .glutes], [.core], [.suspension], [.deepKneeFlexion],
            "Hold the handles at chest height with the straps taut, sit back into a squat "
                + "as deep as is comfortable, and stand using the straps lightly.",
            cues: [
                "Let the straps take only as much weight as you need", "Keep your heels down and knees in line with your toes",
                "Stand tall at the top with your chest up",
            ],
            subs: ["bodyweight_squat", "sit_to_stand", "band_squat"]),
        reps(
            "suspension_reverse_lunge", "Suspension reverse lunge", .beginner, .lunge, .compound,
            [.quads, .glutes], [.hamstrings], [.suspension], [.deepKneeFlexion],
            "Holding the handles for balance, step one foot back and lower the back knee "
                + "toward the floor, then drive through the front heel to return.",
            cues: [
                "Keep your weight over the front foot", "Lower straight down, torso upright",
                "Use the straps for balance, not to pull yourself up",
            ],
            subs: ["reverse_lunge", "split_squat", "step_up"]),
        reps(
            "suspension_assisted_pull_up", "Suspension assisted pull-up", .beginner, .verticalPull, .compound,
            [.back, .biceps], [.forearms], [.suspension], [.overhead],
            "With the straps set high, kneel or sit beneath the handles with arms overhead "
                + "and pull your chest up, using the legs only as much as needed.",
            cues: [
                "Pull your shoulders down before you bend the elbows", "Drive the elbows down toward your ribs",
                "Lower slowly until your arms are straight",
            ],
            subs: ["band_lat_pulldown", "assisted_pull_up", "prone_floor_pulldown"]),
        reps(
            "suspension_face_pull", "Suspension face pull", .beginner, .isolation, .isolation,
            [.shoulders], [.back], [.suspension], [],
            "Lean back holding the handles palms down, and pull them toward your forehead "
                + "with the elbows high until your hands are beside your ears.",
            cues: [
                "Keep your elbows at shoulder height", "Squeeze the back of your shoulders at the end",
                "Keep your body rigid; don't let the hips drop",
            ],
            subs: ["band_face_pull", "band_pull_apart", "cable_face_pull"]),
        reps(
            "suspension_y_raise", "Suspension Y raise", .beginner, .isolation, .isolation,
            [.shoulders], [.back], [.suspension], [.overhead],
            "Lean back with straight arms and raise them into a Y overhead, drawing your body up with the back of the shoulders.",
            cues: [
                "Keep your arms straight and thumbs up", "Start nearly upright and lean further back only as you get stronger",
                "Keep your ribs down; don't arch your back",
            ],
            subs: ["prone_y_raise", "band_lateral_raise", "suspension_face_pull"]),
        reps(
            "suspension_biceps_curl", "Suspension biceps curl", .beginner, .isolation, .isolation,
            [.biceps], [.forearms], [.suspension], [],
            "Lean back with palms up and arms straight, then curl your hands toward your forehead while keeping the elbows high and still.",
            cues: [
                "Keep your elbows pointing at the anchor", "Keep your body straight as it rises",
                "Lower slowly until the arms are fully straight",
            ],
            subs: ["band_curl", "towel_curl", "dumbbell_curl"]),
        reps(
            "suspension_single_arm_row", "Suspension single-arm row", .intermediate, .horizontalPull, .compound,
            [.back, .biceps], [.core], [.suspension], [],
            "Hold one handle and lean back with your body square to the anchor, then row without letting your torso twist open.",
            cues: [
                "Keep your hips and shoulders square to the anchor", "Pull your elbow back past your ribs",
                "Lower under control to a straight arm",
            ],
            subs: ["suspension_row", "dumbbell_row", "band_row"]),
        reps(
            "suspension_triceps_extension", "Suspension triceps extension", .intermediate, .isolation, .isolation,
            [.triceps], [.core], [.suspension], [.overhead],
            "Facing away and leaning forward on the handles, bend only at the elbows to "
                + "bring your hands beside your head, then straighten the arms.",
            cues: [
                "Keep your elbows pointing forward, not out", "Keep a straight body from head to heels",
                "Move only at the elbows",
            ],
            subs: ["band_triceps_pushdown", "bench_dip", "triceps_wall_extension"]),
        reps(
            "suspension_hamstring_curl", "Suspension hamstring curl", .intermediate, .isolation, .isolation,
            [.hamstrings], [.glutes, .core], [.suspension], [.supine],
            "Lie on your back with heels in the foot cradles, lift the hips, and curl "
                + "your heels toward your glutes without letting the hips drop.",
            cues: [
                "Keep your hips lifted the whole set", "Curl the heels in slowly and push them out slowly",
                "Keep your arms on the floor for balance",
            ],
            subs: ["band_leg_curl", "single_leg_glute_bridge", "lying_leg_curl"]),
        timed(
            "suspension_plank", "Suspension plank", .intermediate, .core, .isolation,
            [.core], [.shoulders], [.suspension], [],
            "With your feet in the cradles and forearms on the floor, hold a straight line "
                + "from head to heels while the straps try to pull you out of it.",
            cues: [
                "Squeeze your glutes and brace your belly", "Keep the straps still; stop when they start to swing",
                "Breathe steadily through the hold",
            ],
            subs: ["plank", "dead_bug", "side_plank"]),
        reps(
            "suspension_single_leg_squat", "Suspension single-leg squat", .advanced, .squat, .compound,
            [.quads, .glutes], [.hips, .core], [.suspension], [.deepKneeFlexion],
            "Holding the handles, balance on one leg with the other held forward and squat "
                + "as deep as you control, using the straps only for balance.",
            cues: [
                "Keep the standing knee over the middle of the foot", "Sit back and down slowly",
                "Pull on the straps as little as you can",
            ],
            subs: ["pistol_squat", "bulgarian_split_squat", "suspension_squat"]),
        reps(
            "suspension_atomic_push_up", "Suspension atomic push-up", .advanced, .horizontalPush, .compound,
            [.chest, .core], [.triceps, .shoulders], [.suspension], [.wristExtension],
            "With your feet in the cradles, do a push-up, then pull both knees to your chest before the next rep.",
            cues: [
                "Keep your hips level during the push-up", "Tuck the knees without rounding your back hard",
                "Slow down as soon as the straps start to swing",
            ],
            subs: ["decline_push_up", "push_up", "suspension_chest_press"]),
        reps(
            "suspension_fallout", "Suspension fallout", .advanced, .core, .isolation,
            [.core], [.shoulders, .back], [.suspension], [.overhead],
            "Leaning forward on the handles with a braced body, let your arms float overhead "
                + "as you lean further, then pull them back down to stand tall.",
            cues: [
                "Keep your ribs down and hips tucked", "Go only as far as you can without your lower back sagging",
                "Pull back with straight arms",
            ],
            subs: ["stability_ball_rollout", "plank", "dead_bug"]),
    ]
}
