/// A type that reads itself straight from JSON bytes with a ``WireReader``, building no
/// ``WireValue`` tree: members it does not ask for are checked and stepped over, and only the
/// strings it keeps are made. Its tree form (``WireDecodable/init(wire:at:)``) writes the tree
/// back to bytes and reads those, so each type has one reader.
public protocol WireReadable: WireDecodable {
    /// Reads the value at the reader's position (one whole value, nothing after it).
    init(reading reader: inout WireReader) throws
}

extension WireReadable {
    public init(wire value: WireValue, at path: WirePath) throws {
        let bytes = WireJSON.bytes(of: value)
        self = try bytes.withUnsafeBufferPointer { buffer in
            try WireReader.document(buffer, at: path) { try Self(reading: &$0) }
        }
    }

    public static func wireDocument(_ buffer: UnsafeBufferPointer<UInt8>) throws -> Self {
        try WireReader.document(buffer, at: .root) { try Self(reading: &$0) }
    }
}

/// The member names a reader looks for in an object, in the order their indices are given
/// (at most 64). Compared byte for byte when the document's key is plain ASCII, as strings
/// otherwise (exactly as ``WireObject`` compares them).
public struct WireKeys: ExpressibleByArrayLiteral, Sendable {
    let names: [String]
    let bytes: [[UInt8]]

    public init(arrayLiteral names: String...) {
        precondition(names.count <= 64, "WireKeys: at most 64 names")
        self.names = names
        bytes = names.map { Array($0.utf8) }
    }

    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        for (index, name) in bytes.enumerated() where name.count == key.count {
            if name.withUnsafeBufferPointer({ WireBytes.same($0, key) }) { return index }
        }
        return nil
    }

    func index(of key: String) -> Int? { names.firstIndex(of: key) }
}

/// Reads a JSON document front to back, by the parser's rules exactly (``WireParser``): the
/// same grammar, UTF-8 checks, number range and nesting limit, checked for every byte,
/// including the members nobody reads. A value of the wrong type fails with its path, as
/// ``WireObject``'s reads do; so does a required member that is missing (the caller's check).
///
/// Objects are read with ``members(_:_:)``: the body is called for each wanted key, `null`
/// included, and must read or ``skip()`` exactly one value. A wanted key given twice is
/// refused: readers that took different copies of it would disagree about the document.
/// Other members are checked and stepped over.
public struct WireReader {
    var cursor: WireParser.Cursor
    var depth = 0
    /// Where the next value sits, for errors, kept as steps and spelled out only when an error
    /// shows it: the document's own path, the key or index of each container the reader is
    /// in (outermost first), and the next value's key or index in the innermost one.
    var base: WirePath
    var trail: [Member] = []
    var member: Member = .none

    enum Member {
        case none
        case key(String)
        case index(Int)
    }

    init(_ buffer: UnsafeBufferPointer<UInt8>, at path: WirePath) {
        cursor = WireParser.Cursor(bytes: buffer)
        base = path
        trail.reserveCapacity(8)
    }

    /// Reads one document with `body`; nothing but white space may follow the value.
    ///
    /// A document that is not JSON at all fails with the parser's error (the same first bad
    /// byte), even where the reader met a wrong type or a missing member before that byte:
    /// when the read fails, the document is parsed, and the parser's error wins.
    public static func document<T>(
        _ buffer: UnsafeBufferPointer<UInt8>, at path: WirePath = .root, _ body: (inout WireReader) throws -> T
    ) throws -> T {
        var reader = WireReader(buffer, at: path)
        do {
            let value = try body(&reader)
            reader.cursor.skipSpace()
            guard reader.cursor.index == buffer.count else { throw reader.cursor.error("unexpected data after the JSON value") }
            return value
        } catch let error as WireError {
            _ = try WireParser.parse(buffer)
            throw error
        }
    }

    /// The path of the value about to be read.
    public var path: WirePath {
        (trail + [member]).reduce(base) { path, step in
            switch step {
            case .none: path
            case .key(let name): path.key(name)
            case .index(let index): path.index(index)
            }
        }
    }

    /// The error for a required member `key` of the object just read that was absent or null.
    public func missing(_ key: String) -> WireError { WireError(.missing, at: path.key(key)) }

    func mismatch(_ expected: String) -> WireError { WireError(.wrongType(expected), at: path) }

    /// The first byte of the next value, white space skipped.
    mutating func next() throws -> UInt8 {
        cursor.skipSpace()
        guard cursor.index < cursor.bytes.count else { throw cursor.error("unexpected end") }
        return cursor.bytes[cursor.index]
    }

    /// Whether the next value is `null`; it is consumed when it is.
    public mutating func null() throws -> Bool {
        guard try next() == UInt8(ascii: "n") else { return false }
        try cursor.literal("null")
        return true
    }

    /// Checks the next value and steps over it.
    public mutating func skip() throws {
        _ = try next()
        try cursor.skip(depth: depth)
    }

    /// The next value as a tree.
    public mutating func value() throws -> WireValue {
        _ = try next()
        return try cursor.value(depth: depth)
    }

    /// Checks the next value and returns its bytes, with the white space around it, as they
    /// stand in the document (valid while the document's buffer is: copy what you keep).
    public mutating func raw() throws -> UnsafeBufferPointer<UInt8> {
        let start = cursor.index
        try skip()
        cursor.skipSpace()
        return UnsafeBufferPointer(rebasing: cursor.bytes[start..<cursor.index])
    }

