import VigorCoaching

extension OpenAPISchemas {
    /// A vocabulary list: `[{id, label}]`.
    static let terms: J = .arrayOf(.objectSchema([("id", .string), ("label", .string)], required: ["id", "label"]))

    /// Schemas of the account and catalogue routes the web client uses.
    static let web: [(String, J)] = [
        (
            "ChangePasswordRequest",
            .objectSchema(
                [
                    ("current_password", text(max: 1024)),
                    (
                        "new_password",
                        [
                            "type": "string", "minLength": 8, "maxLength": 72, "x-max-bytes": 72,
                            "description": "8 to 72 characters and at most 72 bytes (UTF-8)",
                        ]
                    ),
                ], required: ["current_password", "new_password"])
        ),
        ("DeleteAccountRequest", .objectSchema([("password", text(max: 1024))], required: ["password"])),
        (
            "AccountExport",
            .objectSchema(
                [
                    ("format", .string), ("exported_at", .dateTime), ("account", ["type": "object"]),
                    ("profile", ["type": ["object", "null"]]), ("conversations", .arrayOf(["type": "object"])),
                    ("messages", .arrayOf(["type": "object"])), ("workout_plans", .arrayOf(["type": "object"])),
                    ("workout_logs", .arrayOf(["type": "object"])), ("progress", .arrayOf(["type": "object"])),
                    ("api_keys", .arrayOf(["type": "object"])), ("sessions", .arrayOf(["type": "object"])),
                    ("usage_counters", .arrayOf(["type": "object"])), ("ai_usage", .arrayOf(["type": "object"])),
                ], required: ["format", "exported_at", "account"])
        ),
        (
            "Vocabulary",
            .objectSchema(
                [
                    ("equipment", terms), ("goals", terms), ("fitness_levels", terms), ("contraindications", terms),
                    ("injury_severities", terms), ("units", terms), ("muscles", terms), ("patterns", terms),
                ],
                required: [
                    "equipment", "goals", "fitness_levels", "contraindications", "injury_severities", "units", "muscles",
                    "patterns",
                ])
        ),
        (
            "CatalogExercise",
            .objectSchema(
                [
                    ("id", .ref("ExerciseID")), ("name", .string), ("primary_muscles", .stringArray),
                    ("secondary_muscles", .stringArray), ("equipment", .arrayOf(.ref("Equipment"))), ("level", .ref("FitnessLevel")),
                    ("pattern", .string), ("mechanic", .string), ("measure", .string), ("tags", .stringArray),
                    ("instructions", .string), ("form_cues", .stringArray), ("substitutions", .stringArray),
                ], required: ["id", "name", "equipment", "level"])
        ),
        (
            "ExercisePage",
            .objectSchema(
                [("items", .arrayOf(.ref("CatalogExercise"))), ("total", .integer), ("limit", .integer), ("offset", .integer)],
                required: ["items", "total", "limit", "offset"])
        ),
    ]
}
