/// A compiled term: one or more phrases, each a list of word matchers.
struct SafetyPattern: Sendable {
    enum Word: Sendable, Hashable {
        case exact(String)
        case prefix(String)
        case number
        case any
    }

    var phrases: [[Word]]

    /// Compiles `term` (`@concept` or a phrase) against the language's concepts.
    init(_ term: String, concepts: [String: [String]]) {
        phrases = Self.phrases(term, concepts: concepts, depth: 0)
    }

    init(terms: [String], concepts: [String: [String]]) {
        phrases = terms.flatMap { Self.phrases($0, concepts: concepts, depth: 0) }
    }

    private static func phrases(_ term: String, concepts: [String: [String]], depth: Int) -> [[Word]] {
        if term.hasPrefix("@") {
            // An unknown concept matches nothing; a concept may list other concepts (depth-limited).
            guard depth < 4, let members = concepts[String(term.dropFirst())] else { return [] }
            return members.flatMap { phrases($0, concepts: concepts, depth: depth + 1) }
        }
        // A word `@name` inside a phrase stands for every phrase of that concept (spliced in).
        var results: [[Word]] = [[]]
        for part in term.split(separator: " ") {
            if part.count > 1 && part.hasPrefix("@") {
                let options = depth < 4 ? phrases(String(part), concepts: concepts, depth: depth + 1) : []
                results = results.flatMap { head in options.map { head + $0 } }
                continue
            }
            let word: Word
            if part == "#" {
                word = .number
            } else if part == "?" {
                word = .any
            } else if part.count > 1 && part.hasSuffix("*") {
                word = .prefix(String(part.dropLast()))
            } else {
                word = .exact(String(part))
            }
            results = results.map { $0 + [word] }
        }
        return results.filter { !$0.isEmpty }
    }

    /// Occurrences in `words` as half-open ranges, first start first.
    func occurrences(in words: [String], language: SafetyLanguage) -> [Range<Int>] {
        var found: [Range<Int>] = []
        guard !words.isEmpty else { return found }
        for start in 0..<words.count {
            for phrase in phrases where start + phrase.count <= words.count {
                if Self.matches(phrase, words: words, at: start, language: language) {
                    found.append(start..<(start + phrase.count))
                }
            }
        }
        return found
    }

    /// Whether the pattern occurs anywhere in `words`.
    func occurs(in words: [String], language: SafetyLanguage) -> Bool {
        guard !words.isEmpty else { return false }
        for start in 0..<words.count {
            for phrase in phrases where start + phrase.count <= words.count {
                if Self.matches(phrase, words: words, at: start, language: language) { return true }
            }
        }
        return false
    }

    static func matches(_ phrase: [Word], words: [String], at start: Int, language: SafetyLanguage) -> Bool {
        for (offset, matcher) in phrase.enumerated() {
            let word = words[start + offset]
            switch matcher {
            case .exact(let expected): if word != expected { return false }
            case .prefix(let head): if !word.hasPrefix(head) { return false }
            case .number: if SafetyText.number(word, language: language) == nil { return false }
            case .any: break
            }
        }
        return true
    }
}
