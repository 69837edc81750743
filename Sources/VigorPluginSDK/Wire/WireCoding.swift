/// Direct JSON coding for the payloads on every request's path.
///
/// `JSONEncoder`/`JSONDecoder` spend most of their time in the generic `Codable` machinery
/// (containers, metadata lookups, dynamic casts), and each AI request crosses the plugin ABI
/// four times. Types that conform to ``WireEncodable``/``WireDecodable`` write themselves
/// straight into bytes and read themselves from a parsed ``WireValue``; ``WireJSON`` uses
/// these paths whenever a type has them and `Codable` otherwise. The output is the same JSON
/// `WireJSON` wrote before (compact, keys in sorted order); the input rules are the same
/// (unknown keys ignored, a missing optional is its default, a wrong type is an error naming
/// the field).

/// A type that writes its own wire JSON.
public protocol WireEncodable {
    func write(to out: inout WireWriter)
}

/// A type that reads itself from parsed wire JSON.
public protocol WireDecodable {
    init(wire value: WireValue, at path: WirePath) throws

    /// One whole document as this type. By default the document is parsed into a tree and
    /// read from it; a ``WireReadable`` type reads the bytes directly.
    static func wireDocument(_ buffer: UnsafeBufferPointer<UInt8>) throws -> Self
}

extension WireDecodable {
    public static func wireDocument(_ buffer: UnsafeBufferPointer<UInt8>) throws -> Self {
        try Self(wire: WireParser.parse(buffer), at: .root)
    }
}

/// Where in a document a value sits, for error messages (`messages[0].content`).
///
/// Readers make a path for every nested value and array element they visit, and almost none
/// is ever shown: the steps are kept as a chain and spelled out only when asked for (an
/// error), instead of a string built at every step.
public struct WirePath: Sendable, CustomStringConvertible {
    private final class Step: Sendable {
        let parent: Step?
        /// The member's key, or nil for an array element.
        let key: String?
        let index: Int

        init(parent: Step?, key: String?, index: Int) {
            self.parent = parent
            self.key = key
            self.index = index
        }
    }

    private let last: Step?

    public static let root = WirePath(last: nil)

    public func key(_ name: String) -> WirePath { WirePath(last: Step(parent: last, key: name, index: 0)) }
    public func index(_ index: Int) -> WirePath { WirePath(last: Step(parent: last, key: nil, index: index)) }
    public var description: String { last == nil ? "(root)" : field }

    /// The path as a field name; empty for the document itself.
    public var field: String {
        var steps: [Step] = []
        var step = last
        while let current = step {
            steps.append(current)
            step = current.parent
        }
        var text = ""
        for step in steps.reversed() {
            if let key = step.key {
                text += text.isEmpty ? key : "." + key
            } else {
                text += "[\(step.index)]"
            }
        }
        return text
    }
}

/// Why a document could not be read: not JSON at all, or a field missing or of the wrong
/// type. ``WireJSON`` turns it into ``PluginError/invalidInput(_:)``; the host's HTTP layer into
/// 400 or 422 naming the field.
public struct WireError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Not valid JSON (with what and where).
        case malformed(String)
        case missing
        /// A value of the wrong JSON type; the type that was expected (`string`, `object`, ...).
        case wrongType(String)
        /// The right type with an unacceptable value.
        case invalid(String)
    }

    public var reason: Reason
    /// The field (`messages[0].content`); empty for the document itself.
    public var path: String

    public init(_ reason: Reason, at path: WirePath) {
        self.reason = reason
        self.path = path.field
    }

    public var description: String {
        let place = path.isEmpty ? "(root)" : path
        switch reason {
        case .malformed(let what): return "malformed JSON (\(what))"
        case .missing: return "\(place): required field missing"
        case .wrongType(let expected): return "\(place): expected \(expected)"
        case .invalid(let why): return "\(place): \(why)"
        }
    }
}

// MARK: - Writing

/// Appends compact JSON to a byte buffer. Callers write object keys in sorted order to keep
/// the output identical to `WireJSON`'s `Codable` form.
///
/// The buffer is an array kept longer than what is written (zero-filled past ``count``), and
/// each step (a key, a string, a number) copies its bytes into that room through one pointer.
/// `Array.append(contentsOf:)` cost about 180 instructions a call, whatever it appended, and a
/// key took five appends.
public struct WireWriter {
    private var storage: [UInt8]
    /// How many bytes of `storage` are written.
    public private(set) var count = 0
    private var needsComma = false

