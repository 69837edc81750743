extension RuleBasedPlanner {
    /// One session for today — what the offline coach offers when asked for "a 20-minute
    /// workout" — built exactly like a session of a plan: catalogue exercises the person may
    /// do (equipment, level, injuries, health screen, dislikes), dosed for the main goal,
    /// compound first, trimmed to `minutes` with its warm-up and cool-down, and then made to
    /// use the listed equipment where an exercise with it fits (``EquipmentCoverage``).
    ///
    /// - Parameters:
    ///   - profile: the person; days a week are ignored.
    ///   - minutes: the session's length, clamped to 15–120.
    ///   - focus: what the session trains; full body unless asked otherwise.
    ///   - focusAreas: areas to emphasise (as in ``PlanRequest/focusAreas``).
    ///   - variant: which of the equally good exercises to pick (0 for the first choice).
    /// - Returns: the session; `estimatedMinutes` never exceeds the clamped `minutes`.
    public static func session(
        profile: FitnessProfile, minutes: Int, focus: SessionFocus = .fullBody, focusAreas: [String] = [],
        variant: Int = 0, catalog: ExerciseCatalog
    ) -> Session {
        let settings = PlanSettings(
            profile: profile, request: PlanRequest(daysPerWeek: 1, sessionMinutes: minutes, focusAreas: focusAreas))
        let builder = SessionBuilder(
            settings: settings, selector: ExerciseSelector(catalog: catalog, settings: settings))
        var drafts = [builder.draft(day: 1, focus: focus, variant: max(variant, 0), name: "Today: \(focus.displayName.lowercased())")]
        EquipmentCoverage(builder: builder).cover(&drafts)
        return drafts[0].session(
            sessionMinutes: settings.sessionMinutes, gentle: settings.gentle, equipment: settings.equipment,
            avoided: settings.avoided)
    }
}
