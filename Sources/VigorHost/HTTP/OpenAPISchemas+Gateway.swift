import VigorCoaching

/// Schemas of the API keys, the OpenAI-compatible API and the AI admin routes.
extension OpenAPISchemas {
    static let nullableInteger: J = ["type": ["integer", "null"]]

    static let apiKey: J = .objectSchema(
        [
            ("id", .integer), ("name", .string),
            ("prefix", ["type": "string", "description": "The key's first characters, for telling keys apart"]),
            ("created_at", .dateTime), ("last_used_at", ["type": ["string", "null"], "format": "date-time"]),
        ], required: ["id", "name", "prefix", "created_at"])

    static let openAIUsage: J = .objectSchema(
        [("prompt_tokens", .integer), ("completion_tokens", .integer), ("total_tokens", .integer)],
        required: ["prompt_tokens", "completion_tokens", "total_tokens"])

    static let providerRule: J = .objectSchema(
        [
            (
                "provider",
                [
                    "type": "string", "minLength": 1, "maxLength": 64, "x-max-bytes": 64, "pattern": "^[a-z0-9_.-]{1,64}$",
                    "x-pattern-message": "1 to 64 of a-z 0-9 _ . -",
                ]
            ),
            ("model", merge(text(max: 200), [("description", "empty = the request's model")])),
            ("priority", int(0...1_000_000, description: "lower is tried first")), ("enabled", .boolean),
            ("daily_cap_micros", nullableInt(0...Int(Money.maxMicros))), ("weekly_cap_micros", nullableInt(0...Int(Money.maxMicros))),
            ("monthly_cap_micros", nullableInt(0...Int(Money.maxMicros))),
            ("loaded", ["type": "boolean", "readOnly": true, "description": "a loaded plugin serves this provider (output only)"]),
            (
                "spent_micros",
                [
                    "type": "object", "readOnly": true, "additionalProperties": .integer,
                    "description": "spend this day/week/month (output only)",
                ]
            ),
        ], required: ["provider", "priority"])

