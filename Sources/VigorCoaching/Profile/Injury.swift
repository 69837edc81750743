/// An injury or painful area, and the kinds of stress to keep away from it.
public struct Injury: Codable, Sendable, Equatable, Hashable {
    /// How much an injury limits training.
    public enum Severity: String, Codable, Sendable, CaseIterable {
        case mild, moderate, severe
    }

    /// The body area, in the person's words ("knee", "lower back").
    public var area: String
    /// How serious it is; `moderate` when a profile leaves it out.
    public var severity: Severity
    /// Exercise tags this injury rules out.
    public var avoid: [ContraindicationTag]

    /// Creates an injury record.
    public init(area: String, severity: Severity = .moderate, avoid: [ContraindicationTag] = []) {
        self.area = area
        self.severity = severity
        self.avoid = avoid
    }

    enum CodingKeys: String, CodingKey {
        case area, severity, avoid
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        area = try container.decode(String.self, forKey: .area)
        severity = try container.decodeIfPresent(Severity.self, forKey: .severity) ?? .moderate
        avoid = try container.decodeIfPresent([ContraindicationTag].self, forKey: .avoid) ?? []
    }
}
