/// A ``SafetyLanguage`` with every term compiled once, and the clause analysis that uses it.
/// A class: the screen reads it on every message, and copying a struct of this many tables
/// cost more (retains and releases) than the whole pre-check.
final class CompiledSafetyLanguage: Sendable {
    struct Rule: Sendable {
        var triggers: [[SafetyPattern]]
        var window: Int
        var unless: SafetyPattern?
    }

    let language: SafetyLanguage
    let negation: SafetyPattern
    let negationExceptions: SafetyPattern
    let negationCancellers: SafetyPattern
    let hypothetical: SafetyPattern
    let help: SafetyPattern
    let now: SafetyPattern
    let remotePast: SafetyPattern
    let present: SafetyPattern
    let future: SafetyPattern
    let redFlagRules: [(rule: RedFlagRule, compiled: Rule)]
    let conditionRules: [(rule: ConditionRule, compiled: Rule)]
    let agePatterns: [(pattern: SafetyPattern, slot: Int)]
    let decadePrefix: SafetyPattern
    let goals: CompiledGoalVocabulary
    let index: SafetyPatternIndex
    /// Proves most benign messages clear before the full analysis.
    let prefilter: SafetyPrefilter

    init(_ language: SafetyLanguage) {
        self.language = language
        let concepts = language.concepts
        var index = SafetyPatternIndex()
        func pattern(_ terms: [String]) -> SafetyPattern { index.add(SafetyPattern(terms: terms, concepts: concepts)) }
        func rule(_ triggers: [[String]], _ window: Int, _ unless: [String]) -> Rule {
            Rule(
                triggers: triggers.map { $0.map { index.add(SafetyPattern($0, concepts: concepts)) } }, window: window,
                unless: unless.isEmpty ? nil : pattern(unless))
        }
        negation = pattern(language.negationCues)
        negationExceptions = pattern(language.negationExceptions)
        negationCancellers = pattern(language.negationCancellers)
        hypothetical = pattern(language.hypotheticalCues)
        help = pattern(language.helpCues)
        now = pattern(language.nowCues)
        remotePast = pattern(language.remotePastCues)
        present = pattern(language.presentCues)
        future = pattern(language.futureCues)
        let redFlagRules = language.redFlagRules.map { ($0, rule($0.triggers, $0.window, $0.unless)) }
        let conditionRules = language.conditionRules.map { ($0, rule($0.triggers, $0.window, $0.unless)) }
        let agePatterns = language.age.patterns.map { term in
            let slot = term.split(separator: " ").firstIndex(of: "#") ?? 0
            return (index.add(SafetyPattern(term, concepts: concepts)), slot)
        }
        let decadePrefix = pattern(language.age.decadePrefix.isEmpty ? [] : [language.age.decadePrefix])
        let goals = CompiledGoalVocabulary(language.goals, concepts: concepts)
        prefilter = SafetyPrefilter(
            language: language, ruleTriggers: (redFlagRules.map(\.1) + conditionRules.map(\.1)).flatMap(\.triggers),
            ages: agePatterns.map(\.0), decadePrefix: decadePrefix, goals: goals)
        self.redFlagRules = redFlagRules
        self.conditionRules = conditionRules
        self.agePatterns = agePatterns
        self.decadePrefix = decadePrefix
        self.goals = goals
        self.index = index
    }

    /// What the screen needs to know about one clause.
    struct ClauseFacts {
        var words: [String]
        /// Occurrences of every indexed pattern, by pattern id.
        var occurrences: [[Range<Int>]]
        /// Per word: whether a negation cue before it, in its scope, negates it.
        var negated: [Bool]
        /// Where the first hypothetical cue starts (`Int.max` when none).
        var hypotheticalAt: Int
        var remote: Bool
        var present: Bool
        var future: Bool
        var now: Bool
        var daysAgo: Int?
    }

