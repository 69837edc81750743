import Foundation
import Logging

/// Where the access-token signing secret comes from.
enum JWTSecret {
    /// The file, next to the database, that keeps a generated secret.
    static let fileName = "jwt-secret"

    /// The shortest secret the host starts with: HS256 keys shorter than the hash output
    /// (32 bytes, RFC 7518 §3.2) can be brute-forced offline from any one issued token.
    static let minimumBytes = 32

    /// Throws ``ConfigurationError`` when a configured secret is shorter than ``minimumBytes``.
    static func check(_ configured: String) throws {
        guard configured.utf8.count < minimumBytes else { return }
        throw ConfigurationError(
            "the JWT secret (VIGOR_JWT_SECRET or jwt_secret) is \(configured.utf8.count) bytes; "
                + "it must be at least \(minimumBytes) random bytes (e.g. `openssl rand -base64 48`), "
                + "or leave it unset to have one generated in the data folder")
    }

    /// The configured secret, or the one kept in `dataDirectory` (generated and saved with
    /// mode 0600 on first use). Logs where it came from, never the secret.
    ///
    /// Throws ``ConfigurationError`` for a configured secret under ``minimumBytes`` bytes:
    /// the host refuses to start rather than sign tokens anyone could forge.
    static func resolve(configured: String?, dataDirectory: String, logger: Logger) throws -> String {
        if let configured, !configured.isEmpty {
            try check(configured)
            return configured
        }
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent(fileName).path
        if let data = FileManager.default.contents(atPath: path) {
            let stored = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if stored.utf8.count >= minimumBytes {
                logger.info("using the JWT secret kept in the data folder", metadata: ["path": "\(path)"])
                return stored
            }
            logger.warning("ignoring a too-short JWT secret file; generating a new one", metadata: ["path": "\(path)"])
        }
        let secret = TokenDigest.randomToken(bytes: 48)
        try FileManager.default.createDirectory(
            atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try? FileManager.default.removeItem(atPath: path)
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw StoreError(.unavailable, "cannot write the JWT secret file at \(path)")
        }
        logger.notice(
            "VIGOR_JWT_SECRET is not set: generated a signing secret and saved it in the data folder (mode 0600)",
            metadata: ["path": "\(path)"])
        return secret
    }
}
