import Foundation
import Hummingbird
import VigorCoaching
import VigorPluginSDK

/// Reading JSON request bodies and writing JSON responses, with the host's limits and
/// error mapping: a body over the limit is 413, bytes that are not JSON are 400, and JSON
/// whose fields have the wrong type or are missing is 422 naming the field.
struct JSONBody: Sendable {
    /// Largest body accepted, in bytes.
    let maxBytes: Int

    /// Collects the body (at most ``maxBytes``) and decodes it.
    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let data = try await collect(request)
        guard !data.isEmpty else { throw APIError.malformed("request body is empty; send a JSON object") }
        return try Self.decode(type, from: data)
    }

    /// Like ``decode(_:from:)`` but an empty body gives `nil`.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T? {
        let data = try await collect(request)
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return nil }
        return try Self.decode(type, from: data)
    }

    /// Collects the body and reads it through the direct wire path (``WireDecodable``), with
    /// the same statuses as the `Codable` path: 400 for bytes that are not a JSON object, 422
    /// naming a field that is missing or of the wrong type.
    func decode<T: WireDecodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer = try await collectBuffer(request)
        guard buffer.readableBytes > 0 else { throw APIError.malformed("request body is empty; send a JSON object") }
        do {
            // Parsed where it lies in the buffer (no copy into `Data`).
            let value = try buffer.withUnsafeReadableBytes { try WireParser.parse($0.bindMemory(to: UInt8.self)) }
            return try T(wire: value, at: .root)
        } catch let error as WireError {
            switch error.reason {
            case .malformed: throw APIError.malformed("request body is not valid JSON")
            case _ where error.path.isEmpty: throw APIError.malformed("request body must be a JSON object")
            case .missing: throw APIError.invalid(error.path, "is required")
            case .wrongType(let expected): throw APIError.invalid(error.path, "has the wrong type (expected \(expected))")
            case .invalid(let why): throw APIError.invalid(error.path, why)
            }
        }
    }

    private func collect(_ request: Request) async throws -> Data {
        Data(try await collectBuffer(request).readableBytesView)
    }

    private func collectBuffer(_ request: Request) async throws -> ByteBuffer {
        if let length = request.headers.value(.contentLength).flatMap(Int.init), length > maxBytes {
            throw APIError.tooLarge(limit: maxBytes)
        }
        do {
            return try await request.body.collect(upTo: maxBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.tooLarge(limit: maxBytes)
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            // Only a failed decode pays for the second parse that tells bad JSON from a bad field.
            guard (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
                throw APIError.malformed("request body is not valid JSON")
            }
            throw apiError(error)
        }
    }

    /// 400 when the top level is the wrong JSON type; 422 naming the field otherwise.
    static func apiError(_ error: DecodingError) -> APIError {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .invalid(field, "is required")
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return field.isEmpty ? .malformed("request body must be a JSON object") : .invalid(field, "must not be null")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return field.isEmpty
                ? .malformed("request body must be a JSON object")
                : .invalid(field, "has the wrong type (expected \(typeName(type)))")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return field.isEmpty ? .malformed("request body is not valid JSON") : .invalid(field, "has an invalid value")
        @unknown default:
            return .malformed("request body could not be read")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Int.Type, is Int64.Type: "integer"
        case is Double.Type: "number"
        case is Bool.Type: "boolean"
        default: "\(type)"
        }
    }
}

/// Encoding responses.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// A JSON response with `status`.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON response written directly (``WireEncodable``).
    static func make(_ value: some WireEncodable, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: WireJSON.bytes(of: value))))
    }

    /// An empty 204.
    static func noContent() -> Response {
        Response(status: .noContent)
    }
}
