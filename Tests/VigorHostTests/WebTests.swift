import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

/// The web client as the host serves it: files, headers, the session cookie and its
/// cross-site checks, and the account routes the client's screens use.
@Suite("Web client")
struct WebTests {
    /// A web root of a few files (text big enough to be compressed), a dotfile and a
    /// symbolic link to a file outside it.
    static func makeWebRoot() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("screens"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("icons"), withIntermediateDirectories: true)
        let script = (0..<40).map { "export function screen\($0)() { return document.querySelector('#app'); }\n" }.joined()
        let files: [String: String] = [
            "index.html": "<!doctype html><html><head><title>Vigor</title></head><body><main id=app></main></body></html>",
            "app.js": script, "styles.css": "body { margin: 0; }\n", "sw.js": "self.addEventListener('install', () => {});\n",
            "manifest.webmanifest": "{\"name\":\"Vigor\"}", "screens/chat.js": "export const chat = 1;\n",
            "icons/icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>", ".secret": "do-not-serve",
        ]
        for (path, text) in files { try Data(text.utf8).write(to: root.appendingPathComponent(path)) }
        let outside = root.deletingLastPathComponent().appendingPathComponent("vigor-outside-\(UUID().uuidString).txt")
        try Data("outside-secret".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link.txt"), withDestinationURL: outside)
        return root
    }

    static func withWebHost(_ body: @Sendable (TestHost, any TestClientProtocol) async throws -> Void) async throws {
        let root = try makeWebRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        try await TestHost.run(configure: { $0.webRoot = root.path }, body)
    }

    static let webHeaders: HTTPFields = [WebSession.clientHeader: "web", .origin: "http://localhost"]

    @Test("/ and client routes get the shell; files by path with their types; API paths keep their 404")
    func servesShellAndFiles() async throws {
        try await Self.withWebHost { _, client in
            for path in ["/", "/chat", "/plans/3", "/index.html", "/static/index.html"] {
                let reply = try await client.send(.get, path)
                #expect(reply.status == .ok, "\(path)")
                #expect(reply.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                #expect(reply.text.contains("<main id=app>"), "\(path)")
            }
            let types = [
                "/static/app.js": "text/javascript; charset=utf-8", "/app.js": "text/javascript; charset=utf-8",
                "/static/styles.css": "text/css; charset=utf-8", "/sw.js": "text/javascript; charset=utf-8",
                "/manifest.webmanifest": "application/manifest+json; charset=utf-8",
                "/static/screens/chat.js": "text/javascript; charset=utf-8", "/static/icons/icon.svg": "image/svg+xml; charset=utf-8",
            ]
            for (path, type) in types {
                let reply = try await client.send(.get, path)
                #expect(reply.status == .ok, "\(path)")
                #expect(reply.headers[.contentType] == type, "\(path)")
            }
            for path in ["/missing.js", "/static/missing.js", "/static/chat", "/api/v1/nothing", "/health/x"] {
                let reply = try await client.send(.get, path)
                reply.expectError(.notFound)
            }
            // The OpenAI-compatible prefix keeps its own 404 (OpenAI's error shape), not the shell.
            #expect(try await client.send(.get, "/v1/nothing").status == .notFound)
            // A known API path with the wrong method still says 405, not the shell.
            try await client.send(.get, "/api/v1/auth/login").expectError(.methodNotAllowed)
            try await client.send(.post, "/chat").expectError(.notFound)
            let head = try await client.send(.head, "/static/app.js")
            #expect(head.status == .ok)
            #expect(head.body.isEmpty)
        }
    }

