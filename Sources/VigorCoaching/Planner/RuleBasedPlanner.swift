/// The offline plan generator: turns a profile and a request into a plan that satisfies
/// every rule ``PlanValidator`` checks, with no randomness and no dates.
///
/// How it plans:
/// - Days: the request's, else the profile's, else 3; beginners get 2–3, others 1–6
///   (always a rest day). Session length: request, profile, else 45 minutes. Weeks: 4 by default.
/// - Split by days (``SplitLayout``): 1–3 full body on spaced days, 4 upper/lower,
///   5 push/pull/legs/upper/lower, 6 push/pull/legs; sessions on consecutive days never
///   share a muscle group.
/// - Exercises from the catalogue only, matching equipment, level, injuries, health screen
///   and dislikes; compound first; substitutions of the same pattern.
/// - Dose from the main goal (``Prescription``), RPE capped at 7 for beginners and 6 after a
///   positive health screen; sessions trimmed to fit the time; push and pull balanced weekly.
/// - Every 4th week a deload (half the sets, one RPE lower) when the plan has 4 weeks or more.
/// - Every listed piece of equipment used when some exercise with it fits (``EquipmentCoverage``).
/// - Every difference from what was asked — days, minutes, unused equipment, exercises left
///   out for injuries, the health screen or dislikes — explained in ``WorkoutPlan/adjustments``.
public enum RuleBasedPlanner {
    /// The `generator` value of its plans.
    public static let generatorID = "dev.vigor.planner"
    /// Highest RPE the planner gives a beginner.
    public static let beginnerMaxRPE = 7.0
    /// Every how many weeks a deload week comes (when the plan is at least this long).
    public static let deloadInterval = 4

    /// A plan for the profile and request, drawn from `catalog`. Invalid numbers in the
    /// inputs are clamped into range; validate user input first to report them instead.
    public static func generate(
        profile: FitnessProfile, request: PlanRequest, catalog: ExerciseCatalog
    ) -> WorkoutPlan {
        let settings = PlanSettings(profile: profile, request: request)
        let layout = SplitLayout.forDays(settings.days)
        let builder = SessionBuilder(
            settings: settings, selector: ExerciseSelector(catalog: catalog, settings: settings))
        var template = drafts(layout: layout, builder: builder)
        WeekBalancer.balance(&template)
        EquipmentCoverage(builder: builder).cover(&template)
        WeekBalancer.balance(&template)

        let deloadWeeks = (1...settings.weeks).filter {
            settings.weeks >= deloadInterval && $0 % deloadInterval == 0
        }
        let regular = days(template, settings: settings)
        var lighter = template.map { $0.deloaded() }
        WeekBalancer.balance(&lighter)
        let deloadDays = deloadWeeks.isEmpty ? regular : days(lighter, settings: settings)
        let weeks = (1...settings.weeks).map { number in
            let deload = deloadWeeks.contains(number)
            return PlanWeek(number: number, deload: deload, days: deload ? deloadDays : regular)
        }

        return WorkoutPlan(
            title: PlanText.title(weeks: settings.weeks, split: layout.name),
            summary: PlanText.summary(settings: settings, deloadWeeks: deloadWeeks),
            level: settings.level, goals: settings.goals, split: layout.name,
            daysPerWeek: layout.sessions.count, sessionMinutes: settings.sessionMinutes,
            weeks: weeks, progression: .doubleProgression, deloadWeeks: deloadWeeks,
            safetyNotes: PlanText.safetyNotes(profile: profile, settings: settings),
            disclaimer: WorkoutPlan.standardDisclaimer, generator: generatorID,
            adjustments: AdjustmentWriter(profile: profile, settings: settings, catalog: catalog)
                .adjustments(drafts: template, planDays: layout.sessions.count))
    }

    /// The seven days of a week built from `drafts`; days without a draft are rest days.
    private static func days(_ drafts: [SessionDraft], settings: PlanSettings) -> [PlanDay] {
        (1...7).map { day in
            guard let draft = drafts.first(where: { $0.day == day }) else { return .restDay(day) }
            let session = draft.session(
                sessionMinutes: settings.sessionMinutes, gentle: settings.gentle, equipment: settings.equipment,
                avoided: settings.avoided)
            return PlanDay(day: day, rest: false, session: session)
        }
    }

    /// One draft per training day; repeated focuses are lettered A, B, C and vary
    /// (legs and lower-body days count as one family, so they vary too).
    private static func drafts(layout: SplitLayout, builder: SessionBuilder) -> [SessionDraft] {
        var seen: [SessionFocus: Int] = [:]
        return layout.sessions.map { entry in
            let family = entry.focus == .legs ? SessionFocus.lower : entry.focus
            let variant = seen[family, default: 0]
            seen[family] = variant + 1
            let repeats = layout.sessions.filter { $0.focus == entry.focus }.count > 1
            let letter = String(UnicodeScalar(UInt8(65 + variant)))
            let name = repeats ? "\(entry.focus.displayName) \(letter)" : entry.focus.displayName
            return builder.draft(day: entry.day, focus: entry.focus, variant: variant, name: name)
        }
    }
}
