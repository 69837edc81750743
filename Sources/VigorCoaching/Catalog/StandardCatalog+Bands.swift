extension StandardCatalog {
    /// Resistance-band work beyond the band entries listed with their patterns, so that a
    /// set of bands covers every main pattern and the main arm, shoulder and glute work.
    static let bands: [Exercise] = [
        reps(
            "band_deadlift", "Band deadlift", .beginner, .hinge, .compound,
            [.hamstrings, .glutes], [.back], [.bands], [],
            "Stand on the middle of the band holding an end in each hand, hinge down with a flat back, and stand tall against the tension.",
            cues: [
                "Push your hips back, not your knees forward", "Keep your back flat and hands close to your legs",
                "Squeeze your glutes to finish tall",
            ],
            subs: ["band_good_morning", "hip_hinge_drill", "glute_bridge"]),
        reps(
            "band_split_squat", "Band split squat", .beginner, .lunge, .compound,
            [.quads, .glutes], [.hamstrings], [.bands], [.deepKneeFlexion],
            "In a split stance with the band under your front foot and the ends at your "
                + "shoulders, lower the back knee toward the floor and rise against the band.",
            cues: [
                "Keep most of your weight on the front foot", "Lower straight down with an upright torso",
                "Front knee tracks over the middle of the foot",
            ],
            subs: ["split_squat", "reverse_lunge", "band_squat"]),
        reps(
            "band_glute_bridge", "Band glute bridge", .beginner, .hinge, .compound,
            [.glutes, .hamstrings], [.core], [.bands], [.supine],
            "Lie on your back with a band across your hips held down by your hands, and drive your hips up against it to a straight line.",
            cues: [
                "Push through your heels", "Squeeze your glutes at the top for a second",
                "Keep your ribs down; don't arch your lower back",
            ],
            subs: ["glute_bridge", "band_deadlift"]),
        reps(
            "band_push_up", "Band push-up", .intermediate, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders, .core], [.bands], [.wristExtension],
            "With the band across your upper back and pinned under your hands, do "
                + "push-ups, pressing through the band's growing tension at the top.",
            cues: [
                "Keep one straight line from head to heels", "Elbows about 45 degrees from your body",
                "Press all the way to straight arms against the band",
            ],
            subs: ["push_up", "band_chest_press", "decline_push_up"]),
        reps(
            "band_straight_arm_pulldown", "Band straight-arm pulldown", .beginner, .isolation, .isolation,
            [.back], [.triceps], [.bands], [],
            "With the band anchored high, pull it down to your thighs with straight arms by squeezing your lats, then let it rise slowly.",
            cues: [
                "Keep your arms straight with soft elbows", "Pull your shoulders down, away from your ears",
                "Let the band rise slowly",
            ],
            subs: ["straight_arm_pulldown", "band_lat_pulldown"]),
        reps(
            "band_external_rotation", "Band external rotation", .beginner, .isolation, .isolation,
            [.shoulders], [.back], [.bands], [.shoulderRotation],
            "With the band anchored at elbow height and your elbow tucked at your side, rotate the forearm outward and back in slowly.",
            cues: [
                "Keep the elbow pinned to your side", "Move slowly with a light band",
                "Stop short of any pinch in the shoulder",
            ],
            subs: ["band_face_pull", "band_pull_apart"]),
        reps(
            "band_glute_kickback", "Band glute kickback", .beginner, .isolation, .isolation,
            [.glutes], [.hamstrings], [.bands], [],
            "Standing with a band looped around your ankles and hands on a wall, push one leg "
                + "straight back by squeezing the glute, without arching your back.",
            cues: [
                "Squeeze the glute, don't swing the leg", "Keep your lower back still",
                "Return slowly against the band",
            ],
            subs: ["band_lateral_walk", "glute_bridge"]),
        reps(
            "band_woodchop", "Band woodchop", .beginner, .core, .isolation,
            [.core], [.shoulders, .hips], [.bands], [.spinalRotation],
            "With the band anchored high to one side, pull it diagonally down across your body with "
                + "straight arms, turning through the hips rather than the lower back.",
            cues: [
                "Pivot on the back foot and turn from the hips", "Keep your arms long",
                "Return slowly against the band",
            ],
            subs: ["band_pallof_press", "cable_woodchop", "medicine_ball_woodchop"]),
        reps(
            "band_calf_raise", "Band calf raise", .beginner, .isolation, .isolation,
            [.calves], [], [.bands], [],
            "Sitting with your legs straight and the band looped around the ball of one "
                + "foot, press the foot away against the band and return slowly.",
            cues: [
                "Point the foot fully, then return all the way", "Move slowly, pausing at the end",
                "Keep the knee straight",
            ],
            subs: ["calf_raise", "single_leg_calf_raise"]),
    ]
}
