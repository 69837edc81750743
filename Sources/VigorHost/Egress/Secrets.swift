/// Provider secrets and base-URL overrides, resolved by the host from its environment and
/// config. Values are never logged, echoed or returned; `description` shows names only.
public struct Secrets: Sendable, CustomStringConvertible {
    private let values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values.filter { !$0.value.isEmpty }
    }

    /// Reads the secrets a plugin may ask for (`*_API_KEY`) from an environment.
    public static func fromEnvironment(_ environment: [String: String]) -> Secrets {
        Secrets(environment.filter { $0.key.hasSuffix("_API_KEY") })
    }

    public func value(_ name: String) -> String? { values[name] }

    public func has(_ name: String) -> Bool { values[name] != nil }

    /// Every secret value, so log and response scrubbers can look for them.
    var allValues: [String] { Array(values.values) }

    public var description: String { "Secrets(\(values.keys.sorted().joined(separator: ", ")))" }
}
