/// One event of a parsed upstream stream (`provider.stream`), as JSON on the wire:
/// `{"type":"delta","text":…}`, `{"type":"usage","usage":{…}}`,
/// `{"type":"finish","finish_reason":…}`, `{"type":"citations","citations":[…]}`,
/// `{"type":"model","model":…}`, `{"type":"error","error":{…}}`.
public enum StreamEvent: Sendable, Hashable {
    case delta(String)
    case usage(TokenUsage)
    case finish(String)
    case citations([String])
    case model(String)
    case error(ProviderError)
}

extension StreamEvent: Codable {
    enum CodingKeys: String, CodingKey {
        case type, text, usage, citations, model, error
        case finishReason = "finish_reason"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "delta": self = .delta(try c.decode(String.self, forKey: .text))
        case "usage": self = .usage(try c.decode(TokenUsage.self, forKey: .usage))
        case "finish": self = .finish(try c.decode(String.self, forKey: .finishReason))
        case "citations": self = .citations(try c.decode([String].self, forKey: .citations))
        case "model": self = .model(try c.decode(String.self, forKey: .model))
        case "error": self = .error(try c.decode(ProviderError.self, forKey: .error))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown event type \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .delta(let text):
            try c.encode("delta", forKey: .type)
            try c.encode(text, forKey: .text)
        case .usage(let usage):
            try c.encode("usage", forKey: .type)
            try c.encode(usage, forKey: .usage)
        case .finish(let reason):
            try c.encode("finish", forKey: .type)
            try c.encode(reason, forKey: .finishReason)
        case .citations(let citations):
            try c.encode("citations", forKey: .type)
            try c.encode(citations, forKey: .citations)
        case .model(let model):
            try c.encode("model", forKey: .type)
            try c.encode(model, forKey: .model)
        case .error(let error):
            try c.encode("error", forKey: .type)
            try c.encode(error, forKey: .error)
        }
    }
}

/// Splits a byte stream into Server-Sent Events: handles arbitrary splits, `\n` and `\r\n`,
/// multi-line `data:` fields and comments. Provider plugins feed upstream bytes to it.
public struct SSEDecoder: Sendable {
    /// One decoded event.
    public struct Event: Sendable, Hashable {
        public var event: String?
        public var data: String

        /// `data` without leading or trailing spaces and tabs.
        public var trimmedData: String { data.trimmingSpacesAndTabs() }
    }

    private var buffer: [UInt8] = []
    private var dataLines: [String] = []
    private var eventName: String?

    public init() {}

    /// Feeds bytes; returns the events they completed.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [Event] where Bytes.Element == UInt8 {
        feed(Array(bytes))
    }

    /// Feeds bytes; returns the events they completed. (The concrete form: the generic one
    /// is not specialised across the module boundary and would copy byte by byte.)
    public mutating func feed(_ bytes: [UInt8]) -> [Event] {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        var start = 0
        var i = 0
        while i < buffer.count {
            if buffer[i] == UInt8(ascii: "\n") {
                var end = i
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                if let event = take(line: line) { events.append(event) }
                start = i + 1
            }
            i += 1
        }
        buffer.removeFirst(start)
        return events
    }

    /// Ends the input: an unterminated final event is returned (some upstreams omit the blank line).
    public mutating func finish() -> [Event] {
        var events: [Event] = []
        if !buffer.isEmpty {
            let line = String(decoding: buffer, as: UTF8.self)
            buffer.removeAll()
            if let event = take(line: line) { events.append(event) }
        }
        if let event = take(line: "") { events.append(event) }
        return events
    }

    private mutating func take(line: String) -> Event? {
        if line.isEmpty {
            defer {
                dataLines.removeAll()
                eventName = nil
            }
            guard !dataLines.isEmpty else { return nil }
            return Event(event: eventName, data: dataLines.joined(separator: "\n"))
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = Substring(line)
            value = ""
        }
        switch field {
        case "data": dataLines.append(String(value))
        case "event": eventName = String(value)
        default: break
        }
        return nil
    }
}

extension String {
    /// The text without leading or trailing ASCII spaces and tabs. Plain byte work: Foundation's
    /// `trimmingCharacters(in:)` goes through UTF-16 and cost more than parsing a stream event.
    public func trimmingSpacesAndTabs() -> String {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        if first == bytes.startIndex && last == bytes.index(before: bytes.endIndex) { return self }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
