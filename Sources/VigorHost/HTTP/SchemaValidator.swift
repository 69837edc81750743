import Foundation
import Synchronization
import VigorCoaching
import VigorPluginSDK

/// Checks a request body against the JSON Schema the OpenAPI document publishes for it, so
/// the document and the server read one declaration: what `/openapi.json` says is what is
/// enforced, before any route code runs.
///
/// The subset of JSON Schema 2020-12 the host's schemas use: `$ref`, `type` (a name or a
/// list, `"null"` for nullable), `enum`, `properties`, `required`, `additionalProperties`,
/// `minProperties`, `items`, `minItems`, `maxItems`, `minLength`/`maxLength` (Unicode code
/// points, as JSON Schema counts them), `x-max-bytes` (UTF-8 bytes), `pattern`, `minimum`,
/// `maximum`, `format: date`, `anyOf`, `oneOf`. An `integer` is a number without a fraction.
/// Every problem names its field by JSON path (`exercises[0].sets`).
struct SchemaValidator: Sendable {
    /// The component schemas, by name.
    let components: [String: JSONValue]

    init(components: [(String, JSONValue)]) {
        self.components = Dictionary(components, uniquingKeysWith: { first, _ in first })
    }

    /// Every problem of `value` against the component `name`; empty when it conforms.
    func errors(_ value: WireValue, schemaNamed name: String) -> [FieldError] {
        var errors: [FieldError] = []
        check(value, against: .ref(name), path: "", errors: &errors, depth: 0)
        return errors
    }

    /// Every problem of `value` against `schema`.
    func errors(_ value: WireValue, against schema: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        check(value, against: schema, path: "", errors: &errors, depth: 0)
        return errors
    }

    private func check(_ value: WireValue, against schema: JSONValue, path: String, errors: inout [FieldError], depth: Int) {
        // Schemas are finite and bodies are at most WireParser.maxDepth deep; this guards a cyclic $ref.
        guard depth < 64, case .object(let keywords) = schema else { return }
        let field = path.isEmpty ? "body" : path
        func fail(_ message: String) { errors.append(FieldError(field: field, message: message)) }
        func keyword(_ name: String) -> JSONValue? { keywords.first { $0.0 == name }?.1 }

        if case .string(let reference)? = keyword("$ref") {
            let name = String(reference.split(separator: "/").last ?? "")
            if let target = components[name] { check(value, against: target, path: path, errors: &errors, depth: depth + 1) }
            return
        }
        if let types = keyword("type").map(Self.typeNames), !types.contains(where: { Self.matches(value, type: $0) }) {
            if case .null = value {
                fail("must not be null")
            } else {
                fail("must be \(types.filter { $0 != "null" }.map(Self.article).joined(separator: " or "))")
            }
            return
        }
        if case .array(let allowed)? = keyword("enum"), !allowed.contains(where: { Self.equal(value, $0) }) {
            let names = allowed.map(Self.literal)
            fail(names.count <= 12 ? "must be one of: \(names.joined(separator: ", "))" : "is not an accepted value")
            return
        }
        for (name, combinator) in [("anyOf", false), ("oneOf", true)] {
            guard case .array(let options)? = keyword(name) else { continue }
            let passing = options.filter { errorsOf(value, $0, path: path, depth: depth).isEmpty }.count
            if passing == 0 || (combinator && passing > 1) {
                if options.count == 1 {
                    check(value, against: options[0], path: path, errors: &errors, depth: depth + 1)
                } else {
                    let described: String? = if case .string(let text)? = keyword("description") { text } else { nil }
                    fail(passing == 0 ? (described ?? "does not match any accepted form") : "matches more than one form")
                }
                return
            }
        }
        switch value {
        case .string(let text): checkString(text, keyword, fail)
        case .int(let number): checkNumber(Double(number), exact: number, keyword, fail)
        case .double(let number): checkNumber(number, exact: nil, keyword, fail)
        case .array(let items):
            if case .int(let least)? = keyword("minItems"), items.count < least { fail("must hold at least \(least) items") }
            if case .int(let most)? = keyword("maxItems"), items.count > most { fail("must hold at most \(most) items") }
            if case .bool(true)? = keyword("uniqueItems") {
                let texts = items.compactMap { item -> String? in if case .string(let text) = item { text } else { nil } }
                if texts.count == items.count, Set(texts).count != texts.count { fail("must not repeat an item") }
            }
            if let itemSchema = keyword("items") {
                for (index, item) in items.enumerated() {
                    check(item, against: itemSchema, path: "\(path)[\(index)]", errors: &errors, depth: depth + 1)
                    if errors.count > 50 { return }
                }
            }
        case .object(let members):
            checkObject(members, keyword, path: path, errors: &errors, depth: depth)
        case .null, .bool:
            break
        }
    }

