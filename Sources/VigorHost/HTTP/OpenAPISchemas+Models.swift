/// Schemas of the model catalogue: `/api/v1/admin/models` and the single model of `GET /v1/models/{id}`.
extension OpenAPISchemas {
    static let modelFields: [(String, J)] = [
        (
            "id",
            [
                "type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[A-Za-z0-9._:-]+$",
                "x-pattern-message": "must be 1 to 128 characters of A-Z a-z 0-9 . _ : -",
                "description": "not vigor-coach or vigor-coach-1 (the aliases)",
            ]
        ),
        (
            "provider",
            [
                "type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[a-z0-9_-]+$",
                "x-pattern-message": "must be 1 to 64 characters of a-z 0-9 _ -",
            ]
        ),
        ("input_per_mtok_usd", ["type": "number", "minimum": 0, "maximum": 10000, "description": "USD per million input tokens"]),
        ("output_per_mtok_usd", ["type": "number", "minimum": 0, "maximum": 10000, "description": "USD per million output tokens"]),
        ("max_output_tokens", ["type": "integer", "minimum": 1, "maximum": 1_000_000, "description": "at most context_window"]),
        ("context_window", ["type": "integer", "minimum": 1, "maximum": 10_000_000]),
    ]

    static let models: [(String, J)] = [
        (
            "ModelInput",
            .objectSchema(
                modelFields,
                required: ["id", "provider", "input_per_mtok_usd", "output_per_mtok_usd", "max_output_tokens", "context_window"])
        ),
        (
            "ModelEntry",
            .objectSchema(
                [
                    ("id", .string), ("provider", .string), ("input_per_mtok_usd", .number), ("output_per_mtok_usd", .number),
                    ("max_output_tokens", .integer), ("context_window", ["type": ["integer", "null"]]),
                    ("source", ["type": "string", "enum": ["plugin", "admin"]]), ("routable", .boolean),
                ],
                required: ["id", "provider", "input_per_mtok_usd", "output_per_mtok_usd", "max_output_tokens", "source", "routable"])
        ),
        ("ModelEntryList", .listOf("ModelEntry")),
        (
            "OpenAIModel",
            .objectSchema(
                [("id", .string), ("object", ["type": "string", "enum": ["model"]]), ("created", .integer), ("owned_by", .string)],
                required: ["id", "object", "created", "owned_by"])
        ),
    ]
}
