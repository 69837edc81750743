import Foundation
import Hummingbird
import VigorCoaching
import VigorPluginSDK

/// The check every route's input passes before its handler: the query parameters and the
/// JSON body against the schemas `/openapi.json` publishes (400 for a body that is not
/// JSON or is missing when required, 413 over a size cap, 422 naming each invalid field).
struct RequestGate: Sendable {
    let validator: SchemaValidator
    let maxBodyBytes: Int

    init(validator: SchemaValidator = SchemaValidator(components: OpenAPISchemas.all), maxBodyBytes: Int = 1 << 20) {
        self.validator = validator
        self.maxBodyBytes = maxBodyBytes
    }

    func check(_ request: inout Request, doc: RouteDoc) async throws {
        guard doc.checkedByTable else { return }
        try checkQuery(request, doc: doc)
        guard let schema = doc.requestSchema else { return }
        let limit = min(maxBodyBytes, OpenAPISchemas.bodyByteCaps[schema] ?? maxBodyBytes)
        if let length = request.headers.value(.contentLength).flatMap(Int.init), length > limit {
            throw APIError.tooLarge(limit: limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.tooLarge(limit: limit)
        }
        request.body = RequestBody(buffer: buffer)
        let bytes = buffer.readableBytesView
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            if doc.bodyRequired { throw APIError.malformed("a JSON request body is required") }
            return
        }
        let value: WireValue
        do {
            value = try WireParser.parse(Array(bytes))
        } catch {
            throw APIError.malformed("request body is not valid JSON")
        }
        if case .object = value {} else { throw APIError.malformed("request body must be a JSON object") }
        let errors = validator.errors(value, schemaNamed: schema)
        guard errors.isEmpty else { throw APIError.validation(errors) }
    }

    private func checkQuery(_ request: Request, doc: RouteDoc) throws {
        var errors: [FieldError] = []
        for (name, _) in doc.query {
            let values = request.uri.queryParameters.getAll(name)
            guard let text = values.last else {
                if doc.queryRequired(name) { errors.append(FieldError(field: name, message: "is required")) }
                continue
            }
            guard let schema = RouteDoc.querySchemas[name] else { continue }
            let value: WireValue
            switch schema {
            case _ where Self.type(of: schema) == "integer":
                guard let number = Int(text) else {
                    errors.append(FieldError(field: name, message: "must be an integer"))
                    continue
                }
                value = .int(number)
            case _ where Self.type(of: schema) == "boolean":
                guard text == "true" || text == "false" else {
                    errors.append(FieldError(field: name, message: "must be true or false"))
                    continue
                }
                value = .bool(text == "true")
            default:
                value = .string(String(text))
            }
            errors += validator.errors(value, against: schema).map { FieldError(field: name, message: $0.message) }
        }
        guard errors.isEmpty else { throw APIError.validation(errors) }
    }

    private static func type(of schema: JSONValue) -> String? {
        guard case .object(let pairs) = schema, case .string(let type)? = pairs.first(where: { $0.0 == "type" })?.1 else { return nil }
        return type
    }
}