    private func errorsOf(_ value: WireValue, _ schema: JSONValue, path: String, depth: Int) -> [FieldError] {
        var errors: [FieldError] = []
        check(value, against: schema, path: path, errors: &errors, depth: depth + 1)
        return errors
    }

    private func checkObject(
        _ members: [(key: String, value: WireValue)], _ keyword: (String) -> JSONValue?, path: String,
        errors: inout [FieldError], depth: Int
    ) {
        let field = path.isEmpty ? "body" : path
        let properties: [(String, JSONValue)]
        if case .object(let pairs)? = keyword("properties") { properties = pairs } else { properties = [] }
        if case .array(let required)? = keyword("required") {
            for case .string(let name) in required where !members.contains(where: { $0.key == name }) {
                errors.append(FieldError(field: Self.join(path, name), message: "is required"))
            }
        }
        if case .int(let least)? = keyword("minProperties"), members.count < least {
            errors.append(FieldError(field: field, message: "must hold at least \(least) \(least == 1 ? "entry" : "entries")"))
        }
        if case .int(let most)? = keyword("maxProperties"), members.count > most {
            errors.append(FieldError(field: field, message: "must hold at most \(most) entries"))
        }
        let additional = keyword("additionalProperties")
        let names = keyword("propertyNames")
        for member in members {
            let memberPath = Self.join(path, member.key)
            if member.key.utf8.contains(0) {
                errors.append(FieldError(field: field, message: Self.nulMessage))
                continue
            }
            if let names, !errorsOf(.string(member.key), names, path: memberPath, depth: depth).isEmpty {
                errors.append(FieldError(field: memberPath, message: "is not an accepted name"))
                continue
            }
            if let schema = properties.first(where: { $0.0 == member.key })?.1 {
                check(member.value, against: schema, path: memberPath, errors: &errors, depth: depth + 1)
            } else if case .bool(false)? = additional {
                errors.append(FieldError(field: memberPath, message: "is not a known field"))
            } else if let additional, case .object = additional {
                check(member.value, against: additional, path: memberPath, errors: &errors, depth: depth + 1)
            }
            if errors.count > 50 { return }
        }
    }

    /// Why a text holding U+0000 is refused.
    static let nulMessage = "must not contain the NUL character (U+0000)"

    private func checkString(_ text: String, _ keyword: (String) -> JSONValue?, _ fail: (String) -> Void) {
        // JSON may carry "\u0000", but PostgreSQL cannot store it in text: refused on every
        // backend alike, so a body the host accepts is one every backend can keep.
        if text.utf8.contains(0) {
            fail(Self.nulMessage)
            return
        }
        let characters = text.unicodeScalars.count
        if case .int(let least)? = keyword("minLength"), characters < least {
            fail(least == 1 ? "must not be empty" : "must be at least \(least) characters")
        }
        let maxCharacters: Int? = if case .int(let most)? = keyword("maxLength") { most } else { nil }
        let maxBytes: Int? = if case .int(let most)? = keyword("x-max-bytes") { most } else { nil }
        if maxCharacters.map({ characters > $0 }) == true || maxBytes.map({ text.utf8.count > $0 }) == true {
            let limits = [maxCharacters.map { "\($0) characters" }, maxBytes.map { "\($0) bytes (UTF-8)" }].compactMap { $0 }
            fail("must be at most \(limits.joined(separator: " and "))")
            return
        }
        if case .string(let pattern)? = keyword("pattern"), !Self.matches(text, pattern: pattern) {
            fail(Self.patternMessage(keyword) ?? "has an invalid form")
        }
        if case .string("date")? = keyword("format"), UsagePeriod.parseDay(text) == nil { fail("must be a day as YYYY-MM-DD") }
    }

