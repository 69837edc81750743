import VigorCoaching

extension OpenAPISchemas {
    static let usage: J = .objectSchema([
        ("prompt_tokens", .integer), ("completion_tokens", .integer), ("cost_micros", .integer), ("cost_usd", .number),
    ])

    static let activity: J = .objectSchema(
        [("name", text(max: 200, nonBlank: true)), ("minutes", int(0...120))], required: ["name", "minutes"])

    static let plannedExercise: J = .objectSchema(
        [
            ("exercise_id", text(max: 200, nonBlank: true)), ("name", text(max: 200)), ("sets", int(0...100)),
            (
                "reps",
                merge(
                    .objectSchema([("min", int(0...1000)), ("max", int(0...1000))], required: ["min", "max"]),
                    [("type", ["object", "null"])])
            ),
            ("duration_seconds", nullableInt(0...86_400)),
            (
                "load",
                .objectSchema(
                    [
                        ("type", enumOf(Load.Kind.allCases.map(\.rawValue))),
                        ("value", ["type": ["number", "null"], "minimum": 0, "maximum": 1000]),
                    ],
                    required: ["type"])
            ),
            ("rest_seconds", int(0...3600)), ("instructions", text(max: 2000)), ("substitutions", list(text(max: 200), max: 20)),
        ], required: ["exercise_id", "name", "sets", "load", "rest_seconds", "instructions", "substitutions"])

    /// Caps of a client-written plan (`POST /api/v1/workouts/plans`): weeks, days, sessions,
    /// exercises and every text; the body is also capped at 256 KiB.
    static let maxPlanWeeks = 16
    static let maxExercisesPerSession = 30

    static let planFields: [(String, J)] = [
        ("title", text(max: 200)), ("summary", text(max: 2000)), ("level", .ref("FitnessLevel")),
        ("goals", list(.ref("Goal"), max: Goal.allCases.count)), ("split", text(max: 200)),
        ("days_per_week", int(FitnessProfile.daysPerWeekRange)), ("session_minutes", int(0...600)),
        (
            "weeks",
            list(
                .objectSchema(
                    [
                        ("number", int(0...1000)), ("deload", .boolean),
                        (
                            "days",
                            list(
                                .objectSchema(
                                    [
                                        ("day", int(0...7)), ("rest", .boolean),
                                        (
                                            "session",
                                            merge(
                                                .objectSchema(
                                                    [
                                                        ("name", text(max: 200)), ("focus", text(max: 200)),
                                                        ("muscle_groups", list(enumOf(MuscleGroup.allCases.map(\.rawValue)), max: 30)),
                                                        ("warmup", list(activity, max: 20)),
                                                        ("exercises", list(plannedExercise, max: maxExercisesPerSession)),
                                                        ("cooldown", list(activity, max: 20)),
                                                        ("estimated_minutes", int(0...600)),
                                                    ],
                                                    required: [
                                                        "name", "focus", "muscle_groups", "warmup", "exercises", "cooldown",
                                                        "estimated_minutes",
                                                    ]),
                                                [("type", ["object", "null"])])
                                        ),
                                    ], required: ["day", "rest"]),
                                max: 7)
                        ),
                    ], required: ["number", "deload", "days"]),
                max: maxPlanWeeks)
        ),
        (
            "progression",
            .objectSchema(
                [
                    ("rule", text(max: 200)), ("description", text(max: 2000)), ("increment_cap_percent", int(0...100)),
                    ("failed_sessions_before_deload", int(0...100)), ("deload_drop_percent", int(0...100)),
                ],
                required: ["rule", "description", "increment_cap_percent", "failed_sessions_before_deload", "deload_drop_percent"])
        ),
        ("deload_weeks", list(int(0...1000), max: maxPlanWeeks)), ("safety_notes", list(text(max: 2000), max: 50)),
        ("disclaimer", text(max: 4000)), ("generator", text(max: 200)),
        (
            "adjustments",
            list(
                .objectSchema(
                    [("kind", enumOf(PlanAdjustment.Kind.allCases.map(\.rawValue))), ("what", text(max: 2000)), ("why", text(max: 2000))],
                    required: ["kind", "what", "why"]),
                max: 50)
        ),
    ]

