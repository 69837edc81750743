import VigorCoaching

/// The JSON Schemas of every request and response body, by the names routes use.
///
/// A request schema is the contract *and* the check: ``SchemaValidator`` enforces it on
/// every body before the route runs, so each constraint is declared once, here. Text
/// lengths count Unicode code points (as JSON Schema does, so 150 000 combining marks are
/// 150 000 characters); every capped text is also capped in UTF-8 bytes (`x-max-bytes`).
enum OpenAPISchemas {
    typealias J = JSONValue

    /// The components of a host with `configuration`: ``all`` with the configured chat
    /// message cap.
    static func components(configuration: VigorConfiguration) -> [(String, J)] {
        all.map { name, schema in
            name == "ChatInput" ? (name, chatInput(maxCharacters: configuration.maxMessageCharacters)) : (name, schema)
        }
    }

    /// Request schemas whose body may be left out (the route has defaults for every field).
    static let optionalBodies: Set<String> = ["LogoutRequest", "APIKeyInput", "PlanRequest", "RefreshRequest"]

    /// Bodies capped below the host-wide body limit, in bytes (413 above).
    static let bodyByteCaps: [String: Int] = ["WorkoutPlan": 256 * 1024]

    /// Largest request limit a tier may set (per day, week or month).
    static let maxRequestLimit = 1_000_000_000

    /// Largest row id.
    static let maxID = Int(Int64.max)

    /// An integer within `range`.
    static func int(_ range: ClosedRange<Int>, description: String? = nil) -> J {
        var pairs: [(String, J)] = [("type", "integer"), ("minimum", .int(range.lowerBound)), ("maximum", .int(range.upperBound))]
        if let description { pairs.append(("description", .string(description))) }
        return .object(pairs)
    }

    /// An integer within `range`, or null.
    static func nullableInt(_ range: ClosedRange<Int>, description: String? = nil) -> J {
        var pairs: [(String, J)] = [
            ("type", ["integer", "null"]), ("minimum", .int(range.lowerBound)), ("maximum", .int(range.upperBound)),
        ]
        if let description { pairs.append(("description", .string(description))) }
        return .object(pairs)
    }

    /// A number within `low...high`.
    static func number(_ low: Double, _ high: Double) -> J {
        ["type": "number", "minimum": bound(low), "maximum": bound(high)]
    }

    private static func bound(_ value: Double) -> J {
        value == value.rounded() && abs(value) < 1e15 ? .int(Int(value)) : .number(value)
    }

    /// Micro-dollars: `0...Money.maxMicros`.
    static let micros: J = int(0...Int(Money.maxMicros), description: "micro-dollars (1 USD = 1 000 000), at most 10^12")

    /// The pattern of a text that is not only white space (the white space of Swift and of
    /// Python's `str.isspace`, so generated and checked texts agree).
    static let nonBlankPattern =
        #"[^\t\n\u000B\f\r \u001C-\u001F\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"#

    /// A text of at most `max` characters (code points) and `4 × max` UTF-8 bytes.
    static func text(max: Int, min: Int = 0, nonBlank: Bool = false) -> J {
        var pairs: [(String, J)] = [("type", "string")]
        if min > 0 || nonBlank { pairs.append(("minLength", .int(Swift.max(min, 1)))) }
        pairs += [("maxLength", .int(max)), ("x-max-bytes", .int(4 * max))]
        if nonBlank {
            pairs += [("pattern", .string(nonBlankPattern)), ("x-pattern-message", "must not be empty")]
        }
        return .object(pairs)
    }

    /// An array of `item`, at most `max` long.
    static func list(_ item: J, max: Int, min: Int = 0, unique: Bool = false) -> J {
        var pairs: [(String, J)] = [("type", "array"), ("items", item)]
        if min > 0 { pairs.append(("minItems", .int(min))) }
        pairs.append(("maxItems", .int(max)))
        if unique { pairs.append(("uniqueItems", true)) }
        return .object(pairs)
    }

    /// A string that is one of `values`.
    static func enumOf(_ values: [String], description: String? = nil) -> J {
        var pairs: [(String, J)] = [("type", "string"), ("enum", .array(values.map(J.string)))]
        if let description { pairs.append(("description", .string(description))) }
        return .object(pairs)
    }

