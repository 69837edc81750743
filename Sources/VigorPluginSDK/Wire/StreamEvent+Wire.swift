/// The stream hot path: a streamed answer is mostly `delta` events, each crossing the ABI (and
/// the runner pipe) as JSON once per chunk of text. Events use the SDK's direct wire coding
/// (``WireWriter``/``WireParser``), which writes exactly the bytes the `Codable` form writes
/// (`{"text":…,"type":"delta"}`, keys sorted) and reads any spelling `Codable` reads.
extension StreamEvent: WireEncodable, WireDecodable {
    public func write(to out: inout WireWriter) {
        out.beginObject()
        switch self {
        case .delta(let text):
            out.key("text")
            out.string(text)
            out.key("type")
            out.string("delta")
        case .usage(let usage):
            out.key("type")
            out.string("usage")
            out.key("usage")
            out.value(usage)
        case .finish(let reason):
            out.key("finish_reason")
            out.string(reason)
            out.key("type")
            out.string("finish")
        case .citations(let citations):
            out.key("citations")
            out.array(citations) { $0.string($1) }
            out.key("type")
            out.string("citations")
        case .model(let model):
            out.key("model")
            out.string(model)
            out.key("type")
            out.string("model")
        case .error(let error):
            out.key("error")
            out.value(error)
            out.key("type")
            out.string("error")
        }
        out.endObject()
    }

    public init(wire value: WireValue, at path: WirePath) throws {
        let o = try value.members(at: path)
        switch try o.string("type") {
        case "delta": self = .delta(try o.string("text"))
        case "usage": self = .usage(try o.decode("usage"))
        case "finish": self = .finish(try o.string("finish_reason"))
        case "citations": self = .citations(try o.array("citations") { try $0.string(at: $1) })
        case "model": self = .model(try o.string("model"))
        case "error": self = .error(try o.decode("error"))
        case let other: throw WireError(.invalid("unknown event type \(other)"), at: path.key("type"))
        }
    }

    /// The event's wire JSON.
    public func wireBytes() throws -> [UInt8] { WireJSON.bytes(of: self) }

    /// Decodes an event's wire JSON; nil when it is not a valid event.
    public static func fromWire(_ bytes: [UInt8]) -> StreamEvent? {
        guard let value = try? WireParser.parse(bytes) else { return nil }
        return try? StreamEvent(wire: value, at: .root)
    }
}
