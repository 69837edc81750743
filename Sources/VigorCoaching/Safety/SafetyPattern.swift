/// A compiled term: one or more phrases, each a list of word matchers.
struct SafetyPattern: Sendable {
    enum Word: Sendable, Hashable {
        case exact(String)
        case prefix(String)
        case number
        case any
    }

    var phrases: [[Word]]
    /// The pattern's slot in its language's ``SafetyPatternIndex`` (-1 when not indexed).
    var id = -1
    /// Phrases whose first word is exact, by that word (one dictionary look-up per position).
    let byFirstWord: [String: [[Word]]]
    /// Phrases starting with a prefix, a number or any word (tried at every position).
    let otherPhrases: [[Word]]

    /// Compiles `term` (`@concept` or a phrase) against the language's concepts.
    init(_ term: String, concepts: [String: [String]]) {
        self.init(phrases: Self.phrases(term, concepts: concepts, depth: 0))
    }

    init(terms: [String], concepts: [String: [String]]) {
        self.init(phrases: terms.flatMap { Self.phrases($0, concepts: concepts, depth: 0) })
    }

    private init(phrases: [[Word]]) {
        self.phrases = phrases
        var index: [String: [[Word]]] = [:]
        var others: [[Word]] = []
        for phrase in phrases {
            if case .exact(let first) = phrase[0] {
                index[first, default: []].append(phrase)
            } else {
                others.append(phrase)
            }
        }
        byFirstWord = index
        otherPhrases = others
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
            for phrase in byFirstWord[words[start]] ?? [] where start + phrase.count <= words.count {
                if Self.matches(phrase, words: words, at: start, language: language) {
                    found.append(start..<(start + phrase.count))
                }
            }
            for phrase in otherPhrases where start + phrase.count <= words.count {
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
            for phrase in byFirstWord[words[start]] ?? [] where start + phrase.count <= words.count {
                if Self.matches(phrase, words: words, at: start, language: language) { return true }
            }
            for phrase in otherPhrases where start + phrase.count <= words.count {
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

/// Every indexed pattern of one language, matched in one pass over a clause: one dictionary
/// look-up per word finds the phrases starting with it (plus the few starting with a prefix,
/// a number or any word), instead of scanning the clause once per pattern.
struct SafetyPatternIndex: Sendable {
    typealias Entry = (pattern: Int, phrase: [SafetyPattern.Word], order: Int)
    private var first: [String: [Entry]] = [:]
    /// Phrases starting with a prefix whose first character is a lower-case ASCII letter or digit,
    /// by that byte: only words starting with the same byte can match (no other character is
    /// canonically equivalent to one of these), so each word tries a handful, not all of them.
    private var prefixByFirstByte = Array(repeating: [Entry](), count: 128)
    /// Phrases starting with a number, any word, or another prefix (tried at every position).
    /// Both lists keep the order phrases were added in (``Entry/order``), and a scan merges them
    /// in that order: occurrences with the same start stay in the order they always had.
    private var others: [Entry] = []
    private var added = 0
    private(set) var count = 0

    /// Gives `pattern` the next id and indexes its phrases.
    mutating func add(_ pattern: SafetyPattern) -> SafetyPattern {
        var indexed = pattern
        indexed.id = count
        count += 1
        for phrase in pattern.phrases {
            added += 1
            switch phrase[0] {
            case .exact(let word):
                first[word, default: []].append((indexed.id, phrase, added))
            case .prefix(let head) where Self.indexedByte(head) != nil:
                prefixByFirstByte[Int(Self.indexedByte(head) ?? 0)].append((indexed.id, phrase, added))
            default:
                others.append((indexed.id, phrase, added))
            }
        }
        return indexed
    }

    /// The first byte of `text` when its first character is a lower-case ASCII letter or digit.
    static func indexedByte(_ text: String) -> UInt8? {
        guard let character = text.first, character.isASCII, let byte = character.asciiValue,
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        else { return nil }
        return byte
    }

    /// The occurrences of every indexed pattern in `words`, by pattern id, first start first.
    func scan(_ words: [String], language: SafetyLanguage) -> [[Range<Int>]] {
        var found = Array(repeating: [Range<Int>](), count: count)
        func attempt(_ entry: Entry, at start: Int) {
            let phrase = entry.phrase
            if start + phrase.count <= words.count && SafetyPattern.matches(phrase, words: words, at: start, language: language) {
                found[entry.pattern].append(start..<(start + phrase.count))
            }
        }
        let none: [Entry] = []
        for start in words.indices {
            if let candidates = first[words[start]] {
                for entry in candidates { attempt(entry, at: start) }
            }
            let byte = words[start].utf8.first ?? 0x80
            let prefixed = byte < 0x80 ? prefixByFirstByte[Int(byte)] : none
            // Merge the two lists by the order the phrases were added in.
            var left = 0
            var right = 0
            while left < prefixed.count || right < others.count {
                if right == others.count || (left < prefixed.count && prefixed[left].order < others[right].order) {
                    attempt(prefixed[left], at: start)
                    left += 1
                } else {
                    attempt(others[right], at: start)
                    right += 1
                }
            }
        }
        return found
    }
}
