/// Folding a message to the letters the rules are written in, before anything else reads it.
///
/// A message typed on a phone or pasted from elsewhere can spell "chest pain" in letters that
/// are not ASCII: full-width forms from an East Asian keyboard (`ｃｈｅｓｔ ｐａｉｎ`), the
/// "fancy text" of social media (`𝐜𝐡𝐞𝐬𝐭`, `ⓒⓗⓔⓢⓣ`), a soft hyphen or zero-width character
/// left inside a word by a web page or an emoji keyboard (`che\u{AD}st`), or a Cyrillic or
/// Greek letter that looks Latin inside a Latin word (`pаin` with a Cyrillic `а`). Unfolded,
/// the rules read none of them, and a person describing a heart attack gets form tips.
extension SafetyText {
    /// `text` with compatibility letters and digits as ASCII, invisible format characters
    /// (Unicode category Cf: soft hyphen, zero-width space and joiners, direction marks and
    /// overrides, byte-order mark) removed, and Cyrillic or Greek look-alikes inside a word
    /// that also has a Latin letter read as Latin. A word wholly in another script is kept:
    /// the rules of that script's language read it.
    ///
    /// ASCII text comes back as it is, without a copy (checked eight bytes at a time).
    static func folded(_ text: String) -> String {
        guard !isASCII(text) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        // The current word's scalars, held until its end shows whether it has a Latin letter.
        var word: [Unicode.Scalar] = []
        var wordHasLatin = false
        func endWord() {
            for scalar in word { out.unicodeScalars.append(wordHasLatin ? lookAlike(scalar) ?? scalar : scalar) }
            word.removeAll(keepingCapacity: true)
            wordHasLatin = false
        }
        for original in text.unicodeScalars {
            var scalar = original
            if original.value >= 0x80 {
                let category = original.properties.generalCategory
                if category == .format { continue }
                if let ascii = compatibility(original) {
                    scalar = ascii
                } else {
                    if Self.continuesWord(category) {
                        word.append(original)
                    } else {
                        endWord()
                        out.unicodeScalars.append(original)
                    }
                    continue
                }
            }
            // ASCII (or folded to it): a letter belongs to the word, anything else ends it.
            if (scalar.value | 0x20) &- 0x61 < 26 {
                wordHasLatin = true
                word.append(scalar)
            } else {
                endWord()
                out.unicodeScalars.append(scalar)
            }
        }
        endWord()
        return out
    }

    /// Letters and combining marks: part of a word.
    static func continuesWord(_ category: Unicode.GeneralCategory) -> Bool {
        switch category {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark,
            .spacingMark, .enclosingMark:
            true
        default: false
        }
    }

    static func isASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            // Eight bytes at a time: any byte with its high bit set is not ASCII.
            if let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base)
                while index + 8 <= bytes.count {
                    if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                    index += 8
                }
            }
            while index < bytes.count {
                if bytes[index] >= 0x80 { return false }
                index += 1
            }
            return true
        }
    }

    /// The ASCII character a compatibility character stands for: the full-width forms, the
    /// ideographic space, the mathematical alphanumeric letters and digits, circled letters.
    static func compatibility(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        switch value {
        case 0xFF01...0xFF5E: return Unicode.Scalar(value - 0xFEE0)  // full-width ASCII
        case 0x3000: return " "  // ideographic space
        case 0x1D400..<0x1D6A4:
            // Thirteen alphabets of A–Z then a–z: bold, italic, script, fraktur, double-struck,
            // sans-serif and monospace styles (the few unassigned points in them map harmlessly).
            let offset = (value - 0x1D400) % 52
            return Unicode.Scalar(offset < 26 ? 0x41 + offset : 0x61 + offset - 26)
        case 0x1D7CE...0x1D7FF: return Unicode.Scalar(0x30 + (value - 0x1D7CE) % 10)  // mathematical digits
        case 0x24B6...0x24CF: return Unicode.Scalar(0x41 + value - 0x24B6)  // circled capital letters
        case 0x24D0...0x24E9: return Unicode.Scalar(0x61 + value - 0x24D0)  // circled small letters
        default: return nil
        }
    }

    /// The Latin letter a Cyrillic or Greek letter is drawn like.
    static func lookAlike(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        lookAlikes[scalar.value].flatMap(Unicode.Scalar.init)
    }

    static let lookAlikes: [UInt32: UInt32] = {
        // Each pair: the look-alike, then the Latin letter.
        let pairs: [(Character, Character)] = [
            // Cyrillic
            ("а", "a"), ("е", "e"), ("о", "o"), ("р", "p"), ("с", "c"), ("у", "y"), ("х", "x"), ("і", "i"), ("ј", "j"),
            ("ѕ", "s"), ("ԁ", "d"), ("һ", "h"), ("ӏ", "l"), ("ԛ", "q"), ("ԝ", "w"), ("к", "k"), ("м", "m"), ("т", "t"),
            ("А", "A"), ("В", "B"), ("Е", "E"), ("К", "K"), ("М", "M"), ("Н", "H"), ("О", "O"), ("Р", "P"), ("С", "C"),
            ("Т", "T"), ("Х", "X"), ("У", "Y"), ("І", "I"), ("Ј", "J"), ("Ѕ", "S"),
            // Greek
            ("α", "a"), ("ο", "o"), ("ν", "v"), ("ι", "i"), ("κ", "k"), ("ρ", "p"), ("τ", "t"), ("υ", "u"), ("Α", "A"),
            ("Β", "B"), ("Ε", "E"), ("Ζ", "Z"), ("Η", "H"), ("Ι", "I"), ("Κ", "K"), ("Μ", "M"), ("Ν", "N"), ("Ο", "O"),
            ("Ρ", "P"), ("Τ", "T"), ("Υ", "Y"), ("Χ", "X"),
        ]
        var table: [UInt32: UInt32] = [:]
        for (from, to) in pairs {
            guard let source = from.unicodeScalars.first, let target = to.unicodeScalars.first else { continue }
            table[source.value] = target.value
        }
        return table
    }()
}
