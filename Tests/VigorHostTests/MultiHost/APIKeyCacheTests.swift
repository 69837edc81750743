import Foundation
import Testing
import VigorPluginLoader

@testable import VigorHost

extension MultiHost {
    /// The per-host API-key cache, as every host builds it (the default TTL): a key revoked
    /// through another host sharing the database is refused here within one second.
    @Suite("API-key cache")
    struct APIKeyCacheTests {
        @Test("with the default TTL a key revoked through another host is refused here within one second")
        func defaultTTLRefusesWithinASecond() async throws {
            #expect(APIKeyAuthenticator.defaultTTL <= .seconds(1))
            let quota = try await QuotaLedgerTests.fixture()
            let manual = ManualClock(start: Date())
            let authenticator = APIKeyAuthenticator(store: quota.store, clock: .manual(manual))
            let generated = APIKeyAuthenticator.generate()
            let record = try await quota.store.createAPIKey(
                userID: quota.userID, name: "ci", prefix: generated.prefix, keyHash: generated.hash, now: manual.now)
            #expect(try await authenticator.identity(forKey: generated.key)?.userID == quota.userID)

            // Revoked through the store (another host): this host's cache has not heard of it.
            _ = try await quota.store.revokeAPIKey(id: record.id, userID: quota.userID, now: manual.now)
            manual.advance(by: .seconds(1))
            #expect(try await authenticator.identity(forKey: generated.key) == nil)
            try await quota.store.close()
        }
    }
}
