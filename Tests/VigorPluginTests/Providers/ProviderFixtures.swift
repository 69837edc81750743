import Foundation
import Testing
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

/// Recorded provider fixtures (`Tests/Fixtures/providers/<provider>/`) and the checks the
/// per-provider suites share. Every check goes through the real built `.so`.
enum ProviderFixtures {
    /// The bundled plugins, loaded once through dlopen.
    static let registry: PluginRegistry = {
        let registry = TestSupport.registry()
        registry.scan(directory: TestSupport.builtProducts.path)
        return registry
    }()

    static func component(_ id: String) throws -> PluginComponentHandle {
        try #require(registry.component(id: id), "\(id) is not loaded from \(TestSupport.builtProducts.path)")
    }

    static func directory(_ provider: String) -> URL {
        TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/providers/\(provider)")
    }

    /// A fixture's bytes; the empty name is an empty body.
    static func bytes(_ provider: String, _ name: String) throws -> [UInt8] {
        name.isEmpty ? [] : Array(try Data(contentsOf: directory(provider).appendingPathComponent(name)))
    }

    static func manifest<T: Decodable>(_ type: T.Type, _ provider: String, _ name: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes(provider, name)))
    }

    // MARK: requests

    struct RequestManifest: Decodable {
        struct Case: Decodable {
            var name: String
            var input: JSONValue
            var expect: Expected?
        }

        struct Expected: Decodable {
            var method: String
            var url: String
            var headers: [[String]]
            var secret_headers: [SecretHeader]
            var body: JSONValue
        }

        var cases: [Case]
        var invalid: [Case]
    }

    /// Builds every recorded request and compares it field by field; refuses the invalid ones.
    static func checkRequests(_ provider: String, id: String) throws {
        let component = try component(id)
        let manifest = try manifest(RequestManifest.self, provider, "requests.json")
        #expect(!manifest.cases.isEmpty)
        for item in manifest.cases {
            let expect = try #require(item.expect)
            let input = try JSONEncoder().encode(item.input)
            let built = try JSONDecoder().decode(
                UpstreamRequest.self, from: Data(component.invoke(op: "provider.build_request", input: Array(input))))
            #expect(built.method == expect.method, "\(item.name)")
            #expect(built.url == expect.url, "\(item.name)")
            #expect(built.headers == expect.headers, "\(item.name)")
            #expect(built.secretHeaders == expect.secret_headers, "\(item.name)")
            let body = try JSONDecoder().decode(JSONValue.self, from: Data(built.body.utf8))
            #expect(body == expect.body, "\(item.name): body \(built.body)")
            #expect(!built.body.contains("_API_KEY"), "\(item.name): a secret name leaked into the body")
        }
        for item in manifest.invalid {
            let input = try JSONEncoder().encode(item.input)
            #expect(throws: PluginCallError.self, "\(item.name)") {
                try component.invoke(op: "provider.build_request", input: Array(input))
            }
        }
    }

    // MARK: responses

    struct ResponseManifest: Decodable {
        struct Case: Decodable {
            var name: String
            var status: Int
            var headers: [[String]]?
            var body: String
            var expect: Expected
        }

        struct Expected: Decodable {
            var text: String?
            var finish_reason: String?
            var model: String?
            var prompt_tokens: Int?
            var completion_tokens: Int?
            var citations: [String]?
            var error: String?
            var status: Int?
            var retry_after_ms: Int?
            var no_retry_after: Bool?
            var message_contains: String?
            var message_excludes: String?
        }

        var cases: [Case]
    }

    /// Parses every recorded response and checks the result against its expectation.
    static func checkResponses(_ provider: String, id: String, request: ChatRequest) throws {
        let component = try component(id)
        let manifest = try manifest(ResponseManifest.self, provider, "responses.json")
        #expect(!manifest.cases.isEmpty)
        for item in manifest.cases {
            let body = String(decoding: try bytes(provider, item.body), as: UTF8.self)
            let upstream = UpstreamResponse(status: item.status, headers: item.headers ?? [], body: body, request: request)
            let result = try component.invoke("provider.parse_response", upstream, as: ProviderResult.self)
            let expect = item.expect
            if let kind = expect.error {
                let error = try #require(result.error, "\(item.name): expected a \(kind) error, got \(String(describing: result.response))")
                #expect(result.response == nil, "\(item.name)")
                #expect(error.kind.rawValue == kind, "\(item.name): \(error.message)")
                if let status = expect.status { #expect(error.status == status, "\(item.name)") }
                if let retry = expect.retry_after_ms { #expect(error.retryAfterMs == retry, "\(item.name)") }
                if expect.no_retry_after == true { #expect(error.retryAfterMs == nil, "\(item.name)") }
                if let needle = expect.message_contains { #expect(error.message.contains(needle), "\(item.name): \(error.message)") }
                if let needle = expect.message_excludes { #expect(!error.message.contains(needle), "\(item.name): \(error.message)") }
                #expect(error.message.count <= 400, "\(item.name): message too long")
            } else {
                let response = try #require(result.response, "\(item.name): \(String(describing: result.error))")
                #expect(result.error == nil, "\(item.name)")
                if let text = expect.text { #expect(response.text == text, "\(item.name)") }
                if let finish = expect.finish_reason { #expect(response.finishReason == finish, "\(item.name)") }
                if let model = expect.model { #expect(response.model == model, "\(item.name)") }
                if let tokens = expect.prompt_tokens { #expect(response.usage.promptTokens == tokens, "\(item.name)") }
                if let tokens = expect.completion_tokens { #expect(response.usage.completionTokens == tokens, "\(item.name)") }
                if let citations = expect.citations { #expect(response.citations == citations, "\(item.name)") }
            }
        }
    }
}

/// Any JSON value, compared structurally (object key order does not matter).
enum JSONValue: Codable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let v = try? c.decode(Bool.self) {
            self = .bool(v)
        } else if let v = try? c.decode(Int.self) {
            self = .int(v)
        } else if let v = try? c.decode(Double.self) {
            self = .number(v)
        } else if let v = try? c.decode(String.self) {
            self = .string(v)
        } else if let v = try? c.decode([JSONValue].self) {
            self = .array(v)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let v): try c.encode(v)
        case .int(let v): try c.encode(v)
        case .number(let v): try c.encode(v)
        case .string(let v): try c.encode(v)
        case .array(let v): try c.encode(v)
        case .object(let v): try c.encode(v)
        }
    }
}
