import Foundation
import HTTPTypes
import Hummingbird

/// The web client's session: the refresh token in an `HttpOnly` cookie instead of the JSON
/// body, and the cross-site request checks on every route that reads that cookie.
///
/// A request speaks for the web client when it carries `X-Vigor-Client: web`. A cross-site
/// HTML form cannot send a custom header, and a cross-site `fetch` that sends one needs a
/// CORS preflight this host refuses; on top of that, an `Origin` other than the host's own
/// and a `Sec-Fetch-Site` other than `same-origin` are refused (403 `csrf_refused`). Other
/// clients never send the header and keep the JSON API as it is.
struct WebSession: Sendable {
    /// The header that marks the web client.
    static let clientHeader = HTTPField.Name("X-Vigor-Client")!
    /// The cookie holding the refresh token.
    static let cookieName = "vigor_refresh"
    /// Where the browser sends the cookie: the refresh and logout routes only.
    static let cookiePath = "/api/v1/auth"

    /// Refresh-token lifetime: the cookie's `Max-Age`.
    let refreshTTL: TimeInterval
    /// Proxies whose `X-Forwarded-Proto` is believed (the cookie is `Secure` behind TLS).
    let proxies: TrustedProxies

    /// Whether the request says it comes from the web client.
    static func isWebClient(_ request: Request) -> Bool {
        request.headers[values: clientHeader].contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "web" }
    }

    /// Refuses a request a page of another site may have sent (403 `csrf_refused`): an
    /// `Origin` that is not this host's own (`null` included), or a `Sec-Fetch-Site` that is
    /// not `same-origin`. A request with neither header (a non-browser client) passes.
    static func requireSameOrigin(_ request: Request) throws {
        if let site = request.headers[.secFetchSite]?.trimmingCharacters(in: .whitespaces).lowercased(),
            site != "same-origin"
        {
            throw refusal("the request came from another site (Sec-Fetch-Site: \(site.prefix(20)))")
        }
        guard let origin = request.headers[.origin] else { return }
        let parts = origin.components(separatedBy: "://")
        guard parts.count == 2, parts[0] == "http" || parts[0] == "https", let authority = request.head.authority,
            !authority.isEmpty, parts[1].lowercased() == authority.lowercased()
        else {
            throw refusal("the request's Origin is not this host")
        }
    }

    /// Refuses a cookie-authenticated request that lacks `X-Vigor-Client: web` or comes from
    /// another origin.
    static func requireWebRequest(_ request: Request) throws {
        guard isWebClient(request) else {
            throw refusal("a request authenticated by the session cookie must send X-Vigor-Client: web")
        }
        try requireSameOrigin(request)
    }

    private static func refusal(_ message: String) -> APIError {
        APIError(.forbidden, code: "csrf_refused", message: message)
    }

    /// The refresh token in the request's cookies, if any (the first one: the most specific path).
    static func refreshToken(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == cookieName else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                // A token is base64url: anything else is not ours, and never reaches the store.
                guard !value.isEmpty, value.utf8.count <= 512,
                    value.utf8.allSatisfy({ isBase64URL($0) })
                else { return nil }
                return value
            }
        }
        return nil
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D
            || byte == 0x5F
    }

    /// `Set-Cookie` that stores `token` for ``refreshTTL`` seconds.
    func setCookie(_ token: String, request: Request, context: VigorRequestContext) -> String {
        cookie(value: token, maxAge: Int(refreshTTL.rounded()), request: request, context: context)
    }

    /// `Set-Cookie` that removes the session cookie.
    func clearCookie(request: Request, context: VigorRequestContext) -> String {
        cookie(value: "", maxAge: 0, request: request, context: context)
    }

    private func cookie(value: String, maxAge: Int, request: Request, context: VigorRequestContext) -> String {
        var attributes = [
            "\(Self.cookieName)=\(value)", "Path=\(Self.cookiePath)", "Max-Age=\(max(0, maxAge))", "HttpOnly", "SameSite=Strict",
        ]
        if isSecure(request, context: context) { attributes.append("Secure") }
        return attributes.joined(separator: "; ")
    }

    /// Whether the client reached the host over TLS: an `https` request, or
    /// `X-Forwarded-Proto: https` from a trusted proxy.
    func isSecure(_ request: Request, context: VigorRequestContext) -> Bool {
        if request.head.scheme?.lowercased() == "https" { return true }
        let peer = context.peerAddress.flatMap { IPAddress($0) }
        guard proxies.trustsAnyPeer || peer.map(proxies.isTrusted) == true else { return false }
        // The proxy nearest the host appends last.
        let proto = request.headers[values: .xForwardedProto].flatMap { $0.split(separator: ",") }.last
        return proto?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }
}

extension HTTPField.Name {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}

extension Response {
    /// Adds a `Set-Cookie` header.
    mutating func setCookie(_ value: String) {
        headers.append(HTTPField(name: .setCookie, value: value))
    }
}
