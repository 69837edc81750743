import Foundation
import Hummingbird

/// Refuses, before any route runs, a request whose `Content-Length` is over the configured
/// limit (413), and one whose `Transfer-Encoding` names a coding other than `chunked` or
/// `identity` (400: the body's framing cannot be read). Bodies without a length are still
/// capped when a route collects them.
enum BodyLimit {
    static func check(_ request: Request, maxBytes: Int) throws {
        if let length = request.headers.value(.contentLength).flatMap(Int.init), length > maxBytes {
            throw APIError.tooLarge(limit: maxBytes)
        }
        for coding in request.headers[values: .transferEncoding].flatMap({ $0.split(separator: ",") }) {
            let name = coding.trimmingCharacters(in: .whitespaces).lowercased()
            guard name == "chunked" || name == "identity" else {
                var refusal = APIError.malformed("unsupported Transfer-Encoding '\(name)'; use chunked or Content-Length")
                refusal.code = "unsupported_transfer_encoding"
                throw refusal
            }
        }
    }
}
