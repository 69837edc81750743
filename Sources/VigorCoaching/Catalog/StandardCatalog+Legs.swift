extension StandardCatalog {
    static let lunges: [Exercise] = [
        reps(
            "bulgarian_split_squat", "Bulgarian split squat", .intermediate, .lunge, .compound,
            [.quads, .glutes], [.hamstrings], [.dumbbell, .bench], [.deepKneeFlexion],
            "Rear foot on a bench and dumbbells in hand, sink the back knee toward the floor and drive up through the front foot."),
        reps(
            "dumbbell_reverse_lunge", "Dumbbell reverse lunge", .beginner, .lunge, .compound,
            [.quads, .glutes], [.hamstrings, .forearms], [.dumbbell], [.deepKneeFlexion],
            "Holding dumbbells at your sides, step back into a lunge and drive through the front foot to stand."),
        reps(
            "reverse_lunge", "Reverse lunge", .beginner, .lunge, .compound,
            [.quads, .glutes], [.hamstrings, .core], [.bodyOnly], [.deepKneeFlexion],
            "Step one foot back and lower until both knees are bent, then push through the front heel to return."),
        reps(
            "step_up", "Step-up", .beginner, .lunge, .compound,
            [.quads, .glutes], [.calves], [.bodyOnly], [],
            "Step onto a stair or sturdy low step, drive through the whole foot to stand tall on top, then step down with control."),
        reps(
            "split_squat", "Split squat", .beginner, .lunge, .compound,
            [.quads, .glutes], [.hamstrings], [.bodyOnly], [.deepKneeFlexion],
            "In a long staggered stance, lower straight down until the back knee nearly touches the floor, then rise."),
        reps(
            "dumbbell_step_up", "Dumbbell step-up", .beginner, .lunge, .compound,
            [.quads, .glutes], [.calves], [.dumbbell, .bench], [],
            "Holding dumbbells, step onto a bench with one foot, stand up without pushing off the back foot, and step down slowly."),
        reps(
            "dumbbell_walking_lunge", "Dumbbell walking lunge", .intermediate, .lunge, .compound,
            [.quads, .glutes], [.hamstrings, .forearms], [.dumbbell], [.deepKneeFlexion],
            "Holding dumbbells, stride forward into a lunge, then bring the back foot through into the next step."),
        reps(
            "lateral_lunge", "Lateral lunge", .intermediate, .lunge, .compound,
            [.glutes, .quads], [.hips], [.bodyOnly], [.deepKneeFlexion],
            "Step wide to one side and sit into that hip with the other leg straight, then push back to the middle."),
        reps(
            "barbell_reverse_lunge", "Barbell reverse lunge", .advanced, .lunge, .compound,
            [.quads, .glutes], [.hamstrings, .core], [.barbell, .rack], [.spinalLoading, .deepKneeFlexion],
            "With the bar on your upper back, step back into a lunge, keep the torso tall, and return to standing."),
        reps(
            "jumping_lunge", "Jumping lunge", .advanced, .lunge, .compound,
            [.quads, .glutes], [.calves], [.bodyOnly], [.plyometric, .highImpact, .deepKneeFlexion],
            "From a lunge, jump and switch legs in the air, landing softly in the opposite lunge."),
    ]

    static let legIsolation: [Exercise] = [
        reps(
            "leg_extension", "Leg extension", .beginner, .isolation, .isolation,
            [.quads], [], [.machine], [],
            "Sit with the pad on your lower shins, straighten your knees fully, pause, and lower slowly."),
        reps(
            "lying_leg_curl", "Lying leg curl", .beginner, .isolation, .isolation,
            [.hamstrings], [.calves], [.machine], [],
            "Lie face down with the pad above your heels, curl it toward your glutes, and lower under control."),
        reps(
            "band_leg_curl", "Banded leg curl", .beginner, .isolation, .isolation,
            [.hamstrings], [], [.bands], [],
            "Lie face down with a band anchored around one ankle and curl the heel toward your glutes against it."),
        reps(
            "ball_hamstring_curl", "Stability ball hamstring curl", .intermediate, .isolation, .isolation,
            [.hamstrings], [.glutes, .core], [.exerciseBall], [.supine],
            "Lie on your back with heels on the ball, lift the hips, and roll the ball toward you by bending the knees."),
        reps(
            "nordic_curl", "Nordic curl", .advanced, .isolation, .isolation,
            [.hamstrings], [.glutes], [.bodyOnly], [],
            "Kneel with your ankles anchored, lower your body forward as slowly as you can, and catch yourself with your hands."),
        reps(
            "calf_raise", "Standing calf raise", .beginner, .isolation, .isolation,
            [.calves], [], [.bodyOnly], [],
            "Rise onto the balls of your feet as high as you can, pause, and lower slowly; hold a wall for balance."),
        reps(
            "dumbbell_calf_raise", "Dumbbell calf raise", .beginner, .isolation, .isolation,
            [.calves], [.forearms], [.dumbbell], [],
            "Holding dumbbells at your sides, rise onto your toes, pause at the top, and lower all the way."),
        reps(
            "machine_calf_raise", "Machine calf raise", .beginner, .isolation, .isolation,
            [.calves], [], [.machine], [],
            "With the pads on your shoulders and balls of the feet on the step, lower the heels, then rise as high as possible."),
        reps(
            "single_leg_calf_raise", "Single-leg calf raise", .intermediate, .isolation, .isolation,
            [.calves], [], [.bodyOnly], [],
            "Stand on one foot on a step edge, lower the heel below the step, then rise as high as you can."),
        reps(
            "clamshell", "Clamshell", .beginner, .isolation, .isolation,
            [.glutes, .hips], [], [.bodyOnly], [],
            "Lie on your side with knees bent and feet together, and open the top knee without rolling your hips back."),
        reps(
            "side_lying_leg_raise", "Side-lying leg raise", .beginner, .isolation, .isolation,
            [.hips], [.glutes], [.bodyOnly], [],
            "Lie on your side with legs straight and lift the top leg a little behind the midline, then lower slowly."),
        reps(
            "donkey_kick", "Donkey kick", .beginner, .isolation, .isolation,
            [.glutes], [.hamstrings], [.bodyOnly], [.wristExtension],
            "On hands and knees, press one bent leg up toward the ceiling without arching your back, then lower."),
        reps(
            "band_lateral_walk", "Banded lateral walk", .beginner, .isolation, .isolation,
            [.hips, .glutes], [], [.bands], [],
            "With a band around your knees or ankles and a slight squat, step sideways keeping tension on the band."),
        reps(
            "hip_abduction_machine", "Hip abduction machine", .beginner, .isolation, .isolation,
            [.hips], [.glutes], [.machine], [],
            "Sit tall with the pads outside your knees, push the legs apart, pause, and return slowly."),
        reps(
            "cable_glute_kickback", "Cable glute kickback", .beginner, .isolation, .isolation,
            [.glutes], [.hamstrings], [.cable], [],
            "With an ankle strap on a low pulley, kick the leg straight back by squeezing the glute, without arching your back."),
        timed(
            "copenhagen_plank", "Copenhagen plank", .advanced, .isolation, .isolation,
            [.hips], [.core], [.bench], [],
            "Side plank on your forearm with your top leg resting on a bench and the bottom leg lifted, hips in line."),
    ]
}
