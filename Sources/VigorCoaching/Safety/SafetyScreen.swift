/// Screens a coaching message before anything answers it: red-flag symptoms that need
/// emergency care now, conditions that change what is safe, and unsafe goals.
///
/// Pure and synchronous (no I/O); under a microsecond for a typical benign message (a byte-level
/// pre-check proves it clear), tens of microseconds for one the full analysis must read. The rules are data, one
/// ``SafetyLanguage`` table per language (English built in); every table is applied and the
/// findings are merged.
///
/// ```swift
/// let assessment = SafetyScreen.standard.assess("I get chest pain when I run", profile: profile)
/// if assessment.escalates { reply(SafetyScreen.standard.emergencyReply(for: assessment, emergencyNumber: "112")) }
/// ```
///
/// How the screen reads a message:
/// - **fold**: full-width and "fancy text" letters read as ASCII, invisible format
///   characters dropped, Cyrillic or Greek look-alikes inside a Latin word read as Latin
///   (``SafetyText/folded(_:)``);
/// - **normalise**: lower-case, one apostrophe, contractions expanded (`can't` → `cannot`);
/// - **clauses**: split at sentence punctuation and contrast words (`but`, `however`), so
///   "no chest pain but my arm is numb" is two clauses;
/// - **paraphrase**: a rule names synonym groups, and a trigger fires when all of its groups
///   appear within a few words in one clause ("tightness in my chest", "my chest feels tight");
/// - **negation**: a cue (`no`, `never`, `without`, `denies`, `do not`) negates what follows
///   in its clause until a new subject (`i`, `my`, `and`); negated symptoms do not count;
/// - **hypotheticals**: "what are the signs of…", "what should I do if…" are questions, not
///   symptoms: a ``RedFlagMention``, no escalation;
/// - **someone else**: "my friend is having chest pain" escalates (call for them); "my dad
///   had a stroke last year" does not, and someone else's condition is not the writer's;
/// - **tense**: months or years back ("fainted years ago") is history, not an emergency;
///   surgery more than 12 weeks ago is not recent; "was pregnant" is not pregnant.
public struct SafetyScreen: Sendable {
    let compiled: [CompiledSafetyLanguage]

    /// A screen with the given rule tables (English and Spanish by default).
    public init(languages: [SafetyLanguage] = [.english, .spanish]) {
        compiled = languages.map(CompiledSafetyLanguage.init)
    }

    /// The screen with the built-in English and Spanish rules.
    public static let standard = SafetyScreen()

    /// The rule tables this screen applies.
    public var languages: [SafetyLanguage] { compiled.map(\.language) }

    /// Assesses one message from the person (the profile adds age, pregnancy and PAR-Q answers).
    ///
    /// - Parameters:
    ///   - message: the user's new message (any length; only the text is read).
    ///   - profile: the person's fitness profile, if known.
    ///   - bodyWeightKg: the person's weight, if known, for the safe weight-loss rate (the
    ///     message's own "I weigh 80 kg" is used otherwise).
    public func assess(_ message: String, profile: FitnessProfile? = nil, bodyWeightKg: Double? = nil) -> SafetyAssessment {
        assess(message, profile: profile, bodyWeightKg: bodyWeightKg, prefilter: true)
    }

    /// ``assess(_:profile:bodyWeightKg:)``, optionally without the byte-level pre-check that
    /// skips a language when it provably finds nothing (tests compare both).
    func assess(_ message: String, profile: FitnessProfile?, bodyWeightKg: Double?, prefilter: Bool) -> SafetyAssessment {
        var assessment = SafetyAssessment()
        assessment.conditions = Self.profileConditions(profile)
        // Folded once, only for a language the pre-check cannot clear: the pre-check reads the
        // raw text, and any non-ASCII byte it does not model sends the message on.
        var folded: String?
        for language in compiled {
            if prefilter && !language.prefilter.mayFind(in: message) { continue }
            let text = folded ?? SafetyText.folded(message)
            folded = text
            let clauses = SafetyText.clauses(text, language: language.language).map { language.facts(of: $0) }
            let before = assessment
            language.findConditions(in: clauses, into: &assessment)
            language.findRedFlags(in: clauses, into: &assessment)
            // A weight from the caller counts only when plausible (30–350 kg), like one read from the message.
            let given = bodyWeightKg.flatMap { $0.isFinite && $0 >= 30 && $0 <= 350 ? $0 : nil }
            language.findUnsafeGoals(in: clauses, bodyWeightKg: { given ?? language.bodyWeight(in: clauses) }, into: &assessment)
            if assessment.language == nil && assessment != before { assessment.language = language.language.code }
        }
        return assessment
    }