    static let planRequired = [
        "title", "summary", "level", "goals", "split", "days_per_week", "session_minutes", "weeks", "progression",
        "deload_weeks", "safety_notes", "disclaimer", "generator",
    ]

    static let loggedExercise: J = .objectSchema(
        [("exercise_id", .ref("ExerciseID")), ("sets", int(1...20)), ("reps", int(0...300)), ("load_kg", number(0, 1000))],
        required: ["exercise_id", "sets", "reps"])

    /// The chat body, with the host's configured message cap.
    static func chatInput(maxCharacters: Int) -> J {
        .objectSchema(
            [("message", text(max: maxCharacters, nonBlank: true)), ("conversation_id", int(1...maxID))], required: ["message"])
    }

    static let coaching: [(String, J)] = [
        ("ChatInput", chatInput(maxCharacters: 4000)),
        (
            "ChatResponse",
            .objectSchema(
                [
                    ("conversation_id", .integer), ("message_id", .integer), ("reply", .string), ("provider", .string),
                    ("model", .string), ("usage", usage), ("citations", .stringArray),
                ], required: ["conversation_id", "reply", "provider", "model", "usage"])
        ),
        (
            "Conversation",
            .objectSchema([("id", .integer), ("title", .string), ("created_at", .dateTime), ("updated_at", .dateTime)])
        ),
        ("ConversationList", .listOf("Conversation")),
        (
            "ConversationDetail",
            .objectSchema([
                ("id", .integer), ("title", .string), ("created_at", .dateTime), ("updated_at", .dateTime),
                (
                    "messages",
                    .arrayOf(
                        .objectSchema([
                            ("id", .integer), ("role", .string), ("content", .string), ("provider", .string),
                            ("model", .string), ("created_at", .dateTime),
                            ("truncated", ["type": "boolean", "description": "the answer's stream was cut; content is partial"]),
                        ]))
                ),
            ])
        ),
        (
            "PlanRequest",
            .objectSchema([
                ("days_per_week", int(FitnessProfile.daysPerWeekRange)),
                ("session_minutes", int(FitnessProfile.sessionMinutesRange)), ("weeks", int(PlanRequest.weeksRange)),
                ("focus_areas", list(text(max: 200, nonBlank: true), max: FitnessProfile.maxFocusAreas)),
            ])
        ),
        ("WorkoutPlan", .objectSchema(planFields, required: planRequired)),
        (
            "StoredWorkoutPlan",
            .objectSchema(
                [("id", .integer), ("source", .string), ("created_at", .dateTime)] + planFields, required: ["id", "weeks"])
        ),
        (
            "PlanSummary",
            .objectSchema([
                ("id", .integer), ("title", .string), ("summary", .string), ("level", .ref("FitnessLevel")),
                ("goals", .arrayOf(.ref("Goal"))), ("split", .string), ("days_per_week", .integer),
                ("session_minutes", .integer), ("weeks", .integer), ("generator", .string), ("created_at", .dateTime),
            ])
        ),
        ("PlanList", .listOf("PlanSummary")),
        (
            "WorkoutLogInput",
            .objectSchema(
                [
                    ("plan_id", int(1...maxID)), ("date", .day), ("duration_minutes", int(1...600)),
                    ("exercises", list(loggedExercise, max: 50)), ("notes", text(max: 2000)), ("rating", int(1...5)),
                ], required: ["plan_id", "duration_minutes", "exercises", "rating"])
        ),
        (
            "WorkoutLog",
            .objectSchema([
                ("id", .integer), ("plan_id", .integer), ("date", .day), ("duration_minutes", .integer),
                ("exercises", .arrayOf(loggedExercise)), ("notes", .string), ("rating", .integer),
                ("created_at", .dateTime),
            ])
        ),
        ("WorkoutLogList", .listOf("WorkoutLog")),
        (
            "WorkoutAnalysis",
            .objectSchema(
                [
                    ("log_id", .integer), ("assessment", .string), ("strengths", .stringArray),
                    ("areas_to_improve", .stringArray), ("recommendations", .stringArray), ("next_steps", .stringArray),
                    ("metrics", ["type": "object"]), ("narrative", .string),
                ], required: ["assessment", "strengths", "areas_to_improve", "recommendations", "next_steps"])
        ),
    ]
}
