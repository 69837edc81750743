extension StandardCatalog {
    /// Rows, pulldowns and pull-ups.
    static let pulling: [Exercise] = [
        reps(
            "barbell_row", "Barbell bent-over row", .intermediate, .horizontalPull, .compound,
            [.back], [.biceps, .forearms], [.barbell], [.spinalLoading],
            "Hinged forward with a flat back, pull the bar to your lower ribs and lower it without letting the torso rise."),
        reps(
            "dumbbell_row", "One-arm dumbbell row", .beginner, .horizontalPull, .compound,
            [.back], [.biceps, .forearms], [.dumbbell], [],
            "Brace one hand on a bench or your thigh, pull the dumbbell toward your hip, and lower it under control."),
        reps(
            "table_row", "Table row", .beginner, .horizontalPull, .compound,
            [.back], [.biceps, .forearms], [.bodyOnly], [],
            "Lie under a sturdy table, grip its edge and pull your chest up to it with your body straight; bend the knees to make it easier."
        ),
        reps(
            "towel_door_row", "Door towel row", .beginner, .horizontalPull, .compound,
            [.back], [.biceps, .forearms], [.bodyOnly], [],
            "Loop a towel around both handles of a closed sturdy door, lean back on straight arms, and row your chest toward the door."),
        reps(
            "seated_cable_row", "Seated cable row", .beginner, .horizontalPull, .compound,
            [.back], [.biceps], [.cable], [],
            "Sitting tall, pull the handle to your lower ribs while squeezing the shoulder blades, then let the arms straighten."),
        reps(
            "chest_supported_dumbbell_row", "Chest-supported dumbbell row", .beginner, .horizontalPull, .compound,
            [.back], [.biceps, .shoulders], [.dumbbell, .bench], [],
            "Lie face down on an inclined bench and row the dumbbells up beside your ribs, pausing at the top."),
        reps(
            "pull_up", "Pull-up", .intermediate, .verticalPull, .compound,
            [.back], [.biceps, .forearms], [.pullupBar], [.overhead],
            "From a dead hang with an overhand grip, pull until your chin clears the bar and lower all the way."),
        reps(
            "lat_pulldown", "Lat pulldown", .beginner, .verticalPull, .compound,
            [.back], [.biceps], [.machine], [.overhead],
            "Thighs under the pads, pull the bar to your upper chest by driving the elbows down, then let it rise slowly."),
        reps(
            "prone_floor_pulldown", "Floor pulldown", .beginner, .verticalPull, .compound,
            [.back], [.shoulders], [.bodyOnly], [.overhead],
            "Lie face down with arms reaching overhead, lift them slightly and pull your elbows down to your sides, squeezing the shoulder blades."
        ),
        reps(
            "chin_up", "Chin-up", .intermediate, .verticalPull, .compound,
            [.back, .biceps], [.forearms], [.pullupBar], [.overhead],
            "With palms facing you, pull your chest toward the bar and lower to a full hang."),
        reps(
            "band_row", "Band row", .beginner, .horizontalPull, .compound,
            [.back], [.biceps], [.bands], [],
            "With a band anchored at chest height, pull the handles to your ribs with elbows close, then return slowly."),
        reps(
            "machine_row", "Machine row", .beginner, .horizontalPull, .compound,
            [.back], [.biceps], [.machine], [],
            "Chest against the pad, row the handles back until your elbows pass your body, and return under control."),
        reps(
            "kettlebell_row", "Kettlebell row", .beginner, .horizontalPull, .compound,
            [.back], [.biceps, .forearms], [.kettlebell], [],
            "In a staggered hinge with one hand braced, row the kettlebell to your hip and lower it slowly."),
        reps(
            "rack_inverted_row", "Inverted row", .beginner, .horizontalPull, .compound,
            [.back], [.biceps, .core], [.barbell, .rack], [],
            "Hang under a bar set at waist height in the rack and pull your chest to it with a straight body."),
        reps(
            "renegade_row", "Renegade row", .advanced, .horizontalPull, .compound,
            [.back], [.core, .chest], [.dumbbell], [.wristExtension],
            "In a push-up position on two dumbbells, row one to your hip while keeping the hips square, then switch."),
        reps(
            "pendlay_row", "Pendlay row", .advanced, .horizontalPull, .compound,
            [.back], [.biceps, .hamstrings], [.barbell], [.spinalLoading],
            "With the torso near level, row the bar explosively from the floor to your ribs and set it down each rep."),
        reps(
            "cable_single_arm_pulldown", "Half-kneeling cable pulldown", .beginner, .verticalPull, .compound,
            [.back], [.biceps], [.cable], [.overhead],
            "Kneeling on one knee beside a high pulley, pull the handle down to your ribs on one side and return slowly."),
        reps(
            "band_lat_pulldown", "Band lat pulldown", .beginner, .verticalPull, .compound,
            [.back], [.biceps], [.bands], [.overhead],
            "With a band anchored high, pull the ends down to your shoulders by driving the elbows toward your hips."),
        reps(
            "assisted_pull_up", "Assisted pull-up", .beginner, .verticalPull, .compound,
            [.back], [.biceps], [.machine], [.overhead],
            "On the assisted machine, pull your chin over the bar and lower yourself until your arms are straight."),
        reps(
            "scapular_pull_up", "Scapular pull-up", .beginner, .verticalPull, .compound,
            [.back], [.forearms], [.pullupBar], [.overhead],
            "Hanging with straight arms, pull your shoulder blades down to raise your body a few centimetres, then relax."),
        reps(
            "band_assisted_pull_up", "Band-assisted pull-up", .intermediate, .verticalPull, .compound,
            [.back], [.biceps], [.pullupBar, .bands], [.overhead],
            "With a band looped over the bar and under a knee or foot, pull your chin over the bar and lower slowly."),
        reps(
            "negative_pull_up", "Negative pull-up", .intermediate, .verticalPull, .compound,
            [.back, .biceps], [.forearms], [.pullupBar], [.overhead],
            "Jump or step to the top of a pull-up and lower yourself as slowly as you can to a full hang."),
        reps(
            "weighted_pull_up", "Weighted pull-up", .advanced, .verticalPull, .compound,
            [.back], [.biceps, .forearms], [.pullupBar, .dumbbell], [.overhead],
            "With a dumbbell held between your feet, do strict pull-ups from a dead hang to chin over the bar."),
    ]
}
