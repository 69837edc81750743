/// Building the pre-check from a compiled language, once per ``SafetyScreen``.
extension SafetyPrefilter {
    /// The pre-check for one language: every red-flag and condition trigger, ages and the
    /// unsafe goals, each as the groups of words it needs (see ``SafetyPrefilter``).
    init(
        language: SafetyLanguage, ruleTriggers: [[SafetyPattern]], ages: [SafetyPattern], decadePrefix: SafetyPattern,
        goals: CompiledGoalVocabulary
    ) {
        var builder = Builder(language: language)
        for trigger in ruleTriggers {
            let groups = trigger.map { builder.group($0.phrases) }
            guard !groups.isEmpty, groups.allSatisfy({ $0 != nil }) else { continue }  // a term that can never match
            builder.require(groups.compactMap { $0 })
        }
        // An age: a number of at least 10 within an age phrase, or a decade word after the prefix.
        let largeNumber = builder.newGroup()
        builder.largeNumberGroups.insert(largeNumber)
        for (word, value) in language.numberWords where value >= 10 { builder.exact[word, default: GroupSet()].insert(largeNumber) }
        if let agePhrase = builder.group(ages.flatMap(\.phrases)) { builder.require([largeNumber, agePhrase]) }
        if let prefix = builder.group(decadePrefix.phrases) {
            builder.require([prefix, builder.group(exactly: language.age.decades.keys)])
        }
        // Unsafe goals: an amount before a weight unit, with a loss word and a period; an amount
        // before an energy unit; a starving word; a fasting word with a duration.
        let goalWords = goals.vocabulary
        let number = builder.newGroup()
        builder.numberGroups.insert(number)
        let loss = builder.group(exactly: goalWords.lossAfterWords)
        builder.anchor(goals.loss.phrases, group: loss)
        let period = builder.group(exactly: Array(language.durationUnits.keys) + Array(goalWords.rateAdverbs.keys))
        builder.require([number, builder.group(exactly: goalWords.weightUnits.keys), loss, period])
        builder.require([number, builder.group(exactly: goalWords.energyUnits)])
        let starve = builder.newGroup()
        builder.anchor(goals.starve.phrases, group: starve)
        builder.require([starve])
        let fast = builder.newGroup()
        builder.anchor(goals.fast.phrases, group: fast)
        let days = builder.group(exactly: language.durationUnits.keys)
        builder.anchor(goals.fastForDays.phrases, group: days)
        builder.require([fast, days])
        self = builder.build()
    }

    private struct Builder {
        typealias Word = SafetyPattern.Word

        let language: SafetyLanguage
        /// Words of the language's cue lists and word sets: frequent, so poor anchors.
        let frequent: Set<String>
        var groupCount = 0
        var groupsByPhrases: [[[Word]]: Int] = [:]
        var exact: [String: GroupSet] = [:]
        var prefixes: [String: GroupSet] = [:]
        var numberGroups = GroupSet()
        var largeNumberGroups = GroupSet()
        var always = GroupSet()
        var triggers: [GroupSet] = []

        init(language: SafetyLanguage) {
            self.language = language
            var frequent = language.firstPersonWords.union(language.otherPersonWords).union(language.negationScopeBreakers)
                .union(language.clauseBreaks).union(language.pastStateWords).union(language.agoWords).union(language.lastWords)
                .union(language.yearWords).union(language.dayWords.keys).union(language.durationUnits.keys)
                .union(language.numberWords.keys).union(language.goals.rateWords).union(language.goals.nextWords)
            let cues = [
                language.negationCues, language.hypotheticalCues, language.helpCues, language.nowCues,
                language.remotePastCues, language.presentCues, language.futureCues,
            ]
            for cue in cues.joined() { frequent.formUnion(cue.split(separator: " ").map(String.init)) }
            self.frequent = frequent
        }

        mutating func newGroup() -> Int {
            groupCount += 1
            return groupCount - 1
        }

        /// A finding is possible only with all of `groups` hit.
        mutating func require(_ groups: [Int]) {
            var set = GroupSet()
            for group in groups { set.insert(group) }
            triggers.append(set)
        }

        /// The group of a term (shared by equal terms); `nil` for a term without phrases.
        mutating func group(_ phrases: [[Word]]) -> Int? {
            guard !phrases.isEmpty else { return nil }
            if let group = groupsByPhrases[phrases] { return group }
            let group = newGroup()
            anchor(phrases, group: group)
            groupsByPhrases[phrases] = group
            return group
        }

        /// A new group hit by exactly these words.
        mutating func group<Words: Sequence<String>>(exactly words: Words) -> Int {
            let group = newGroup()
            for word in words { exact[word, default: GroupSet()].insert(group) }
            return group
        }

