import Crypto
import Foundation
import Hummingbird
import Synchronization

/// The web client's static files, read once from a folder into memory with their content
/// type, an ETag and, for text, a gzip copy.
///
/// Only regular files found under the folder at load time can be served: a request names
/// a key of ``files``, never a path on disk, so `..`, encoded dots or a symbolic link cannot
/// reach anything else. Dotfiles and symbolic links are skipped.
public struct WebAssets: Sendable {
    /// One file ready to serve.
    public struct Asset: Sendable {
        /// `Content-Type` with a charset for text.
        public var contentType: String
        /// The file's bytes.
        public var body: ByteBuffer
        /// The gzip copy, when the type is text and compression makes it smaller.
        public var gzipped: ByteBuffer?
        /// Strong ETag of ``body`` (quoted); the gzip copy's ETag appends `-gz`.
        public var etag: String
    }

    /// The folder the files came from (`nil`: no web client is installed).
    public let root: String?
    /// Files by their path under ``root`` (`index.html`, `screens/chat.js`).
    public let files: [String: Asset]

    /// Most files loaded, and the largest one (a web root pointed at `/` by mistake stops here).
    static let maxFiles = 2_000
    static let maxFileBytes = 8 << 20

    /// No web client: every path falls through to the API's 404.
    public static let empty = WebAssets(root: nil, files: [:])

    init(root: String?, files: [String: Asset]) {
        self.root = root
        self.files = files
    }

    /// Reads every regular file under `root`.
    ///
    /// - Throws: ``ConfigurationError`` when `root` is not a readable folder or holds more
    ///   than ``maxFiles`` files.
    public static func load(root: String) throws -> WebAssets {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw ConfigurationError("web root \(root) is not a folder")
        }
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw ConfigurationError("web root \(root) cannot be read")
        }
        var files: [String: Asset] = [:]
        while let relative = walker.nextObject() as? String {
            let full = root + "/" + relative
            let components = relative.split(separator: "/")
            if components.contains(where: { $0.hasPrefix(".") }) {
                walker.skipDescendants()
                continue
            }
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: full),
                let type = attributes[.type] as? FileAttributeType
            else { continue }
            if type == .typeSymbolicLink {
                walker.skipDescendants()
                continue
            }
            guard type == .typeRegular else { continue }
            guard files.count < maxFiles else { throw ConfigurationError("web root \(root) holds more than \(maxFiles) files") }
            guard let size = (attributes[.size] as? NSNumber)?.intValue, size <= maxFileBytes,
                let data = FileManager.default.contents(atPath: full)
            else { continue }
            files[relative] = asset(bytes: [UInt8](data), path: relative)
        }
        return WebAssets(root: root, files: files)
    }

    /// An asset for `bytes` served as `path`.
    static func asset(bytes: [UInt8], path: String) -> Asset {
        let type = contentType(forPath: path)
        let digest = SHA256.hash(data: bytes).prefix(12).map { String(format: "%02x", $0) }.joined()
        var gzipped: ByteBuffer?
        if isCompressible(type), bytes.count > 256 {
            let compressed = Gzip.compress(bytes)
            if compressed.count < bytes.count { gzipped = ByteBuffer(bytes: compressed) }
        }
        return Asset(contentType: type, body: ByteBuffer(bytes: bytes), gzipped: gzipped, etag: "\"\(digest)\"")
    }

    /// The `Content-Type` of a file by its extension.
    static func contentType(forPath path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let suffix = name.split(separator: ".").count > 1 ? name.split(separator: ".").last.map { $0.lowercased() } ?? "" : ""
        switch suffix {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json", "map": return "application/json; charset=utf-8"
        case "webmanifest": return "application/manifest+json; charset=utf-8"
        case "svg": return "image/svg+xml; charset=utf-8"
        case "txt": return "text/plain; charset=utf-8"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        default: return "application/octet-stream"
        }
    }

    static func isCompressible(_ contentType: String) -> Bool {
        contentType.hasPrefix("text/") || contentType.hasPrefix("application/json")
            || contentType.hasPrefix("application/manifest+json") || contentType.hasPrefix("image/svg+xml")
    }
}

extension WebAssets {
    /// The name of the SwiftPM resource bundle that holds `Web/static`.
    static let bundleName = "vigor_VigorHost.resources"

    /// The folder to serve: `configured` (`--web-root`, `VIGOR_WEB_ROOT`, `web_root`) when
    /// given; else the resource bundle beside the running executable (`.build/debug`, or an
    /// install that copied the bundle next to `vigor`); else the bundle SwiftPM built.
    /// `nil` when none exists (the host then serves the API only).
    public static func locate(configured: String?) -> String? {
        if let configured, !configured.isEmpty { return configured }
        var candidates: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            candidates.append(executable.deletingLastPathComponent())
        }
        for folder in candidates {
            let root = folder.appendingPathComponent(bundleName).appendingPathComponent("static").path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue {
                return root
            }
        }
        return nil
    }
}

extension WebAssets {
    private static let loaded = Mutex<[String: WebAssets]>([:])

    /// The files of ``locate(configured:)``, loaded (and compressed) once per folder per process;
    /// ``empty`` when there is no folder or it cannot be read.
    public static func shared(configured: String?) -> WebAssets {
        guard let root = locate(configured: configured) else { return .empty }
        if let assets = loaded.withLock({ $0[root] }) { return assets }
        let assets = (try? load(root: root)) ?? .empty
        loaded.withLock { $0[root] = assets }
        return assets
    }
}