    /// A writer with room for `capacity` bytes. With none (the default) nothing is allocated
    /// until the first write or ``reserve(_:)``, so a payload that reserves its size first
    /// allocates once.
    public init(capacity: Int = 0) { storage = capacity > 0 ? [UInt8](repeating: 0, count: capacity) : [] }

    /// The JSON written so far (a copy; ``finish()`` hands the buffer over instead).
    public var bytes: [UInt8] { Array(storage[0..<count]) }

    /// The JSON written, taking the buffer: no copy.
    public consuming func finish() -> [UInt8] {
        storage.removeLast(storage.count - count)
        return storage
    }

    /// Makes room for at least `extra` more bytes at once (a body about to be written), growing
    /// by at least doubling.
    ///
    /// It is a hint: one past ``largestHint`` (a sum gone wrong) is ignored, and the writes
    /// themselves still make the room they need.
    public mutating func reserve(_ extra: Int) {
        if extra > 0, extra <= Self.largestHint { room(extra) }
    }

    /// The largest room ``reserve(_:)`` makes at once: 1 GiB.
    public static let largestHint = 1 << 30

    @inline(__always)
    private mutating func room(_ extra: Int) {
        if storage.count &- count < extra { grow(extra) }
    }

    /// The least a buffer grows to.
    private static let smallest = 256

