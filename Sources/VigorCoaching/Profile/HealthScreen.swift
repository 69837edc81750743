/// Answers to a pre-exercise health screen (PAR-Q style).
public struct HealthScreen: Codable, Sendable, Equatable, Hashable {
    /// Whether any PAR-Q question was answered "yes".
    public var parqAnyYes: Bool
    /// Whether the person is pregnant.
    public var pregnant: Bool
    /// Age in years, if given.
    public var age: Int?
    /// Whether the person is currently inactive; `nil` when unknown.
    public var inactive: Bool?

    /// Creates a health screen.
    public init(parqAnyYes: Bool = false, pregnant: Bool = false, age: Int? = nil, inactive: Bool? = nil) {
        self.parqAnyYes = parqAnyYes
        self.pregnant = pregnant
        self.age = age
        self.inactive = inactive
    }

    /// Age from which an inactive person should get medical clearance first.
    public static let clearanceAge = 70

    /// Whether the screen says "get medical clearance, keep the intensity low":
    /// a PAR-Q "yes", a pregnancy, or age 70 or over and inactive.
    /// An unknown activity status counts as inactive, erring on the safe side.
    public var needsMedicalClearance: Bool {
        if parqAnyYes || pregnant { return true }
        guard let age, age >= Self.clearanceAge else { return false }
        return inactive != false
    }

    enum CodingKeys: String, CodingKey {
        case parqAnyYes = "parq_any_yes"
        case pregnant, age, inactive
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        parqAnyYes = try container.decodeIfPresent(Bool.self, forKey: .parqAnyYes) ?? false
        pregnant = try container.decodeIfPresent(Bool.self, forKey: .pregnant) ?? false
        age = try container.decodeIfPresent(Int.self, forKey: .age)
        inactive = try container.decodeIfPresent(Bool.self, forKey: .inactive)
    }
}