    /// `schema` with `extra` keywords added.
    static func merge(_ schema: J, _ extra: [(String, J)]) -> J {
        guard case .object(let pairs) = schema else { return schema }
        return .object(pairs + extra)
    }

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
        ("access_token", .string),
        ("refresh_token", ["type": "string", "description": "absent for the web client (X-Vigor-Client: web): the vigor_refresh cookie"]),
        ("token_type", ["type": "string", "enum": ["bearer"]]),
        ("expires_at", .dateTime), ("expires_in", .integer),
    ]

    static let enums: [(String, J)] = [
        ("FitnessLevel", enumOf(FitnessLevel.allCases.map(\.rawValue))),
        ("Goal", enumOf(Goal.allCases.map(\.rawValue))),
        ("Equipment", enumOf(Equipment.allCases.map(\.rawValue), description: "An equipment name")),
        ("ContraindicationTag", enumOf(ContraindicationTag.allCases.map(\.rawValue))),
        ("ExerciseID", enumOf(ExerciseCatalog.standard.exercises.map(\.id), description: "An exercise of the catalogue")),
    ]

    /// A new account's e-mail: one `@`, a dotted domain, no spaces, controls or `<>()[],;:\"`.
    static let emailPattern = #"^[^@<>()\[\],;:\\"\x00-\x20\x7F]+@[^@.<>()\[\],;:\\"\x00-\x20\x7F]+(\.[^@.<>()\[\],;:\\"\x00-\x20\x7F]+)+$"#

    static let fitnessProfile: J = .objectSchema(
        [
            ("fitness_level", .ref("FitnessLevel")),
            ("goals", list(.ref("Goal"), max: Goal.allCases.count, unique: true)),
            ("equipment", list(.ref("Equipment"), max: 50)),
            ("days_per_week", int(FitnessProfile.daysPerWeekRange)),
            ("session_minutes", int(FitnessProfile.sessionMinutesRange)),
            (
                "injuries",
                list(
                    .objectSchema(
                        [
                            ("area", text(max: 200, nonBlank: true)),
                            ("severity", enumOf(Injury.Severity.allCases.map(\.rawValue))),
                            ("avoid", list(.ref("ContraindicationTag"), max: ContraindicationTag.allCases.count)),
                        ], required: ["area"]),
                    max: FitnessProfile.maxInjuries)
            ),
            (
                "health_screen",
                .objectSchema([
                    ("parq_any_yes", .boolean), ("pregnant", .boolean), ("age", int(FitnessProfile.ageRange)),
                    ("inactive", .boolean),
                ])
            ),
            (
                "preferences",
                .objectSchema([
                    ("units", enumOf(Preferences.Units.allCases.map(\.rawValue))),
                    ("focus_areas", list(text(max: 200, nonBlank: true), max: FitnessProfile.maxFocusAreas)),
                    (
                        "disliked_exercise_ids",
                        list(text(max: 200, nonBlank: true), max: FitnessProfile.maxDislikedExercises)
                    ),
                ])
            ),
        ], required: ["fitness_level"])

    static let all: [(String, J)] =
        enums + [
            ("Error", error),
            (
                "RegisterRequest",
                .objectSchema(
                    [
                        (
                            "email",
                            [
                                "type": "string", "maxLength": 254, "x-max-bytes": 1016, "pattern": .string(emailPattern),
                                "x-pattern-message": "must be a valid e-mail address",
                            ]
                        ),
                        (
                            "username",
                            [
                                "type": "string", "minLength": 3, "maxLength": 50, "x-max-bytes": 50, "pattern": "^[A-Za-z0-9_.-]{3,50}$",
                                "x-pattern-message": "may only hold letters, digits, '_', '.' and '-'",
                            ]
                        ),
                        (
                            "password",
                            [
                                "type": "string", "minLength": 8, "maxLength": 72, "x-max-bytes": 72,
                                "description": "8 to 72 characters and at most 72 bytes (UTF-8)",
                            ]
                        ),
                        ("fitness_level", .ref("FitnessLevel")),
                        ("goals", list(.ref("Goal"), max: Goal.allCases.count, unique: true)),
                        ("equipment", list(.ref("Equipment"), max: 50)),
                    ], required: ["email", "username", "password"])
            ),
            (
                "RegisterResponse",
                .objectSchema(
                    [("id", .integer), ("username", .string), ("email", .string), ("tier", .string), ("role", .string)]
                        + tokenFields,
                    required: ["id", "username", "email", "tier", "access_token", "token_type", "expires_at"])
            ),
            (
                "LoginRequest",
                .objectSchema([("email", text(max: 1024)), ("password", text(max: 1024))], required: ["email", "password"])
            ),
            ("RefreshRequest", .objectSchema([("refresh_token", text(max: 4096))], required: ["refresh_token"])),
            ("LogoutRequest", .objectSchema([("refresh_token", text(max: 4096))])),
            ("TokenResponse", .objectSchema(tokenFields, required: ["access_token", "token_type", "expires_at"])),
            (
                "Account",
                .objectSchema([
                    ("id", .integer), ("username", .string), ("email", .string), ("tier", .string), ("role", .string),
                    ("created_at", .dateTime),
                ])
            ),
            ("FitnessProfile", fitnessProfile),
            (
                "ProgressInput",
                merge(
                    .objectSchema([
                        ("date", .day), ("weight_kg", number(20, 500)), ("body_fat_percent", number(1, 75)),
                        (
                            "measurements",
                            [
                                "type": "object", "maxProperties": 30, "propertyNames": text(max: 50, min: 1),
                                "additionalProperties": number(1, 500), "description": "centimetres by name",
                            ]
                        ),
                        ("notes", text(max: 2000)),
                    ]),
                    [
                        (
                            "anyOf",
                            [
                                ["required": ["weight_kg"]], ["required": ["body_fat_percent"]],
                                ["required": ["measurements"], "properties": ["measurements": ["minProperties": 1]]],
                                ["required": ["notes"], "properties": ["notes": ["minLength": 1]]],
                            ]
                        ),
                        ("description", "give at least one measurement or a note"),
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
        + OpenAPISchemas.web
}