        /// Makes the cheapest word of each phrase an anchor of `group`. A phrase whose words are
        /// all non-ASCII ("insolación") is anchored on one of them: ASCII text cannot hit it but
        /// through a replacement (which ``build()`` maps), and any other text is not modelled and
        /// goes to the full screen anyway. (Marking it always hit would clear nothing.)
        mutating func anchor(_ phrases: [[Word]], group: Int) {
            for phrase in phrases {
                var best = phrase.min(by: { cost($0) < cost($1) }).map({ cost($0) == .max ? .any : $0 }) ?? .any
                if case .any = best, let foreign = phrase.first(where: Self.isForeign) { best = foreign }
                switch best {
                case .exact(let word): exact[word, default: GroupSet()].insert(group)
                case .prefix(let head): prefixes[head, default: GroupSet()].insert(group)
                case .number: numberGroups.insert(group)
                case .any: always.insert(group)
                }
            }
        }

        /// How often a word is likely to occur in a benign message (lower is rarer): words of the
        /// language's cue lists and word sets are frequent, longer words rarer than short ones.
        func cost(_ word: Word) -> Int {
            switch word {
            case .exact(let text):
                guard Self.isModelled(text) else { return .max }
                return frequent.contains(text) ? 1_000 : 100 - 4 * min(text.utf8.count, 20)
            case .prefix(let head):
                guard Self.isModelled(head), head.utf8.count < 64 else { return .max }
                return 120 - 4 * min(head.utf8.count, 20)
            case .number:
                return 500
            case .any:
                return .max
            }
        }

        /// Text the byte scanner can match: non-empty ASCII.
        static func isModelled(_ text: String) -> Bool { !text.isEmpty && text.utf8.allSatisfy { $0 < 0x80 } }

        /// A word only non-ASCII text (or a replacement) can produce.
        static func isForeign(_ word: Word) -> Bool {
            switch word {
            case .exact(let text), .prefix(let text): !text.isEmpty && text.utf8.contains { $0 >= 0x80 }
            case .number, .any: false
            }
        }

        /// The groups a normalised word hits (for what replacements produce).
        func groups(of token: String, words: [String: GroupSet]) -> GroupSet {
            var found = words[token] ?? GroupSet()
            for (head, groups) in prefixes where token.hasPrefix(head) { found.formUnion(groups) }
            if let first = token.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) {
                found.formUnion(numberGroups)
                found.formUnion(largeNumberGroups)
            }
            return found
        }

        func build() -> SafetyPrefilter {
            var words = exact
            for word in language.numberWords.keys { words[word, default: GroupSet()].formUnion(numberGroups) }
            let anchors = words
            // A replacement key hits what it expands to; a suffix what replaces it.
            for (key, replacement) in language.wordReplacements where Self.isModelled(key) {
                for token in replacement { words[key, default: GroupSet()].formUnion(groups(of: token, words: anchors)) }
            }
            var suffixes: [(bytes: [UInt8], groups: GroupSet)] = []
            for (suffix, replacement) in language.suffixReplacements where Self.isModelled(suffix) {
                var found = GroupSet()
                for token in replacement { found.formUnion(groups(of: token, words: anchors)) }
                suffixes.append((Array(suffix.utf8), found))
            }
            // Each trigger under one of its groups, preferring one that numbers do not hit.
            var byGroup = Array(repeating: [GroupSet](), count: groupCount)
            var complete = groupCount <= GroupSet.capacity
            let frequentGroups = Self.union(Self.union(numberGroups, largeNumberGroups), always)
            for trigger in triggers {
                let members = (0..<min(groupCount, GroupSet.capacity)).filter { trigger.bits[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
                guard let key = members.first(where: { frequentGroups.bits[$0 >> 6] & (1 << UInt64($0 & 63)) == 0 }) ?? members.first
                else {
                    complete = false  // a trigger that needs nothing: every message may match
                    continue
                }
                byGroup[key].append(trigger)
            }
            var lengths: UInt64 = 0
            for head in prefixes.keys { lengths |= 1 << UInt64(head.utf8.count) }
            return SafetyPrefilter(
                isEnabled: complete,
                words: HashTable(Dictionary(words.map { (SafetyPrefilter.hash(of: $0.key.utf8), $0.value) }, uniquingKeysWith: Self.union)),
                prefixes: HashTable(
                    Dictionary(prefixes.map { (SafetyPrefilter.hash(of: $0.key.utf8), $0.value) }, uniquingKeysWith: Self.union)),
                prefixLengths: lengths, numberGroups: numberGroups, largeNumberGroups: largeNumberGroups, suffixes: suffixes,
                always: always, triggers: triggers, triggersByGroup: byGroup)
        }

        static func union(_ first: GroupSet, _ second: GroupSet) -> GroupSet {
            var merged = first
            merged.formUnion(second)
            return merged
        }
    }
}
