/// Matching of upstream host names against a plugin's declared `allowed_hosts`.
public enum HostAllowList {
    /// `pattern` is an exact host name or `*.domain` (any subdomain, not the domain itself).
    public static func matches(_ host: String, pattern: String) -> Bool {
        let host = host.lowercased()
        let pattern = pattern.lowercased()
        if pattern.hasPrefix("*.") {
            return host.hasSuffix(String(pattern.dropFirst(1))) && host.count > pattern.count - 1
        }
        return host == pattern
    }

    /// Whether `host` matches any of `patterns`.
    public static func allows(_ host: String, patterns: [String]) -> Bool {
        patterns.contains { matches(host, pattern: $0) }
    }
}
