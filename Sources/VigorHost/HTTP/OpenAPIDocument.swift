import Foundation

/// The OpenAPI 3.1 document of the served routes, built from the route table.
enum OpenAPIDocument {
    /// The document for `routes`, as JSON bytes.
    static func json(routes: [RouteDoc], version: String, components: [(String, JSONValue)] = OpenAPISchemas.all) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(document(routes: routes, version: version, components: components))
    }

    static func document(routes: [RouteDoc], version: String, components: [(String, JSONValue)] = OpenAPISchemas.all) -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for route in routes {
            let entry = (route.method.rawValue.lowercased(), operation(route))
            if let index = paths.firstIndex(where: { $0.0 == route.path }) {
                paths[index].1.append(entry)
            } else {
                paths.append((route.path, [entry]))
            }
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Vigor", "version": .string(version),
                "description": "AI fitness coaching host: accounts, profiles, coach chat, plans, logs, tiers.",
            ],
            "paths": .object(paths.map { ($0.0, .object($0.1)) }),
            "components": [
                "schemas": .object(components),
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"],
                    "apiKey": [
                        "type": "http", "scheme": "bearer",
                        "description": "A user API key (vgr_…) from /api/v1/users/me/api-keys; accepted on the /v1 routes",
                    ],
                ],
            ],
        ]
    }

    private static func operation(_ route: RouteDoc) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("operationId", .string(operationID(route))), ("summary", .string(route.summary)),
            ("tags", [.string(route.tag)]),
        ]
        let pathParameters = route.path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }
            .map { String($0.dropFirst().dropLast()) }
        var parameters: [JSONValue] = pathParameters.map { name in
            ["name": .string(name), "in": "path", "required": true, "schema": RouteDoc.pathParameterSchema]
        }
        parameters += route.query.map { query in
            [
                "name": .string(query.name), "in": "query", "required": .bool(route.queryRequired(query.name)),
                "description": .string(query.description),
                "schema": RouteDoc.querySchemas[query.name] ?? .string,
            ]
        }
        if !parameters.isEmpty { fields.append(("parameters", .array(parameters))) }
        if let schema = route.requestSchema {
            var body: [(String, JSONValue)] = [
                ("required", .bool(route.bodyRequired)), ("content", ["application/json": ["schema": .ref(schema)]]),
            ]
            if let cap = OpenAPISchemas.bodyByteCaps[schema] { body.append(("description", .string("at most \(cap) bytes (413 above)"))) }
            fields.append(("requestBody", .object(body)))
        }
        var responses: [(String, JSONValue)] = route.responses.map { response in
            var body: [(String, JSONValue)] = [("description", .string(response.description))]
            if let schema = response.schema {
                body.append(("content", ["application/json": ["schema": .ref(schema)]]))
            } else if response.status >= 400 {
                body.append(("content", ["application/json": ["schema": .ref("Error")]]))
            }
            return (String(response.status), .object(body))
        }
        responses.append(("default", ["description": "Error", "content": ["application/json": ["schema": .ref("Error")]]]))
        fields.append(("responses", .object(responses)))
        if route.access == .apiKey {
            fields.append(("security", [["apiKey": []], ["bearer": []]]))
        } else if route.access != .open {
            fields.append(("security", [["bearer": []]]))
            if route.access == .admin { fields.append(("x-vigor-role", "admin")) }
        }
        return .object(fields)
    }

    private static func operationID(_ route: RouteDoc) -> String {
        let words = route.path.split(separator: "/").filter { $0 != "api" && $0 != "v1" }
            .map { $0.replacingOccurrences(of: "{", with: "by_").replacingOccurrences(of: "}", with: "") }
            .map { $0.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_") }
        return ([route.method.rawValue.lowercased()] + words).joined(separator: "_")
    }
}
