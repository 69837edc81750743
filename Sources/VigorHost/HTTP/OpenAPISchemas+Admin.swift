extension OpenAPISchemas {
    static let tier: J = .objectSchema(
        [
            ("name", .string), ("requests_per_day", .integer), ("requests_per_week", .integer),
            ("requests_per_month", .integer), ("monthly_budget_micros", .integer), ("price_micros", .integer),
            ("monthly_budget_usd", .number), ("price_usd", .number),
        ],
        required: [
            "name", "requests_per_day", "requests_per_week", "requests_per_month", "monthly_budget_micros",
            "price_micros",
        ])

    static let admin: [(String, J)] = [
        ("Tier", tier),
        ("TierList", .listOf("Tier")),
        ("TiersInput", .objectSchema([("tiers", .arrayOf(.ref("Tier")))], required: ["tiers"])),
        ("TierAssignment", .objectSchema([("tier", .string)], required: ["tier"])),
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
