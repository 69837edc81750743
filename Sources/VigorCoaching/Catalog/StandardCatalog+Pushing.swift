extension StandardCatalog {
    /// Horizontal and vertical presses.
    static let pushing: [Exercise] = [
        reps(
            "barbell_bench_press", "Barbell bench press", .intermediate, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders], [.barbell, .bench, .rack], [.supine],
            "Feet planted and shoulder blades pinched, lower the bar to your lower chest and press it back over the shoulders."),
        reps(
            "dumbbell_bench_press", "Dumbbell bench press", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders], [.dumbbell, .bench], [.supine],
            "Lying on a bench, lower the dumbbells to the sides of your chest with elbows at about 45 degrees and press up."),
        reps(
            "push_up", "Push-up", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders, .core], [.bodyOnly], [.wristExtension],
            "Hands under the shoulders and body in one straight line, lower your chest to just above the floor and press back up."),
        reps(
            "incline_push_up", "Incline push-up", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders, .core], [.bodyOnly], [.wristExtension],
            "Hands on a sturdy table, bench or step, lower your chest to its edge with a straight body and press away; higher is easier."),
        reps(
            "knee_push_up", "Knee push-up", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders], [.bodyOnly], [.wristExtension],
            "From your knees with a straight line from head to knees, lower your chest between your hands and press up."),
        reps(
            "wall_push_up", "Wall push-up", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders], [.bodyOnly], [.wristExtension],
            "Stand an arm's length from a wall, bend the elbows to bring your chest toward it, and push back."),
        reps(
            "barbell_incline_bench_press", "Incline barbell bench press", .intermediate, .horizontalPush, .compound,
            [.chest, .shoulders], [.triceps], [.barbell, .bench, .rack], [],
            "On an inclined bench, lower the bar to your upper chest with control and press it back over your chin."),
        reps(
            "dumbbell_incline_press", "Incline dumbbell press", .beginner, .horizontalPush, .compound,
            [.chest, .shoulders], [.triceps], [.dumbbell, .bench], [],
            "On a bench set to a low incline, lower the dumbbells to your upper chest and press them back together."),
        reps(
            "machine_chest_press", "Machine chest press", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders], [.machine], [],
            "Seat set so the handles are at mid-chest, press forward until your arms are straight, and return slowly."),
        reps(
            "dumbbell_floor_press", "Dumbbell floor press", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders], [.dumbbell], [.supine],
            "Lying on the floor, lower the dumbbells until your upper arms touch the floor, pause, and press up."),
        reps(
            "barbell_overhead_press", "Barbell overhead press", .intermediate, .verticalPush, .compound,
            [.shoulders, .triceps], [.core], [.barbell, .rack], [.overhead, .spinalLoading],
            "From the rack at collarbone height, brace and press the bar overhead, moving your head back and then through."),
        reps(
            "dumbbell_shoulder_press", "Dumbbell shoulder press", .beginner, .verticalPush, .compound,
            [.shoulders, .triceps], [.core], [.dumbbell], [.overhead],
            "Dumbbells at shoulder height, press them overhead until your arms are straight without arching your back."),
        reps(
            "incline_pike_push_up", "Elevated-hands pike push-up", .beginner, .verticalPush, .compound,
            [.shoulders, .triceps], [.chest], [.bodyOnly], [.overhead, .wristExtension],
            "Hands on a sturdy chair or step and hips high, bend the elbows to lower your head toward your hands, then press up."),
        reps(
            "machine_shoulder_press", "Machine shoulder press", .beginner, .verticalPush, .compound,
            [.shoulders, .triceps], [], [.machine], [.overhead],
            "Seat set so the handles start at shoulder height, press up until your arms are straight, and lower slowly."),
        reps(
            "cable_chest_press", "Standing cable chest press", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders, .core], [.cable], [],
            "Facing away from the cables in a split stance, press the handles forward together and control them back."),
        reps(
            "band_chest_press", "Band chest press", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders], [.bands], [],
            "With a band anchored behind you at chest height, press the handles forward until your arms are straight."),
        reps(
            "medicine_ball_chest_pass", "Medicine ball chest pass", .beginner, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders], [.medicineBall], [.plyometric],
            "Facing a solid wall, throw the ball from your chest with both hands, catch the rebound and repeat."),
        reps(
            "decline_push_up", "Decline push-up", .intermediate, .horizontalPush, .compound,
            [.chest, .shoulders], [.triceps, .core], [.bodyOnly], [.wristExtension],
            "Feet raised on a step or chair, lower your chest between your hands and press up with a rigid body."),
        reps(
            "diamond_push_up", "Close-grip push-up", .intermediate, .horizontalPush, .compound,
            [.triceps, .chest], [.shoulders], [.bodyOnly], [.wristExtension],
            "With hands close together under your chest, lower with elbows brushing your ribs and press back up."),
        reps(
            "close_grip_bench_press", "Close-grip bench press", .intermediate, .horizontalPush, .compound,
            [.triceps, .chest], [.shoulders], [.barbell, .bench, .rack], [.supine],
            "Hands shoulder-width on the bar, lower it to your lower chest with elbows tucked and press up."),
        reps(
            "archer_push_up", "Archer push-up", .advanced, .horizontalPush, .compound,
            [.chest, .triceps], [.shoulders, .core], [.bodyOnly], [.wristExtension],
            "With very wide hands, lower toward one hand while the other arm straightens out to the side, then press up."),
        reps(
            "band_overhead_press", "Band overhead press", .beginner, .verticalPush, .compound,
            [.shoulders, .triceps], [.core], [.bands], [.overhead],
            "Standing on a band with the handles at your shoulders, press them overhead and lower under control."),
        reps(
            "kettlebell_press", "Kettlebell press", .intermediate, .verticalPush, .compound,
            [.shoulders, .triceps], [.core], [.kettlebell], [.overhead],
            "From the rack position, press the kettlebell overhead with a straight wrist and lower it back to your chest."),
        reps(
            "pike_push_up", "Pike push-up", .intermediate, .verticalPush, .compound,
            [.shoulders, .triceps], [.chest], [.bodyOnly], [.overhead, .wristExtension],
            "From an inverted V with hips high, bend the elbows to lower your head toward the floor and press back."),
        reps(
            "arnold_press", "Arnold press", .intermediate, .verticalPush, .compound,
            [.shoulders, .triceps], [], [.dumbbell], [.overhead, .shoulderRotation],
            "Start with palms facing you at chin height, rotate them outward as you press overhead, and reverse on the way down."),
        reps(
            "push_press", "Push press", .advanced, .verticalPush, .compound,
            [.shoulders, .triceps], [.quads, .core], [.barbell, .rack], [.overhead, .spinalLoading],
            "Dip slightly at the knees and drive the bar overhead with the legs, finishing the press with your arms."),
        reps(
            "wall_handstand_push_up", "Wall handstand push-up", .advanced, .verticalPush, .compound,
            [.shoulders, .triceps], [.core], [.bodyOnly], [.overhead, .wristExtension, .inverted],
            "Kick up to a handstand facing away from a wall, lower your head to the floor with control, and press back up."),
    ]
}