    private mutating func grow(_ extra: Int) {
        let (needed, overflow) = count.addingReportingOverflow(max(0, extra))
        precondition(!overflow, "JSON output larger than memory")
        let size = max(needed, storage.count * 2, Self.smallest)
        // A new buffer, the written bytes copied and the room zeroed at memory speed
        // (appending `repeatElement(0, ...)` went byte by byte).
        storage = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            let base = buffer.baseAddress!
            let written = storage.withUnsafeBufferPointer { old in
                if let from = old.baseAddress, count > 0 { base.initialize(from: from, count: count) }
                return count
            }
            (base + written).initialize(repeating: 0, count: size - written)
            initialized = size
        }
    }

    /// Writes `length` bytes that `fill` puts at the pointer it is given.
    @inline(__always)
    private mutating func put(_ length: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Void) {
        room(length)
        let at = count
        storage.withUnsafeMutableBufferPointer { fill($0.baseAddress! + at) }
        count = at + length
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) { put(1) { $0.pointee = byte } }

    @inline(__always)
    private mutating func put(_ source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress, source.count > 0 else { return }
        put(source.count) { $0.update(from: base, count: source.count) }
    }

    /// Writes `length` bytes that `fill` puts at the pointer it is given, after a comma when a
    /// value came before.
    @inline(__always)
    private mutating func putAfterComma(_ length: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Void) {
        let comma = needsComma
        put(length + (comma ? 1 : 0)) { out in
            if comma { out.pointee = UInt8(ascii: ",") }
            fill(comma ? out + 1 : out)
        }
    }

    /// `text` (known ASCII, no escaping needed), after a comma when a value came before.
    @inline(__always)
    private mutating func word(_ text: StaticString) {
        text.withUTF8Buffer { source in
            putAfterComma(source.count) { out in
                if let base = source.baseAddress { out.update(from: base, count: source.count) }
            }
        }
    }

    public mutating func beginObject() {
        word("{")
        needsComma = false
    }

    public mutating func endObject() {
        put(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        word("[")
        needsComma = false
    }

    public mutating func endArray() {
        put(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object key (plain ASCII, no escaping needed): `,"name":` in one step.
    public mutating func key(_ name: StaticString) {
        name.withUTF8Buffer { source in
            putAfterComma(source.count + 3) { out in
                out[0] = UInt8(ascii: "\"")
                if let base = source.baseAddress { (out + 1).update(from: base, count: source.count) }
                out[source.count + 1] = UInt8(ascii: "\"")
                out[source.count + 2] = UInt8(ascii: ":")
            }
        }
        needsComma = false
    }

    /// An object key that is not a literal, escaped like any string.
    public mutating func memberKey(_ name: String) {
        string(name)
        put(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        if needsComma { put(UInt8(ascii: ",")) }
        var value = value
        value.withUTF8 { appendEscaped($0) }
        needsComma = true
    }

    /// An integer (every `Int` and `Int64` takes this one, not the generic one).
    public mutating func int(_ value: Int) {
        if needsComma { put(UInt8(ascii: ",")) }
        appendDecimal(Int64(value))
        needsComma = true
    }

    public mutating func int<I: BinaryInteger>(_ value: I) {
        if needsComma { put(UInt8(ascii: ",")) }
        if let value = Int64(exactly: value) {
            appendDecimal(value)
        } else {
            var text = String(value)
            text.withUTF8 { put($0) }
        }
        needsComma = true
    }

    /// `value` in decimal, digit by digit into the output: `String(value)` goes through the
    /// standard library's generic formatting, a few hundred instructions a number.
    mutating func appendDecimal(_ value: Int64) {
        put(WireBytes.decimalLength(value)) { WireBytes.writeDecimal(value, to: $0) }
    }

    /// A number as `JSONEncoder` spells it: integral values without a fraction. A value JSON
    /// cannot carry (NaN, infinity) is written as `null`.
    public mutating func double(_ value: Double) {
        if !value.isFinite {
            word("null")
        } else if value == value.rounded(), abs(value) < 1e15 {
            if needsComma { put(UInt8(ascii: ",")) }
            appendDecimal(Int64(value))
        } else {
            if needsComma { put(UInt8(ascii: ",")) }
            var text = value.description
            text.withUTF8 { put($0) }
        }
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        word(value ? "true" : "false")
        needsComma = true
    }

    public mutating func null() {
        word("null")
        needsComma = true
    }

    /// A JSON value written as it stands. The caller has checked it (``WireParser/isValid(_:depth:)``):
    /// nothing here looks at the bytes.
    public mutating func rawJSON(_ json: UnsafeBufferPointer<UInt8>) {
        if needsComma { put(UInt8(ascii: ",")) }
        put(json)
        needsComma = true
    }

    /// A nested value that writes itself.
    public mutating func value(_ value: some WireEncodable) {
        value.write(to: &self)
    }

    public mutating func array<T>(_ values: [T], _ element: (inout WireWriter, T) -> Void) {
        beginArray()
        for value in values { element(&self, value) }
        endArray()
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A quoted JSON string: `"` and `\` escaped, control characters as `\n`-style or `\u00XX`.
    /// A string with nothing to escape is one copy between its quotes.
    mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        room(utf8.count &+ 2)
        put(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while index < utf8.count {
            index = WireBytes.skipRun(utf8, from: index)
            guard index < utf8.count else { break }
            let byte = utf8[index]
            index += 1
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index - 1 { put(UnsafeBufferPointer(rebasing: utf8[runStart..<index - 1])) }
            runStart = index
            // The short escapes (`\"`, `\\`, `\n`, ...), else `\u00XX`.
            let short: UInt8? =
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte
                case 0x0A: UInt8(ascii: "n")
                case 0x0D: UInt8(ascii: "r")
                case 0x09: UInt8(ascii: "t")
                case 0x08: UInt8(ascii: "b")
                case 0x0C: UInt8(ascii: "f")
                default: nil
                }
            if let short {
                put(2) { out in
                    out[0] = UInt8(ascii: "\\")
                    out[1] = short
                }
            } else {
                let high = Self.hex[Int(byte >> 4)]
                let low = Self.hex[Int(byte & 0x0F)]
                put(6) { out in
                    out[0] = UInt8(ascii: "\\")
                    out[1] = UInt8(ascii: "u")
                    out[2] = UInt8(ascii: "0")
                    out[3] = UInt8(ascii: "0")
                    out[4] = high
                    out[5] = low
                }
            }
        }
        if runStart < utf8.count { put(UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        put(UInt8(ascii: "\""))
    }
}

// MARK: - Parsed values

/// A parsed JSON value. Objects keep their members in document order (they are small; a
/// linear lookup beats hashing here).
public enum WireValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([WireValue])
    case object([(key: String, value: WireValue)])

    /// The member named `key` (nil when absent or when this is not an object).
    public subscript(key: String) -> WireValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key == key { return member.value }
        return nil
    }
}

/// The typed reads a ``WireDecodable`` makes, each failing with the field's path.
extension WireValue {
    static func mismatch(_ path: WirePath, _ expected: String) -> WireError {
        WireError(.wrongType(expected), at: path)
    }

    /// This value as an object's members; throws unless it is an object.
    public func members(at path: WirePath) throws -> WireObject {
        guard case .object(let members) = self else { throw Self.mismatch(path, "object") }
        return WireObject(members: members, path: path)
    }

    public func string(at path: WirePath) throws -> String {
        guard case .string(let value) = self else { throw Self.mismatch(path, "string") }
        return value
    }

    public func int(at path: WirePath) throws -> Int {
        switch self {
        case .int(let value): return value
        case .double(let value) where value == value.rounded() && abs(value) < 9e15: return Int(value)
        default: throw Self.mismatch(path, "integer")
        }
    }

    public func double(at path: WirePath) throws -> Double {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: throw Self.mismatch(path, "number")
        }
    }

    public func bool(at path: WirePath) throws -> Bool {
        guard case .bool(let value) = self else { throw Self.mismatch(path, "boolean") }
        return value
    }

    public func array<T>(at path: WirePath, _ element: (WireValue, WirePath) throws -> T) throws -> [T] {
        guard case .array(let values) = self else { throw Self.mismatch(path, "array") }
        var out: [T] = []
        out.reserveCapacity(values.count)
        for (index, value) in values.enumerated() { out.append(try element(value, path.index(index))) }
        return out
    }
}