    /// The answer to a message that escalates: stop exercising, call the emergency number now,
    /// in the language whose rules matched. Words of suicide or self-harm get the language's
    /// crisis answer (crisis lines, the number), followed by the emergency answer when the
    /// message also names a symptom.
    ///
    /// - Parameters:
    ///   - emergencyNumber: e.g. `112`, `911`, or "your local emergency number (112 / 911)".
    ///   - crisisLines: where to reach a crisis line, put in the crisis answer's `{crisis_lines}`;
    ///     `nil`: the lines of the language that matched (``crisisLines(for:)``).
    public func emergencyReply(for assessment: SafetyAssessment, emergencyNumber: String, crisisLines: String? = nil) -> String {
        let table = self.table(for: assessment)
        let crisisLines = crisisLines ?? self.crisisLines(for: assessment)
        var emergencyNumber = emergencyNumber
        if emergencyNumber == SafetyLanguage.unsetEmergencyNumber && !table.unsetNumberPhrase.isEmpty {
            emergencyNumber = table.unsetNumberPhrase
        }
        var flags: [RedFlag] = []
        for finding in assessment.redFlags where !flags.contains(finding.flag) { flags.append(finding.flag) }
        var parts: [String] = []
        if flags.contains(.selfHarm) {
            let crisis = table.crisisReply.isEmpty ? SafetyLanguage.english.crisisReply : table.crisisReply
            parts.append(crisis.replacing("{number}", with: emergencyNumber).replacing("{crisis_lines}", with: crisisLines))
            flags.removeAll { $0 == .selfHarm }
            if flags.isEmpty { return parts[0] }
        }
        let names = flags.map { table.redFlagNames[$0] ?? $0.title }
        let signs = names.isEmpty ? "These symptoms" : Self.capitalisedFirst(Self.list(names, and: table.listAnd))
        var reply = table.emergencyReply.replacing("{signs}", with: signs).replacing("{number}", with: emergencyNumber)
        for flag in flags {
            // Someone not breathing needs CPR, not "lie down with your legs raised".
            if flag == .fainting && flags.contains(.cardiacArrest) { continue }
            if let advice = table.redFlagAdvice[flag] { reply += " " + advice }
        }
        parts.append(reply)
        return parts.joined(separator: "\n\n")
    }

    /// The crisis lines of the language whose rules matched (the English ones when it has none).
    public func crisisLines(for assessment: SafetyAssessment) -> String {
        let lines = table(for: assessment).crisisLines
        return lines.isEmpty ? SafetyLanguage.englishCrisisLines : lines
    }

    private func table(for assessment: SafetyAssessment) -> SafetyLanguage {
        compiled.first { $0.language.code == assessment.language }?.language ?? compiled.first?.language ?? .english
    }

    static func profileConditions(_ profile: FitnessProfile?) -> [ConditionFinding] {
        guard let screen = profile?.healthScreen else { return [] }
        var found: [ConditionFinding] = []
        if screen.pregnant { found.append(ConditionFinding(condition: .pregnancy, origin: .profile, rule: "profile.pregnant")) }
        if let age = screen.age, age >= SafetyLanguage.english.age.olderAdultAge {
            found.append(ConditionFinding(condition: .olderAdult, origin: .profile, rule: "profile.age"))
        }
        if screen.parqAnyYes { found.append(ConditionFinding(condition: .parqPositive, origin: .profile, rule: "profile.parq")) }
        return found
    }

    static func list(_ items: [String], and: String = "and") -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " \(and) " + items[items.count - 1]
        }
    }

    static func capitalisedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
