extension StandardCatalog {
    /// Cardio-machine work (treadmill, bike, rower, elliptical, stair climber) beyond the
    /// steady sessions listed with conditioning, and two more foam-roller drills.
    static let cardioMachines: [Exercise] = [
        timed(
            "recumbent_bike", "Recumbent bike", .beginner, .cardio, .compound,
            [.cardio], [.quads], [.cardioMachine], [],
            "Sit back in the recumbent seat and pedal at an easy-to-moderate effort; "
                + "the back rest makes it gentle on the back and on balance.",
            cues: [
                "Set the seat so your knee stays slightly bent at full reach", "Keep a smooth, even cadence",
                "Stay at a pace where you can talk in sentences",
            ],
            subs: ["stationary_bike", "treadmill_walk"]),
        timed(
            "treadmill_jog", "Treadmill jog", .beginner, .cardio, .compound,
            [.cardio], [.calves, .quads], [.cardioMachine], [.highImpact],
            "Jog at an easy, conversational pace with short, quick steps and a tall posture, walking whenever you need to.",
            cues: [
                "Land softly under your hips with short steps", "Keep your shoulders relaxed and arms swinging",
                "Hold the rails only to get on and off",
            ],
            subs: ["treadmill_walk", "elliptical"]),
        timed(
            "bike_intervals", "Bike intervals", .intermediate, .cardio, .compound,
            [.cardio], [.quads, .glutes], [.cardioMachine], [],
            "After an easy start, alternate 30 seconds of hard pedalling with 60–90 seconds easy, keeping the hard parts controlled.",
            cues: [
                "Raise the resistance for the hard parts rather than flailing your legs", "Stay seated with a steady upper body",
                "Recover until your breathing settles before the next effort",
            ],
            subs: ["stationary_bike", "rower_intervals"]),
        timed(
            "rower_intervals", "Rower intervals", .intermediate, .cardio, .compound,
            [.cardio], [.back, .quads], [.cardioMachine], [],
            "Row hard for 30 seconds with the legs driving first, then paddle easily until your breathing settles.",
            cues: [
                "Legs, then body, then arms on the drive", "Arms, then body, then legs on the way back",
                "Keep your back long; don't hunch over the handle",
            ],
            subs: ["rowing_machine", "bike_intervals"]),
        timed(
            "elliptical_intervals", "Elliptical intervals", .intermediate, .cardio, .compound,
            [.cardio], [.quads, .glutes], [.cardioMachine], [],
            "Alternate 30–60 seconds of faster striding at a higher resistance with 1–2 minutes of easy striding.",
            cues: [
                "Stand tall and keep your heels down", "Push through the whole foot",
                "Use the handles lightly; let the legs do the work",
            ],
            subs: ["elliptical", "bike_intervals"]),
        timed(
            "stair_climber", "Stair climber", .intermediate, .cardio, .compound,
            [.cardio], [.glutes, .quads], [.cardioMachine], [],
            "Step at a steady pace with an upright posture, resting your hands "
                + "lightly on the rails for balance rather than leaning on them.",
            cues: [
                "Stand tall instead of leaning on the rails", "Press through the whole foot on each step",
                "Choose a pace you can hold for the whole interval",
            ],
            subs: ["treadmill_walk", "elliptical"]),
        timed(
            "foam_roll_glutes", "Foam roll glutes", .beginner, .mobility, .isolation,
            [.glutes], [.hips], [.foamRoll], [],
            "Sit on the roller with one ankle crossed over the other knee, lean toward the crossed side, and roll slowly over the glute.",
            cues: [
                "Roll slowly, about an inch a second", "Pause on tender spots and breathe",
                "Keep the pressure uncomfortable at most, never painful",
            ],
            subs: ["ninety_ninety_hip_switch", "hip_flexor_stretch"]),
        timed(
            "foam_roll_hamstrings", "Foam roll hamstrings", .beginner, .mobility, .isolation,
            [.hamstrings], [.calves], [.foamRoll], [.wristExtension],
            "Sit with the roller under your thighs and hands on the floor behind you, lift "
                + "the hips and roll from just above the knee to below the glutes.",
            cues: [
                "Roll slowly and keep your legs relaxed", "Turn the legs in and out to reach the sides",
                "Avoid rolling over the back of the knee",
            ],
            subs: ["standing_hamstring_stretch", "foam_roll_calves"]),
    ]
}
