extension OpenAPISchemas {
    static let usage: J = .objectSchema([
        ("prompt_tokens", .integer), ("completion_tokens", .integer), ("cost_micros", .integer), ("cost_usd", .number),
    ])

    static let plannedExercise: J = .objectSchema([
        ("exercise_id", .string), ("name", .string), ("sets", .integer),
        ("reps", .objectSchema([("min", .integer), ("max", .integer)])), ("duration_seconds", .integer),
        ("load", .objectSchema([("type", ["type": "string", "enum": ["rpe", "kg", "bodyweight"]]), ("value", .number)])),
        ("rest_seconds", .integer), ("instructions", .string), ("substitutions", .stringArray),
    ])

    static let planFields: [(String, J)] = [
        ("title", .string), ("summary", .string), ("level", .ref("FitnessLevel")), ("goals", .arrayOf(.ref("Goal"))),
        ("split", .string), ("days_per_week", .integer), ("session_minutes", .integer),
        (
            "weeks",
            .arrayOf(
                .objectSchema([
                    ("number", .integer), ("deload", .boolean),
                    (
                        "days",
                        .arrayOf(
                            .objectSchema([
                                ("day", .integer), ("rest", .boolean),
                                (
                                    "session",
                                    .objectSchema([
                                        ("name", .string), ("focus", .string), ("muscle_groups", .stringArray),
                                        ("warmup", .arrayOf(.objectSchema([("name", .string), ("minutes", .integer)]))),
                                        ("exercises", .arrayOf(plannedExercise)),
                                        ("cooldown", .arrayOf(.objectSchema([("name", .string), ("minutes", .integer)]))),
                                        ("estimated_minutes", .integer),
                                    ])
                                ),
                            ]))
                    ),
                ]))
        ),
        ("progression", ["type": "object"]), ("deload_weeks", .arrayOf(.integer)), ("safety_notes", .stringArray),
        ("disclaimer", .string), ("generator", .string),
    ]

    static let loggedExercise: J = .objectSchema(
        [("exercise_id", .string), ("sets", .integer), ("reps", .integer), ("load_kg", .number)],
        required: ["exercise_id", "sets", "reps"])

    static let coaching: [(String, J)] = [
        (
            "ChatInput",
            .objectSchema(
                [("message", ["type": "string", "maxLength": 4000]), ("conversation_id", .integer)], required: ["message"])
        ),
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
                ("days_per_week", ["type": "integer", "minimum": 1, "maximum": 7]),
                ("session_minutes", ["type": "integer", "minimum": 15, "maximum": 120]),
                ("weeks", ["type": "integer", "minimum": 1, "maximum": 16]), ("focus_areas", .stringArray),
            ])
        ),
        ("WorkoutPlan", .objectSchema(planFields, required: ["title", "level", "weeks"])),
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
                    ("plan_id", .integer), ("date", .day), ("duration_minutes", .integer),
                    ("exercises", .arrayOf(loggedExercise)), ("notes", .string),
                    ("rating", ["type": "integer", "minimum": 1, "maximum": 5]),
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