    private func checkNumber(_ number: Double, exact: Int?, _ keyword: (String) -> JSONValue?, _ fail: (String) -> Void) {
        let low = keyword("minimum").flatMap(Self.bound)
        let high = keyword("maximum").flatMap(Self.bound)
        // Integers compare exactly (a Double cannot tell Int64.max from Int64.max - 1).
        let below: Bool
        let above: Bool
        if let exact {
            below = low.map { bound in bound.int.map { exact < $0 } ?? (number < bound.double) } ?? false
            above = high.map { bound in bound.int.map { exact > $0 } ?? (number > bound.double) } ?? false
        } else {
            below = low.map { number < $0.double } ?? false
            above = high.map { number > $0.double } ?? false
        }
        guard below || above else { return }
        switch (low, high) {
        case (let low?, let high?): fail("must be between \(low.text) and \(high.text)")
        case (let low?, nil): fail("must be at least \(low.text)")
        case (nil, let high?): fail("must be at most \(high.text)")
        default: break
        }
    }

    // MARK: - Helpers

    private struct Bound {
        var int: Int?
        var double: Double
        var text: String { int.map(String.init) ?? String(double) }
    }

    private static func bound(_ value: JSONValue) -> Bound? {
        switch value {
        case .int(let number): Bound(int: number, double: Double(number))
        case .number(let number): Bound(int: nil, double: number)
        default: nil
        }
    }

    private static func typeNames(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let name): [name]
        case .array(let names): names.compactMap { if case .string(let name) = $0 { name } else { nil } }
        default: []
        }
    }

    private static func matches(_ value: WireValue, type: String) -> Bool {
        switch (value, type) {
        case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"): true
        case (.int, "integer"), (.int, "number"), (.double, "number"): true
        case (.double(let number), "integer"): number.isFinite && number == number.rounded(.towardZero)
        default: false
        }
    }

    private static func article(_ type: String) -> String {
        switch type {
        case "integer": "an integer (no fraction)"
        case "object", "array": "an \(type)"
        case "boolean": "true or false"
        default: "a \(type)"
        }
    }

    private static func equal(_ value: WireValue, _ literal: JSONValue) -> Bool {
        switch (value, literal) {
        case (.string(let a), .string(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .int(let b)): a == Double(b)
        case (.bool(let a), .bool(let b)): a == b
        default: false
        }
    }

    private static func literal(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .number(let number): String(number)
        case .bool(let flag): String(flag)
        default: "…"
        }
    }

    private static func patternMessage(_ keyword: (String) -> JSONValue?) -> String? {
        if case .string(let text)? = keyword("x-pattern-message") { return text }
        return nil
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static let patterns = PatternCache()

    private static func matches(_ text: String, pattern: String) -> Bool {
        guard let expression = patterns.expression(pattern) else { return true }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}

/// Compiled `pattern`s, shared by every request (a pattern is compiled once).
private final class PatternCache: Sendable {
    private let cache = Mutex<[String: NSRegularExpression]>([:])

    func expression(_ pattern: String) -> NSRegularExpression? {
        if let found = cache.withLock({ $0[pattern] }) { return found }
        guard let compiled = try? NSRegularExpression(pattern: pattern) else { return nil }
        cache.withLock { $0[pattern] = compiled }
        return compiled
    }
}
