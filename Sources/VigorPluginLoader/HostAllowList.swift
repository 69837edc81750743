/// Matching of upstream host names against a plugin's declared `allowed_hosts`.
public enum HostAllowList {
    /// `pattern` is an exact host name or `*.domain` (any subdomain, not the domain itself).
    public static func matches(_ host: String, pattern: String) -> Bool {
        matches(lowercasedHost: lowered(host), pattern: lowered(pattern))
    }

    /// Whether `host` matches any of `patterns`. The host is lowered once, and a pattern only
    /// when it is not lower-case ASCII already (descriptors' patterns are, as a rule).
    public static func allows(_ host: String, patterns: [String]) -> Bool {
        let host = lowered(host)
        return patterns.contains { matches(lowercasedHost: host, pattern: lowered($0)) }
    }

    static func matches(lowercasedHost host: String, pattern: String) -> Bool {
        if pattern.hasPrefix("*.") {
            return host.hasSuffix(String(pattern.dropFirst(1))) && host.count > pattern.count - 1
        }
        return host == pattern
    }

    /// `text.lowercased()`, without the call when `text` has no byte it would change.
    static func lowered(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 && !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) } ? text : text.lowercased()
    }
}
