/// A profile and a request resolved into the concrete numbers the planner works with.
struct PlanSettings {
    /// Days a week when neither the request nor the profile says.
    static let defaultDays = 3
    /// Session minutes when neither the request nor the profile says.
    static let defaultMinutes = 45
    /// Plan length in weeks when the request does not say.
    static let defaultWeeks = 4
    /// Training days a beginner gets, whatever was asked.
    static let beginnerDays = 2...3
    /// Training days others get: at least one rest day always.
    static let otherDays = 1...6

    /// Days a week the request or the profile asked for, before clamping; nil when neither did.
    let askedDays: Int?
    /// Session minutes the request or the profile asked for, before clamping; nil when neither did.
    let askedMinutes: Int?
    let level: FitnessLevel
    let goals: [Goal]
    let goal: Goal
    let days: Int
    let sessionMinutes: Int
    let weeks: Int
    let focusMuscles: [MuscleGroup]
    let equipment: Set<Equipment>
    /// Tags to keep out: the injuries' plus what the health screen rules out.
    let avoided: Set<ContraindicationTag>
    let disliked: Set<String>
    /// Whether the health screen asks for clearance and low intensity.
    let gentle: Bool
    /// Highest RPE any exercise may target.
    let rpeCap: Double

    init(profile: FitnessProfile, request: PlanRequest) {
        level = profile.fitnessLevel
        goals = profile.goals.isEmpty ? [.generalFitness] : Self.unique(profile.goals)
        goal = goals[0]
        askedDays = request.daysPerWeek ?? profile.daysPerWeek
        askedMinutes = request.sessionMinutes ?? profile.sessionMinutes
        let asked = clamp(askedDays ?? Self.defaultDays, FitnessProfile.daysPerWeekRange)
        days = clamp(asked, level == .beginner ? Self.beginnerDays : Self.otherDays)
        sessionMinutes = clamp(
            request.sessionMinutes ?? profile.sessionMinutes ?? Self.defaultMinutes,
            FitnessProfile.sessionMinutesRange)
        weeks = clamp(request.weeks ?? Self.defaultWeeks, PlanRequest.weeksRange)
        focusMuscles = Self.muscles(
            forFocus: request.focusAreas ?? profile.preferences?.focusAreas ?? [])
        equipment = profile.availableEquipment
        gentle = profile.needsMedicalClearance
        var avoided = profile.avoidedTags
        if gentle { avoided.formUnion([.plyometric, .highImpact, .inverted]) }
        if profile.healthScreen?.pregnant == true { avoided.formUnion([.supine, .spinalLoading]) }
        self.avoided = avoided
        disliked = Set(profile.preferences?.dislikedExerciseIDs ?? [])
        if gentle {
            rpeCap = PlanValidator.clearanceMaxRPE
        } else {
            rpeCap = level == .beginner ? RuleBasedPlanner.beginnerMaxRPE : 10
        }
    }

    /// Muscle groups named by focus areas, in order and without repeats.
    static func muscles(forFocus areas: [String]) -> [MuscleGroup] {
        var muscles: [MuscleGroup] = []
        for area in areas {
            let key = area.lowercased().spacesAsUnderscores
            let named: [MuscleGroup]
            switch key {
            case "arms": named = [.biceps, .triceps]
            case "legs", "lower_body": named = [.quads, .hamstrings, .glutes, .calves]
            case "upper_body": named = [.chest, .back, .shoulders]
            case "abs", "core": named = [.core]
            default: named = MuscleGroup(rawValue: key).map { [$0] } ?? []
            }
            muscles += named.filter { ![.fullBody, .cardio].contains($0) }
        }
        return unique(muscles)
    }

    private static func unique<T: Hashable>(_ values: [T]) -> [T] {
        var seen: Set<T> = []
        return values.filter { seen.insert($0).inserted }
    }
}

/// `value` moved into `range`.
func clamp(_ value: Int, _ range: ClosedRange<Int>) -> Int {
    min(max(value, range.lowerBound), range.upperBound)
}
