/// The words of ``SafetyText/rawTokens(_:)``, read straight from UTF-8 bytes without building a
/// `String` or an array: lower-cased, apostrophes unified, digits split from letters exactly as
/// the tokeniser does (`t2d` stays a word, `10kg` is `10` and `kg`, `1,000.5` is `1000.5`).
///
/// Only ASCII text, plus the curly apostrophes U+2018 and U+2019, is modelled: there a byte is a
/// character (`\r\n`, one `Character`, is two boundaries, which split words the same way), and
/// lower-casing, `isLetter` and `isNumber` are the ASCII ranges. On any other byte the scan
/// stops and reports that the text is not modelled; the caller then runs the full screen.
enum SafetyWordScanner {
    /// Bytes of a word kept for suffix checks; longer words keep their first bytes and full hash.
    static let bufferSize = 64

    /// One word, valid during the call that receives it.
    struct Word {
        /// ``SafetyPrefilter/hash(of:)`` of the whole normalised word.
        var hash: UInt64
        /// The word's length in bytes.
        var length: Int
        /// The first bytes of the word (all of them unless ``isTruncated``).
        var stored: UnsafeBufferPointer<UInt8>
        /// Starts with a digit (`3`, `2.5`).
        var isNumber: Bool
        /// Has an apostrophe inside (`didn't`).
        var hasApostrophe: Bool
        /// Digits before any decimal point, for a number.
        var integerDigits: Int

        var isTruncated: Bool { length > stored.count }
    }

    private enum Kind {
        case letter
        case digit
        case apostrophe
        case other
    }

    /// The character at `index`: its kind, lower-cased ASCII byte (`'` for an apostrophe) and
    /// width in bytes; `nil` for a byte outside the model.
    @inline(__always)
    private static func character(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (kind: Kind, byte: UInt8, width: Int)? {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return (byte >= UInt8(ascii: "a") ? .letter : .digit, byte, 1)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return (.letter, byte | 0x20, 1)
        case UInt8(ascii: "'"), UInt8(ascii: "`"):
            return (.apostrophe, UInt8(ascii: "'"), 1)
        case 0..<0x80:
            return (.other, byte, 1)
        case 0xE2:
            guard index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0x98 || bytes[index + 2] == 0x99 else {
                return nil
            }
            return (.apostrophe, UInt8(ascii: "'"), 3)
        default:
            return nil
        }
    }

    /// Calls `body` with each word in order until it returns `false`. Returns `false` when the
    /// text has a byte outside the model (the words seen so far may then be wrong).
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, buffer: UnsafeMutableBufferPointer<UInt8>, _ body: (Word) -> Bool) -> Bool {
        var hash = SafetyPrefilter.hashSeed
        var length = 0
        var isNumber = false
        var hasApostrophe = false
        var lastIsLetter = false
        var integerDigits = 0
        var seenPoint = false
        var stopped = false

        func append(_ byte: UInt8) {
            hash = SafetyPrefilter.hash(hash, byte)
            if length < buffer.count { buffer[length] = byte }
            length += 1
        }
        func flush() {
            if length > 0 && !stopped {
                let stored = UnsafeBufferPointer(rebasing: buffer[..<min(length, buffer.count)])
                let word = Word(
                    hash: SafetyPrefilter.finish(hash), length: length, stored: stored, isNumber: isNumber,
                    hasApostrophe: hasApostrophe, integerDigits: integerDigits)
                stopped = !body(word)
            }
            hash = SafetyPrefilter.hashSeed
            length = 0
            isNumber = false
            hasApostrophe = false
            lastIsLetter = false
            integerDigits = 0
            seenPoint = false
        }

        var index = 0
        while index < bytes.count && !stopped {
            guard let current = character(at: index, in: bytes) else { return false }
            let nextIndex = index + current.width
            let next = nextIndex < bytes.count ? character(at: nextIndex, in: bytes)?.kind : nil
            switch current.kind {
            case .digit:
                if length > 0 && !isNumber && !lastIsLetter { flush() }
                if length == 0 { isNumber = true }
                append(current.byte)
                if isNumber && !seenPoint { integerDigits += 1 }
                lastIsLetter = false
            case .letter:
                if isNumber { flush() }
                append(current.byte)
                lastIsLetter = true
            case .apostrophe:
                if length > 0 && !isNumber && next == .letter {
                    append(current.byte)
                    hasApostrophe = true
                    lastIsLetter = false
                } else {
                    flush()
                }
            case .other:
                let byte = current.byte
                if (byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",")) && isNumber && next == .digit {
                    if byte == UInt8(ascii: ".") {
                        append(byte)
                        seenPoint = true
                    }
                } else {
                    flush()
                }
            }
            index = nextIndex
        }
        flush()
        return true
    }

    /// The words of `text` as strings (`nil` when the text is not modelled); for tests.
    static func words(in text: String) -> [String]? {
        var found: [String] = []
        let bytes = Array(text.utf8)
        let modelled = bytes.withUnsafeBufferPointer { input in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, input.count)) { buffer in
                scan(input, buffer: buffer) { word in
                    found.append(String(decoding: word.stored, as: UTF8.self))
                    return true
                }
            }
        }
        return modelled ? found : nil
    }
}
