/// Text normalisation for the safety screen: lower-case, unify apostrophes, split into
/// clauses at sentence punctuation and the language's clause breaks, expand contractions.
enum SafetyText {
    /// The clauses of `text`, each a list of normalised words.
    static func clauses(_ text: String, language: SafetyLanguage) -> [[String]] {
        var clauses: [[String]] = []
        var current: [String] = []
        func endClause() {
            if !current.isEmpty { clauses.append(current) }
            current = []
        }
        for raw in rawTokens(text) {
            guard case .word(let word) = raw else {
                endClause()
                continue
            }
            for token in expand(word, language: language) {
                if language.clauseBreaks.contains(token) {
                    endClause()
                } else {
                    current.append(token)
                }
            }
        }
        endClause()
        return joiningCries(clauses, language: language)
    }

    /// Joins each clause that is only a cry for help to its neighbour: the clause before it, or
    /// the one after when it comes first ("help!! heart attack").
    static func joiningCries(_ clauses: [[String]], language: SafetyLanguage) -> [[String]] {
        guard clauses.count > 1, !language.cryClauses.isEmpty else { return clauses }
        var joined: [[String]] = []
        var pending: [String] = []
        for clause in clauses {
            if language.cryClauses.contains(clause.joined(separator: " ")) {
                if joined.isEmpty { pending += clause } else { joined[joined.count - 1] += clause }
            } else {
                joined.append(pending + clause)
                pending = []
            }
        }
        if !pending.isEmpty { joined.append(pending) }
        return joined
    }

    enum RawToken: Equatable {
        case word(String)
        case boundary
    }

    /// Words (letters, apostrophes inside words, digits with a decimal point or thousands
    /// comma) and clause boundaries (`. ! ? ;` and line breaks). A digit run after letters stays
    /// in the word (`t2d`); letters after digits start a new word (`10kg` → `10`, `kg`).
    static func rawTokens(_ text: String) -> [RawToken] {
        var tokens: [RawToken] = []
        var word = ""
        var isNumber = false
        func flush() {
            if !word.isEmpty {
                // A trailing apostrophe or decimal point is not part of the word.
                while let last = word.last, last == "'" || last == "." || last == "," { word.removeLast() }
                if !word.isEmpty { tokens.append(.word(word)) }
            }
            word = ""
            isNumber = false
        }
        let characters = Array(text.lowercased())
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            if character.isNumber && character.isASCII {
                if !word.isEmpty && !isNumber && word.last?.isLetter != true { flush() }
                if word.isEmpty { isNumber = true }
                word.append(character)
            } else if character.isLetter {
                if isNumber { flush() }
                word.append(character)
            } else if isApostrophe(character) {
                if !word.isEmpty && !isNumber, let next, next.isLetter { word.append("'") } else { flush() }
            } else if (character == "." || character == ",") && isNumber, let next, next.isNumber {
                if character == "." { word.append(".") }
            } else {
                flush()
                if character == "." || character == "!" || character == "?" || character == ";" || character.isNewline {
                    if tokens.last != .boundary { tokens.append(.boundary) }
                }
            }
            index += 1
        }
        flush()
        return tokens
    }

    static func isApostrophe(_ character: Character) -> Bool {
        character == "'" || character == "\u{2019}" || character == "\u{2018}" || character == "\u{02BC}" || character == "`"
            || character == "\u{00B4}"
    }

    /// A word after the language's replacements: whole words first, then suffixes.
    static func expand(_ word: String, language: SafetyLanguage) -> [String] {
        if let replaced = language.wordReplacements[word] { return replaced }
        guard word.contains("'") else { return [word] }
        for (suffix, replacement) in language.suffixReplacements where word.hasSuffix(suffix) && word.count > suffix.count {
            let stem = String(word.dropLast(suffix.count))
            let head = language.wordReplacements[stem] ?? [stem]
            return head + replacement
        }
        return [word.replacingApostrophes()]
    }

    /// A number written in digits (`3`, `2.5`) or as a word of the language (`three`, `a`).
    /// Numbers above ``largestNumber`` are not read (no amount, age or time in a message is that large).
    static func number(_ word: String, language: SafetyLanguage) -> Double? {
        if let first = word.first, first.isNumber, let value = Double(word) {
            return value.isFinite && value <= largestNumber ? value : nil
        }
        guard let value = language.numberWords[word], value.isFinite, value <= largestNumber else { return nil }
        return value
    }

    static let largestNumber: Double = 1_000_000
}

extension String {
    /// The word without apostrophes (`o'clock` → `oclock`).
    fileprivate func replacingApostrophes() -> String {
        String(filter { $0 != "'" })
    }
}
