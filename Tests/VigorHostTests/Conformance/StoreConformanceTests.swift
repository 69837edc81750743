import Foundation
import Testing

@testable import VigorHost

/// The ``Store`` contract for accounts, sessions and user-owned rows, run unchanged on every
/// backend. Owner scoping: another user's row is "not found", for every kind of row a user owns.
@Suite("Conformance: store")
struct StoreConformanceTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    /// The error `body` throws, as a ``StoreError``.
    static func storeError(_ body: () async throws -> Void) async -> StoreError? {
        do {
            try await body()
            return nil
        } catch let error as StoreError {
            return error
        } catch {
            Issue.record("expected a StoreError, got \(String(reflecting: error))")
            return nil
        }
    }

    @Test("migrations seed the tiers; applying them again applies nothing", arguments: StoreBackend.allCases)
    func migrationsSeedTiers(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            #expect(try await db.store.migrate(logger: Conformance.logger, now: Date()).isEmpty)
            let tiers = try await db.store.tiers()
            #expect(tiers.map(\.name) == ["free", "premium", "unlimited"])
            #expect(tiers == TierRecord.defaults)
            #expect(try await db.store.tier(named: "premium") == TierRecord.defaults[1])
            #expect(try await db.store.tier(named: "gold") == nil)
            try await db.store.ping()
        }
    }

    @Test("migrations stamp what they seed with the caller's clock, not the machine's", arguments: StoreBackend.allCases)
    func migrationsUseTheInjectedClock(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend, migratedAt: Self.now) { db async throws in
            let at = Conformance.Argument.int(Self.now.epochMillis)
            #expect(try await db.count("SELECT COUNT(*) FROM tiers WHERE created_at = ? AND updated_at = ?", [at, at]) == 3)
            #expect(try await db.count("SELECT COUNT(*) FROM provider_priorities WHERE updated_at = ?", [at]) == 4)
            #expect(try await db.count("SELECT COUNT(*) FROM budget_settings WHERE updated_at = ?", [at]) == 1)
            if backend == .postgres {
                let migrations = try await db.count("SELECT COUNT(*) FROM schema_migrations")
                #expect(try await db.count("SELECT COUNT(*) FROM schema_migrations WHERE applied_at = ?", [at]) == migrations)
            }
        }
    }

    @Test("unique fields surface as conflicts naming the field", arguments: StoreBackend.allCases)
    func conflicts(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let store = db.store
            _ = try await store.createUser(NewUser(email: "x@example.com", username: "xavier", passwordHash: "h"), now: Date())
            do {
                _ = try await store.createUser(NewUser(email: "X@EXAMPLE.com", username: "other", passwordHash: "h"), now: Date())
                Issue.record("duplicate e-mail accepted")
            } catch let error as StoreError {
                #expect(error.code == .conflict)
                #expect(error.field == "email")
            }
            let username = await Self.storeError {
                _ = try await store.createUser(NewUser(email: "z@example.com", username: "XAVIER", passwordHash: "h"), now: Date())
            }
            #expect(username?.code == .conflict, "usernames are unique case-insensitively")
            #expect(username?.field == "username")
            let tier = await Self.storeError {
                _ = try await store.createUser(NewUser(email: "y@example.com", username: "y", passwordHash: "h", tier: "gold"), now: Date())
            }
            #expect(tier?.code == .invalidReference)
            #expect(tier?.field == "tier")
            #expect(try await store.user(email: "y@example.com") == nil, "a refused account is not half-created")
        }
    }

    @Test(
        "accounts: e-mail normalized, created at the caller's time, looked up by id and e-mail, tier changes checked",
        arguments: StoreBackend.allCases)
    func accounts(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let store = db.store
            // The caller's clock, not the machine's: a time far from today, to the millisecond.
            let createdAt = Date(epochMillis: 1_956_789_012_345)
            let created = try await store.createUser(
                NewUser(email: "  Ana.Lopez@Example.COM ", username: "Ana", passwordHash: "bcrypt", role: .admin, tier: "premium"),
                now: createdAt)
            #expect(created.createdAt == createdAt)
            #expect(try await store.user(id: created.id)?.createdAt == createdAt)
            #expect(created.email == AccountEmail.normalize("  Ana.Lopez@Example.COM "))
            #expect(created.username == "Ana" && created.role == .admin && created.tier == "premium" && created.passwordHash == "bcrypt")
            #expect(try await store.user(id: created.id) == created)
            #expect(try await store.user(email: "ANA.LOPEZ@example.com") == created)
            #expect(try await store.user(id: created.id + 1000) == nil)
            let moved = try await store.setTier(userID: created.id, tier: "free", now: Date())
            #expect(moved.tier == "free" && moved.id == created.id)
            #expect(try await store.user(id: created.id)?.tier == "free")
            #expect(
                await Self.storeError { _ = try await store.setTier(userID: created.id, tier: "gold", now: Date()) }?.code
                    == .invalidReference)
            #expect(
                await Self.storeError { _ = try await store.setTier(userID: created.id + 1000, tier: "free", now: Date()) }?.code
                    == .notFound)
            #expect(try await store.user(id: created.id)?.tier == "free")
            // Text is kept byte for byte (quotes, NUL-free Unicode, SQL metacharacters).
            let odd = try await store.createUser(
                NewUser(email: "o'brien+x@example.com", username: "Zoë'; DROP TABLE users; --", passwordHash: "h"), now: Date())
            #expect(try await store.user(id: odd.id)?.username == "Zoë'; DROP TABLE users; --")
        }
    }

    @Test(
        "refresh tokens: rotation, reuse revokes the family, expiry, owner-scoped revocation and sessions", arguments: StoreBackend.allCases
    )
    func refreshTokens(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let store = db.store
            let ana = try await db.user("ana")
            let bob = try await db.user("bob")
            let now = Self.now
            try await store.storeRefreshToken(userID: ana.id, familyID: "fam-a", tokenHash: "h1", expiresAt: now + 3600, now: now)
            #expect(
                try await store.rotateRefreshToken(oldHash: "h1", newHash: "h2", newExpiresAt: now + 7200, now: now + 1)
                    == .rotated(userID: ana.id, familyID: "fam-a"))
            #expect(try await store.user(id: ana.id, session: "fam-a")?.id == ana.id)
            // h1 again: stolen or replayed; the family ends, h2 with it.
            #expect(
                try await store.rotateRefreshToken(oldHash: "h1", newHash: "h3", newExpiresAt: now + 7200, now: now + 2)
                    == .reuseDetected(userID: ana.id, familyID: "fam-a"))
            #expect(
                try await store.rotateRefreshToken(oldHash: "h2", newHash: "h4", newExpiresAt: now + 7200, now: now + 3)
                    == .reuseDetected(userID: ana.id, familyID: "fam-a"))
            #expect(try await store.user(id: ana.id, session: "fam-a") == nil)
            #expect(try await store.rotateRefreshToken(oldHash: "nope", newHash: "h5", newExpiresAt: now, now: now) == .invalid)
            // Expired.
            try await store.storeRefreshToken(userID: ana.id, familyID: "fam-b", tokenHash: "e1", expiresAt: now + 10, now: now)
            #expect(try await store.rotateRefreshToken(oldHash: "e1", newHash: "e2", newExpiresAt: now + 99, now: now + 10) == .invalid)

            // Owner scoping: Bob cannot revoke Ana's family, nor end her session.
            try await store.storeRefreshToken(userID: ana.id, familyID: "fam-c", tokenHash: "c1", expiresAt: now + 3600, now: now)
            #expect(try await store.revokeRefreshFamily(tokenHash: "c1", userID: bob.id, now: now) == false)
            try await store.revokeSession(familyID: "fam-c", userID: bob.id, now: now)
            #expect(try await store.user(id: ana.id, session: "fam-c")?.id == ana.id, "another user's revocation did nothing")
            #expect(try await store.revokeRefreshFamily(tokenHash: "c1", userID: ana.id, now: now) == true)
            #expect(try await store.user(id: ana.id, session: "fam-c") == nil)
            #expect(
                try await store.rotateRefreshToken(oldHash: "c1", newHash: "c2", newExpiresAt: now + 99, now: now + 1)
                    == .reuseDetected(userID: ana.id, familyID: "fam-c"))

            try await store.storeRefreshToken(userID: ana.id, familyID: "fam-d", tokenHash: "d1", expiresAt: now + 3600, now: now)
            try await store.revokeSession(familyID: "fam-d", userID: ana.id, now: now)
            #expect(try await store.user(id: ana.id, session: "fam-d") == nil)

            // Revoke all: every family of Ana, none of Bob's.
            try await store.storeRefreshToken(userID: ana.id, familyID: "fam-e", tokenHash: "x1", expiresAt: now + 3600, now: now)
            try await store.storeRefreshToken(userID: bob.id, familyID: "fam-f", tokenHash: "y1", expiresAt: now + 3600, now: now)
            try await store.revokeAllRefreshTokens(userID: ana.id, now: now)
            #expect(try await store.user(id: ana.id, session: "fam-e") == nil)
            #expect(try await store.user(id: bob.id, session: "fam-f")?.id == bob.id)
            #expect(
                try await store.rotateRefreshToken(oldHash: "y1", newHash: "y2", newExpiresAt: now + 7200, now: now + 1)
                    == .rotated(userID: bob.id, familyID: "fam-f"))
            // A token hash is unique.
            let duplicate = await Self.storeError {
                try await store.storeRefreshToken(userID: bob.id, familyID: "fam-g", tokenHash: "y2", expiresAt: now + 3600, now: now)
            }
            #expect(duplicate?.code == .conflict)
        }
    }

    @Test("concurrent rotations of one refresh token: exactly one rotates", arguments: StoreBackend.allCases)
    func concurrentRotation(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let ana = try await db.user("ana")
            let now = Self.now
            try await db.store.storeRefreshToken(userID: ana.id, familyID: "fam", tokenHash: "t0", expiresAt: now + 3600, now: now)
            let store = db.store
            let results = await withTaskGroup(of: RefreshRotation?.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        try? await store.rotateRefreshToken(oldHash: "t0", newHash: "t1-\(i)", newExpiresAt: now + 7200, now: now + 1)
                    }
                }
                var all: [RefreshRotation?] = []
                for await result in group { all.append(result) }
                return all
            }
            #expect(results.filter { $0 == .rotated(userID: ana.id, familyID: "fam") }.count == 1, "\(results)")
            // The others see the reuse; on a loaded machine one may instead fail as unavailable
            // (nil here, a lock wait past the statement timeout): never a second rotation.
            let reuses = results.filter { $0 == .reuseDetected(userID: ana.id, familyID: "fam") }.count
            #expect(reuses + results.filter { $0 == nil }.count == 7 && reuses >= 1, "\(results)")
            #expect(try await store.user(id: ana.id, session: "fam") == nil, "a replay ends the session")
        }
    }

    @Test(
        "login attempts: counted per key up to the limit, refused with when it opens, withdrawn and cleared",
        arguments: StoreBackend.allCases)
    func loginAttempts(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let store = db.store
            let now = Self.now
            let limits = [LoginLimit(key: "account:a@example.com", limit: 3), LoginLimit(key: "address:10.0.0.1", limit: 5)]
            var ids: [[Int64]] = []
            for i in 0..<3 {
                guard case .admitted(let rows) = try await store.admitLoginAttempt(limits: limits, window: 60, now: now + Double(i)) else {
                    Issue.record("attempt \(i) must be admitted")
                    return
                }
                #expect(rows.count == 2)
                ids.append(rows)
            }
            #expect(
                try await store.admitLoginAttempt(limits: limits, window: 60, now: now + 10)
                    == .refused(key: "account:a@example.com", retryAt: now + 60))
            // A right password withdraws its attempt: one more is admitted.
            try await store.withdrawLoginAttempts(ids: ids[2])
            guard case .admitted = try await store.admitLoginAttempt(limits: limits, window: 60, now: now + 11) else {
                Issue.record("a withdrawn attempt frees its place")
                return
            }
            // The window moves on: the first attempt leaves it at now + 60.
            guard case .refused = try await store.admitLoginAttempt(limits: limits, window: 60, now: now + 59) else {
                Issue.record("still full at now + 59")
                return
            }
            guard case .admitted = try await store.admitLoginAttempt(limits: limits, window: 60, now: now + 60.5) else {
                Issue.record("the first attempt left the window")
                return
            }
            try await store.clearLoginFailures(key: "account:a@example.com")
            for i in 0..<3 {
                guard case .admitted = try await store.admitLoginAttempt(limits: [limits[0]], window: 60, now: now + 61 + Double(i)) else {
                    Issue.record("cleared: attempt \(i) admitted")
                    return
                }
            }
            // Known addresses.
            #expect(try await store.lastLoginSuccess(email: "a@example.com", address: "10.0.0.1") == nil)
            try await store.recordLoginSuccess(email: "a@example.com", address: "10.0.0.1", now: now, keep: 86_400)
            #expect(try await store.lastLoginSuccess(email: "a@example.com", address: "10.0.0.1") == now)
            #expect(try await store.lastLoginSuccess(email: "b@example.com", address: "10.0.0.1") == nil)
            try await store.recordLoginSuccess(email: "a@example.com", address: "10.0.0.1", now: now + 5, keep: 86_400)
            #expect(try await store.lastLoginSuccess(email: "a@example.com", address: "10.0.0.1") == now + 5)
        }
    }

    @Test("concurrent login attempts against a limit of 5: exactly 5 admitted", arguments: StoreBackend.allCases)
    func concurrentLoginAttempts(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let store = db.store
            let admitted = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        let admission = try? await store.admitLoginAttempt(
                            limits: [LoginLimit(key: "account:c@example.com", limit: 5)], window: 300, now: Self.now)
                        if case .admitted = admission { return true }
                        return false
                    }
                }
                var count = 0
                for await ok in group where ok { count += 1 }
                return count
            }
            #expect(admitted == 5)
        }
    }

    @Test("profiles are per user and replaced whole", arguments: StoreBackend.allCases)
    func profiles(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let ana = try await db.user("ana")
            let bob = try await db.user("bob")
            #expect(try await db.store.profileJSON(userID: ana.id) == nil)
            try await db.store.setProfileJSON(userID: ana.id, json: #"{"goal":"strength","note":"ü'\""}"#, now: Self.now)
            try await db.store.setProfileJSON(userID: ana.id, json: #"{"goal":"endurance"}"#, now: Self.now + 1)
            #expect(try await db.store.profileJSON(userID: ana.id) == #"{"goal":"endurance"}"#)
            #expect(try await db.store.profileJSON(userID: bob.id) == nil)
        }
    }

    @Test("conversations and messages: owner-scoped reads, appends and lists", arguments: StoreBackend.allCases)
    func conversationsAreOwned(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let store = db.store
            let ana = try await db.user("ana")
            let bob = try await db.user("bob")
            let first = try await store.createConversation(userID: ana.id, title: "Knees", now: Self.now)
            let second = try await store.createConversation(userID: ana.id, title: "Sleep", now: Self.now + 1)
            #expect(first.userID == ana.id && first.title == "Knees")
            #expect(try await store.conversation(id: first.id, userID: ana.id) == first)
            #expect(try await store.conversation(id: first.id, userID: bob.id) == nil)
            #expect(try await store.conversations(userID: bob.id, page: Page()).isEmpty)
            let stored = try await store.appendMessages(
                [
                    NewMessage(role: "user", content: "Sore knees?"),
                    NewMessage(
                        role: "assistant", content: "Rest.", provider: "fallback", model: "m", promptTokens: 3, completionTokens: 1,
                        costMicros: 9, truncated: true),
                ], conversationID: first.id, userID: ana.id, now: Self.now + 2)
            #expect(stored.map(\.content) == ["Sore knees?", "Rest."])
            #expect(stored[1].truncated && stored[1].provider == "fallback" && stored[1].costMicros == 9)
            // Bob can neither append to nor read Ana's conversation.
            let append = await Self.storeError {
                _ = try await store.appendMessages(
                    [NewMessage(role: "user", content: "hi")], conversationID: first.id, userID: bob.id, now: Self.now)
            }
            #expect(append?.code == .notFound)
            #expect(append?.field == "conversation_id")
            #expect(try await store.recentMessages(conversationID: first.id, userID: bob.id, limit: 10).isEmpty)
            let recent = try await store.recentMessages(conversationID: first.id, userID: ana.id, limit: 10)
            #expect(recent == stored)
            #expect(try await store.recentMessages(conversationID: first.id, userID: ana.id, limit: 1).map(\.content) == ["Rest."])
            // Most recently updated first: the append moved the first conversation up.
            let listed = try await store.conversations(userID: ana.id, page: Page())
            #expect(listed.map(\.id) == [first.id, second.id])
            #expect(try await store.conversations(userID: ana.id, page: Page(limit: 1, offset: 1)).map(\.id) == [second.id])
        }
    }

    @Test("plans, workout logs and progress: owner-scoped; a log needs one of the owner's plans", arguments: StoreBackend.allCases)
    func coachingRowsAreOwned(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let store = db.store
            let ana = try await db.user("ana")
            let bob = try await db.user("bob")
            let plan = try await store.createPlan(userID: ana.id, source: "dev.vigor.planner", planJSON: #"{"weeks":4}"#, now: Self.now)
            let newer = try await store.createPlan(userID: ana.id, source: "client", planJSON: #"{"weeks":6}"#, now: Self.now + 1)
            #expect(try await store.plan(id: plan.id, userID: ana.id) == plan)
            #expect(try await store.plan(id: plan.id, userID: bob.id) == nil)
            #expect(try await store.plans(userID: ana.id, page: Page()).map(\.id) == [newer.id, plan.id])
            #expect(try await store.plans(userID: bob.id, page: Page()).isEmpty)

            let entry = NewWorkoutLog(
                planID: plan.id, performedOn: "2026-05-01", durationMinutes: 45,
                exercisesJSON: #"[{"exercise_id":"squat","sets":3,"reps":5}]"#,
                notes: "felt good", rating: 4)
            let log = try await store.createWorkoutLog(entry, userID: ana.id, now: Self.now)
            #expect(log.planID == plan.id && log.userID == ana.id && log.rating == 4 && log.performedOn == "2026-05-01")
            #expect(try await store.workoutLog(id: log.id, userID: ana.id) == log)
            #expect(try await store.workoutLog(id: log.id, userID: bob.id) == nil)
            let foreign = await Self.storeError { _ = try await store.createWorkoutLog(entry, userID: bob.id, now: Self.now) }
            #expect(foreign?.code == .notFound, "Bob cannot log against Ana's plan")
            #expect(foreign?.field == "plan_id")
            var missing = entry
            missing.planID = newer.id + 1000
            #expect(
                await Self.storeError { _ = try await store.createWorkoutLog(missing, userID: ana.id, now: Self.now) }?.field == "plan_id")
            var later = entry
            later.performedOn = "2026-05-03"
            let second = try await store.createWorkoutLog(later, userID: ana.id, now: Self.now + 5)
            #expect(
                try await store.workoutLogs(userID: ana.id, page: Page()).map(\.id) == [second.id, log.id], "latest workout date first")
            #expect(try await store.workoutLogs(userID: bob.id, page: Page()).isEmpty)

            let measured = try await store.createProgress(
                NewProgress(recordedOn: "2026-05-02", weightKg: 71.5, bodyFatPercent: nil, measurementsCm: ["waist": 80.5], notes: ""),
                userID: ana.id, now: Self.now)
            #expect(measured.weightKg == 71.5 && measured.bodyFatPercent == nil && measured.measurementsCm == ["waist": 80.5])
            _ = try await store.createProgress(
                NewProgress(recordedOn: "2026-05-01", weightKg: nil, bodyFatPercent: 18, measurementsCm: [:], notes: "x"), userID: bob.id,
                now: Self.now)
            #expect(try await store.progress(userID: ana.id, page: Page()) == [measured])
            #expect(try await store.progress(userID: bob.id, page: Page()).map(\.recordedOn) == ["2026-05-01"])
        }
    }

    @Test("API keys: owner-scoped lists and revocation; a revoked key resolves to no one", arguments: StoreBackend.allCases)
    func apiKeysAreOwned(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let store = db.store
            let ana = try await db.user("ana")
            let bob = try await db.user("bob")
            let key = try await store.createAPIKey(userID: ana.id, name: "laptop", prefix: "vgr_abc", keyHash: "hash-a", now: Self.now)
            let other = try await store.createAPIKey(userID: ana.id, name: "phone", prefix: "vgr_def", keyHash: "hash-b", now: Self.now + 1)
            #expect(key.userID == ana.id && key.name == "laptop" && key.prefix == "vgr_abc" && key.revokedAt == nil)
            #expect(try await store.apiKeys(userID: ana.id).map(\.id) == [other.id, key.id], "newest first")
            #expect(try await store.apiKeys(userID: bob.id).isEmpty)
            #expect(
                await Self.storeError {
                    _ = try await store.createAPIKey(userID: bob.id, name: "x", prefix: "p", keyHash: "hash-a", now: Self.now)
                }?.code == .conflict)
            let owner = try #require(try await store.apiKeyOwner(keyHash: "hash-a"))
            #expect(owner.keyID == key.id && owner.user.id == ana.id && owner.lastUsedAt == nil)
            try await store.touchAPIKey(id: key.id, at: Self.now + 30)
            #expect(try await store.apiKeyOwner(keyHash: "hash-a")?.lastUsedAt == Self.now + 30)
            // Bob cannot revoke Ana's key.
            #expect(try await store.revokeAPIKey(id: key.id, userID: bob.id, now: Self.now) == nil)
            #expect(try await store.apiKeyOwner(keyHash: "hash-a") != nil)
            #expect(try await store.revokeAPIKey(id: key.id, userID: ana.id, now: Self.now) == "hash-a")
            #expect(try await store.revokeAPIKey(id: key.id, userID: ana.id, now: Self.now) == nil, "already revoked")
            #expect(try await store.apiKeyOwner(keyHash: "hash-a") == nil)
            #expect(try await store.apiKeys(userID: ana.id).map(\.id) == [other.id])
            #expect(try await store.apiKeyOwner(keyHash: "unknown") == nil)
        }
    }

    @Test(
        "account data: the export holds only the owner's rows; deleting an account removes only its rows", arguments: StoreBackend.allCases)
    func accountData(_ backend: StoreBackend) async throws {
        try await Conformance.run(backend) { db async throws in
            let store = db.store
            let account = try #require(store as? any AccountDataStore, "\(backend) store is an AccountDataStore")
            let ana = try await db.user("ana")
            let bob = try await db.user("bob")
            let conversation = try await store.createConversation(userID: ana.id, title: "ana-secret-title", now: Self.now)
            _ = try await store.appendMessages(
                [NewMessage(role: "user", content: "ana-secret-message")], conversationID: conversation.id, userID: ana.id, now: Self.now)
            _ = try await store.createPlan(userID: bob.id, source: "client", planJSON: #"{"bob":"bob-secret-plan"}"#, now: Self.now)
            try await store.storeRefreshToken(
                userID: ana.id, familyID: "f", tokenHash: "ana-token-hash", expiresAt: Self.now + 60, now: Self.now)

            let export = String(decoding: try await account.exportUserData(userID: ana.id, now: Self.now), as: UTF8.self)
            #expect(export.contains("ana-secret-message") && export.contains("ana-secret-title"))
            #expect(!export.contains("bob-secret-plan"), "another user's rows are not exported")
            #expect(!export.contains("ana-token-hash") && !export.contains("\"hash\""), "secrets are left out")
            #expect(await Self.storeError { _ = try await account.exportUserData(userID: bob.id + 1000, now: Self.now) }?.code == .notFound)

            try await account.setPasswordHash(userID: ana.id, hash: "new-hash", now: Self.now)
            #expect(try await store.user(id: ana.id)?.passwordHash == "new-hash")
            #expect(try await store.user(id: bob.id)?.passwordHash == "hash")

            #expect(try await account.endSession(refreshTokenHash: "ana-token-hash", now: Self.now) == true)
            #expect(try await store.user(id: ana.id, session: "f") == nil)
            #expect(try await account.endSession(refreshTokenHash: "no-such-hash", now: Self.now) == false)

            #expect(try await account.deleteAccount(userID: ana.id) == true)
            #expect(try await account.deleteAccount(userID: ana.id) == false)
            #expect(try await store.user(id: ana.id) == nil)
            #expect(try await store.conversation(id: conversation.id, userID: ana.id) == nil)
            #expect(try await store.plans(userID: bob.id, page: Page()).count == 1, "Bob's rows stay")
        }
    }
}
