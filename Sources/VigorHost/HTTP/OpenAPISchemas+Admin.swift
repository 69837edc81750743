import VigorCoaching

extension OpenAPISchemas {
    static let tierName: J = [
        "type": "string", "minLength": 1, "maxLength": 32, "x-max-bytes": 32, "pattern": "^[a-z0-9_-]{1,32}$",
        "x-pattern-message": "1–32 of a-z, 0-9, '_' and '-'",
    ]

    static let tier: J = .objectSchema(
        [
            ("name", tierName), ("requests_per_day", int(0...maxRequestLimit)), ("requests_per_week", int(0...maxRequestLimit)),
            (
                "requests_per_month",
                int(0...maxRequestLimit, description: "limits must satisfy day <= week <= month (422 otherwise)")
            ),
            ("monthly_budget_micros", micros), ("price_micros", micros),
            ("monthly_budget_usd", ["type": "number", "readOnly": true]), ("price_usd", ["type": "number", "readOnly": true]),
        ],
        required: [
            "name", "requests_per_day", "requests_per_week", "requests_per_month", "monthly_budget_micros",
            "price_micros",
        ])

    static let admin: [(String, J)] = [
        ("Tier", tier),
        ("TierList", .listOf("Tier")),
        ("TiersInput", .objectSchema([("tiers", list(.ref("Tier"), max: 50, min: 1))], required: ["tiers"])),
        ("TierAssignment", .objectSchema([("tier", tierName)], required: ["tier"])),
        (
            "AdminUsage",
            .objectSchema([
                ("since", .day), ("total_requests", .integer), ("total_cost_micros", .integer),
                (
                    "users",
                    .arrayOf(
                        .objectSchema([
                            ("user_id", .integer), ("username", .string), ("tier", .string), ("requests", .integer),
                            ("prompt_tokens", .integer), ("completion_tokens", .integer), ("cost_micros", .integer),
                            ("cost_usd", .number),
                        ]))
                ),
                ("by_provider", .arrayOf(.ref("UsageGroup"))), ("by_model", .arrayOf(.ref("UsageGroup"))),
                ("by_day", .arrayOf(.ref("UsageGroup"))),
            ])
        ),
        ("Status", .objectSchema([("status", .string), ("checks", ["type": "object", "additionalProperties": .string])])),
    ]
}
