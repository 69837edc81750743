import VigorPluginSDK

/// The secrets a plugin may have injected into its upstream requests: exactly those its
/// descriptor declares (`secrets`). A request naming any other secret is the plugin's fault
/// and is refused before it reaches the egress; nothing is injected or sent.
public enum SecretGrant {
    /// The first secret `request` names that `declared` does not hold, or nil.
    public static func undeclared(in request: UpstreamRequest, declared: some Collection<String>) -> String? {
        request.secretHeaders.first { !declared.contains($0.secret) }?.secret
    }

    /// The message of the refusal.
    public static func refusal(secret: String, plugin: String?, declared: some Collection<String>) -> String {
        let list = declared.isEmpty ? "none" : declared.sorted().joined(separator: ", ")
        let who = plugin.map { "plugin \($0)" } ?? "the plugin"
        return "\(who) asked for secret \(secret), which its descriptor does not declare (declared: \(list)); request not sent"
    }
}
