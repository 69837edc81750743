import Foundation
import Synchronization

/// Foundation's reading (`URL(string:)`: lower-cased scheme, host) of the URLs the router
/// and egress check, remembered by the URL's text: a provider builds the same URL on every
/// request, and parsing it cost more than the rest of the check. At most ``limit`` URLs of at
/// most ``maxKeyBytes`` each are kept (a plugin that builds a new or a huge URL every time
/// cannot grow it); any other URL is parsed on each use.
final class URLPartsCache: Sendable {
    struct Parts: Sendable {
        var scheme: String?
        var host: String?
    }

    private let table = Mutex<[String: Parts?]>([:])
    let limit: Int
    static let maxKeyBytes = 2048

    init(limit: Int = 256) { self.limit = limit }

    /// How many URLs are remembered.
    var count: Int { table.withLock { $0.count } }

    /// The URL's scheme (lower case) and host; nil when `URL(string:)` refuses the text.
    func parts(of text: String) -> Parts? {
        if let known = table.withLock({ $0[text] }) { return known }
        let parts = URL(string: text).map { Parts(scheme: $0.scheme?.lowercased(), host: $0.host) }
        table.withLock { entries in
            if entries.count < limit, text.utf8.count <= Self.maxKeyBytes { entries[text] = .some(parts) }
        }
        return parts
    }
}