    public mutating func string() throws -> String {
        guard try next() == UInt8(ascii: "\"") else { throw mismatch("string") }
        return try cursor.string()
    }

    /// nil for `null`.
    public mutating func optionalString() throws -> String? { try null() ? nil : string() }

    /// An integer: a number without a fraction, or one whose fraction is zero (below 9e15),
    /// as ``WireValue/int(at:)`` takes it.
    public mutating func int() throws -> Int {
        let first = try next()
        guard first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw mismatch("integer") }
        let number = try cursor.number()
        if case .int(let value) = number { return value }
        do { return try number.int(at: .root) } catch { throw mismatch("integer") }
    }

    public mutating func optionalInt() throws -> Int? { try null() ? nil : int() }

    public mutating func double() throws -> Double {
        let first = try next()
        guard first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw mismatch("number") }
        switch try cursor.number() {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: throw mismatch("number")
        }
    }

    public mutating func optionalDouble() throws -> Double? { try null() ? nil : double() }

    public mutating func bool() throws -> Bool {
        switch try next() {
        case UInt8(ascii: "t"):
            try cursor.literal("true")
            return true
        case UInt8(ascii: "f"):
            try cursor.literal("false")
            return false
        default: throw mismatch("boolean")
        }
    }

    public mutating func optionalBool() throws -> Bool? { try null() ? nil : bool() }

    /// A nested value of a readable type; nil for `null`.
    public mutating func optional<T: WireReadable>(_ type: T.Type = T.self) throws -> T? { try null() ? nil : T(reading: &self) }

    /// An object: `body` gets the index in `keys` of each wanted member (one given twice is
    /// refused); every other member is checked and stepped over.
    public mutating func members(_ keys: WireKeys, _ body: (Int, inout WireReader) throws -> Void) throws {
        guard try next() == UInt8(ascii: "{") else { throw mismatch("object") }
        trail.append(member)
        member = .none
        defer { member = trail.removeLast() }
        try enter()
        defer { depth -= 1 }
        if try closes(UInt8(ascii: "}")) { return }
        var seen: UInt64 = 0
        repeat {
            guard try next() == UInt8(ascii: "\"") else { throw cursor.error("expected a key") }
            let wanted = try key(in: keys)
            guard try next() == UInt8(ascii: ":") else { throw cursor.error("expected ':'") }
            cursor.index += 1
            if let wanted {
                member = .key(keys.names[wanted])
                guard seen & (1 << UInt64(wanted)) == 0 else { throw WireError(.invalid("given twice"), at: path) }
                seen |= 1 << UInt64(wanted)
                try body(wanted, &self)
            } else {
                try skip()
            }
        } while try separator(close: UInt8(ascii: "}"))
    }

    /// An array: `body` reads each element, given its index.
    public mutating func elements(_ body: (Int, inout WireReader) throws -> Void) throws {
        guard try next() == UInt8(ascii: "[") else { throw mismatch("array") }
        trail.append(member)
        member = .none
        defer { member = trail.removeLast() }
        try enter()
        defer { depth -= 1 }
        if try closes(UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            member = .index(index)
            try body(index, &self)
            index += 1
        } while try separator(close: UInt8(ascii: "]"))
    }

    /// An array of readable values; nil for `null`.
    public mutating func optionalArray<T>(_ element: (inout WireReader) throws -> T) throws -> [T]? {
        guard try !null() else { return nil }
        var out: [T] = []
        try elements { _, reader in out.append(try element(&reader)) }
        return out
    }

    /// An array of strings (`null` is not one).
    public mutating func strings() throws -> [String] {
        var out: [String] = []
        out.reserveCapacity(2)
        try elements { _, reader in out.append(try reader.string()) }
        return out
    }

    /// Steps into a container (its opening byte), within the nesting limit.
    private mutating func enter() throws {
        depth += 1
        guard depth <= WireParser.maxDepth else { throw cursor.error("nesting deeper than \(WireParser.maxDepth)") }
        cursor.index += 1
    }

    /// Whether the container closes at once (it is empty); consumes the closing byte.
    private mutating func closes(_ close: UInt8) throws -> Bool {
        guard try next() == close else { return false }
        cursor.index += 1
        return true
    }

    /// After an element: true for a comma (another follows), false for the closing byte.
    private mutating func separator(close: UInt8) throws -> Bool {
        switch try next() {
        case UInt8(ascii: ","):
            cursor.index += 1
            return true
        case close:
            cursor.index += 1
            return false
        default:
            throw cursor.error(close == UInt8(ascii: "}") ? "expected ',' or '}'" : "expected ',' or ']'")
        }
    }

    /// Reads a key (the cursor is on its opening quote): its index in `keys`, or nil. A plain
    /// ASCII key is compared as bytes, without making a string.
    private mutating func key(in keys: WireKeys) throws -> Int? {
        let start = cursor.index
        cursor.index += 1
        var ascii = true
        if cursor.nextSpecialByte(ascii: &ascii) == UInt8(ascii: "\""), ascii {
            let name = UnsafeBufferPointer(rebasing: cursor.bytes[(start + 1)..<cursor.index])
            cursor.index += 1
            return keys.index(of: name)
        }
        cursor.index = start
        return keys.index(of: try cursor.string())
    }
}
