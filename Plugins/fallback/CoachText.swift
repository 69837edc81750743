/// Text helpers for the offline coach: normalisation, keyword matching, lists, word counts.
///
/// Everything here is deterministic and locale-independent: no dictionaries or sets are
/// iterated, so the same input always gives the same output.
enum CoachText {
    /// Lower-cases `text`, turns every character that is not a letter or digit into a space,
    /// collapses runs of spaces and pads the result with one space on each side
    /// (`"Push-ups?"` → `" push ups "`), so keywords match on word boundaries.
    static func normalize(_ text: String) -> String {
        var out = " "
        var lastWasSpace = true
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                out.append(character)
                lastWasSpace = false
            } else if !lastWasSpace {
                out.append(" ")
                lastWasSpace = true
            }
        }
        if !lastWasSpace { out.append(" ") }
        return out
    }

    /// The words of a normalised text.
    static func words(ofNormalized padded: String) -> [String] {
        padded.split(separator: " ").map(String.init)
    }

    /// Where `keyword` (already normalised, without padding, e.g. `"push up"`) occurs in
    /// `padded` as whole words, also accepting a plural `s`/`es` on its last word.
    static func range(of keyword: String, in padded: String) -> Range<String.Index>? {
        for suffix in ["", "s", "es"] {
            if let found = padded.range(of: " \(keyword)\(suffix) ") { return found }
        }
        return nil
    }

    /// Whether `keyword` occurs in `padded` (see ``range(of:in:)``).
    static func contains(_ padded: String, _ keyword: String) -> Bool {
        range(of: keyword, in: padded) != nil
    }

    /// The number of whitespace-separated words in `text`.
    static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: { $0.isWhitespace }).count
    }

    /// `["a"]` → `"a"`, `["a", "b"]` → `"a and b"`, `["a", "b", "c"]` → `"a, b and c"`.
    static func list(_ items: [String], conjunction: String = "and") -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
        }
    }

    /// `"Brace your core"` → `"brace your core"`.
    static func lowerFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }

    /// Collapses whitespace and control characters to single spaces, trims, and caps the
    /// length, so a value copied from a profile can be quoted safely inside a sentence.
    static func clean(_ text: String, maxLength: Int = 40) -> String {
        let pieces = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline || $0 == "_" })
        let joined = pieces.joined(separator: " ")
        return joined.count > maxLength ? String(joined.prefix(maxLength)) : joined
    }

    /// `1` → `"1 day"`, `3` → `"3 days"`.
    static func days(_ count: Int) -> String {
        count == 1 ? "1 day" : "\(count) days"
    }

    /// `"crunch"` → `"crunches"`, `"push-up"` → `"push-ups"`.
    static func plural(_ noun: String) -> String {
        ["ch", "sh", "s", "x"].contains(where: noun.hasSuffix) ? noun + "es" : noun + "s"
    }
}
