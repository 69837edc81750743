/// One way a plan differs from what the person asked for or might expect, and why:
/// fewer days than asked, shorter sessions, a piece of equipment left unused, exercises
/// left out for an injury or the health screen.
///
/// Plans list them in ``WorkoutPlan/adjustments`` (JSON `adjustments`, `[]` when there
/// are none); a plan stored before the field existed decodes with none.
public struct PlanAdjustment: Codable, Sendable, Equatable, Hashable {
    /// What an adjustment is about.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Training days a week differ from those asked for.
        case days
        /// Session length differs from the minutes asked for, or sessions were cut to fit.
        case minutes
        /// A listed piece of equipment is not used.
        case equipment
        /// Exercises were left out for an injury.
        case injury
        /// Exercises or intensity were limited because of the health screen.
        case healthScreen = "health_screen"
        /// Exercises were left out at the person's request.
        case preference
    }

    /// What the adjustment is about.
    public var kind: Kind
    /// What differs, in a sentence ("3 training days a week instead of the 4 you asked for").
    public var what: String
    /// Why, in a sentence or two.
    public var why: String

    /// Creates an adjustment.
    public init(kind: Kind, what: String, why: String) {
        self.kind = kind
        self.what = what
        self.why = why
    }
}
