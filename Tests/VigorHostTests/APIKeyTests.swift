import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VigorPluginLoader

@testable import VigorHost

@Suite("User API keys")
struct APIKeyTests {
    @Test("a key's stored hash is its SHA-256 in lower-case hex (FIPS 180-2 test vectors, a long key and non-ASCII text)")
    func hashVectors() throws {
        #expect(APIKeyAuthenticator.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(APIKeyAuthenticator.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            APIKeyAuthenticator.hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Other text hashes its UTF-8 bytes (the value from Python's hashlib).
        #expect(APIKeyAuthenticator.hash("vgr_é\u{1F3CB}") == "95a97496c544d9ace634a273328c12278edce5f1ecb242a40344af09a994ef6c")
        #expect(
            APIKeyAuthenticator.hash(String(repeating: "a", count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("create shows the key once; list never does; the key authenticates /v1; revoke makes it 401")
    func lifecycle() async throws {
        try await PluginHost.run { host, client in
            let user = try await client.register("keyholder")
            let created = try await client.send(.post, "/api/v1/users/me/api-keys", token: user.token, json: ["name": "laptop"])
            #expect(created.status == .created, "\(created.text)")
            let key = try #require(created.json["key"] as? String)
            #expect(key.hasPrefix("vgr_"))
            #expect(key.count == 4 + 43)
            let prefix = try #require(created.json["prefix"] as? String)
            #expect(key.hasPrefix(prefix) && prefix.count < key.count)
            #expect(created.json["name"] as? String == "laptop")
            #expect(created.json["created_at"] is String)
            let id = try #require((created.json["id"] as? NSNumber)?.int64Value)

            // Only the hash is stored.
            let stored = try await host.store.read { db in
                try String.fetchAll(db, sql: "SELECT key_hash || key_prefix FROM api_keys")
            }
            #expect(stored.count == 1)
            #expect(!stored[0].contains(key))
            #expect(stored[0].hasPrefix(APIKeyAuthenticator.hash(key)))

            let list = try await client.send(.get, "/api/v1/users/me/api-keys", token: user.token)
            #expect(list.status == .ok)
            #expect(list.items.count == 1)
            #expect(list.items.first?["key"] == nil)
            #expect(!list.text.contains(key))
            #expect(list.items.first?["prefix"] as? String == prefix)

            let models = try await client.send(.get, "/v1/models", token: key)
            #expect(models.status == .ok, "\(models.text)")
            // last_used_at is recorded by the time the response is sent.
            let used = try await host.store.apiKeys(userID: user.id).first?.lastUsedAt != nil
            #expect(used)

            // API keys are for the /v1 routes only.
            try await client.send(.get, "/api/v1/users/me", token: key).expectError(.unauthorized)

            #expect(try await client.send(.delete, "/api/v1/users/me/api-keys/\(id)", token: user.token).status == .noContent)
            let revoked = try await client.send(.get, "/v1/models", token: key)
            #expect(revoked.status == .unauthorized)
            let error = try #require(revoked.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "invalid_api_key")
            #expect(error["type"] as? String == "invalid_request_error")
            #expect(try await client.send(.get, "/api/v1/users/me/api-keys", token: user.token).items.isEmpty)
            // Revoking twice is a 404.
            try await client.send(.delete, "/api/v1/users/me/api-keys/\(id)", token: user.token).expectError(.notFound)
        }
    }

    @Test("another user's key id is 404 and stays usable; unknown keys are 401; access tokens also work on /v1")
    func isolation() async throws {
        try await PluginHost.run { _, client in
            let alice = try await client.register("alice_keys")
            let bob = try await client.register("bob_keys")
            let aliceKey = try await client.createAPIKey(token: alice.token)
            try await client.send(.delete, "/api/v1/users/me/api-keys/\(aliceKey.id)", token: bob.token).expectError(.notFound)
            try await client.send(.delete, "/api/v1/users/me/api-keys/abc", token: bob.token).expectError(.notFound)
            #expect(try await client.send(.get, "/api/v1/users/me/api-keys", token: bob.token).items.isEmpty)
            #expect(try await client.send(.get, "/v1/models", token: aliceKey.key).status == .ok)

            let unknown = try await client.send(.get, "/v1/models", token: "vgr_" + String(repeating: "x", count: 43))
            #expect(unknown.status == .unauthorized)
            #expect((unknown.json["error"] as? [String: Any])?["code"] as? String == "invalid_api_key")
            #expect(try await client.send(.get, "/v1/models").status == .unauthorized)
            #expect(try await client.send(.get, "/v1/models", token: bob.token).status == .ok)
            try await client.send(.get, "/api/v1/users/me/api-keys").expectError(.unauthorized)
            try await client.send(.post, "/api/v1/users/me/api-keys", token: bob.token, json: ["name": ""])
                .expectError(.unprocessableContent)
        }
    }

    @Test("the key cache's TTL runs on the injected clock: a key revoked elsewhere works until the TTL passes, then is 401")
    func cacheTTLOnTheClock() async throws {
        let quota = try await QuotaLedgerTests.fixture()
        let manual = ManualClock(start: Date())
        let clock = VigorClock.manual(manual)
        let authenticator = APIKeyAuthenticator(store: quota.store, clock: clock, ttl: .seconds(30))
        let generated = APIKeyAuthenticator.generate()
        let record = try await quota.store.createAPIKey(
            userID: quota.userID, name: "ci", prefix: generated.prefix, keyHash: generated.hash, now: clock.now())
        #expect(try await authenticator.identity(forKey: generated.key)?.userID == quota.userID)
        #expect(try await quota.store.apiKeys(userID: quota.userID).first?.lastUsedAt != nil)
        // Revoked on another host: this host's cache does not hear of it.
        _ = try await quota.store.revokeAPIKey(id: record.id, userID: quota.userID, now: clock.now())
        manual.advance(by: .seconds(29))
        #expect(try await authenticator.identity(forKey: generated.key)?.userID == quota.userID)
        manual.advance(by: .seconds(1))
        #expect(try await authenticator.identity(forKey: generated.key) == nil)
    }
}
