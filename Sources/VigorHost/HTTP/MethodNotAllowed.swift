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
}

/// Answers a request for a known path with a method it does not serve with 405 and `Allow`
/// (the router alone would say 404).
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = VigorRequestContext
    let methods: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = methods.allowed(at: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            var refusal = APIError(
                .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method.rawValue) is not served at this path; use \(allowed.joined(separator: ", "))")
            refusal.allow = allowed.joined(separator: ", ")
            throw refusal
        }
    }
}