/// An object being read: required and optional members by key.
public struct WireObject {
    let members: [(key: String, value: WireValue)]
    public let path: WirePath

    /// The member, or nil when it is absent or `null`.
    public subscript(key: String) -> WireValue? {
        for member in members where member.key == key {
            if case .null = member.value { return nil }
            return member.value
        }
        return nil
    }

    public func required(_ key: String) throws -> WireValue {
        guard let value = self[key] else { throw WireError(.missing, at: path.key(key)) }
        return value
    }

    // The member's path is only spelled out when a read fails (it is a string concatenation).

    public func string(_ key: String) throws -> String {
        let value = try required(key)
        if case .string(let text) = value { return text }
        return try value.string(at: path.key(key))
    }

    public func int(_ key: String) throws -> Int {
        let value = try required(key)
        if case .int(let number) = value { return number }
        return try value.int(at: path.key(key))
    }

    public func string(_ key: String, default value: String) throws -> String { try optionalString(key) ?? value }
    public func int(_ key: String, default value: Int) throws -> Int { try optionalInt(key) ?? value }

    public func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let member = self[key] else { return value }
        if case .bool(let flag) = member { return flag }
        return try member.bool(at: path.key(key))
    }

    public func optionalString(_ key: String) throws -> String? {
        guard let member = self[key] else { return nil }
        if case .string(let text) = member { return text }
        return try member.string(at: path.key(key))
    }

    public func optionalInt(_ key: String) throws -> Int? {
        guard let member = self[key] else { return nil }
        if case .int(let number) = member { return number }
        return try member.int(at: path.key(key))
    }

    public func optionalDouble(_ key: String) throws -> Double? {
        guard let member = self[key] else { return nil }
        switch member {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return try member.double(at: path.key(key))
        }
    }

    public func decode<T: WireDecodable>(_ key: String, as type: T.Type = T.self) throws -> T {
        try T(wire: required(key), at: path.key(key))
    }

    public func optional<T: WireDecodable>(_ key: String, as type: T.Type = T.self) throws -> T? {
        try self[key].map { try T(wire: $0, at: path.key(key)) }
    }

    public func array<T>(_ key: String, default value: [T]? = nil, _ element: (WireValue, WirePath) throws -> T) throws -> [T] {
        guard let member = self[key] else {
            if let value { return value }
            throw WireError(.missing, at: path.key(key))
        }
        return try member.array(at: path.key(key), element)
    }
}

// MARK: - Parsing

/// A strict JSON parser (RFC 8259): one value, optional surrounding whitespace, strings
/// valid UTF-8, nesting at most ``maxDepth`` deep. Anything else is an error, never a crash.
public enum WireParser {
    public static let maxDepth = 256

