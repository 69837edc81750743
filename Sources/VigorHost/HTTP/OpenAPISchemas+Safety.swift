import VigorCoaching

extension OpenAPISchemas {
    /// The red-flag types of the safety screen (``RedFlag``).
    static let redFlagType: J = enumOf(RedFlag.allCases.map(\.rawValue), description: "red-flag type")

    /// Schemas of `GET /api/v1/admin/safety`.
    static let safety: [(String, J)] = [
        (
            "AdminSafetyReport",
            .objectSchema(
                [
                    ("since", .day), ("total", .integer),
                    (
                        "by_type",
                        .arrayOf(.objectSchema([("type", redFlagType), ("title", .string), ("count", .integer)]))
                    ),
                    (
                        "by_day",
                        .arrayOf(.objectSchema([("day", .day), ("type", redFlagType), ("count", .integer)]))
                    ),
                ], required: ["since", "total", "by_type", "by_day"])
        )
    ]
}
