/// Checks a plan from any generator against every rule of the coaching domain.
///
/// The host runs it on every generated plan; an empty result means the plan may be served.
/// Each rule lives in its own extension (`PlanValidator+*.swift`). Exercise-level findings
/// are reported once per exercise id and code, with the first place they occur.
///
/// Choices where the domain leaves room:
/// - Substitutions are checked like the exercises they replace (rules 2–5), since a
///   person may do them instead.
/// - Recovery (rule 6) looks at the primary muscles of resistance exercises;
///   conditioning and mobility work is exempt, and `full_body` only clashes with `full_body`.
/// - Push/pull balance (rule 8): in each week, once pushing and pulling sets together
///   reach ``balanceMinimumSets``, neither may exceed twice the other.
/// - Rule 10: with a positive health screen every RPE target must be at most
///   ``clearanceMaxRPE`` and kilogram targets are not allowed (their intensity is unknown).
public enum PlanValidator {
    /// Fewest push + pull sets in a week from which balance is checked.
    public static let balanceMinimumSets = 6
    /// Highest push:pull (or pull:push) ratio allowed in a week.
    public static let balanceMaxRatio = 2
    /// Highest RPE for a beginner.
    public static let beginnerMaxRPE = 8.0
    /// Most sets per exercise for a beginner.
    public static let beginnerMaxSets = 3
    /// Most exercises per session for a beginner.
    public static let beginnerMaxExercises = 10
    /// Allowed resistance days a week for a beginner.
    public static let beginnerResistanceDays = 2...3
    /// Highest RPE when the health screen asks for medical clearance.
    public static let clearanceMaxRPE = 6.0

    /// Every violation of the domain rules, in rule order; empty when the plan is valid.
    public static func validate(
        _ plan: WorkoutPlan, profile: FitnessProfile, catalog: ExerciseCatalog
    ) -> [PlanViolation] {
        var report = ViolationReport()
        let uses = plan.exerciseUses
        let distinct = ExerciseUse.firstOfEachID(in: uses)
        let words = TextScan.wordsByText(plainTexts(plan))
        checkStructure(plan, uses: uses, into: &report)
        checkCatalogue(distinct, catalog: catalog, into: &report)
        checkEquipment(distinct, profile: profile, catalog: catalog, into: &report)
        checkInjuries(plan, distinct, profile: profile, catalog: catalog, into: &report)
        checkBeginnerLimits(
            plan, uses: uses, distinct: distinct, words: words, profile: profile, catalog: catalog,
            into: &report)
        checkRecovery(plan, catalog: catalog, into: &report)
        checkDuration(plan, into: &report)
        checkOrderAndBalance(plan, catalog: catalog, into: &report)
        checkBounds(plan, uses: uses, into: &report)
        checkHealthAndDisclaimer(plan, uses: uses, words: words, profile: profile, into: &report)
        return report.violations
    }

    /// Whether the plan breaks no rule.
    public static func isValid(
        _ plan: WorkoutPlan, profile: FitnessProfile, catalog: ExerciseCatalog
    ) -> Bool {
        validate(plan, profile: profile, catalog: catalog).isEmpty
    }
}

/// Collects violations, keeping only the first one for each de-duplication key.
struct ViolationReport {
    private(set) var violations: [PlanViolation] = []
    private var seen: Set<String> = []

    /// Adds a violation; with a `key`, later violations with the same rule, code and key
    /// are dropped.
    mutating func add(_ rule: Int, _ code: String, _ message: String, key: String? = nil) {
        if let key {
            guard seen.insert("\(rule)|\(code)|\(key)").inserted else { return }
        }
        violations.append(PlanViolation(rule: rule, code: code, message: message))
    }
}

/// One use of an exercise in a plan: a main exercise or one of its substitutions.
struct ExerciseUse {
    let week: Int
    let day: Int
    let exercise: PlannedExercise
    /// The id used: the exercise's own, or a substitution's.
    let id: String
    let isSubstitution: Bool

    /// "week 1, day 3" (plus "substitution for x" when it is one).
    var place: String {
        let base = "week \(week), day \(day)"
        return isSubstitution ? "\(base), as a substitution for '\(exercise.exerciseID)'" : base
    }
}

extension WorkoutPlan {
    /// Every main exercise with where it occurs.
    var exerciseUses: [ExerciseUse] {
        var uses: [ExerciseUse] = []
        for week in weeks {
            for day in week.days {
                for exercise in day.session?.exercises ?? [] {
                    uses.append(
                        ExerciseUse(
                            week: week.number, day: day.day, exercise: exercise,
                            id: exercise.exerciseID, isSubstitution: false))
                }
            }
        }
        return uses
    }

}

extension ExerciseUse {
    /// The first use of each id among `uses` and their substitutions, in plan order.
    static func firstOfEachID(in uses: [ExerciseUse]) -> [ExerciseUse] {
        var seen: Set<String> = []
        var firsts: [ExerciseUse] = []
        for use in uses {
            if seen.insert(use.id).inserted { firsts.append(use) }
            for id in use.exercise.substitutions where seen.insert(id).inserted {
                firsts.append(
                    ExerciseUse(week: use.week, day: use.day, exercise: use.exercise, id: id, isSubstitution: true))
            }
        }
        return firsts
    }
}
