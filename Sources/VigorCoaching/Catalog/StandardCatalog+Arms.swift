extension StandardCatalog {
    /// Single-joint work for the chest, back, shoulders and arms.
    static let armsAndShoulders: [Exercise] = [
        reps(
            "dumbbell_lateral_raise", "Dumbbell lateral raise", .beginner, .isolation, .isolation,
            [.shoulders], [], [.dumbbell], [],
            "With a slight bend in the elbows, raise the dumbbells out to the sides to shoulder height and lower slowly."),
        reps(
            "band_lateral_raise", "Band lateral raise", .beginner, .isolation, .isolation,
            [.shoulders], [], [.bands], [],
            "Standing on a band, raise the handles out to the sides to shoulder height and lower against the band."),
        reps(
            "cable_lateral_raise", "Cable lateral raise", .intermediate, .isolation, .isolation,
            [.shoulders], [], [.cable], [],
            "Standing side-on to a low pulley, raise the handle across and out to shoulder height, then lower slowly."),
        reps(
            "dumbbell_rear_delt_fly", "Dumbbell rear delt fly", .beginner, .isolation, .isolation,
            [.shoulders], [.back], [.dumbbell], [],
            "Hinged forward with a flat back, open your arms out to the sides leading with the elbows, then lower."),
        reps(
            "cable_face_pull", "Cable face pull", .beginner, .isolation, .isolation,
            [.shoulders], [.back], [.cable], [.shoulderRotation],
            "Pull a rope from a high pulley toward your forehead, spreading the ends and turning the knuckles back."),
        reps(
            "band_face_pull", "Band face pull", .beginner, .isolation, .isolation,
            [.shoulders], [.back], [.bands], [.shoulderRotation],
            "With a band anchored at face height, pull it toward your forehead with elbows high and hands apart."),
        reps(
            "prone_y_raise", "Prone Y raise", .beginner, .isolation, .isolation,
            [.shoulders], [.back], [.bodyOnly], [.overhead],
            "Lie face down with arms in a Y overhead, thumbs up, and lift them a few centimetres by drawing the shoulder blades down."),
        reps(
            "band_pull_apart", "Band pull-apart", .beginner, .isolation, .isolation,
            [.back], [.shoulders], [.bands], [],
            "Holding a band at chest height with straight arms, pull it apart until it touches your chest, then return slowly."),
        reps(
            "reverse_snow_angel", "Reverse snow angel", .beginner, .isolation, .isolation,
            [.back], [.shoulders], [.bodyOnly], [.overhead],
            "Lie face down with arms at your sides, lift them slightly and sweep them in a wide arc toward your head and back."),
        reps(
            "superman", "Superman hold", .beginner, .isolation, .isolation,
            [.back], [.glutes, .hamstrings], [.bodyOnly], [],
            "Lie face down with arms by your sides and lift your chest and legs a little off the floor, hold a breath, and lower."),
        reps(
            "straight_arm_pulldown", "Straight-arm pulldown", .intermediate, .isolation, .isolation,
            [.back], [.core], [.cable], [],
            "With straight arms on a high pulley bar, sweep the bar down to your thighs using your lats and let it rise slowly."),
        reps(
            "dumbbell_pullover", "Dumbbell pullover", .intermediate, .isolation, .isolation,
            [.back], [.chest], [.dumbbell, .bench], [.overhead, .supine],
            "Lying across a bench, lower one dumbbell behind your head with slightly bent arms and pull it back over your chest."),
        reps(
            "dumbbell_shrug", "Dumbbell shrug", .beginner, .isolation, .isolation,
            [.back], [.forearms], [.dumbbell], [],
            "Holding dumbbells at your sides, lift your shoulders straight up toward your ears, pause, and lower."),
        reps(
            "pec_deck", "Pec deck", .beginner, .isolation, .isolation,
            [.chest], [.shoulders], [.machine], [],
            "Seated with arms on the pads, bring them together in front of your chest and open slowly."),
        reps(
            "band_chest_fly", "Band chest fly", .beginner, .isolation, .isolation,
            [.chest], [.shoulders], [.bands], [],
            "With a band anchored behind you, bring your slightly bent arms together in a hugging arc and return slowly."),
        reps(
            "cable_fly", "Cable fly", .intermediate, .isolation, .isolation,
            [.chest], [.shoulders], [.cable], [],
            "Between two pulleys, bring the handles together in front of your chest in a wide arc and open under control."),
        reps(
            "dumbbell_fly", "Dumbbell fly", .intermediate, .isolation, .isolation,
            [.chest], [.shoulders], [.dumbbell, .bench], [.supine, .shoulderRotation],
            "Lying on a bench, open your slightly bent arms until you feel a chest stretch, then bring the dumbbells back together."),
        reps(
            "dumbbell_curl", "Dumbbell curl", .beginner, .isolation, .isolation,
            [.biceps], [.forearms], [.dumbbell], [],
            "Elbows at your sides, curl the dumbbells up while turning the palms up, and lower them all the way."),
        reps(
            "hammer_curl", "Hammer curl", .beginner, .isolation, .isolation,
            [.biceps, .forearms], [], [.dumbbell], [],
            "With palms facing each other, curl the dumbbells up without swinging and lower slowly."),
        reps(
            "towel_curl", "Towel curl", .beginner, .isolation, .isolation,
            [.biceps], [.forearms], [.bodyOnly], [],
            "Loop a towel under one foot, hold both ends, and curl against the resistance your leg gives."),
        reps(
            "band_curl", "Band curl", .beginner, .isolation, .isolation,
            [.biceps], [.forearms], [.bands], [],
            "Standing on a band, curl the handles to your shoulders with elbows fixed at your sides."),
        reps(
            "cable_curl", "Cable curl", .beginner, .isolation, .isolation,
            [.biceps], [.forearms], [.cable], [],
            "Facing a low pulley, curl the bar up with elbows pinned and lower it until the arms are straight."),
        reps(
            "barbell_curl", "Barbell curl", .beginner, .isolation, .isolation,
            [.biceps], [.forearms], [.barbell], [],
            "With a shoulder-width underhand grip, curl the bar to your chest and lower it under control."),
        reps(
            "incline_dumbbell_curl", "Incline dumbbell curl", .intermediate, .isolation, .isolation,
            [.biceps], [], [.dumbbell, .bench], [],
            "Leaning back on an inclined bench with arms hanging, curl the dumbbells without moving the elbows forward."),
        reps(
            "triceps_wall_extension", "Wall triceps extension", .beginner, .isolation, .isolation,
            [.triceps], [], [.bodyOnly], [],
            "Lean into a wall on your forearms with elbows at eye level and press through your palms until your arms are straight."),
        reps(
            "cable_triceps_pushdown", "Cable triceps pushdown", .beginner, .isolation, .isolation,
            [.triceps], [], [.cable], [],
            "Elbows at your sides, push the rope or bar down until your arms are straight and let it rise slowly."),
        reps(
            "band_triceps_pushdown", "Band triceps pushdown", .beginner, .isolation, .isolation,
            [.triceps], [], [.bands], [],
            "With a band anchored high, press it down to your thighs keeping your elbows at your sides."),
        reps(
            "dumbbell_overhead_triceps_extension", "Overhead triceps extension", .beginner, .isolation, .isolation,
            [.triceps], [], [.dumbbell], [.overhead],
            "Hold one dumbbell overhead with both hands, lower it behind your head by bending the elbows, and straighten."),
        reps(
            "dumbbell_kickback", "Dumbbell kickback", .beginner, .isolation, .isolation,
            [.triceps], [], [.dumbbell], [],
            "Hinged forward with the upper arm along your side, straighten the elbow to push the dumbbell back, then return."),
        reps(
            "bench_dip", "Bench dip", .beginner, .isolation, .isolation,
            [.triceps], [.chest, .shoulders], [.bench], [.wristExtension, .shoulderRotation],
            "Hands on the bench edge behind you and legs out in front, bend the elbows to lower your hips, then press up."),
        reps(
            "skull_crusher", "Skull crusher", .intermediate, .isolation, .isolation,
            [.triceps], [], [.barbell, .bench], [.supine],
            "Lying on a bench, lower the bar toward your forehead by bending only the elbows, then straighten."),
        reps(
            "dumbbell_wrist_curl", "Dumbbell wrist curl", .beginner, .isolation, .isolation,
            [.forearms], [], [.dumbbell], [],
            "Forearms resting on your thighs with palms up, curl the dumbbells up using only your wrists."),
        timed(
            "dead_hang", "Dead hang", .beginner, .isolation, .isolation,
            [.forearms], [.back, .shoulders], [.pullupBar], [.overhead],
            "Hang from the bar with straight arms and relaxed shoulders, feet off the floor, for the set time."),
    ]
}
