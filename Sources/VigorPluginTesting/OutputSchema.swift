import Foundation
import VigorPluginLoader
import VigorPluginSDK

/// The output schemas of docs/plugin-abi.md, checked strictly: what the host would refuse
/// (or misread) at run time is a failed check here, not a surprise in production.
/// Each function returns the first problem found, or nil when the output is valid.
enum OutputSchema {
    /// A JSON object, or nil.
    static func object(_ bytes: [UInt8]) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
    }

    /// Shows the start of an output in a check's detail.
    static func excerpt(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(80), as: UTF8.self)
        return "\"\(text)\(bytes.count > 80 ? "…" : "")\""
    }

    /// A JSON `true`/`false` (Foundation bridges both to `NSNumber`, and `is Bool` holds for 0 and 1 too).
    static func isBool(_ value: Any?) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    /// A JSON integer ≥ 0.
    static func isCount(_ value: Any?) -> Bool {
        guard let number = value as? NSNumber, !isBool(value) else { return false }
        return number.doubleValue >= 0 && number.doubleValue == number.doubleValue.rounded()
    }

    /// `"schema": 1` present and equal to 1.
    static func schemaProblem(_ object: [String: Any]) -> String? {
        guard let schema = object["schema"] else { return "\"schema\" is missing (every payload carries \"schema\":1)" }
        guard let number = schema as? NSNumber, number.doubleValue == 1, !isBool(schema) else { return "\"schema\" is \(schema), not 1" }
        return nil
    }

    /// `{"schema":1,"response":<chat response>}` or `{"schema":1,"error":{kind,message,…}}`.
    static func providerResultProblem(_ bytes: [UInt8]) -> String? {
        guard let object = object(bytes) else { return "output is not a JSON object: \(excerpt(bytes))" }
        if let problem = schemaProblem(object) { return problem }
        let response = object["response"].flatMap { $0 is NSNull ? nil : $0 }
        let error = object["error"].flatMap { $0 is NSNull ? nil : $0 }
        switch (response, error) {
        case (nil, nil): return "neither \"response\" nor \"error\" is set"
        case (.some, .some): return "both \"response\" and \"error\" are set; exactly one is"
        default: break
        }
        if let error {
            guard let e = error as? [String: Any] else { return "\"error\" is not an object" }
            guard let kind = e["kind"] as? String else { return "error.kind is missing or not a string" }
            guard ProviderErrorKind(rawValue: kind) != nil else {
                return "error.kind \"\(kind)\" is not one of \(ProviderErrorKind.allCases.map(\.rawValue).joined(separator: ", "))"
            }
            guard e["message"] is String else { return "error.message is missing or not a string" }
            for key in ["retry_after_ms", "status"] where e[key] != nil && !(e[key] is NSNull) {
                guard isCount(e[key]) else {
                    return "error.\(key) is not a non-negative integer"
                }
            }
        }
        if let response {
            guard let r = response as? [String: Any] else { return "\"response\" is not an object" }
            if let problem = chatResponseProblem(r) { return problem }
        }
        do {
            _ = try WireJSON.decode(ProviderResult.self, from: bytes)
        } catch {
            return "the host cannot decode it: \(error)"
        }
        return nil
    }

    /// A chat response: `text` and `usage` required; `finish_reason`, `model`, `citations` optional.
    static func chatResponseProblem(_ r: [String: Any]) -> String? {
        guard r["text"] is String else { return "response.text is missing or not a string" }
        guard let usage = r["usage"] as? [String: Any] else { return "response.usage is missing or not an object" }
        for key in ["prompt_tokens", "completion_tokens"] {
            guard isCount(usage[key]) else { return "response.usage.\(key) is missing or not a non-negative integer" }
        }
        for key in ["finish_reason", "model"] where r[key] != nil {
            guard r[key] is String else { return "response.\(key) is not a string" }
        }
        if let citations = r["citations"], !(citations is [String]) { return "response.citations is not an array of strings" }
        return nil
    }

    /// An upstream request (`provider.build_request`'s output), for `descriptor`.
    static func upstreamRequestProblem(_ bytes: [UInt8], descriptor: ComponentDescriptor) -> String? {
        guard let object = object(bytes) else { return "output is not a JSON object: \(excerpt(bytes))" }
        guard let url = object["url"] as? String else { return "\"url\" is missing or not a string" }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "https" || scheme == "http",
            parsed.host?.isEmpty == false
        else { return "\"url\" \(url) is not an absolute http(s) URL" }
        if let method = object["method"], !(method is String) { return "\"method\" is not a string" }
        if let body = object["body"], !(body is String) {
            return "\"body\" is not a string (the upstream body is one JSON-escaped string, not an object)"
        }
        if let headers = object["headers"] {
            guard let pairs = headers as? [[Any]], pairs.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0 is String } }) else {
                return "\"headers\" is not an array of [name, value] string pairs"
            }
        }
        if let list = object["secret_headers"] {
            guard let entries = list as? [[String: Any]] else { return "\"secret_headers\" is not an array of objects" }
            for entry in entries {
                for key in ["name", "secret", "prefix"] where !(entry[key] is String) {
                    return "secret_headers entry lacks \"\(key)\" (name, secret and prefix are all required; prefix \"\" for none)"
                }
            }
        }
        let request: UpstreamRequest
        do {
            request = try WireJSON.decode(UpstreamRequest.self, from: bytes)
        } catch {
            return "the host cannot decode it: \(error)"
        }
        if let secret = SecretGrant.undeclared(in: request, declared: descriptor.secrets) {
            return SecretGrant.refusal(secret: secret, plugin: descriptor.id, declared: descriptor.secrets)
        }
        return nil
    }

    /// `generator.generate`'s output: `{"schema":1,"plan":{…}}`.
    static func generatorOutputProblem(_ bytes: [UInt8]) -> String? {
        guard let object = object(bytes) else { return "output is not a JSON object: \(excerpt(bytes))" }
        if let problem = schemaProblem(object) { return problem }
        guard object["plan"] is [String: Any] else { return "\"plan\" is missing or not an object" }
        return nil
    }

    /// The output of `op` on valid input, checked against its schema.
    static func problem(op: String, output: [UInt8], descriptor: ComponentDescriptor) -> String? {
        switch op {
        case "provider.build_request": upstreamRequestProblem(output, descriptor: descriptor)
        case "provider.parse_response", "provider.complete": providerResultProblem(output)
        case "generator.generate": generatorOutputProblem(output)
        default: object(output) == nil ? "output is not a JSON object" : nil
        }
    }
}
