import Foundation

/// The stream hot path: a streamed answer is mostly `delta` events, each crossing the ABI as
/// JSON once per chunk of text. Encoding and decoding those with `JSONEncoder`/`JSONDecoder`
/// cost more than parsing the upstream's chunk, so `delta` has a direct path that writes and
/// reads exactly the bytes the Codable form produces (`{"text":…,"type":"delta"}`, the keys in
/// `WireJSON`'s sorted order). Every other event, and any other spelling a plugin may send
/// (another key order, whitespace), goes through Codable as before.
extension StreamEvent {
    private static let deltaHead = Array(#"{"text":""#.utf8)
    private static let deltaTail = Array(#"","type":"delta"}"#.utf8)

    /// The event's wire JSON.
    public func wireBytes() throws -> [UInt8] {
        guard case .delta(let text) = self else { return try WireJSON.encode(self) }
        var out = Self.deltaHead
        out.reserveCapacity(text.utf8.count + 32)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out += Self.deltaTail
        return out
    }

    /// Decodes an event's wire JSON; nil when it is not a valid event.
    public static func fromWire(_ bytes: [UInt8]) -> StreamEvent? {
        if let text = fastDelta(bytes) { return .delta(text) }
        return try? JSONDecoder().decode(StreamEvent.self, from: Data(bytes))
    }

    /// The text of a `delta` event spelled exactly as ``wireBytes()`` writes it; nil otherwise.
    static func fastDelta(_ bytes: [UInt8]) -> String? {
        let head = deltaHead.count
        let tail = deltaTail.count
        guard bytes.count >= head + tail, bytes[..<head].elementsEqual(deltaHead), bytes[(bytes.count - tail)...].elementsEqual(deltaTail)
        else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count - head - tail)
        var index = head
        let end = bytes.count - tail
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte < 0x20 { return nil }  // not one string: let Codable judge
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < end else { return nil }
            switch bytes[index + 1] {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            default: return nil  // \u escapes and anything else: Codable
            }
            index += 2
        }
        return String(validating: out, as: UTF8.self)
    }
}
