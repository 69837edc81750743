/// The JSON Schemas of every request and response body, by the names routes use.
enum OpenAPISchemas {
    typealias J = JSONValue

    static let error: J = .objectSchema(
        [
            (
                "error",
                .objectSchema(
                    [
                        ("code", .string), ("message", .string), ("request_id", .string),
                        ("limit", ["type": "string", "description": "The quota limit hit (429)"]),
                        ("fields", .arrayOf(.objectSchema([("field", .string), ("message", .string)]))),
                    ], required: ["code", "message", "request_id"])
            )
        ], required: ["error"])

    static let tokenFields: [(String, J)] = [
        ("access_token", .string), ("refresh_token", .string), ("token_type", ["type": "string", "enum": ["bearer"]]),
        ("expires_at", .dateTime), ("expires_in", .integer),
    ]

    static let enums: [(String, J)] = [
        ("FitnessLevel", ["type": "string", "enum": ["beginner", "intermediate", "advanced"]]),
        (
            "Goal",
            [
                "type": "string",
                "enum": ["weight_loss", "muscle_gain", "strength", "endurance", "flexibility", "general_fitness"],
            ]
        ),
        ("Equipment", ["type": "string", "description": "An equipment name such as body_only, dumbbell, barbell"]),
    ]

    static let all: [(String, J)] =
        enums + [
            ("Error", error),
            (
                "RegisterRequest",
                .objectSchema(
                    [
                        ("email", ["type": "string", "format": "email"]),
                        ("username", ["type": "string", "minLength": 3, "maxLength": 50]),
                        ("password", ["type": "string", "minLength": 8, "description": "at most 72 bytes"]),
                        ("fitness_level", .ref("FitnessLevel")), ("goals", .arrayOf(.ref("Goal"))),
                        ("equipment", .arrayOf(.ref("Equipment"))),
                    ], required: ["email", "username", "password"])
            ),
            (
                "RegisterResponse",
                .objectSchema(
                    [("id", .integer), ("username", .string), ("email", .string), ("tier", .string), ("role", .string)]
                        + tokenFields,
                    required: ["id", "username", "email", "tier", "access_token", "refresh_token", "token_type", "expires_at"])
            ),
            ("LoginRequest", .objectSchema([("email", .string), ("password", .string)], required: ["email", "password"])),
            ("RefreshRequest", .objectSchema([("refresh_token", .string)], required: ["refresh_token"])),
            ("LogoutRequest", .objectSchema([("refresh_token", .string)])),
            ("TokenResponse", .objectSchema(tokenFields, required: ["access_token", "refresh_token", "token_type", "expires_at"])),
            (
                "Account",
                .objectSchema([
                    ("id", .integer), ("username", .string), ("email", .string), ("tier", .string), ("role", .string),
                    ("created_at", .dateTime),
                ])
            ),
            (
                "FitnessProfile",
                .objectSchema(
                    [
                        ("fitness_level", .ref("FitnessLevel")), ("goals", .arrayOf(.ref("Goal"))),
                        ("equipment", .arrayOf(.ref("Equipment"))),
                        ("days_per_week", ["type": "integer", "minimum": 1, "maximum": 7]),
                        ("session_minutes", ["type": "integer", "minimum": 15, "maximum": 120]),
                        ("injuries", .arrayOf(.objectSchema([("area", .string), ("severity", .string), ("avoid", .stringArray)]))),
                        ("health_screen", ["type": "object"]), ("preferences", ["type": "object"]),
                    ], required: ["fitness_level"])
            ),
            (
                "ProgressInput",
                .objectSchema([
                    ("date", .day), ("weight_kg", .number), ("body_fat_percent", .number),
                    ("measurements", ["type": "object", "additionalProperties": .number]), ("notes", .string),
                ])
            ),
            (
                "Progress",
                .objectSchema([
                    ("id", .integer), ("date", .day), ("weight_kg", .number), ("body_fat_percent", .number),
                    ("measurements", ["type": "object", "additionalProperties": .number]), ("notes", .string),
                    ("created_at", .dateTime),
                ])
            ),
            ("ProgressList", .listOf("Progress")),
            (
                "Usage",
                .objectSchema([
                    ("tier", .string),
                    (
                        "periods",
                        .arrayOf(
                            .objectSchema([
                                ("period", ["type": "string", "enum": ["day", "week", "month"]]), ("period_start", .day),
                                ("resets_at", .dateTime), ("requests_used", .integer), ("requests_limit", .integer),
                                ("requests_remaining", .integer), ("cost_micros", .integer), ("cost_usd", .number),
                            ]))
                    ),
                    ("monthly_budget_micros", .integer), ("budget_used_micros", .integer),
                    ("budget_remaining_micros", .integer),
                ])
            ),
        ] + OpenAPISchemas.coaching + OpenAPISchemas.admin + OpenAPISchemas.gateway + OpenAPISchemas.models + OpenAPISchemas.safety
}
