import Foundation
import VigorPluginSDK

/// The secrets a plugin may have injected into its upstream requests: exactly those its
/// descriptor declares (`secrets`). A request naming any other secret is the plugin's fault
/// and is refused before it reaches the egress; nothing is injected or sent.
///
/// Secret names follow one rule, checked when a plugin loads (``namingProblem(_:)``): an
/// environment variable name ending in `_API_KEY`. The host hands its egress only the
/// `*_API_KEY` variables of its environment, so that a plugin cannot declare
/// `VIGOR_JWT_SECRET`, `DATABASE_URL` or `AWS_SECRET_ACCESS_KEY` and have the host send it to
/// one of the plugin's hosts. A name outside the rule could never be injected: the plugin is
/// rejected with that reason instead of loading and then being skipped in silence.
public enum SecretGrant {
    /// The suffix every secret name carries.
    public static let nameSuffix = "_API_KEY"

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

    /// Why `name` cannot be a secret name, or nil when it can: ASCII letters, digits and `_`,
    /// ending in `_API_KEY` with something before it (`HELDOUT_API_KEY`).
    public static func namingProblem(_ name: String) -> String? {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
        }
        if name.hasSuffix(nameSuffix), name.utf8.count > nameSuffix.utf8.count, allowed { return nil }
        let stem = name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.reduce(into: "") { $0.append($1) }
        let trimmed = stem.hasSuffix("_TOKEN") ? String(stem.dropLast("_TOKEN".count)) : stem
        let suggestion = (trimmed.isEmpty ? "MY_PROVIDER" : trimmed) + (trimmed.hasSuffix(nameSuffix) ? "" : nameSuffix)
        return
            "secret \"\(name)\" does not follow the secret naming rule: letters, digits and _, ending in \(nameSuffix) "
            + "(e.g. \(suggestion)); the host reads only *\(nameSuffix) variables, so this secret could never be injected"
    }

    /// The declared secrets that are not set, in declaration order.
    public static func missing(_ declared: [String], isSet: (String) -> Bool) -> [String] {
        declared.filter { !isSet($0) }
    }

    /// What a listing shows for a component: `active`, or `inactive: missing secret NAME`
    /// (`inactive: missing secrets A, B` when several are missing).
    public static func status(declared: [String], isSet: (String) -> Bool) -> String {
        let absent = missing(declared, isSet: isSet)
        switch absent.count {
        case 0: return "active"
        case 1: return "inactive: missing secret \(absent[0])"
        default: return "inactive: missing secrets \(absent.joined(separator: ", "))"
        }
    }

    /// Whether `name` is set, non-empty, in `environment`, as the host's egress reads secrets
    /// (only `*_API_KEY` variables).
    public static func isSet(_ name: String, in environment: [String: String]) -> Bool {
        name.hasSuffix(nameSuffix) && !(environment[name] ?? "").isEmpty
    }
}
