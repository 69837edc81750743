/// A goal that is unsafe as stated, with the safe alternative.
public struct UnsafeGoal: Sendable, Hashable {
    /// The kind of unsafe goal; raw values are stable.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Losing weight faster than about 1 % of body weight (about 1 kg when the weight is unknown) a week.
        case rapidWeightLoss = "rapid_weight_loss"
        /// Eating less than 1200 kcal a day, or a deficit above 1000 kcal a day.
        case extremeDeficit = "extreme_deficit"
        /// Fasting for two days or more, or "starving".
        case prolongedFast = "prolonged_fast"
    }

    /// The kind.
    public var kind: Kind
    /// The loss asked for, in kg a week (rapid weight loss).
    public var requestedKgPerWeek: Double?
    /// The highest safe loss in kg a week (1 % of body weight, or 1 kg).
    public var safeKgPerWeek: Double?
    /// The weight to lose, in kg, when stated.
    public var targetKg: Double?
    /// The daily intake or deficit asked for, in kcal.
    public var kcalPerDay: Int?
    /// The fast asked for, in hours (`nil` when "for days" with no number).
    public var fastHours: Int?
    /// One English sentence naming the goal unsafe and giving the safe rate.
    public var note: String

    /// Creates an unsafe goal.
    public init(
        kind: Kind, requestedKgPerWeek: Double? = nil, safeKgPerWeek: Double? = nil, targetKg: Double? = nil,
        kcalPerDay: Int? = nil, fastHours: Int? = nil, note: String
    ) {
        self.kind = kind
        self.requestedKgPerWeek = requestedKgPerWeek
        self.safeKgPerWeek = safeKgPerWeek
        self.targetKg = targetKg
        self.kcalPerDay = kcalPerDay
        self.fastHours = fastHours
        self.note = note
    }
}
