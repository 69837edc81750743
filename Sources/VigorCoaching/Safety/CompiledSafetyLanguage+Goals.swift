/// The goal vocabulary compiled.
struct CompiledGoalVocabulary: Sendable {
    let vocabulary: GoalVocabulary
    let loss: SafetyPattern
    let bodyWeight: [(pattern: SafetyPattern, slot: Int)]
    let intake: SafetyPattern
    let burn: SafetyPattern
    let daily: SafetyPattern
    let deficit: SafetyPattern
    let fast: SafetyPattern
    let fastForDays: SafetyPattern
    let starve: SafetyPattern

    init(_ vocabulary: GoalVocabulary, concepts: [String: [String]]) {
        self.vocabulary = vocabulary
        func pattern(_ terms: [String]) -> SafetyPattern { SafetyPattern(terms: terms, concepts: concepts) }
        loss = pattern(vocabulary.lossWords)
        bodyWeight = vocabulary.bodyWeightPatterns.map { term in
            (SafetyPattern(term, concepts: concepts), term.split(separator: " ").firstIndex(of: "#") ?? 0)
        }
        intake = pattern(vocabulary.intakeWords)
        burn = pattern(vocabulary.burnWords)
        daily = pattern(vocabulary.dailyWords)
        deficit = pattern(vocabulary.deficitWords)
        fast = pattern(vocabulary.fastWords)
        fastForDays = pattern(vocabulary.fastForDaysWords)
        starve = pattern(vocabulary.starveWords)
    }
}

/// Unsafe goals: weight-loss rates, intakes and fasts.
extension CompiledSafetyLanguage {
    /// The writer's weight in kg from "I weigh 95 kg", "my weight is 200 lbs".
    func bodyWeight(in clauses: [ClauseFacts]) -> Double? {
        for clause in clauses {
            let words = clause.words
            for (pattern, slot) in goals.bodyWeight {
                for range in pattern.occurrences(in: words, language: language) {
                    let index = range.lowerBound + slot
                    guard let value = SafetyText.number(words[index], language: language), value > 0 else { continue }
                    let unitWord = index + 1 < words.count ? words[index + 1] : ""
                    let factor = goals.vocabulary.weightUnits[unitWord] ?? (value > 150 ? 0.4536 : 1)
                    let kg = value * factor
                    if kg >= 30 && kg <= 350 { return kg }
                }
            }
        }
        return nil
    }

    /// - Parameter bodyWeightKg: the writer's weight, asked for (once) only when a loss rate is found.
    func findUnsafeGoals(in clauses: [ClauseFacts], bodyWeightKg: () -> Double?, into assessment: inout SafetyAssessment) {
        var known: Double??
        func weight() -> Double? {
            if let known { return known }
            let found = bodyWeightKg()
            known = .some(found)
            return found
        }
        for clause in clauses {
            if let goal = rapidLoss(in: clause, bodyWeightKg: weight) { add(goal, to: &assessment) }
            if let goal = extremeIntake(in: clause) { add(goal, to: &assessment) }
            if let goal = longFast(in: clause) { add(goal, to: &assessment) }
        }
    }

    private func add(_ goal: UnsafeGoal, to assessment: inout SafetyAssessment) {
        guard !assessment.unsafeGoals.contains(where: { $0.kind == goal.kind }) else { return }
        assessment.unsafeGoals.append(goal)
    }

    /// "lose 10 kg in 2 weeks", "drop 3 pounds a week", "10 kg off by next week".
    private func rapidLoss(in clause: ClauseFacts, bodyWeightKg weight: () -> Double?) -> UnsafeGoal? {
        let words = clause.words
        let vocabulary = goals.vocabulary
        // The latest "lose" before each word, in one pass.
        var lastLoss = Array(repeating: Int.min, count: words.count + 1)
        var latest = Int.min
        var losses = goals.loss.occurrences(in: words, language: language).map(\.lowerBound).makeIterator()
        var nextLoss = losses.next()
        for index in words.indices {
            lastLoss[index] = latest
            if nextLoss == index {
                latest = index
                nextLoss = losses.next()
                while nextLoss == index { nextLoss = losses.next() }
            }
        }
        for index in words.indices.dropLast() {
            guard let amount = SafetyText.number(words[index], language: language), amount > 0,
                let factor = vocabulary.weightUnits[words[index + 1]]
            else { continue }
            let saysLoss =
                (lastLoss[index] != Int.min && index - lastLoss[index] <= 6)
                || (index + 2 < words.count && vocabulary.lossAfterWords.contains(words[index + 2]))
            guard saysLoss, let weeks = period(after: index + 2, in: words) else { continue }
            let bodyWeightKg = weight()
            let kg = amount * factor
            let rate = weeks.isRate ? kg / weeks.weeks : kg / max(weeks.weeks, 1.0 / 7.0)
            let limit = bodyWeightKg.map { $0 * 0.01 } ?? 1.0
            guard rate > limit * 1.000_1 else { continue }
            return UnsafeGoal(
                kind: .rapidWeightLoss, requestedKgPerWeek: rate, safeKgPerWeek: limit, targetKg: weeks.isRate ? nil : kg,
                note: rapidLossNote(kg: kg, rate: rate, isRate: weeks.isRate, bodyWeightKg: bodyWeightKg))
        }
        return nil
    }