    func facts(of words: [String]) -> ClauseFacts {
        let occurrences = index.scan(words, language: language)
        func occurs(_ pattern: SafetyPattern) -> Bool { !occurrences[pattern.id].isEmpty }
        var negated = Array(repeating: false, count: words.count)
        // The longest cue and exception starting at each word (linear in the clause length).
        var cueEnd = Array(repeating: -1, count: words.count)
        var exceptionEnd = Array(repeating: -1, count: words.count)
        for cue in occurrences[negation.id] { cueEnd[cue.lowerBound] = max(cueEnd[cue.lowerBound], cue.upperBound) }
        for exception in occurrences[negationExceptions.id] {
            exceptionEnd[exception.lowerBound] = max(exceptionEnd[exception.lowerBound], exception.upperBound)
        }
        var index = occurs(negationCancellers) ? words.count : 0
        var scopeOpen = false
        while index < words.count {
            if exceptionEnd[index] > index {
                index = exceptionEnd[index]
                continue
            }
            if cueEnd[index] > index {
                scopeOpen = true
                index = cueEnd[index]
                continue
            }
            if language.negationScopeBreakers.contains(words[index]) { scopeOpen = false }
            negated[index] = scopeOpen
            index += 1
        }
        let days = daysAgo(in: words)
        let hasPresent = occurs(present)
        let isRemote = (occurs(remotePast) || (days ?? 0) >= 30) && !hasPresent
        let isNow = occurs(now)
        var hypotheticalAt = occurrences[hypothetical.id].first?.lowerBound ?? Int.max
        if !isNow, let asksHowToHelp = occurrences[help.id].first?.lowerBound { hypotheticalAt = min(hypotheticalAt, asksHowToHelp) }
        return ClauseFacts(
            words: words, occurrences: occurrences, negated: negated, hypotheticalAt: hypotheticalAt, remote: isRemote,
            present: hasPresent, future: occurs(future), now: isNow, daysAgo: days)
    }

    /// "3 weeks ago", "a month ago", "last week", "6 weeks postpartum", "yesterday": days before now.
    func daysAgo(in words: [String]) -> Int? {
        for (index, word) in words.enumerated() {
            if let days = language.dayWords[word] { return days }
            if index > 0, language.yearWords.contains(words[index - 1]), word.count == 4, let year = Int(word),
                (1900...2100).contains(year)
            {
                return 365
            }
            guard let unit = language.durationUnits[word] else { continue }
            let next = index + 1 < words.count ? words[index + 1] : ""
            let previous = index > 0 ? words[index - 1] : ""
            if language.lastWords.contains(previous) { return Int(unit) }
            guard language.agoWords.contains(next) else { continue }
            if let count = SafetyText.number(previous, language: language) { return Int(count * unit) }
            return Int(unit)
        }
        return nil
    }

    /// The earliest start of a trigger match of `rule` in the clause: every term of one trigger,
    /// not negated, within the rule's window.
    func match(_ rule: Rule, in clause: ClauseFacts) -> Int? {
        if let unless = rule.unless, !clause.occurrences[unless.id].isEmpty { return nil }
        var best: Int?
        for trigger in rule.triggers {
            var lists: [[Range<Int>]] = []
            for term in trigger {
                let found = clause.occurrences[term.id].filter { !clause.negated[$0.lowerBound] }
                if found.isEmpty { break }
                lists.append(found)
            }
            guard lists.count == trigger.count, !lists.isEmpty else { continue }
            if let start = Self.closest(lists, window: rule.window) { best = min(best ?? start, start) }
        }
        return best
    }

    /// The smallest start of a group of one range per list whose span is at most `window` words
    /// (plus one). Each range of the first list anchors a group with the nearest range of every
    /// other list (binary search), so the cost stays near-linear however often a word repeats.
    static func closest(_ lists: [[Range<Int>]], window: Int) -> Int? {
        guard let anchors = lists.first else { return nil }
        var best: Int?
        for anchor in anchors {
            var low = anchor.lowerBound
            var high = anchor.upperBound
            for list in lists.dropFirst() {
                let nearest = Self.nearest(to: anchor.lowerBound, in: list)
                low = min(low, nearest.lowerBound)
                high = max(high, nearest.upperBound)
            }
            if high - low <= window + 1 { best = min(best ?? low, low) }
        }
        return best
    }

    /// The range of a sorted, non-empty `list` whose start is nearest to `position`.
    static func nearest(to position: Int, in list: [Range<Int>]) -> Range<Int> {
        var lower = 0
        var upper = list.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if list[middle].lowerBound < position { lower = middle + 1 } else { upper = middle }
        }
        if lower == list.count { return list[list.count - 1] }
        if lower == 0 { return list[0] }
        let after = list[lower]
        let before = list[lower - 1]
        return position - before.lowerBound <= after.lowerBound - position ? before : after
    }

    /// Who the words before `start` (then right after the match) make the subject.
    func subject(at start: Int, in words: [String]) -> SafetySubject {
        var index = start - 1
        while index >= 0 {
            let word = words[index]
            if language.otherPersonWords.contains(word) { return .other }
            if language.firstPersonWords.contains(word) { return .user }
            index -= 1
        }
        return .user
    }
}
