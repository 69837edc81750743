import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import VigorHost

/// The authentication attacks of issue 12, each replayed against the host.
@Suite("Authentication attacks")
struct AuthSecurityTests {
    static let password = "victim-password-1"

    static func login(
        _ client: some TestClientProtocol, _ email: String, _ password: String, from address: String? = nil
    ) async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let address { headers[.init("X-Forwarded-For")!] = address }
        return try await client.send(
            .post, "/api/v1/auth/login", body: jsonText(["email": email, "password": password]), headers: headers)
    }

    @Test("e-mail spellings that reach one account share its throttle bucket")
    func normalisedVariantsShareOneBucket() async throws {
        try await TestHost.run { _, client in
            try await client.register("victim", password: Self.password)
            let ok = try await Self.login(client, "  Victim@EXAMPLE.com\u{3000}", Self.password)
            #expect(ok.status == .ok, "a padded, upper-case spelling logs in: \(ok.text)")
            let variants = [
                " victim@example.com", "VICTIM@example.com\t", "\u{200B}victim@example.com",
                "ｖｉｃｔｉｍ@example.com", "victim@example.com\u{00A0}",
            ]
            for variant in variants {
                try await Self.login(client, variant, "wrong-password").expectError(.unauthorized, code: "invalid_credentials")
            }
            let locked = try await Self.login(client, "\u{FEFF}  victim@example.com ", Self.password)
            locked.expectError(.tooManyRequests, code: "too_many_login_attempts")
        }
    }

    @Test("normalisation: NFKC, no default-ignorables, trimmed, lower-cased")
    func normalisation() {
        #expect(AccountEmail.normalize(" \u{2003}Bob@Example.COM\n") == "bob@example.com")
        #expect(AccountEmail.normalize("b\u{200D}o\u{2060}b\u{00AD}@example.com") == "bob@example.com")
        #expect(AccountEmail.normalize("ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ") == "bob@example.com")
        #expect(AccountEmail.normalize("Cafe\u{0301}@example.com") == "caf\u{00E9}@example.com")
        #expect(AccountEmail.normalize("a b@example.com") == "a b@example.com")
    }

    @Test("a spelling with a zero-width character cannot register a look-alike of a taken address")
    func zeroWidthRegistration() async throws {
        try await TestHost.run { _, client in
            try await client.register("owner", email: "owner@example.com")
            let twin = try await client.send(
                .post, "/api/v1/auth/register",
                json: ["email": "own\u{200B}er@example.com", "username": "twin", "password": "long-enough-1"])
            twin.expectError(.conflict, code: "email_taken")
        }
    }

    @Test("30 concurrent wrong passwords: the limit's worth get an answer, the rest 429")
    func concurrentGuessesOverHTTP() async throws {
        try await TestHost.run { host, client in
            try await client.register("victim", password: Self.password)
            let limit = host.configuration.loginMaxFailures
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<30 {
                    group.addTask { try await Self.login(client, "victim@example.com", "guess-\(index)").status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == limit, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 30 - limit, "\(statuses)")
        }
    }

    /// The bcrypt runs a hasher was asked for, in order.
    final class WorkLog: Sendable {
        private let runs = Mutex<[PasswordHasher.Work]>([])
        func append(_ work: PasswordHasher.Work) { runs.withLock { $0.append(work) } }
        var all: [PasswordHasher.Work] { runs.withLock { $0 } }
        func reset() { runs.withLock { $0.removeAll() } }
    }

    /// An account service over a fresh database whose hasher counts its bcrypt runs.
    static func countingAccounts(
        _ body: @Sendable (AccountService, SQLiteStore, WorkLog) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-auth-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("vigor.sqlite").path)
        try await store.migrate(logger: TestHost.logger, now: Date())
        let work = WorkLog()
        let hasher = PasswordHasher(cost: 4) { kind in work.append(kind) }
        let clock = TestClock()
        let accounts = await AccountService(
            store: store, hasher: hasher,
            tokens: await AccessTokens(secret: String(repeating: "k", count: 48), ttl: 900),
            throttle: LoginThrottle(store: store, maxFailures: 5, window: 900), refreshTTL: 86_400,
            clock: clock.vigorClock)
        try await body(accounts, store, work)
        try await store.close()
    }

    @Test("under concurrency at most `limit` guesses reach bcrypt")
    func concurrentGuessesReachBcrypt() async throws {
        try await Self.countingAccounts { accounts, _, work in
            _ = try await accounts.createAccount(email: "victim@example.com", username: "victim", password: Self.password)
            work.reset()
            let refused = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        do {
                            _ = try await accounts.login(email: "victim@example.com", password: "guess-\(index)", address: "192.0.2.1")
                            return false
                        } catch let error as APIError {
                            return error.status == .tooManyRequests
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            let verifications = work.all.filter { $0 == .verify }.count
            #expect(verifications <= 5, "bcrypt ran \(verifications) times")
            #expect(refused == 30 - verifications)
        }
    }

    @Test("throttle counts and ended sessions are in the store: a restarted host still refuses")
    func survivesRestart() async throws {
        try await Self.countingAccounts { accounts, store, _ in
            _ = try await accounts.createAccount(email: "victim@example.com", username: "victim", password: Self.password)
            let session = try await accounts.openSession(for: try #require(try await store.user(email: "victim@example.com")))
            let identity = try #require(try await accounts.identity(bearer: session.accessToken))
            try await accounts.logout(userID: identity.userID, sessionID: identity.sessionID, refreshToken: session.refreshToken)
            for _ in 0..<5 {
                await #expect(throws: APIError.self) {
                    _ = try await accounts.login(email: "victim@example.com", password: "wrong-guess", address: "192.0.2.1")
                }
            }
            // A second service over the same database: what a restarted (or another) host sees.
            let restarted = await AccountService(
                store: store, hasher: PasswordHasher(cost: 4),
                tokens: await AccessTokens(secret: String(repeating: "k", count: 48), ttl: 900),
                throttle: LoginThrottle(store: store, maxFailures: 5, window: 900), refreshTTL: 86_400,
                clock: accounts.clock)
            #expect(try await restarted.identity(bearer: session.accessToken) == nil)
            do {
                _ = try await restarted.login(email: "victim@example.com", password: Self.password, address: "192.0.2.1")
                Issue.record("the restarted host let a locked account in")
            } catch let error as APIError {
                #expect(error.status == .tooManyRequests)
            }
        }
    }

    @Test("a taken e-mail costs the same bcrypt hash as a new account")
    func takenEmailRunsTheHash() async throws {
        try await Self.countingAccounts { accounts, _, work in
            _ = try await accounts.createAccount(email: "taken@example.com", username: "first", password: Self.password)
            #expect(work.all == [.hash])
            await #expect(throws: APIError.self) {
                _ = try await accounts.createAccount(email: " TAKEN@example.com", username: "second", password: Self.password)
            }
            #expect(work.all == [.hash, .hash])
        }
    }

    @Test("failures from a shared address lock that address out of that account only")
    func sharedAddressLockout() async throws {
        try await TestHost.run(configure: { $0.trustForwardedFor = true }) { _, client in
            try await client.register("victim", password: Self.password)
            try await client.register("neighbour", password: "neighbour-password-1")
            let shared = "203.0.113.9"
            for index in 0..<5 {
                try await Self.login(client, "victim@example.com", "guess-\(index)", from: shared).expectError(.unauthorized)
            }
            try await Self.login(client, "victim@example.com", Self.password, from: shared)
                .expectError(.tooManyRequests, code: "too_many_login_attempts")
            // The victim at their own address, and another user behind the shared one, still get in.
            #expect(try await Self.login(client, "victim@example.com", Self.password, from: "198.51.100.7").status == .ok)
            #expect(try await Self.login(client, "neighbour@example.com", "neighbour-password-1", from: shared).status == .ok)
        }
    }

    @Test("a botnet locks the account for new addresses, not for the owner's usual one")
    func distributedGuessingSparesKnownAddress() async throws {
        try await TestHost.run(configure: { $0.trustForwardedFor = true }) { host, client in
            try await client.register("victim", password: Self.password)
            let home = "198.51.100.7"
            #expect(try await Self.login(client, "victim@example.com", Self.password, from: home).status == .ok)
            let accountLimit = host.configuration.loginMaxFailures * 20
            for index in 0..<accountLimit {
                try await Self.login(client, "victim@example.com", "guess", from: "10.\(index / 250).\(index % 250).1")
                    .expectError(.unauthorized)
            }
            try await Self.login(client, "victim@example.com", Self.password, from: "192.0.2.77")
                .expectError(.tooManyRequests, code: "too_many_login_attempts")
            #expect(try await Self.login(client, "victim@example.com", Self.password, from: home).status == .ok)
        }
    }

    @Test("password spraying from one address stops at the address limit; a login does not reset it")
    func sprayingLocksTheAddress() async throws {
        try await TestHost.run(configure: { $0.trustForwardedFor = true }) { host, client in
            try await client.register("sprayer", password: "sprayer-password-1")
            let limit = host.configuration.loginMaxFailures * 6
            for index in 0..<(limit - 1) {
                try await Self.login(client, "user\(index)@example.com", "Summer2026!", from: "203.0.113.5")
                    .expectError(.unauthorized)
                if index == 10 {
                    // The attacker's own successful login does not wipe the address's count.
                    #expect(try await Self.login(client, "sprayer@example.com", "sprayer-password-1", from: "203.0.113.5").status == .ok)
                }
            }
            try await Self.login(client, "last@example.com", "Summer2026!", from: "203.0.113.5").expectError(.unauthorized)
            try await Self.login(client, "more@example.com", "Summer2026!", from: "203.0.113.5")
                .expectError(.tooManyRequests, code: "too_many_login_attempts")
        }
    }

    @Test("with trusted proxies, a spoofed first X-Forwarded-For hop does not give fresh guesses")
    func spoofedForwardedFor() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-xff-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = VigorConfiguration(
            port: 0, databasePath: folder.appendingPathComponent("vigor.sqlite").path,
            jwtSecret: String(repeating: "x", count: 40), bcryptCost: 4, trustForwardedFor: true)
        configuration.trustedProxies = ["127.0.0.1/32", "::1", "10.0.0.0/8"]
        let store = try await VigorServer.openStore(configuration: configuration, logger: TestHost.logger)
        let app = try await VigorServer.buildApplication(
            configuration: configuration, store: store, coachAI: TestCoachAI(), logger: TestHost.logger)
        let limit = configuration.loginMaxFailures * 6
        try await app.test(.live) { client in
            // The peer (127.0.0.1) and 10.0.0.2 are proxies; 203.0.113.9 is the client; the first hop is a lie.
            for index in 0..<limit {
                try await Self.login(client, "user\(index)@example.com", "guess", from: "198.18.\(index).1, 203.0.113.9, 10.0.0.2")
                    .expectError(.unauthorized)
            }
            try await Self.login(client, "next@example.com", "guess", from: "198.18.250.1, 203.0.113.9, 10.0.0.2")
                .expectError(.tooManyRequests, code: "too_many_login_attempts")
            // Another client behind the same proxies is not affected.
            try await Self.login(client, "next@example.com", "guess", from: "203.0.113.10, 10.0.0.2").expectError(.unauthorized)
        }
    }

    @Test("the client is the right-most untrusted hop (IPv4 and IPv6)")
    func clientAddressResolution() throws {
        let proxies = try TrustedProxies(cidrs: ["10.0.0.0/8", "2001:db8:ffff::/48", "192.0.2.1"])
        #expect(proxies.clientKey(peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 198.51.100.7"]) == "198.51.100.7")
        #expect(proxies.clientKey(peer: "10.1.2.3", forwardedFor: ["6.6.6.6", "198.51.100.7, 10.9.9.9"]) == "198.51.100.7")
        // An untrusted peer: its X-Forwarded-For is not read.
        #expect(proxies.clientKey(peer: "198.51.100.50", forwardedFor: ["6.6.6.6"]) == "198.51.100.50")
        // IPv6 clients are keyed by /64; IPv4-mapped addresses are IPv4.
        #expect(proxies.clientKey(peer: "2001:db8:ffff::1", forwardedFor: ["2001:db8:1:2:aaaa::1"]) == "2001:db8:1:2::/64")
        #expect(proxies.clientKey(peer: "2001:db8:1:2:bbbb::9", forwardedFor: []) == "2001:db8:1:2::/64")
        #expect(proxies.clientKey(peer: "::ffff:192.0.2.1", forwardedFor: ["[2001:db8::5]:443"]) == "2001:db8:0:0::/64")
        // Garbage next to a trusted proxy: stay at the proxy.
        #expect(proxies.clientKey(peer: "192.0.2.1", forwardedFor: ["unknown"]) == "192.0.2.1")
        // Only proxies in the chain: the left-most.
        #expect(proxies.clientKey(peer: "192.0.2.1", forwardedFor: ["10.0.0.1, 10.0.0.2"]) == "10.0.0.1")
        // `trust_forwarded_for` alone: the peer is one proxy, the right-most entry the client.
        let legacy = try TrustedProxies(cidrs: [], trustForwardedFor: true)
        #expect(legacy.clientKey(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.7"]) == "198.51.100.7")
        #expect(throws: ConfigurationError.self) { try TrustedProxies(cidrs: ["10.0.0.0/33"]) }
        #expect(throws: ConfigurationError.self) { try TrustedProxies(cidrs: ["proxy.local"]) }
        let loaded = try VigorConfiguration.load(environment: ["VIGOR_TRUSTED_PROXIES": "10.0.0.0/8, ::1"])
        #expect(loaded.trustedProxies == ["10.0.0.0/8", "::1"])
        #expect(throws: ConfigurationError.self) { try VigorConfiguration.load(environment: ["VIGOR_TRUSTED_PROXIES": "nope"]) }
        // Extreme settings saturate instead of overflowing.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-wide-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("vigor.sqlite").path)
        let wide = LoginThrottle(store: store, maxFailures: .max, window: .infinity)
        #expect(wide.maxFailuresPerAccount == .max && wide.window == LoginThrottle.longestWindow)
    }

    @Test("registration is rate-limited per address (429, Retry-After), then opens again")
    func registrationRateLimit() async throws {
        try await TestHost.run(configure: {
            $0.trustForwardedFor = true
            $0.registrationMaxPerAddress = 3
        }) { host, client in
            func register(_ name: String, from address: String) async throws -> Reply {
                let body = jsonText(["email": "\(name)@example.com", "username": name, "password": "long-enough-1"])
                return try await client.send(
                    .post, "/api/v1/auth/register", body: body,
                    headers: [.init("X-Forwarded-For")!: address, .contentType: "application/json"])
            }
            for index in 0..<3 { #expect(try await register("user\(index)", from: "203.0.113.20").status == .created) }
            let refused = try await register("user3", from: "203.0.113.20")
            refused.expectError(.tooManyRequests, code: "too_many_registrations")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap(Int.init))
            #expect(retryAfter > 0 && retryAfter <= 3600)
            // A taken e-mail counts too (it costs the same hash).
            try await register("user0", from: "203.0.113.20").expectError(.tooManyRequests)
            #expect(try await register("other", from: "198.51.100.30").status == .created)
            host.clock.advance(by: host.configuration.registrationWindow + 1)
            #expect(try await register("user3", from: "203.0.113.20").status == .created)
        }
    }

    @Test("logout revokes the access token it was called with; logout everywhere revokes them all")
    func logoutRevokesAccessTokens() async throws {
        try await TestHost.run { _, client in
            let account = try await client.register("leaver")
            #expect(try await client.send(.get, "/api/v1/auth/me", token: account.token).status == .ok)
            let out = try await client.send(
                .post, "/api/v1/auth/logout", token: account.token, json: ["refresh_token": account.refresh])
            #expect(out.status == .noContent)
            try await client.send(.get, "/api/v1/auth/me", token: account.token).expectError(.unauthorized, code: "invalid_token")

            // Two sessions; logging out everywhere from one ends the other's access token too.
            let first = try await Self.login(client, "leaver@example.com", "correct-horse-battery")
            let second = try await Self.login(client, "leaver@example.com", "correct-horse-battery")
            let firstToken = try #require(first.json["access_token"] as? String)
            let secondToken = try #require(second.json["access_token"] as? String)
            #expect(try await client.send(.post, "/api/v1/auth/logout", token: firstToken).status == .noContent)
            try await client.send(.get, "/api/v1/auth/me", token: secondToken).expectError(.unauthorized)

            // A replayed refresh token ends its session's access token as well.
            let third = try await Self.login(client, "leaver@example.com", "correct-horse-battery")
            let refresh = try #require(third.json["refresh_token"] as? String)
            let rotated = try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh])
            let rotatedToken = try #require(rotated.json["access_token"] as? String)
            #expect(try await client.send(.get, "/api/v1/auth/me", token: rotatedToken).status == .ok)
            try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh]).expectError(.unauthorized)
            try await client.send(.get, "/api/v1/auth/me", token: rotatedToken).expectError(.unauthorized)
        }
    }

    @Test("an access token expires by the host's clock")
    func accessTokenExpiry() async throws {
        try await TestHost.run { host, client in
            let account = try await client.register("expiring")
            host.clock.advance(by: host.configuration.accessTokenTTL - 1)
            #expect(try await client.send(.get, "/api/v1/auth/me", token: account.token).status == .ok)
            host.clock.advance(by: 2)
            try await client.send(.get, "/api/v1/auth/me", token: account.token).expectError(.unauthorized, code: "invalid_token")
        }
    }

    @Test("the database, -wal and -shm files are 0600")
    func databaseFileModes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-mode-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vigor.sqlite").path
        let previous = umask(0o022)
        defer { umask(previous) }
        let store = try SQLiteStore(path: path)
        try await store.migrate(logger: TestHost.logger, now: Date())
        _ = try await store.createUser(
            NewUser(email: "m@example.com", username: "mode", passwordHash: "x", role: .user, tier: "free"), now: Date())
        for file in [path, path + "-wal", path + "-shm"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(file) has mode \(String(mode ?? 0, radix: 8))")
        }
        try await store.close()

        // Files an earlier build left 0644 are tightened when the database is opened again.
        let existing = [path, path + "-wal", path + "-shm"].filter { FileManager.default.fileExists(atPath: $0) }
        for file in existing { try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file) }
        let reopened = try SQLiteStore(path: path)
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "reopened: \(file) has mode \(String(mode ?? 0, radix: 8))")
        }
        try await reopened.close()
    }

    /// Two `vigor migrate` at once on a new SQLite path once failed with "disk I/O error": the
    /// second process's create replaced (rename over) the file the first had opened.
    @Test("stores opening one new database at once never replace the file another opened; an existing file is never touched")
    func concurrentCreation() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-create-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for round in 0..<6 {
            let path = folder.appendingPathComponent("vigor-\(round).sqlite").path
            let opened = Mutex<[Result<SQLiteStore, any Error>]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                let store = Result { try SQLiteStore(path: path) }
                opened.withLock { $0.append(store) }
            }
            let stores = try opened.withLock { $0 }.map { try $0.get() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        // The host's way: under the file's migration lock (GRDB's migrator is not safe
                        // against another migrating the same file at once).
                        try await VigorServer.applyMigrations(store, at: .sqlite(path: path), logger: TestHost.logger, now: Date())
                        _ = try await store.createUser(
                            NewUser(email: "c\(index)@example.com", username: "c\(index)", passwordHash: "x", role: .user, tier: "free"),
                            now: Date())
                    }
                }
                try await group.waitForAll()
            }
            for store in stores {
                for index in 0..<8 {
                    #expect(
                        try await store.user(email: "c\(index)@example.com") != nil, "round \(round): user \(index) is seen by every store")
                }
                try await store.close()
            }
        }
        // An existing database keeps its inode and contents.
        let path = folder.appendingPathComponent("vigor-0.sqlite").path
        let before = try FileManager.default.attributesOfItem(atPath: path)
        SQLiteStore.createIfMissing(path)
        let after = try FileManager.default.attributesOfItem(atPath: path)
        #expect(before[.systemFileNumber] as? NSNumber == after[.systemFileNumber] as? NSNumber)
        #expect(before[.size] as? NSNumber == after[.size] as? NSNumber)
    }

    @Test("a JWT secret shorter than 32 bytes is refused at start")
    func shortJWTSecretRefused() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-jwt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ConfigurationError.self) {
            try JWTSecret.resolve(configured: "too-short-secret", dataDirectory: folder.path, logger: TestHost.logger)
        }
        let configuration = VigorConfiguration(
            databasePath: folder.appendingPathComponent("vigor.sqlite").path, jwtSecret: String(repeating: "s", count: 31),
            bcryptCost: 4)
        let store = try await VigorServer.openStore(configuration: configuration, logger: TestHost.logger)
        await #expect(throws: ConfigurationError.self) {
            _ = try await VigorServer.buildApplication(
                configuration: configuration, store: store, coachAI: TestCoachAI(), logger: TestHost.logger)
        }
        try await store.close()
        // `vigor serve` loads its configuration first: the refusal comes before anything starts.
        #expect(throws: ConfigurationError.self) {
            try VigorConfiguration.load(environment: ["VIGOR_JWT_SECRET": String(repeating: "s", count: 31)])
        }
        let exact = try JWTSecret.resolve(
            configured: String(repeating: "s", count: 32), dataDirectory: folder.path, logger: TestHost.logger)
        #expect(exact.utf8.count == 32)
    }
}
