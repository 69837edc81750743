extension StandardCatalog {
    /// Core work and loaded carries.
    static let trunk: [Exercise] = [
        timed(
            "plank", "Forearm plank", .beginner, .core, .isolation,
            [.core], [.shoulders], [.bodyOnly], [],
            "On your forearms and toes, hold a straight line from head to heels with the belly braced."),
        reps(
            "dead_bug", "Dead bug", .beginner, .core, .isolation,
            [.core], [.hips], [.bodyOnly], [.supine],
            "Lying on your back with arms and knees up, lower the opposite arm and leg while keeping your lower back down."),
        timed(
            "side_plank", "Side plank", .beginner, .core, .isolation,
            [.core], [.hips], [.bodyOnly], [],
            "On one forearm with feet stacked or knees bent, lift the hips into a straight line and hold."),
        reps(
            "bird_dog", "Bird dog", .beginner, .core, .isolation,
            [.core], [.glutes, .back], [.bodyOnly], [.wristExtension],
            "On hands and knees, reach one arm forward and the opposite leg back without rocking, then switch."),
        reps(
            "crunch", "Crunch", .beginner, .core, .isolation,
            [.core], [], [.bodyOnly], [.spinalFlexion, .supine],
            "Lying with knees bent, curl your shoulders off the floor toward your hips and lower slowly."),
        reps(
            "lying_leg_raise", "Lying leg raise", .beginner, .core, .isolation,
            [.core], [.hips], [.bodyOnly], [.supine],
            "Lying on your back with hands under the hips, raise your straight legs to vertical and lower without arching."),
        timed(
            "standing_march_hold", "Standing knee-lift hold", .beginner, .core, .isolation,
            [.core], [.hips], [.bodyOnly], [],
            "Stand tall, lift one knee to hip height and hold it with a braced trunk, then switch legs halfway."),
        reps(
            "band_pallof_press", "Band Pallof press", .beginner, .core, .isolation,
            [.core], [.shoulders], [.bands], [],
            "Side-on to a band anchored at chest height, press the band straight out and resist it pulling you round."),
        reps(
            "cable_pallof_press", "Cable Pallof press", .beginner, .core, .isolation,
            [.core], [.shoulders], [.cable], [],
            "Side-on to a pulley at chest height, press the handle out from your chest and hold against the rotation."),
        reps(
            "ball_crunch", "Stability ball crunch", .beginner, .core, .isolation,
            [.core], [], [.exerciseBall], [.spinalFlexion],
            "Lying back over a stability ball, curl your chest up toward your hips and lower with control."),
        reps(
            "ball_dead_bug", "Stability ball dead bug", .beginner, .core, .isolation,
            [.core], [.hips], [.exerciseBall], [.supine],
            "Hold a ball between your hands and knees while lying on your back, and extend the opposite arm and leg."),
        reps(
            "medicine_ball_woodchop", "Medicine ball woodchop", .beginner, .core, .isolation,
            [.core], [.shoulders], [.medicineBall], [.spinalRotation, .overhead],
            "Holding the ball high over one shoulder, chop it diagonally down across your body to the opposite hip."),
        timed(
            "hollow_hold", "Hollow hold", .intermediate, .core, .isolation,
            [.core], [.hips], [.bodyOnly], [.supine],
            "Lying on your back, lift your shoulders and straight legs off the floor with the lower back pressed down, and hold."),
        reps(
            "hanging_knee_raise", "Hanging knee raise", .intermediate, .core, .isolation,
            [.core], [.hips, .forearms], [.pullupBar], [.overhead],
            "Hanging from the bar, draw your knees up toward your chest without swinging, and lower slowly."),
        reps(
            "cable_woodchop", "Cable woodchop", .intermediate, .core, .isolation,
            [.core], [.shoulders], [.cable], [.spinalRotation],
            "From a high pulley, pull the handle diagonally across your body to the opposite hip, turning through the hips."),
        reps(
            "medicine_ball_russian_twist", "Medicine ball Russian twist", .intermediate, .core, .isolation,
            [.core], [], [.medicineBall], [.spinalRotation, .spinalFlexion],
            "Seated and leaning back slightly, turn the ball from one hip to the other keeping your chest lifted."),
        reps(
            "stability_ball_rollout", "Stability ball rollout", .intermediate, .core, .isolation,
            [.core], [.shoulders], [.exerciseBall], [],
            "Kneeling with forearms on the ball, roll it forward as far as you can keep your back flat, then pull it back."),
        reps(
            "v_up", "V-up", .advanced, .core, .isolation,
            [.core], [.hips], [.bodyOnly], [.spinalFlexion, .supine],
            "Lying flat, lift your straight arms and legs together to meet over your hips, and lower under control."),
        reps(
            "hanging_leg_raise", "Hanging leg raise", .advanced, .core, .isolation,
            [.core], [.hips, .forearms], [.pullupBar], [.overhead],
            "Hanging from the bar, raise your straight legs to hip height or higher without swinging."),
        reps(
            "barbell_rollout", "Barbell rollout", .advanced, .core, .isolation,
            [.core], [.shoulders, .back], [.barbell], [],
            "Kneeling with hands on a loaded barbell, roll it forward as far as you can hold a flat back, then pull it back."),
        reps(
            "turkish_get_up", "Turkish get-up", .advanced, .core, .compound,
            [.fullBody], [.core, .shoulders], [.kettlebell], [.overhead],
            "With the kettlebell pressed overhead, move from lying to standing step by step with your eyes on the bell, then reverse."),
        timed(
            "farmer_carry", "Farmer's carry", .beginner, .carry, .compound,
            [.forearms, .core], [.shoulders, .back], [.dumbbell], [],
            "Holding heavy dumbbells at your sides, walk tall with short steps and steady breathing."),
        timed(
            "kettlebell_suitcase_carry", "Suitcase carry", .beginner, .carry, .compound,
            [.core, .forearms], [.hips], [.kettlebell], [],
            "Carry one kettlebell at your side and walk without leaning toward it; switch hands halfway."),
        timed(
            "bear_crawl", "Bear crawl", .beginner, .carry, .compound,
            [.core, .shoulders], [.quads], [.bodyOnly], [.wristExtension],
            "On hands and feet with knees hovering just off the floor, crawl forward and back with small steps and a flat back."),
        timed(
            "overhead_carry", "Overhead kettlebell carry", .intermediate, .carry, .compound,
            [.shoulders, .core], [.triceps], [.kettlebell], [.overhead],
            "Press a kettlebell overhead, lock the arm, and walk with the ribs down; switch arms halfway."),
        timed(
            "crab_walk", "Crab walk", .intermediate, .carry, .compound,
            [.core, .glutes], [.triceps, .shoulders], [.bodyOnly], [.wristExtension, .shoulderRotation],
            "Sitting with hands behind you and hips lifted, walk forward and back on hands and feet."),
    ]
}
