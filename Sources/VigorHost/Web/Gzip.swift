/// A small gzip (RFC 1952) encoder for the web client's files: DEFLATE (RFC 1951) with
/// LZ77 matching over a 32 KiB window and the fixed Huffman codes.
///
/// The files are compressed once, when the host loads them, so the encoder favours being
/// short and obviously correct over speed; the fixed codes get text to about a third of
/// its size. The host has no zlib binding, and its files are its own (not client input).
enum Gzip {
    /// `input` as a gzip member (header, one final fixed-Huffman block, CRC-32 and size).
    static func compress(_ input: [UInt8]) -> [UInt8] {
        // ID1 ID2, CM = deflate, no flags, no mtime, XFL 0, OS = Unix.
        var output: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]
        output += deflate(input)
        output += littleEndian(crc32(input))
        output += littleEndian(UInt32(truncatingIfNeeded: input.count))
        return output
    }

    /// Raw DEFLATE data: one final block with the fixed codes.
    static func deflate(_ input: [UInt8]) -> [UInt8] {
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
        var matcher = Matcher(input)
        var position = 0
        while position < input.count {
            if let (length, distance) = matcher.longestMatch(at: position) {
                bits.writeLength(length)
                bits.writeDistance(distance)
                for skipped in position..<(position + length) { matcher.insert(skipped) }
                position += length
            } else {
                bits.writeLiteral(Int(input[position]))
                matcher.insert(position)
                position += 1
            }
        }
        bits.writeLiteral(256)  // end of block
        bits.flush()
        return bits.bytes
    }

    /// CRC-32 (the ISO-HDLC polynomial gzip uses).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}

/// Finds earlier occurrences of the bytes at a position: a hash of the next three bytes
/// leads to the most recent position with that hash, and a chain links each position to the
/// one before it with the same hash.
private struct Matcher {
    static let window = 32_768
    static let minLength = 3
    static let maxLength = 258
    static let maxChain = 64
    static let hashBits = 15

    let input: [UInt8]
    var head: [Int]
    var previous: [Int]

    init(_ input: [UInt8]) {
        self.input = input
        head = Array(repeating: -1, count: 1 << Self.hashBits)
        previous = Array(repeating: -1, count: Self.window)
    }

    private func hash(at position: Int) -> Int? {
        guard position + 2 < input.count else { return nil }
        let value = Int(input[position]) << 10 ^ Int(input[position + 1]) << 5 ^ Int(input[position + 2])
        return value & ((1 << Self.hashBits) - 1)
    }

    mutating func insert(_ position: Int) {
        guard let hash = hash(at: position) else { return }
        previous[position % Self.window] = head[hash]
        head[hash] = position
    }

    /// The longest earlier match (length ≥ 3) within the window, and its distance.
    func longestMatch(at position: Int) -> (length: Int, distance: Int)? {
        guard let hash = hash(at: position) else { return nil }
        let limit = min(Self.maxLength, input.count - position)
        var candidate = head[hash]
        var best: (length: Int, distance: Int)?
        var steps = 0
        while candidate >= 0, position - candidate <= Self.window, steps < Self.maxChain {
            var length = 0
            while length < limit, input[candidate + length] == input[position + length] { length += 1 }
            if length >= Self.minLength, length > (best?.length ?? 0) {
                best = (length, position - candidate)
                if length == limit { break }
            }
            let next = previous[candidate % Self.window]
            // A slot reused by a newer position would point forwards: the chain ends there.
            guard next < candidate else { break }
            candidate = next
            steps += 1
        }
        return best
    }
}

/// Writes DEFLATE's bit stream: values least significant bit first, Huffman codes most
/// significant bit first.
private struct BitWriter {
    var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var filled = 0

    private static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
        8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    mutating func write(_ value: Int, count: Int) {
        buffer |= UInt64(value) << UInt64(filled)
        filled += count
        while filled >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            filled -= 8
        }
    }

    private mutating func writeCode(_ code: Int, count: Int) {
        var reversed = 0
        for bit in 0..<count where code & (1 << bit) != 0 { reversed |= 1 << (count - 1 - bit) }
        write(reversed, count: count)
    }

    /// A literal/length symbol (0–287) in the fixed code.
    mutating func writeLiteral(_ symbol: Int) {
        switch symbol {
        case 0...143: writeCode(0x30 + symbol, count: 8)
        case 144...255: writeCode(0x190 + symbol - 144, count: 9)
        case 256...279: writeCode(symbol - 256, count: 7)
        default: writeCode(0xC0 + symbol - 280, count: 8)
        }
    }

    mutating func writeLength(_ length: Int) {
        let index = Self.lengthBase.lastIndex { $0 <= length } ?? 0
        writeLiteral(257 + index)
        if Self.lengthExtra[index] > 0 { write(length - Self.lengthBase[index], count: Self.lengthExtra[index]) }
    }

    mutating func writeDistance(_ distance: Int) {
        let index = Self.distanceBase.lastIndex { $0 <= distance } ?? 0
        writeCode(index, count: 5)
        if Self.distanceExtra[index] > 0 { write(distance - Self.distanceBase[index], count: Self.distanceExtra[index]) }
    }

    mutating func flush() {
        if filled > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)) }
        buffer = 0
        filled = 0
    }
}
