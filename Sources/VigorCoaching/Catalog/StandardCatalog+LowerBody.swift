extension StandardCatalog {
    /// Squats, hinges, lunges and leg isolation work.
    static let lowerBody: [Exercise] = squats + hinges + lunges + legIsolation

    static let squats: [Exercise] = [
        reps(
            "barbell_back_squat", "Barbell back squat", .intermediate, .squat, .compound,
            [.quads, .glutes], [.hamstrings, .core], [.barbell, .rack], [.spinalLoading, .deepKneeFlexion],
            "Take the bar from the rack across your upper back, brace, squat to at least parallel and drive up through the whole foot."),
        reps(
            "goblet_squat", "Goblet squat", .beginner, .squat, .compound,
            [.quads, .glutes], [.core], [.dumbbell], [.deepKneeFlexion],
            "Hold a dumbbell upright at your chest, sit down between your heels with a tall chest, then stand by pushing the floor away."),
        reps(
            "leg_press", "Leg press", .beginner, .squat, .compound,
            [.quads, .glutes], [.hamstrings], [.machine], [],
            "With feet hip-width on the platform, lower the sled until your knees reach about 90 degrees and press back without locking them."
        ),
        reps(
            "kettlebell_goblet_squat", "Kettlebell goblet squat", .beginner, .squat, .compound,
            [.quads, .glutes], [.core], [.kettlebell], [.deepKneeFlexion],
            "Hold the kettlebell by its horns at your chest, squat down with elbows inside the knees, and rise with a braced trunk."),
        reps(
            "bodyweight_squat", "Bodyweight squat", .beginner, .squat, .compound,
            [.quads, .glutes], [.hamstrings, .core], [.bodyOnly], [.deepKneeFlexion],
            "Feet about shoulder-width, sit the hips back and down as far as your heels stay flat, then stand tall."),
        reps(
            "sit_to_stand", "Chair sit-to-stand", .beginner, .squat, .compound,
            [.quads, .glutes], [.core], [.bodyOnly], [],
            "Sit down onto a firm chair with control and stand up again without using your hands, knees tracking over your toes."),
        reps(
            "hack_squat", "Hack squat", .intermediate, .squat, .compound,
            [.quads, .glutes], [.hamstrings], [.machine], [.deepKneeFlexion],
            "Shoulders under the pads and back against the sled, squat as deep as you control and press back up evenly."),
        reps(
            "barbell_front_squat", "Barbell front squat", .advanced, .squat, .compound,
            [.quads, .glutes], [.core, .back], [.barbell, .rack], [.spinalLoading, .deepKneeFlexion, .wristExtension],
            "Rest the bar on the front of your shoulders with elbows high, squat straight down with an upright torso, and stand."),
        reps(
            "ball_wall_squat", "Stability ball wall squat", .beginner, .squat, .compound,
            [.quads, .glutes], [.hamstrings], [.exerciseBall], [],
            "Pin a stability ball between your lower back and a wall and squat to about thigh-parallel, letting the ball roll with you."),
        reps(
            "band_squat", "Banded squat", .beginner, .squat, .compound,
            [.quads, .glutes], [.core], [.bands], [.deepKneeFlexion],
            "Stand on a band with its ends held at your shoulders, squat down, and stand against the band's growing tension."),
        reps(
            "jump_squat", "Jump squat", .intermediate, .squat, .compound,
            [.quads, .glutes], [.calves], [.bodyOnly], [.plyometric, .highImpact, .deepKneeFlexion],
            "Dip into a quarter squat, jump straight up, and land softly through the balls of your feet into the next rep."),
        reps(
            "pistol_squat", "Pistol squat", .advanced, .squat, .compound,
            [.quads, .glutes], [.core, .hips], [.bodyOnly], [.deepKneeFlexion],
            "Balance on one leg with the other held out in front, squat all the way down under control, and stand back up."),
        timed(
            "wall_sit", "Wall sit", .beginner, .squat, .isolation,
            [.quads], [.glutes], [.bodyOnly], [],
            "Slide down a wall until your knees are bent to about 90 degrees and hold there with your back flat on the wall."),
    ]

    static let hinges: [Exercise] = [
        reps(
            "barbell_deadlift", "Barbell deadlift", .intermediate, .hinge, .compound,
            [.hamstrings, .glutes], [.back, .forearms, .quads], [.barbell], [.spinalLoading],
            "Bar over mid-foot, grip just outside the legs, brace and push the floor away until you stand tall, then lower along the legs."),
        reps(
            "barbell_romanian_deadlift", "Barbell Romanian deadlift", .intermediate, .hinge, .compound,
            [.hamstrings, .glutes], [.back, .forearms], [.barbell], [.spinalLoading],
            "From standing, push the hips back and lower the bar along the thighs to just below the knee, then return by squeezing the glutes."
        ),
        reps(
            "dumbbell_romanian_deadlift", "Dumbbell Romanian deadlift", .beginner, .hinge, .compound,
            [.hamstrings, .glutes], [.back, .forearms], [.dumbbell], [.spinalLoading],
            "With soft knees, slide the dumbbells down your thighs by pushing the hips back, keep the back flat, then drive the hips forward."
        ),
        reps(
            "kettlebell_deadlift", "Kettlebell deadlift", .beginner, .hinge, .compound,
            [.hamstrings, .glutes], [.quads, .forearms], [.kettlebell], [.spinalLoading],
            "With the kettlebell between your feet, hinge to grip it, brace, and stand up by driving the hips forward."),
        reps(
            "glute_bridge", "Glute bridge", .beginner, .hinge, .compound,
            [.glutes, .hamstrings], [.core], [.bodyOnly], [.supine],
            "Lie on your back with knees bent, press through your heels to lift the hips into a straight line, pause, and lower."),
        reps(
            "hip_hinge_drill", "Bodyweight good morning", .beginner, .hinge, .compound,
            [.hamstrings, .glutes], [.back], [.bodyOnly], [],
            "Hands on hips, push the hips back with soft knees and a flat back until the hamstrings stretch, then squeeze the glutes to stand."
        ),
        reps(
            "barbell_hip_thrust", "Barbell hip thrust", .intermediate, .hinge, .compound,
            [.glutes], [.hamstrings], [.barbell, .bench], [],
            "Upper back on a bench and a padded bar across the hips, drive the hips up to a straight line and pause before lowering."),
        reps(
            "dumbbell_hip_thrust", "Dumbbell hip thrust", .beginner, .hinge, .compound,
            [.glutes], [.hamstrings], [.dumbbell, .bench], [],
            "Upper back on a bench and a dumbbell on your hips, drive through the heels until the hips are level with the knees, then lower."
        ),
        reps(
            "kettlebell_swing", "Kettlebell swing", .intermediate, .hinge, .compound,
            [.glutes, .hamstrings], [.core, .shoulders], [.kettlebell], [.spinalLoading],
            "Hike the kettlebell back between your legs, then snap the hips forward so it floats to chest height; arms stay relaxed."),
        reps(
            "cable_pull_through", "Cable pull-through", .beginner, .hinge, .compound,
            [.glutes, .hamstrings], [.core], [.cable], [],
            "Facing away from a low pulley with the rope between your legs, hinge back, then stand tall by squeezing the glutes."),
        reps(
            "band_good_morning", "Banded good morning", .beginner, .hinge, .compound,
            [.hamstrings, .glutes], [.back], [.bands], [],
            "Stand on a band looped behind your neck, hinge forward with a flat back, and stand against the band's pull."),
        reps(
            "back_extension", "Back extension", .beginner, .hinge, .compound,
            [.glutes, .hamstrings], [.back], [.machine], [],
            "On the back-extension bench, lower your trunk with a neutral spine and rise to a straight line using your glutes."),
        reps(
            "single_leg_glute_bridge", "Single-leg glute bridge", .intermediate, .hinge, .compound,
            [.glutes, .hamstrings], [.core], [.bodyOnly], [.supine],
            "Lie on your back with one foot planted and the other leg raised, and lift the hips level without letting them tilt."),
        reps(
            "single_leg_romanian_deadlift", "Single-leg Romanian deadlift", .intermediate, .hinge, .compound,
            [.hamstrings, .glutes], [.core, .hips], [.bodyOnly], [],
            "Balance on one leg, tip forward as the other leg reaches back until your body is nearly level, then return upright."),
        reps(
            "barbell_good_morning", "Barbell good morning", .advanced, .hinge, .compound,
            [.hamstrings, .glutes], [.back], [.barbell, .rack], [.spinalLoading],
            "With the bar on your upper back, hinge forward with soft knees and a flat back, then drive the hips forward to stand."),
    ]
}
