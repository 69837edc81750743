extension StandardCatalog {
    /// Conditioning intervals, whole-body lifts and mobility drills.
    static let conditioning: [Exercise] = cardio + wholeBody + mobility

    static let cardio: [Exercise] = [
        timed(
            "march_in_place", "Brisk march in place", .beginner, .cardio, .compound,
            [.cardio], [.hips, .calves], [.bodyOnly], [],
            "March on the spot, lifting the knees and pumping the arms, at a pace that makes you breathe harder but still talk."),
        timed(
            "step_jack", "Step jack", .beginner, .cardio, .compound,
            [.cardio], [.calves, .shoulders], [.bodyOnly], [.overhead],
            "Step one foot out to the side while raising both arms overhead, return, and alternate sides without jumping."),
        timed(
            "shadow_boxing", "Shadow boxing", .beginner, .cardio, .compound,
            [.cardio], [.shoulders, .core], [.bodyOnly], [],
            "In a light boxing stance, throw relaxed straight punches and hooks while staying on the balls of your feet."),
        timed(
            "stationary_bike", "Stationary bike", .beginner, .cardio, .compound,
            [.cardio], [.quads], [.cardioMachine], [],
            "Pedal at a brisk cadence with moderate resistance, or alternate harder and easier intervals."),
        timed(
            "treadmill_walk", "Incline treadmill walk", .beginner, .cardio, .compound,
            [.cardio], [.calves, .glutes], [.cardioMachine], [],
            "Walk briskly on a slight incline without holding the rails, at a pace where you can talk but not sing."),
        timed(
            "rowing_machine", "Rowing machine", .beginner, .cardio, .compound,
            [.cardio], [.back, .quads], [.cardioMachine], [],
            "Push with the legs, then lean back slightly and pull the handle to your lower ribs; return in reverse order."),
        timed(
            "elliptical", "Elliptical", .beginner, .cardio, .compound,
            [.cardio], [.quads, .glutes], [.cardioMachine], [],
            "Stride smoothly with an upright posture, using the handles lightly, at a steady hard-but-conversational effort."),
        timed(
            "jumping_jack", "Jumping jack", .beginner, .cardio, .compound,
            [.cardio], [.calves, .shoulders], [.bodyOnly], [.plyometric, .highImpact, .overhead],
            "Jump the feet out while swinging the arms overhead, then jump back to the start, landing softly."),
        timed(
            "high_knees", "High knees", .intermediate, .cardio, .compound,
            [.cardio], [.hips, .quads], [.bodyOnly], [.highImpact],
            "Run on the spot, driving each knee to hip height and landing lightly on the balls of your feet."),
        timed(
            "mountain_climber", "Mountain climber", .intermediate, .cardio, .compound,
            [.cardio], [.core, .shoulders], [.bodyOnly], [.wristExtension],
            "From a high plank, drive the knees toward your chest one at a time at a quick, controlled pace."),
        timed(
            "skater_hop", "Skater hop", .intermediate, .cardio, .compound,
            [.cardio], [.glutes, .hips], [.bodyOnly], [.plyometric, .highImpact],
            "Bound sideways from one foot to the other, landing softly with a bent knee and swinging the arms across."),
        timed(
            "treadmill_intervals", "Treadmill run intervals", .intermediate, .cardio, .compound,
            [.cardio], [.calves, .quads], [.cardioMachine], [.highImpact],
            "Alternate short fast runs with easy walking, keeping the fast parts hard but controlled."),
        timed(
            "burpee", "Burpee", .intermediate, .cardio, .compound,
            [.fullBody, .cardio], [.chest, .quads], [.bodyOnly], [.plyometric, .highImpact, .wristExtension, .deepKneeFlexion],
            "Squat, place your hands down, jump the feet back to a plank, return them, and jump up with arms overhead."),
        timed(
            "medicine_ball_slam", "Medicine ball slam", .intermediate, .cardio, .compound,
            [.fullBody], [.core, .shoulders], [.medicineBall], [.overhead, .plyometric, .spinalFlexion],
            "Lift the ball overhead on your toes, then slam it into the floor in front of you and pick it up with a squat."),
    ]

    static let wholeBody: [Exercise] = [
        reps(
            "medicine_ball_squat_to_press", "Medicine ball squat to press", .beginner, .squat, .compound,
            [.fullBody], [.quads, .shoulders], [.medicineBall], [.overhead, .deepKneeFlexion],
            "Hold the ball at your chest, squat down, and as you stand press it overhead in one smooth movement."),
        reps(
            "dumbbell_thruster", "Dumbbell thruster", .intermediate, .squat, .compound,
            [.fullBody], [.quads, .shoulders], [.dumbbell], [.overhead, .deepKneeFlexion],
            "Dumbbells at your shoulders, squat, then drive up and use the momentum to press them overhead."),
        reps(
            "kettlebell_clean_and_press", "Kettlebell clean and press", .advanced, .verticalPush, .compound,
            [.fullBody], [.shoulders, .glutes], [.kettlebell], [.overhead],
            "Swing the kettlebell to the rack position with a hip snap, press it overhead, and lower it back down the same way."),
        reps(
            "barbell_power_clean", "Power clean", .advanced, .hinge, .compound,
            [.fullBody], [.hamstrings, .glutes, .back], [.barbell], [.plyometric, .spinalLoading, .wristExtension],
            "Pull the bar from the floor, extend the hips explosively, and catch it on the front of your shoulders in a quarter squat."),
    ]

    static let mobility: [Exercise] = [
        timed(
            "standing_hamstring_stretch", "Standing hamstring stretch", .beginner, .mobility, .isolation,
            [.hamstrings], [.calves], [.bodyOnly], [],
            "Rest one heel on a low step with the knee straight and hinge forward with a flat back until you feel a stretch."),
        timed(
            "hip_flexor_stretch", "Half-kneeling hip flexor stretch", .beginner, .mobility, .isolation,
            [.hips], [.quads], [.bodyOnly], [],
            "Kneel on one knee, tuck your pelvis under and shift forward gently until the front of the back hip stretches."),
        timed(
            "thoracic_open_book", "Open book rotation", .beginner, .mobility, .isolation,
            [.back], [.chest], [.bodyOnly], [],
            "Lie on your side with knees bent, and open the top arm across to the other side, following it with your eyes."),
        timed(
            "ninety_ninety_hip_switch", "90/90 hip switch", .beginner, .mobility, .isolation,
            [.hips], [.glutes], [.bodyOnly], [],
            "Sit with both knees bent to 90 degrees to one side, then rotate the knees over to the other side slowly."),
        timed(
            "cat_cow", "Cat-cow", .beginner, .mobility, .isolation,
            [.back], [.core], [.bodyOnly], [.wristExtension],
            "On hands and knees, slowly round your back toward the ceiling, then let it sag as you lift your chest."),
        timed(
            "childs_pose", "Child's pose", .beginner, .mobility, .isolation,
            [.back], [.hips], [.bodyOnly], [.deepKneeFlexion],
            "Kneel, sit the hips back toward your heels, and reach your arms forward on the floor while breathing slowly."),
        timed(
            "doorway_chest_stretch", "Doorway chest stretch", .beginner, .mobility, .isolation,
            [.chest], [.shoulders], [.bodyOnly], [.shoulderRotation],
            "Forearm on a door frame with the elbow at shoulder height, step through gently until the chest stretches."),
        timed(
            "ankle_rocks", "Ankle rocks", .beginner, .mobility, .isolation,
            [.calves], [], [.bodyOnly], [],
            "Half-kneeling facing a wall, rock the front knee forward over the toes with the heel down, then back."),
        timed(
            "worlds_greatest_stretch", "World's greatest stretch", .intermediate, .mobility, .isolation,
            [.hips], [.hamstrings, .back], [.bodyOnly], [.deepKneeFlexion, .wristExtension, .spinalRotation],
            "From a deep lunge, place the inside hand down, rotate the other arm to the ceiling, then straighten the front leg."),
        timed(
            "downward_dog", "Downward dog", .beginner, .mobility, .isolation,
            [.hamstrings], [.calves, .shoulders], [.bodyOnly], [.wristExtension, .overhead, .inverted],
            "From hands and knees, lift the hips into an inverted V and press your heels gently toward the floor."),
        timed(
            "foam_roll_thoracic", "Foam roll upper back", .beginner, .mobility, .isolation,
            [.back], [], [.foamRoll], [.supine],
            "Lie with the roller under your upper back, hands behind your head, and roll slowly between the shoulder blades."),
        timed(
            "foam_roll_quads", "Foam roll quads", .beginner, .mobility, .isolation,
            [.quads], [.hips], [.foamRoll], [],
            "Face down on your forearms with the roller under your thighs, roll slowly from hip to just above the knee."),
        timed(
            "foam_roll_calves", "Foam roll calves", .beginner, .mobility, .isolation,
            [.calves], [.hamstrings], [.foamRoll], [.wristExtension],
            "Sit with the roller under your calves and hands behind you, lift the hips and roll from ankle to knee."),
        timed(
            "band_shoulder_dislocate", "Band shoulder pass-through", .intermediate, .mobility, .isolation,
            [.shoulders], [.chest], [.bands], [.overhead, .shoulderRotation],
            "Holding a band wide with straight arms, lift it overhead and behind you, then bring it back to the front."),
        timed(
            "kettlebell_halo", "Kettlebell halo", .beginner, .mobility, .isolation,
            [.shoulders], [.core], [.kettlebell], [.overhead],
            "Hold a light kettlebell upside down by the horns and circle it slowly around your head in both directions."),
        timed(
            "ball_back_extension_stretch", "Stability ball back stretch", .beginner, .mobility, .isolation,
            [.back], [.chest, .core], [.exerciseBall], [.supine],
            "Lie back over a stability ball with feet planted and let your arms open to the sides as you breathe slowly."),
    ]
}
