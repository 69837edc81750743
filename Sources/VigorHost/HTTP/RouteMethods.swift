import Hummingbird
import Synchronization

/// The methods registered at each path pattern, so a known path asked with another method
/// answers 405 with `Allow` instead of 404.
final class RouteMethods: Sendable {
    private let patterns = Mutex<[(segments: [Substring], methods: [String])]>([])

    func add(_ method: HTTPRequest.Method, at path: String) {
        let segments = path.split(separator: "/")
        patterns.withLock { patterns in
            if let index = patterns.firstIndex(where: { $0.segments == segments }) {
                if !patterns[index].methods.contains(method.rawValue) { patterns[index].methods.append(method.rawValue) }
            } else {
                patterns.append((segments, [method.rawValue]))
            }
        }
    }

    /// The methods served at `path` (empty when no route has this path).
    func allowed(at path: String) -> [String] {
        let segments = path.split(separator: "/")
        return patterns.withLock { patterns in
            var methods: [String] = []
            for pattern in patterns where pattern.segments.count == segments.count {
                let match = zip(pattern.segments, segments).allSatisfy { template, actual in
                    template == actual || (template.hasPrefix("{") && template.hasSuffix("}"))
                }
                if match { methods += pattern.methods.filter { !methods.contains($0) } }
            }
            return methods
        }
    }

    /// For a request no route answered: 405 with `Allow` when its path is served with other
    /// methods (the router alone would say 404); `nil` when no route has the path.
    func refusal(for request: Request) -> APIError? {
        let allowed = allowed(at: request.uri.path)
        guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { return nil }
        var refusal = APIError(
            .methodNotAllowed, code: "method_not_allowed",
            message: "\(request.method.rawValue) is not served at this path; use \(allowed.joined(separator: ", "))")
        refusal.allow = allowed.joined(separator: ", ")
        return refusal
    }
}
