import Foundation
import HTTPTypes
import Hummingbird

/// Serves the web client at `/` for the GET and HEAD requests no route answers.
///
/// `/` and client routes (`/chat`, `/plans/3`: a path with no file extension outside the
/// API's prefixes) get `index.html`, so a reload of any screen works; files are served by
/// their path under the web root, at `/static/<path>` or at `/<path>` (`/sw.js` must sit at
/// the root to control the whole app). Everything else keeps the router's 404 (or 405).
struct WebApp: Sendable {
    let assets: WebAssets

    /// First path segments that belong to the API: never answered with the app's shell.
    static let reservedPrefixes: Set<String> = ["api", "v1", "health", "ready", "metrics", "openapi.json", "static"]

    /// The security headers of every file the web client is made of.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    /// The answer to a request no route answered: a file or a screen of the client for a
    /// GET or HEAD whose path names one, `nil` otherwise (the 404 or 405 stands).
    func response(for request: Request) -> Response? {
        guard request.method == .get || request.method == .head, let (path, asset) = Self.resolve(request.uri.path, in: assets)
        else { return nil }
        return Self.response(for: asset, path: path, request: request)
    }

    /// What a request path names: the key of a file and the file, or `nil` (404).
    static func resolve(_ rawPath: String, in assets: WebAssets) -> (String, WebAssets.Asset)? {
        guard !assets.files.isEmpty, let path = WebPath.normalize(rawPath) else { return nil }
        if path.isEmpty { return assets.files["index.html"].map { ("index.html", $0) } }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if segments.first == "static" {
            let key = segments.dropFirst().joined(separator: "/")
            return assets.files[key].map { (key, $0) }
        }
        if let asset = assets.files[path] { return (path, asset) }
        guard let first = segments.first, !reservedPrefixes.contains(String(first)),
            let last = segments.last, !last.contains(".")
        else { return nil }
        return assets.files["index.html"].map { ("index.html", $0) }
    }

    /// The file, or 304 when the client's copy is current; gzip when the client takes it.
    static func response(for asset: WebAssets.Asset, path: String, request: Request) -> Response {
        let gzip = asset.gzipped != nil && acceptsGzip(request.headers[values: .acceptEncoding])
        let etag = gzip ? String(asset.etag.dropLast()) + "-gz\"" : asset.etag
        var headers = HTTPFields()
        headers[.contentType] = asset.contentType
        headers[.eTag] = etag
        // The files' names carry no content hash: every use revalidates (a 304 is a few bytes),
        // so a new host version is picked up at the next load. The service worker keeps the
        // shell for offline use.
        headers[.cacheControl] = "no-cache"
        if asset.gzipped != nil { headers[.vary] = "Accept-Encoding" }
        addSecurityHeaders(&headers)
        if let match = request.headers[.ifNoneMatch], matches(match, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        let body = gzip ? asset.gzipped ?? asset.body : asset.body
        if gzip { headers[.contentEncoding] = "gzip" }
        headers[.contentLength] = String(body.readableBytes)
        if request.method == .head { return Response(status: .ok, headers: headers, body: .init()) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    static func addSecurityHeaders(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        headers[.xFrameOptions] = "DENY"
        headers[.crossOriginOpenerPolicy] = "same-origin"
    }

    /// Whether `Accept-Encoding` lists gzip (or `*`) with a non-zero weight.
    static func acceptsGzip(_ values: [String]) -> Bool {
        for item in values.flatMap({ $0.split(separator: ",") }) {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if weight > 0 { return true }
        }
        return false
    }

    /// `If-None-Match` against the current ETag (`*`, a list, weak forms).
    static func matches(_ header: String, etag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == etag
        }
    }
}

/// Request paths of the web client.
enum WebPath {
    /// The percent-decoded path without its leading `/` (`""` for `/`), or `nil` when it
    /// cannot name a file: not valid UTF-8 once decoded, a NUL or other control character,
    /// a backslash, an empty, `.` or `..` segment, or a dotfile.
    static func normalize(_ rawPath: String) -> String? {
        guard rawPath.hasPrefix("/"), rawPath.utf8.count <= 1024, let decoded = rawPath.removingPercentEncoding else {
            return nil
        }
        if decoded == "/" { return "" }
        guard !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) else {
            return nil
        }
        let segments = decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard segments.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }) else { return nil }
        return segments.joined(separator: "/")
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let crossOriginOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
}