    @Test("security headers, ETag revalidation and no-cache on every file")
    func headersAndCaching() async throws {
        try await Self.withWebHost { _, client in
            let reply = try await client.send(.get, "/")
            #expect(reply.headers[.contentSecurityPolicy] == WebApp.contentSecurityPolicy)
            #expect(
                WebApp.contentSecurityPolicy
                    == "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
            )
            #expect(reply.headers[.xContentTypeOptions] == "nosniff")
            #expect(reply.headers[.referrerPolicy] == "no-referrer")
            #expect(reply.headers[.cacheControl] == "no-cache")
            let etag = try #require(reply.headers[.eTag])
            let again = try await client.send(.get, "/", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.isEmpty)
            let stale = try await client.send(.get, "/", headers: [.ifNoneMatch: "\"other\""])
            #expect(stale.status == .ok)
            let sw = try await client.send(.get, "/sw.js")
            #expect(sw.headers[.cacheControl] == "no-cache")
            #expect(sw.headers[.eTag] != nil)
        }
    }

    @Test("text is gzipped when the client takes gzip, and decompresses to the file")
    func gzip() async throws {
        try await Self.withWebHost { host, client in
            let plain = try await client.send(.get, "/static/app.js")
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.headers[.vary] == "Accept-Encoding")
            let zipped = try await client.send(.get, "/static/app.js", headers: [.acceptEncoding: "br, gzip;q=0.8"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.body.count < plain.body.count / 3, "\(zipped.body.count) of \(plain.body.count)")
            #expect(zipped.headers[.eTag] != plain.headers[.eTag])
            #expect(try Self.gunzip(zipped.body) == plain.body)
            let refused = try await client.send(.get, "/static/app.js", headers: [.acceptEncoding: "gzip;q=0, br"])
            #expect(refused.headers[.contentEncoding] == nil)
            _ = host
        }
    }

    @Test("the gzip encoder's output is read back by gzip(1): empty, short, repetitive, random, long")
    func gzipEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let words = (0..<20_000).map { _ in ["squat ", "press ", "row ", "deadlift\n", "{\"sets\": 3}"].randomElement(using: &generator)! }
        let inputs: [[UInt8]] = [
            [], [0x41], Array("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8),
            Array(repeating: 0, count: 100_000), random, Array(words.joined().utf8),
        ]
        for input in inputs {
            let output = try Self.gunzip(Data(Gzip.compress(input)))
            #expect(output == Data(input), "length \(input.count)")
        }
        #expect(Gzip.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("no path reaches outside the web root: dots, encodings, NUL, backslashes, odd Unicode, dotfiles, links")
    func traversal() async throws {
        try await Self.withWebHost { _, client in
            let hostile = [
                "/../Package.swift", "/static/../index.html", "/static/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                "/static/..%2f..%2fetc%2fpasswd", "/static/%2E%2E%2Fapp.js", "/..%5c..%5cetc%5cpasswd", "/static/app.js%00.html",
                "/static/%00", "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/static/%ff", "/.secret", "/static/.secret",
                "/%2esecret", "/static//app.js", "/static/app.js/", "/static/screens/../app.js", "/static/./app.js",
                "/%EF%BC%8E%EF%BC%8E/etc/passwd.txt", "/static/\u{2024}\u{2024}/x.js", "/link.txt", "/static/link.txt",
                "/static/%2Fetc%2Fpasswd", "/static/" + String(repeating: "a/", count: 600) + "x.js",
            ]
            for path in hostile {
                guard let uri = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.union(["%"])) else { continue }
                let reply = try await client.send(.get, uri)
                #expect(reply.status == .notFound || reply.status == .badRequest, "\(path) → \(reply.status)")
                #expect(!reply.text.contains("outside-secret") && !reply.text.contains("do-not-serve"), "\(path)")
                #expect(!reply.text.contains("root:x:0"), "\(path)")
            }
            // A path that names no file gets the shell, never a file from disk.
            let shell = try await client.send(.get, "/etc/passwd")
            #expect(!shell.text.contains("root:x:0"))
        }
    }

    @Test("a web root that is not a folder is refused when the configuration loads")
    func webRootChecked() throws {
        #expect(throws: ConfigurationError.self) {
            try VigorConfiguration.load(environment: ["VIGOR_WEB_ROOT": "/no/such/folder"], flags: .init())
        }
        let root = FileManager.default.temporaryDirectory.path
        #expect(try VigorConfiguration.load(environment: ["VIGOR_WEB_ROOT": root], flags: .init()).webRoot == root)
    }

    @Test("the resource bundle is found beside the built binaries")
    func bundleIsFound() throws {
        let root = try #require(WebAssets.locate(configured: nil))
        #expect(root.hasSuffix("vigor_VigorHost.resources/static"))
        #expect(WebAssets.locate(configured: "/elsewhere") == "/elsewhere")
        #expect(WebAssets.shared(configured: "/no/such/folder").files.isEmpty)
    }

    @Test("the web client gets its refresh token as an HttpOnly SameSite=Strict cookie, never in the body")
    func cookieFlags() async throws {
        try await TestHost.run { _, client in
            let body = jsonText(["email": "web@example.com", "username": "webber", "password": "web-password-1"])
            let register = try await client.send(.post, "/api/v1/auth/register", body: body, headers: Self.webHeaders)
            #expect(register.status == .created)
            #expect(register.json["refresh_token"] == nil)
            #expect(register.json["access_token"] is String)
            let cookie = try #require(register.headers[.setCookie])
            #expect(cookie.hasPrefix("vigor_refresh="))
            for flag in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age=2592000"] {
                #expect(cookie.contains(flag), "\(cookie)")
            }
            #expect(!cookie.contains("Secure"), "plain HTTP from an untrusted peer: \(cookie)")

            let login = try await client.send(
                .post, "/api/v1/auth/login", json: ["email": "web@example.com", "password": "web-password-1"])
            #expect(login.json["refresh_token"] is String, "other clients keep the JSON API")
            #expect(login.headers[.setCookie] == nil)
        }
        try await TestHost.run(configure: { $0.trustForwardedFor = true }) { _, client in
            var headers = Self.webHeaders
            headers[.xForwardedProto] = "https"
            let body = jsonText(["email": "tls@example.com", "username": "tls", "password": "web-password-1"])
            let register = try await client.send(.post, "/api/v1/auth/register", body: body, headers: headers)
            #expect(register.headers[.setCookie]?.contains("; Secure") == true)
        }
    }

    static func cookieValue(_ reply: Reply) -> String? {
        guard let header = reply.headers[.setCookie], let first = header.split(separator: ";").first else { return nil }
        return first.split(separator: "=", maxSplits: 1).last.map(String.init)
    }

    @Test("refresh with the cookie rotates it; reuse is refused and clears it; logout ends the session")
    func refreshViaCookie() async throws {
        try await TestHost.run { _, client in
            let body = jsonText(["email": "c@example.com", "username": "cookie", "password": "web-password-1"])
            let register = try await client.send(.post, "/api/v1/auth/register", body: body, headers: Self.webHeaders)
            let first = try #require(Self.cookieValue(register))
            var headers = Self.webHeaders
            headers[.cookie] = "theme=dark; vigor_refresh=\(first)"
            headers[.secFetchSite] = "same-origin"
            let refreshed = try await client.send(.post, "/api/v1/auth/refresh", headers: headers)
            #expect(refreshed.status == .ok, "\(refreshed.text)")
            #expect(refreshed.json["refresh_token"] == nil)
            let access = try #require(refreshed.json["access_token"] as? String)
            let second = try #require(Self.cookieValue(refreshed))
            #expect(second != first && !second.isEmpty)
            #expect(try await client.send(.get, "/api/v1/auth/me", token: access).status == .ok)

            // The old cookie again: reuse, the family is revoked and the cookie dropped.
            let reused = try await client.send(.post, "/api/v1/auth/refresh", headers: headers)
            reused.expectError(.unauthorized, code: "refresh_token_reused")
            #expect(reused.headers[.setCookie]?.contains("Max-Age=0") == true)

            // A fresh login, then logout with the cookie: the cookie is cleared and dead.
            let login = try await client.send(
                .post, "/api/v1/auth/login", body: jsonText(["email": "c@example.com", "password": "web-password-1"]),
                headers: Self.webHeaders)
            let token = try #require(login.json["access_token"] as? String)
            headers[.cookie] = "vigor_refresh=\(try #require(Self.cookieValue(login)))"
            let logout = try await client.send(.post, "/api/v1/auth/logout", token: token, headers: headers)
            #expect(logout.status == .noContent)
            #expect(logout.headers[.setCookie]?.hasPrefix("vigor_refresh=; Path=/api/v1/auth; Max-Age=0") == true)
            try await client.send(.post, "/api/v1/auth/refresh", headers: headers).expectError(.unauthorized)
            try await client.send(.get, "/api/v1/auth/me", token: token).expectError(.unauthorized)

            // The cookie alone signs out too (after a reload the access token is gone).
            let again = try await client.send(
                .post, "/api/v1/auth/login", body: jsonText(["email": "c@example.com", "password": "web-password-1"]),
                headers: Self.webHeaders)
            headers[.cookie] = "vigor_refresh=\(try #require(Self.cookieValue(again)))"
            let cookieOnly = try await client.send(.post, "/api/v1/auth/logout", body: "{}", headers: headers)
            #expect(cookieOnly.status == .noContent, "\(cookieOnly.text)")
            try await client.send(.post, "/api/v1/auth/refresh", headers: headers).expectError(.unauthorized)
            try await client.send(.get, "/api/v1/auth/me", token: again.json["access_token"] as? String).expectError(.unauthorized)
            // Other clients still need their bearer token to log out.
            try await client.send(.post, "/api/v1/auth/logout").expectError(.unauthorized)
            var foreign = headers
            foreign[.origin] = "http://evil.example"
            try await client.send(.post, "/api/v1/auth/logout", headers: foreign).expectError(.forbidden, code: "csrf_refused")

            // No token at all: 401, for the web client and for others.
            try await client.send(.post, "/api/v1/auth/refresh", headers: Self.webHeaders).expectError(.unauthorized)
            try await client.send(.post, "/api/v1/auth/refresh").expectError(.unauthorized, code: "invalid_refresh_token")
        }
    }

    @Test("cookie routes refuse cross-site requests: no X-Vigor-Client, foreign Origin, null Origin, Sec-Fetch-Site")
    func csrf() async throws {
        try await TestHost.run { _, client in
            let body = jsonText(["email": "x@example.com", "username": "xsite", "password": "web-password-1"])
            let register = try await client.send(.post, "/api/v1/auth/register", body: body, headers: Self.webHeaders)
            let cookie = "vigor_refresh=\(try #require(Self.cookieValue(register)))"
            let refusals: [HTTPFields] = [
                [.cookie: cookie],
                [.cookie: cookie, .origin: "http://localhost"],
                [.cookie: cookie, WebSession.clientHeader: "web", .origin: "http://evil.example"],
                [.cookie: cookie, WebSession.clientHeader: "web", .origin: "null"],
                [.cookie: cookie, WebSession.clientHeader: "web", .origin: "http://localhost.evil.example"],
                [.cookie: cookie, WebSession.clientHeader: "web", .secFetchSite: "cross-site"],
                [.cookie: cookie, WebSession.clientHeader: "web", .secFetchSite: "same-site"],
            ]
            for headers in refusals {
                let reply = try await client.send(.post, "/api/v1/auth/refresh", headers: headers)
                reply.expectError(.forbidden, code: "csrf_refused")
            }
            var evil = Self.webHeaders
            evil[.origin] = "https://evil.example"
            let login = try await client.send(
                .post, "/api/v1/auth/login", body: jsonText(["email": "x@example.com", "password": "web-password-1"]), headers: evil)
            login.expectError(.forbidden, code: "csrf_refused")
            // The cookie still works from the app itself.
            var good = Self.webHeaders
            good[.cookie] = cookie
            #expect(try await client.send(.post, "/api/v1/auth/refresh", headers: good).status == .ok)
        }
    }

    @Test("change password: the current one is checked, the new one validated, every old session ends")
    func changePassword() async throws {
        try await TestHost.run { _, client in
            let (_, token, refresh) = try await client.register("pwuser", password: "old-password-1")
            let wrong = try await client.send(
                .post, "/api/v1/auth/password", token: token,
                json: ["current_password": "not-it-at-all", "new_password": "new-password-1"])
            wrong.expectError(.unprocessableContent)
            #expect(wrong.errorFields == ["current_password"])
            let short = try await client.send(
                .post, "/api/v1/auth/password", token: token, json: ["current_password": "old-password-1", "new_password": "short"])
            short.expectError(.unprocessableContent)
            #expect(short.errorFields == ["new_password"])
            let changed = try await client.send(
                .post, "/api/v1/auth/password", token: token,
                json: ["current_password": "old-password-1", "new_password": "new-password-1"])
            #expect(changed.status == .ok, "\(changed.text)")
            let fresh = try #require(changed.json["access_token"] as? String)
            try await client.send(.get, "/api/v1/auth/me", token: token).expectError(.unauthorized)
            try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh]).expectError(.unauthorized)
            #expect(try await client.send(.get, "/api/v1/auth/me", token: fresh).status == .ok)
            try await client.send(.post, "/api/v1/auth/login", json: ["email": "pwuser@example.com", "password": "old-password-1"])
                .expectError(.unauthorized)
            let login = try await client.send(
                .post, "/api/v1/auth/login", json: ["email": "pwuser@example.com", "password": "new-password-1"])
            #expect(login.status == .ok)
        }
    }

    @Test("export holds my rows and no secrets")
    func export() async throws {
        try await TestHost.run { _, client in
            let (_, token, _) = try await client.register("exporter")
            _ = try await client.send(.post, "/api/v1/users/me/progress", token: token, json: ["weight_kg": 81.5, "notes": "morning"])
            _ = try await client.send(
                .put, "/api/v1/users/me", token: token, json: ["fitness_level": "intermediate", "goals": ["strength"]])
            _ = try await client.send(.post, "/api/v1/users/me/api-keys", token: token, json: ["name": "laptop"])
            let (_, other, _) = try await client.register("someone")
            _ = try await client.send(.post, "/api/v1/users/me/progress", token: other, json: ["weight_kg": 60, "notes": "not mine"])

            let reply = try await client.send(.get, "/api/v1/users/me/export", token: token)
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentDisposition]?.contains("attachment") == true)
            let json = reply.json
            #expect((json["account"] as? [String: Any])?["email"] as? String == "exporter@example.com")
            let progress = json["progress"] as? [[String: Any]] ?? []
            #expect(progress.count == 1)
            #expect(progress.first?["notes"] as? String == "morning")
            #expect(((json["profile"] as? [String: Any])?["profile"] as? [String: Any])?["fitness_level"] as? String == "intermediate")
            #expect((json["api_keys"] as? [[String: Any]])?.first?["name"] as? String == "laptop")
            for secret in ["password_hash", "token_hash", "key_hash", "$2b$", "not mine"] {
                #expect(!reply.text.contains(secret), "\(secret) in the export")
            }
            try await client.send(.get, "/api/v1/users/me/export").expectError(.unauthorized)
        }
    }

    @Test("delete account: the password confirms it, and every row the user owned is gone")
    func deleteAccount() async throws {
        try await TestHost.run { host, client in
            let (id, token, refresh) = try await client.register("leaver", password: "leaver-password-1")
            _ = try await client.send(.post, "/api/v1/users/me/progress", token: token, json: ["weight_kg": 70])
            let key = try await client.send(.post, "/api/v1/users/me/api-keys", token: token, json: ["name": "k"])
            let apiKey = try #require(key.json["key"] as? String)
            #expect(try await client.send(.get, "/v1/models", token: apiKey).status == .ok)

            let wrong = try await client.send(.delete, "/api/v1/users/me", token: token, json: ["password": "nope-nope-nope"])
            wrong.expectError(.unprocessableContent)
            try await client.send(.delete, "/api/v1/users/me", token: token).expectError(.badRequest)

            let deleted = try await client.send(.delete, "/api/v1/users/me", token: token, json: ["password": "leaver-password-1"])
            #expect(deleted.status == .noContent, "\(deleted.text)")
            try await client.send(.get, "/api/v1/auth/me", token: token).expectError(.unauthorized)
            #expect(try await client.send(.get, "/v1/models", token: apiKey).status == .unauthorized)
            try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh]).expectError(.unauthorized)
            try await client.send(.post, "/api/v1/auth/login", json: ["email": "leaver@example.com", "password": "leaver-password-1"])
                .expectError(.unauthorized)
            let counts = try await host.store.pool.read { db in
                try [
                    "users", "refresh_tokens", "api_keys", "user_profiles", "conversations", "workout_plans", "workout_logs",
                    "progress_metrics", "usage_counters",
                ].map { table in
                    let column = table == "users" ? "id" : "user_id"
                    return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE \(column) = ?", arguments: [id]) ?? -1
                }
            }
            #expect(counts.allSatisfy { $0 == 0 }, "\(counts)")
            // The address can be registered again.
            try await client.register("leaver", password: "leaver-password-1")
        }
    }

    @Test("catalogue: vocabularies and exercise search with filters and paging")
    func catalog() async throws {
        try await TestHost.run { _, client in
            let (_, token, _) = try await client.register("browser")
            let vocabulary = try await client.send(.get, "/api/v1/catalog/vocabulary", token: token)
            #expect(vocabulary.status == .ok)
            let equipment = vocabulary.json["equipment"] as? [[String: Any]] ?? []
            #expect(equipment.contains { $0["id"] as? String == "body_only" && $0["label"] as? String == "Body only" })
            for key in ["goals", "fitness_levels", "contraindications", "injury_severities", "units", "muscles", "patterns"] {
                #expect((vocabulary.json[key] as? [Any])?.isEmpty == false, "\(key)")
            }
            try await client.send(.get, "/api/v1/catalog/vocabulary").expectError(.unauthorized)

            let squats = try await client.send(.get, "/api/v1/catalog/exercises?q=squat&limit=5", token: token)
            #expect(squats.status == .ok)
            #expect(!squats.items.isEmpty && squats.items.count <= 5)
            #expect(
                squats.items.allSatisfy {
                    ($0["name"] as? String ?? "").lowercased().contains("squat") || ($0["id"] as? String ?? "").contains("squat")
                })
            let total = (squats.json["total"] as? Int) ?? 0
            #expect(total >= squats.items.count)
            let kettlebell = try await client.send(.get, "/api/v1/catalog/exercises?equipment=kettlebell", token: token)
            #expect(!kettlebell.items.isEmpty)
            #expect(kettlebell.items.allSatisfy { ($0["equipment"] as? [String] ?? []).contains("kettlebell") })
            let all = try await client.send(.get, "/api/v1/catalog/exercises?limit=200", token: token)
            let page2 = try await client.send(.get, "/api/v1/catalog/exercises?limit=10&offset=10", token: token)
            #expect(page2.items.first?["id"] as? String == all.items.dropFirst(10).first?["id"] as? String)
            try await client.send(.get, "/api/v1/catalog/exercises?muscle=wings", token: token).expectError(.unprocessableContent)
            try await client.send(.get, "/api/v1/catalog/exercises?limit=0", token: token).expectError(.unprocessableContent)
        }
    }

    /// Decompresses with the system's gzip(1): an independent reader of the encoder's output.
    static func gunzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec gzip -dc"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "gzip -dc failed")
        return result
    }
}