    static let gateway: [(String, J)] = [
        ("APIKey", apiKey),
        ("APIKeyList", .listOf("APIKey")),
        ("APIKeyInput", .objectSchema([("name", text(max: 100, nonBlank: true))])),
        (
            "APIKeyCreated",
            .objectSchema(
                [
                    ("id", .integer), ("name", .string), ("prefix", .string), ("created_at", .dateTime),
                    ("last_used_at", ["type": ["string", "null"]]),
                    ("key", ["type": "string", "description": "vgr_… — shown only in this response"]),
                ], required: ["id", "name", "prefix", "created_at", "key"])
        ),
        (
            "OpenAIChatRequest",
            .objectSchema(
                [
                    ("model", ["type": "string", "minLength": 1, "maxLength": 200, "x-max-bytes": 800]),
                    (
                        "messages",
                        [
                            "type": "array", "minItems": 1,
                            "items": .objectSchema(
                                [
                                    ("role", enumOf(["system", "developer", "user", "assistant"])),
                                    (
                                        "content",
                                        [
                                            "oneOf": [
                                                .string,
                                                .arrayOf(
                                                    .objectSchema(
                                                        [("type", enumOf(["text"])), ("text", .string)], required: ["type", "text"])),
                                            ]
                                        ]
                                    ),
                                ], required: ["role", "content"]),
                        ]
                    ),
                    ("temperature", number(0, 2)),
                    (
                        "max_tokens",
                        int(1...ModelCatalog.maxTokensCeiling, description: "at most the model's max_output_tokens (400 above)")
                    ),
                    ("max_completion_tokens", int(1...ModelCatalog.maxTokensCeiling, description: "as max_tokens")),
                    ("stream", .boolean), ("stream_options", .objectSchema([("include_usage", .boolean)])),
                    ("response_format", .objectSchema([("type", enumOf(["text", "json_object", "json_schema"]))], required: ["type"])),
                    ("user", .string), ("n", ["type": "integer", "enum": [1]]),
                ], required: ["model", "messages"])
        ),
        (
            "OpenAIChatCompletion",
            .objectSchema(
                [
                    ("id", .string), ("object", ["type": "string", "enum": ["chat.completion"]]), ("created", .integer),
                    ("model", .string),
                    (
                        "choices",
                        .arrayOf(
                            .objectSchema([
                                ("index", .integer),
                                ("message", .objectSchema([("role", .string), ("content", .string)])),
                                ("finish_reason", .string),
                            ]))
                    ),
                    ("usage", openAIUsage),
                ], required: ["id", "object", "created", "model", "choices", "usage"])
        ),
        (
            "OpenAIModelList",
            .objectSchema(
                [
                    ("object", ["type": "string", "enum": ["list"]]),
                    (
                        "data",
                        .arrayOf(
                            .objectSchema(
                                [("id", .string), ("object", .string), ("created", .integer), ("owned_by", .string)],
                                required: ["id", "object", "created", "owned_by"]))
                    ),
                ], required: ["object", "data"])
        ),
        (
            "OpenAIError",
            .objectSchema(
                [
                    (
                        "error",
                        .objectSchema(
                            [
                                ("message", .string), ("type", .string), ("param", ["type": ["string", "null"]]),
                                ("code", ["type": ["string", "null"]]),
                            ], required: ["message", "type", "param", "code"])
                    )
                ], required: ["error"])
        ),
        ("ProviderRule", providerRule),
        ("ProviderRuleList", .listOf("ProviderRule")),
        ("ProvidersInput", .objectSchema([("providers", list(.ref("ProviderRule"), max: 100, min: 1))], required: ["providers"])),
        (
            "BudgetInput",
            .objectSchema([
                ("weekly_budget_micros", nullableInt(0...Int(Money.maxMicros), description: "micro-dollars; null clears")),
                ("monthly_budget_micros", nullableInt(0...Int(Money.maxMicros), description: "micro-dollars; null clears")),
                ("alert_threshold_percent", int(1...100)), ("auto_disable", .boolean),
            ])
        ),
        (
            "Budget",
            .objectSchema([
                ("weekly_budget_micros", nullableInteger), ("monthly_budget_micros", nullableInteger),
                ("alert_threshold_percent", .integer), ("auto_disable", .boolean), ("updated_at", .dateTime),
                (
                    "spend",
                    .arrayOf(
                        .objectSchema([
                            ("period", .string), ("period_start", .day), ("resets_at", .dateTime), ("spent_micros", .integer),
                            ("spent_usd", .number), ("budget_micros", nullableInteger),
                            ("percent_used", ["type": ["number", "null"]]),
                        ]))
                ),
                (
                    "alerts",
                    .arrayOf(
                        .objectSchema([
                            ("id", .integer), ("period", .string), ("period_start", .day), ("kind", .string),
                            ("spent_micros", .integer), ("budget_micros", .integer), ("created_at", .dateTime),
                        ]))
                ),
            ])
        ),
        (
            "UsageGroup",
            .objectSchema([
                ("key", .string), ("provider", .string), ("model", .string), ("requests", .integer), ("attempts", .integer),
                ("prompt_tokens", .integer), ("completion_tokens", .integer), ("cost_micros", .integer), ("cost_usd", .number),
            ])
        ),
        (
            "PluginInventory",
            .objectSchema([
                ("directory", ["type": ["string", "null"]]),
                (
                    "loaded",
                    .arrayOf(
                        .objectSchema([
                            ("id", .string), ("name", .string), ("version", .string), ("kind", .string), ("path", .string),
                            ("provider", .string), ("models", .stringArray),
                            ("capabilities", ["type": "object", "additionalProperties": .boolean]),
                            ("status", ["type": "string", "description": "active, or inactive: missing secret NAME"]),
                        ]))
                ),
                ("rejected", .arrayOf(.objectSchema([("path", .string), ("code", .string), ("reason", .string)]))),
            ])
        ),
        (
            "PluginReload",
            .objectSchema([("changed", .stringArray), ("plugins", ["$ref": "#/components/schemas/PluginInventory"])])
        ),
        (
            "ProviderStatus",
            .objectSchema([
                (
                    "providers",
                    .arrayOf(
                        .objectSchema([
                            ("provider", .string), ("id", .string), ("name", .string), ("enabled", .boolean),
                            ("priority", nullableInteger),
                            ("has_secret", ["type": "boolean", "description": "whether the provider's secret is configured"]),
                            ("available", .boolean), ("offline", .boolean), ("streaming", .boolean), ("models", .stringArray),
                            (
                                "circuit",
                                .objectSchema([
                                    ("state", ["type": "string", "enum": ["closed", "open", "half_open"]]),
                                    ("consecutive_failures", .integer), ("open_until", ["type": ["string", "null"]]),
                                    ("total_failures", .integer), ("total_successes", .integer),
                                ])
                            ),
                        ]))
                )
            ])
        ),
    ]
}