    public static func parse(_ bytes: [UInt8]) throws -> WireValue {
        try bytes.withUnsafeBufferPointer { try parse($0) }
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws -> WireValue {
        var cursor = Cursor(bytes: buffer)
        return try cursor.document()
    }

    /// Whether `buffer` is one JSON value that ``parse(_:)`` accepts, checked without building
    /// it. `depth` is how deeply the value will be nested when it is parsed as part of a larger
    /// document (1: a member of the top-level object), so that the nesting limit is the one
    /// the parser applies there.
    public static func isValid(_ buffer: UnsafeBufferPointer<UInt8>, depth: Int = 0) -> Bool {
        var cursor = Cursor(bytes: buffer)
        cursor.skipSpace()
        guard (try? cursor.skip(depth: depth)) != nil else { return false }
        cursor.skipSpace()
        return cursor.index == buffer.count
    }

    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func error(_ message: String) -> WireError {
            WireError(.malformed("\(message) at byte \(index)"), at: .root)
        }

        /// One value, with nothing but white space around it.
        mutating func document() throws -> WireValue {
            skipSpace()
            let value = try value(depth: 0)
            skipSpace()
            guard index == bytes.count else { throw error("unexpected data after the JSON value") }
            return value
        }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws -> WireValue {
            guard index < bytes.count else { throw error("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw error("unexpected character")
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { throw error("unexpected end") }
            let matches = word.withUTF8Buffer { expected in
                (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
            }
            guard matches else { throw error("invalid literal") }
            index += count
        }

        mutating func object(depth: Int) throws -> WireValue {
            guard depth <= WireParser.maxDepth else { throw error("nesting deeper than \(WireParser.maxDepth)") }
            index += 1
            var members: [(key: String, value: WireValue)] = []
            members.reserveCapacity(8)
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                index += 1
                skipSpace()
                members.append((key, try value(depth: depth)))
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
                index += 1
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws -> WireValue {
            guard depth <= WireParser.maxDepth else { throw error("nesting deeper than \(WireParser.maxDepth)") }
            index += 1
            var values: [WireValue] = []
            values.reserveCapacity(4)
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(values)
            }
            while true {
                skipSpace()
                values.append(try value(depth: depth))
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
                index += 1
                return .array(values)
            }
        }

        /// Checks one value by exactly the rules of ``value(depth:)`` and steps over it,
        /// building nothing.
        mutating func skip(depth: Int) throws {
            guard index < bytes.count else { throw error("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try skipContainer(depth: depth + 1, close: UInt8(ascii: "}"))
            case UInt8(ascii: "["): try skipContainer(depth: depth + 1, close: UInt8(ascii: "]"))
            case UInt8(ascii: "\""): try skipString()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
            default: throw error("unexpected character")
            }
        }

        /// An object (`close` is `}`: each element is a key, `:` and a value) or an array.
        mutating func skipContainer(depth: Int, close: UInt8) throws {
            guard depth <= WireParser.maxDepth else { throw error("nesting deeper than \(WireParser.maxDepth)") }
            let isObject = close == UInt8(ascii: "}")
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == close {
                index += 1
                return
            }
            while true {
                skipSpace()
                if isObject {
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                    try skipString()
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    index += 1
                    skipSpace()
                }
                try skip(depth: depth)
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == close else { throw error(isObject ? "expected ',' or '}'" : "expected ',' or ']'") }
                index += 1
                return
            }
        }

        /// Moves to the next byte that ends a run in a string (a quote, a backslash or a control
        /// byte) and returns it; nil when the input ends first. Eight bytes at a time while none
        /// of them ends the run. `ascii` is cleared when a byte passed over is not ASCII.
        /// Inlined into its three callers: most strings end in the first word, where a call's
        /// set-up was a third of the work.
        @inline(__always)
        mutating func nextSpecialByte(ascii: inout Bool) -> UInt8? {
            var highBits: UInt64 = 0
            defer { if highBits & WireBytes.highs != 0 { ascii = false } }
            while let word = WireBytes.word(bytes, at: index) {
                let special = WireBytes.specials(word)
                guard special == 0 else {
                    // Straight to the byte that ends the run; the bytes before it count for ASCII.
                    let skip = WireBytes.firstByte(special)
                    highBits |= word & ((1 << UInt64(skip * 8)) &- 1)
                    index += skip
                    return bytes[index]
                }
                highBits |= word
                index += 8
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return byte }
                highBits |= UInt64(byte)
                index += 1
            }
            return nil
        }

        /// Checks a string by the rules of ``string()`` and steps over it. The runs between
        /// escapes are checked as UTF-8 one by one: an escape always yields whole characters,
        /// so the decoded text is valid exactly when every run is.
        mutating func skipString() throws {
            index += 1  // the opening quote
            var runStart = index
            var ascii = true
            while let byte = nextSpecialByte(ascii: &ascii) {
                if !ascii {
                    guard WireBytes.isValidUTF8(UnsafeBufferPointer(rebasing: bytes[runStart..<index])) else {
                        throw error("invalid UTF-8 in a string")
                    }
                    ascii = true
                }
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return
                case UInt8(ascii: "\\"):
                    try skipEscape()
                    runStart = index
                default:
                    throw error("control character in a string")
                }
            }
            throw error("unterminated string")
        }

        /// Steps over one escape, checked as ``escape(into:)`` checks it.
        mutating func skipEscape() throws {
            guard index + 1 < bytes.count else { throw error("unterminated escape") }
            switch bytes[index + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"),
                UInt8(ascii: "b"), UInt8(ascii: "f"):
                index += 2
            default:
                // `\u` (surrogate pairs and all) and anything invalid: the decoder's own checks.
                var scratch: [UInt8] = []
                try escape(into: &scratch)
            }
        }

        mutating func string() throws -> String {
            index += 1  // the opening quote
            let start = index
            // The common case: no escapes, so the text is one slice of the input.
            var ascii = true
            switch nextSpecialByte(ascii: &ascii) {
            case UInt8(ascii: "\""):
                defer { index += 1 }
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                // ASCII is valid UTF-8 as it stands: no second validating pass.
                return ascii ? String(decoding: slice, as: UTF8.self) : try validated(slice)
            case UInt8(ascii: "\\"): break
            case nil: throw error("unterminated string")
            default: throw error("control character in a string")
            }
            // Escapes: the runs between them are copied whole.
            var out: [UInt8] = []
            out.reserveCapacity(index - start + 64)
            var runStart = start
            while let byte = nextSpecialByte(ascii: &ascii) {
                if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return try out.withUnsafeBufferPointer { try validated($0) }
                case UInt8(ascii: "\\"):
                    try escape(into: &out)
                    runStart = index
                default:
                    throw error("control character in a string")
                }
            }
            throw error("unterminated string")
        }

        /// The bytes as a string, refused unless they are valid UTF-8. `String(decoding:)`
        /// repairs invalid sequences (each becomes U+FFFD, which changes the bytes), so the
        /// text is valid exactly when it spells the input's bytes. (`String(validating:as:)`
        /// does the same work through unspecialised generic code: a metadata lookup per string.)
        func validated(_ utf8: UnsafeBufferPointer<UInt8>) throws -> String {
            var text = String(decoding: utf8, as: UTF8.self)
            let same = text.withUTF8 { WireBytes.same($0, utf8) }
            guard same else { throw error("invalid UTF-8 in a string") }
            return text
        }

        mutating func escape(into out: inout [UInt8]) throws {
            guard index + 1 < bytes.count else { throw error("unterminated escape") }
            let code = bytes[index + 1]
            index += 2
            switch code {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(code)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate")
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("unpaired surrogate")
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                out.append(contentsOf: UTF8.encode(unicode)!)
            default:
                throw error("invalid escape")
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard bytes.count - index >= 4 else { throw error("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw error("invalid \\u escape")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        mutating func number() throws -> WireValue {
            let start = index
            let form = try scanNumber()
            if form.integral, let value = shortInteger(from: start) { return .int(value) }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if form.integral, let value = Int(text) { return .int(value) }
            guard let value = Double(text), value.isFinite else { throw error("number out of range") }
            return .double(value)
        }

        /// The integer `scanNumber()` just stepped over from `start`, read digit by digit when
        /// it has at most 18 digits (no such number overflows an `Int`); nil for a longer one,
        /// which the text path reads. Most numbers on the wire are short: no string is made.
        func shortInteger(from start: Int) -> Int? {
            var at = start
            let negative = bytes[at] == UInt8(ascii: "-")
            if negative { at += 1 }
            guard index - at <= 18 else { return nil }
            var value = 0
            while at < index {
                value = value &* 10 &+ Int(bytes[at] &- UInt8(ascii: "0"))
                at += 1
            }
            return negative ? -value : value
        }

        /// Checks a number as ``number()`` does and steps over it. Only an exponent or more
        /// than 300 digits can put a number beyond a `Double`'s range; those are read.
        mutating func skipNumber() throws {
            let start = index
            guard try scanNumber().exponent || index - start > 300 else { return }
            index = start
            _ = try number()
        }

        /// Steps over a number by JSON's grammar (RFC 8259 §6).
        mutating func scanNumber() throws -> (integral: Bool, exponent: Bool) {
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            var form = (integral: true, exponent: false)
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                form.integral = false
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                form = (false, true)
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            return form
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }
}

/// Byte scanning eight bytes at a time (in one 64-bit word) for the string paths of the
/// reader and the writer, which carry whole HTTP bodies: most bytes need no attention, and
/// looking at them one by one was most of the wire's cost.
package enum WireBytes {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `index`, or nil when fewer are left: the first byte in the lowest
    /// bits, on every platform.
    @inline(__always)
    static func word(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64? {
        guard index >= 0, bytes.count - index >= 8, let base = bytes.baseAddress else { return nil }
        return UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
    }

    /// The bytes of `word` that are `"`, `\` or a control character (below 0x20), the ones
    /// that end an unescaped run in a JSON string, as a mask of their top bits; 0 when none
    /// is. (A byte is zero exactly when `(b - 1) & ~b` has its top bit set; a byte is below
    /// 0x20 exactly when `(b - 0x20) & ~b` does. A borrow between bytes can only follow a
    /// byte that already matched, so whether the mask is 0, and its lowest bit, are exact.)
    @inline(__always)
    static func specials(_ word: UInt64) -> UInt64 {
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highs
    }

    /// The offset (0–7) of the first byte `specials` found; `mask` is not 0.
    @inline(__always)
    static func firstByte(_ mask: UInt64) -> Int { mask.trailingZeroBitCount >> 3 }

    /// From `index`, eight bytes at a time: the index of the first quote, backslash or control
    /// byte, or of the last few bytes (fewer than eight) when no word before them has one. The
    /// caller reads bytes one by one from there.
    @inline(__always)
    static func skipRun(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var index = index
        while let word = word(bytes, at: index) {
            let special = specials(word)
            if special != 0 { return index + firstByte(special) }
            index += 8
        }
        return index
    }

    /// Whether `bytes` are well-formed UTF-8 (the Unicode standard's table of well-formed
    /// sequences: no overlong forms, no surrogates, nothing above U+10FFFF), the bytes Swift's
    /// `String(decoding:as:)` keeps unchanged. ASCII is checked eight bytes at a time.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            if let word = word(bytes, at: index), word & highs == 0 {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // How many continuation bytes follow, and the range the first of them must be in.
            let count: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: count = 1
            case 0xE0: (count, low) = (2, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: count = 2
            case 0xED: (count, high) = (2, 0x9F)
            case 0xF0: (count, low) = (3, 0x90)
            case 0xF1...0xF3: count = 3
            case 0xF4: (count, high) = (3, 0x8F)
            default: return false
            }
            guard bytes.count - index > count, (low...high).contains(bytes[index + 1]) else { return false }
            for offset in stride(from: 2, through: count, by: 1) where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += count + 1
        }
        return true
    }

    /// Whether two buffers hold the same bytes.
    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var index = 0
        while let left = word(a, at: index), let right = word(b, at: index) {
            guard left == right else { return false }
            index += 8
        }
        while index < a.count {
            guard a[index] == b[index] else { return false }
            index += 1
        }
        return true
    }
}

/// Integers in decimal, digit by digit, for the writer and for the host's header values.
extension WireBytes {
    /// How many bytes `value` takes in decimal, its sign included.
    package static func decimalLength(_ value: Int64) -> Int {
        var rest = value.magnitude / 10
        var digits = 1
        while rest != 0 {
            digits += 1
            rest /= 10
        }
        return value < 0 ? digits + 1 : digits
    }

    /// Writes `value` in decimal at `out`: ``decimalLength(_:)`` bytes.
    package static func writeDecimal(_ value: Int64, to out: UnsafeMutablePointer<UInt8>) {
        var magnitude = value.magnitude
        if value < 0 { out.pointee = UInt8(ascii: "-") }
        var index = decimalLength(value)
        repeat {
            index -= 1
            out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude != 0
    }

    /// `value` in decimal, as `String(value)` spells it, without the standard library's generic
    /// formatting (a few hundred instructions a number).
    package static func decimal(_ value: Int64) -> String {
        let length = decimalLength(value)
        return String(unsafeUninitializedCapacity: length) { out in
            writeDecimal(value, to: out.baseAddress!)
            return length
        }
    }
}