    /// The period after a loss amount, in weeks: "in 2 weeks", "by next month", "a week", "weekly".
    private func period(after start: Int, in words: [String]) -> (weeks: Double, isRate: Bool)? {
        let vocabulary = goals.vocabulary
        var index = start
        while index < min(words.count, start + 8) {
            let word = words[index]
            if language.negationScopeBreakers.contains(word) && index > start { return nil }
            if let days = vocabulary.rateAdverbs[word] { return (days / 7, true) }
            if let days = language.durationUnits[word] {
                let previous = index > start ? words[index - 1] : ""
                if vocabulary.rateWords.contains(previous) && !(index >= 2 && ["in", "within", "by", "over"].contains(words[index - 2])) {
                    return (days / 7, true)
                }
                if let count = SafetyText.number(previous, language: language) { return (count * days / 7, false) }
                if vocabulary.nextWords.contains(previous) || language.lastWords.contains(previous) { return (days / 7, false) }
                return (days / 7, false)
            }
            index += 1
        }
        return nil
    }

    private func rapidLossNote(kg: Double, rate: Double, isRate: Bool, bodyWeightKg: Double?) -> String {
        let asked =
            isRate
            ? "Losing \(Self.format(rate)) kg a week"
            : "Losing \(Self.format(kg)) kg in \(Self.format(kg / rate)) week\(kg / rate == 1 ? "" : "s") (\(Self.format(rate)) kg a week)"
        let low: Double
        let high: Double
        var basis = ""
        if let weight = bodyWeightKg {
            low = weight * 0.005
            high = weight * 0.01
            basis = " (0.5–1 % of \(Self.format(weight)) kg)"
        } else {
            low = 0.5
            high = 1
        }
        var note = "\(asked) is unsafe: faster than about 1 % of body weight a week it costs muscle, energy and health. "
        note += "A safe rate is about \(Self.format(low))–\(Self.format(high)) kg a week\(basis)"
        if !isRate {
            note += ", so \(Self.format(kg)) kg takes about \(Int((kg / high).rounded(.up)))–\(Int((kg / low).rounded(.up))) weeks"
        }
        return note + "."
    }

    /// "eat 800 calories a day", "a 1000 kcal diet", "a 1500 calorie deficit".
    private func extremeIntake(in clause: ClauseFacts) -> UnsafeGoal? {
        let words = clause.words
        let vocabulary = goals.vocabulary
        for index in words.indices.dropLast() {
            guard let kcal = SafetyText.number(words[index], language: language), vocabulary.energyUnits.contains(words[index + 1])
            else { continue }
            let before = Array(words[max(0, index - 6)..<index])
            let after = Array(words[(index + 2)..<min(words.count, index + 6)])
            if goals.deficit.occurs(in: before + after, language: language) {
                guard kcal > 1000 else { continue }
                return UnsafeGoal(
                    kind: .extremeDeficit, kcalPerDay: Int(kcal),
                    note: "A deficit of \(Int(kcal)) kcal a day is too steep: keep it to about 300–500 kcal a day "
                        + "(about 0.5 kg a week) so energy, muscle and health hold up.")
            }
            guard kcal >= 300, kcal < 1200, !goals.burn.occurs(in: before, language: language),
                !(after.first.map { vocabulary.mealWords.contains($0) } ?? false)
            else { continue }
            guard goals.intake.occurs(in: before, language: language) || goals.daily.occurs(in: after, language: language) else {
                continue
            }
            return UnsafeGoal(
                kind: .extremeDeficit, kcalPerDay: Int(kcal),
                note: "Eating \(Int(kcal)) kcal a day is an extreme deficit: below about 1200 kcal a day is unsafe without "
                    + "medical supervision. Aim for a deficit of about 300–500 kcal below what you burn, with enough protein.")
        }
        return nil
    }

    /// "fast for 3 days", "a 5-day water fast", "not eat for a week", "starve myself".
    private func longFast(in clause: ClauseFacts) -> UnsafeGoal? {
        let words = clause.words
        let advice =
            "Fasting for days is unsafe while training: it costs muscle, risks fainting and low blood sugar. "
            + "Use a moderate daily deficit (about 300–500 kcal) instead; a doctor should supervise any longer fast."
        if goals.starve.occurs(in: words, language: language) && !clause.negated.isEmpty {
            let starting = goals.starve.occurrences(in: words, language: language).first { !clause.negated[$0.lowerBound] }
            if starting != nil { return UnsafeGoal(kind: .prolongedFast, note: advice) }
        }
        let fasts = goals.fast.occurrences(in: words, language: language).filter { !clause.negated[$0.lowerBound] }
        guard let first = fasts.first else { return nil }
        if goals.fastForDays.occurs(in: Array(words[first.upperBound...]), language: language) {
            return UnsafeGoal(kind: .prolongedFast, note: advice)
        }
        for fastRange in fasts {
            let low = max(0, fastRange.lowerBound - 4)
            let high = min(words.count, fastRange.upperBound + 5)
            for index in low..<high {
                guard let days = language.durationUnits[words[index]] else { continue }
                let count = index > 0 ? SafetyText.number(words[index - 1], language: language) ?? 1 : 1
                let hours = count * days * 24
                if hours >= 48 { return UnsafeGoal(kind: .prolongedFast, fastHours: Int(hours), note: advice) }
            }
        }
        return nil
    }

    /// One decimal at most: `1`, `0.8`, `12.5`.
    static func format(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "a very large amount of" }
        let tenths = (value * 10).rounded()
        let whole = Int(tenths / 10)
        let fraction = Int(tenths) % 10
        return fraction == 0 ? "\(whole)" : "\(whole).\(abs(fraction))"
    }
}
