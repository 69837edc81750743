/// Red flags and conditions, clause by clause.
extension CompiledSafetyLanguage {
    func findConditions(in clauses: [ClauseFacts], into assessment: inout SafetyAssessment) {
        for clause in clauses {
            for (rule, compiled) in conditionRules where !assessment.has(rule.condition) {
                guard let start = match(compiled, in: clause), counts(rule, at: start, in: clause) else { continue }
                assessment.conditions.append(
                    ConditionFinding(condition: rule.condition, origin: .message, daysAgo: clause.daysAgo, rule: rule.id))
            }
            if !assessment.has(.olderAdult), let age = age(in: clause), age >= language.age.olderAdultAge {
                assessment.conditions.append(ConditionFinding(condition: .olderAdult, origin: .message, rule: "\(language.code).age"))
            }
        }
    }

    /// Whether a matched condition is the writer's, now (by the rule's timing).
    private func counts(_ rule: ConditionRule, at start: Int, in clause: ClauseFacts) -> Bool {
        guard clause.hypotheticalAt > start, subject(at: start, in: clause.words) == .user else { return false }
        switch rule.timing {
        case .chronic:
            return true
        case .current:
            if clause.future || clause.remote { return false }
            let from = max(0, start - 3)
            return !clause.words[from..<start].contains { language.pastStateWords.contains($0) }
        case .withinDays(let limit):
            if clause.future { return false }
            if let days = clause.daysAgo { return days <= limit }
            return !clause.remote
        }
    }

    func findRedFlags(in clauses: [ClauseFacts], into assessment: inout SafetyAssessment) {
        for clause in clauses {
            for (rule, compiled) in redFlagRules {
                if let required = rule.requires, !assessment.has(required) { continue }
                guard let start = match(compiled, in: clause) else { continue }
                let who = subject(at: start, in: clause.words)
                if clause.hypotheticalAt < start {
                    addMention(RedFlagMention(flag: rule.flag, reason: .hypothetical), to: &assessment)
                } else if who == .other {
                    if clause.remote || ((clause.daysAgo ?? 0) >= 1 && !clause.now) {
                        addMention(RedFlagMention(flag: rule.flag, reason: .otherPerson), to: &assessment)
                    } else {
                        addFlag(RedFlagFinding(flag: rule.flag, rule: rule.id, subject: .other), to: &assessment)
                    }
                } else if clause.remote {
                    addMention(RedFlagMention(flag: rule.flag, reason: .past), to: &assessment)
                    if !assessment.has(.symptomHistory) {
                        assessment.conditions.append(
                            ConditionFinding(condition: .symptomHistory, origin: .message, daysAgo: clause.daysAgo, rule: rule.id))
                    }
                } else {
                    addFlag(RedFlagFinding(flag: rule.flag, rule: rule.id, subject: .user), to: &assessment)
                }
            }
        }
    }

    private func addFlag(_ finding: RedFlagFinding, to assessment: inout SafetyAssessment) {
        guard !assessment.redFlags.contains(where: { $0.flag == finding.flag }) else { return }
        assessment.redFlags.append(finding)
    }

    private func addMention(_ mention: RedFlagMention, to assessment: inout SafetyAssessment) {
        guard !assessment.mentions.contains(where: { $0.flag == mention.flag }) else { return }
        assessment.mentions.append(mention)
    }

    /// The writer's age, when the clause states it ("I'm 72", "72 years old", "in my seventies").
    func age(in clause: ClauseFacts) -> Int? {
        let words = clause.words
        for (pattern, slot) in agePatterns {
            for range in clause.occurrences[pattern.id] where !clause.negated[range.lowerBound] {
                let at = range.lowerBound + slot
                guard var value = SafetyText.number(words[at], language: language), value >= 10, value < 120 else { continue }
                // "sixty eight": a tens word followed by a units word.
                if value >= 20, value.truncatingRemainder(dividingBy: 10) == 0, at + 1 < words.count,
                    let units = language.numberWords[words[at + 1]], units >= 1, units <= 9
                {
                    value += units
                }
                let after = words[range.upperBound..<min(words.count, range.upperBound + 2)]
                if after.contains(where: { language.age.notAgeWords.contains($0) }) { continue }
                // "my 80 year old mother" is someone else's age; "I am a 67 year old woman" is the writer's.
                if at > 0, language.age.possessives.contains(words[at - 1]),
                    after.contains(where: { language.otherPersonWords.contains($0) })
                {
                    continue
                }
                guard subject(at: range.lowerBound + slot, in: words) == .user else { continue }
                return Int(value)
            }
        }
        for range in clause.occurrences[decadePrefix.id] where range.upperBound < words.count {
            if let age = language.age.decades[words[range.upperBound]] { return age }
        }
        return nil
    }
}
