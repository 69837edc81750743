/// Fast word-level scanning of plan text for the safety checks.
enum TextScan {
    /// Each distinct text with its words, so every text is scanned once per validation.
    static func wordsByText(_ texts: [String]) -> [String: [String]] {
        var index: [String: [String]] = [:]
        for text in texts where index[text] == nil {
            index[text] = words(in: text)
        }
        return index
    }

    /// The words of `text`, lower-cased; a word is a run of letters (any non-ASCII byte
    /// counts as a letter, so accented words stay whole).
    static func words(in text: String) -> [String] {
        var lowered = text.lowercased()
        return lowered.withUTF8 { bytes in
            var words: [String] = []
            var start = -1
            for index in 0...bytes.count {
                let byte: UInt8 = index < bytes.count ? bytes[index] : 0
                let isLetter = (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80
                if isLetter {
                    if start < 0 { start = index }
                } else if start >= 0 {
                    words.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                    start = -1
                }
            }
            return words
        }
    }

    /// Whether text asks for sets taken to failure: "to/until (muscular) failure",
    /// "AMRAP", or "as many reps as possible".
    static func asksForFailure(_ text: String) -> Bool {
        asksForFailure(words: words(in: text))
    }

    /// ``asksForFailure(_:)`` for text already split by ``words(in:)``.
    static func asksForFailure(words: [String]) -> Bool {
        var index = 0
        while index < words.count {
            let word = words[index]
            if word == "amrap" { return true }
            if word == "failure" && index > 0 {
                var before = words[index - 1]
                if before == "muscular" && index > 1 { before = words[index - 2] }
                if before == "to" || before == "until" { return true }
            }
            if word == "as" && index + 4 < words.count && words[index + 1] == "many"
                && words[index + 2] == "reps" && words[index + 3] == "as" && words[index + 4] == "possible"
            {
                return true
            }
            index += 1
        }
        return false
    }
}
