/// One problem with one field of user input, named by its JSON path
/// (`"days_per_week"`, `"injuries[2].area"`).
public struct FieldError: Codable, Sendable, Equatable, Hashable {
    /// JSON path of the field.
    public var field: String
    /// What is wrong, for a person to read.
    public var message: String

    /// Creates a field error.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Reusable checks behind the `validate()` functions.
enum FieldCheck {
    /// Longest free-text string accepted anywhere in a profile or request.
    static let maxStringLength = 200

    /// An error when `value` is present and outside `range`.
    static func range(_ value: Int?, _ range: ClosedRange<Int>, field: String) -> FieldError? {
        guard let value, !range.contains(value) else { return nil }
        return FieldError(
            field: field,
            message: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
    }

    /// Errors for a list of strings: too many items, empty items, or items too long.
    static func strings(_ values: [String], maxCount: Int, field: String) -> [FieldError] {
        var errors: [FieldError] = []
        if values.count > maxCount {
            errors.append(FieldError(field: field, message: "at most \(maxCount) items"))
        }
        for (index, value) in values.enumerated() {
            if let error = text(value, field: "\(field)[\(index)]") { errors.append(error) }
        }
        return errors
    }

    /// An error when a required string is blank or longer than ``maxStringLength``.
    static func text(_ value: String, field: String) -> FieldError? {
        if value.allSatisfy(\.isWhitespace) {
            return FieldError(field: field, message: "must not be empty")
        }
        if value.count > maxStringLength {
            return FieldError(field: field, message: "at most \(maxStringLength) characters")
        }
        return nil
    }
}
