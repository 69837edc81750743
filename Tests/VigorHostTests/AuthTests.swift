import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

@Suite("Accounts and sessions")
struct AuthTests {
    @Test("registration validates each field and names it")
    func registrationValidation() async throws {
        try await TestHost.run { _, client in
            let cases: [([String: Any], String)] = [
                (["email": "not-an-email", "username": "bob", "password": "long-enough-1"], "email"),
                (["email": "bob@example.com", "username": "bo", "password": "long-enough-1"], "username"),
                (["email": "bob@example.com", "username": "bob smith", "password": "long-enough-1"], "username"),
                (["email": "bob@example.com", "username": "bob", "password": "short"], "password"),
                (["email": "bob@example.com", "username": "bob", "password": String(repeating: "é", count: 40)], "password"),
                (["email": "bob@example.com", "username": "bob", "password": "long-enough-1", "fitness_level": "pro"], "fitness_level"),
                (["email": "bob@example.com", "username": "bob", "password": "long-enough-1", "goals": ["fly"]], "goals[0]"),
                (["email": "bob@example.com", "password": "long-enough-1"], "username"),
                (["email": "bob@example.com", "username": 42, "password": "long-enough-1"], "username"),
            ]
            for (body, field) in cases {
                let reply = try await client.send(.post, "/api/v1/auth/register", json: body)
                reply.expectError(.unprocessableContent, code: "validation_failed")
                #expect(reply.errorFields.contains(field), "expected \(field) in \(reply.text)")
            }
        }
    }

    @Test("e-mail and username are unique, case-insensitively (409)")
    func conflicts() async throws {
        try await TestHost.run { _, client in
            try await client.register("carol")
            let sameEmail = try await client.send(
                .post, "/api/v1/auth/register",
                json: ["email": "CAROL@example.com", "username": "carol2", "password": "long-enough-1"])
            sameEmail.expectError(.conflict, code: "email_taken")
            let sameName = try await client.send(
                .post, "/api/v1/auth/register",
                json: ["email": "other@example.com", "username": "Carol", "password": "long-enough-1"])
            sameName.expectError(.conflict, code: "username_taken")
        }
    }

    @Test("login, me, and 401 for bad credentials or tokens")
    func loginAndMe() async throws {
        try await TestHost.run { _, client in
            try await client.register("dave", password: "dave-password-1")
            let wrong = try await client.send(
                .post, "/api/v1/auth/login", json: ["email": "dave@example.com", "password": "nope-nope-nope"])
            wrong.expectError(.unauthorized, code: "invalid_credentials")
            let unknown = try await client.send(
                .post, "/api/v1/auth/login", json: ["email": "nobody@example.com", "password": "nope-nope-nope"])
            unknown.expectError(.unauthorized, code: "invalid_credentials")

            let login = try await client.send(
                .post, "/api/v1/auth/login", json: ["email": "DAVE@example.com", "password": "dave-password-1"])
            #expect(login.status == .ok)
            #expect(login.json["token_type"] as? String == "bearer")
            let token = try #require(login.json["access_token"] as? String)

            let me = try await client.send(.get, "/api/v1/auth/me", token: token)
            #expect(me.status == .ok)
            #expect(me.json["username"] as? String == "dave")
            #expect(me.json["role"] as? String == "user")
            #expect(me.json["password_hash"] == nil)

            try await client.send(.get, "/api/v1/auth/me").expectError(.unauthorized)
            try await client.send(.get, "/api/v1/auth/me", token: "garbage").expectError(.unauthorized, code: "invalid_token")
            try await client.send(.get, "/api/v1/auth/me", headers: [.authorization: "Basic abc"])
                .expectError(.unauthorized)
            // A token signed with another secret is refused.
            let forged = token.dropLast(4) + "AAAA"
            try await client.send(.get, "/api/v1/auth/me", token: String(forged)).expectError(.unauthorized)
        }
    }

    @Test("refresh tokens rotate; reusing a rotated one revokes the whole family")
    func refreshRotationAndReuse() async throws {
        try await TestHost.run { host, client in
            let account = try await client.register("erin")
            let first = try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": account.refresh])
            #expect(first.status == .ok)
            let second = try #require(first.json["refresh_token"] as? String)
            #expect(second != account.refresh)
            let access = try #require(first.json["access_token"] as? String)
            #expect(try await client.send(.get, "/api/v1/auth/me", token: access).status == .ok)

            // The old token again: reuse → 401, and the family (including `second`) is revoked.
            let reuse = try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": account.refresh])
            reuse.expectError(.unauthorized, code: "refresh_token_reused")
            let afterReuse = try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": second])
            afterReuse.expectError(.unauthorized, code: "refresh_token_reused")

            // Unknown and expired tokens.
            try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": "made-up"])
                .expectError(.unauthorized, code: "invalid_refresh_token")
            let login = try await client.send(
                .post, "/api/v1/auth/login", json: ["email": "erin@example.com", "password": "correct-horse-battery"])
            let fresh = try #require(login.json["refresh_token"] as? String)
            host.clock.advance(by: host.configuration.refreshTokenTTL + 1)
            try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": fresh])
                .expectError(.unauthorized, code: "invalid_refresh_token")
        }
    }

    @Test("logout revokes the session's refresh token; without one, every session")
    func logout() async throws {
        try await TestHost.run { _, client in
            let account = try await client.register("frank")
            try await client.send(.post, "/api/v1/auth/logout", json: ["refresh_token": account.refresh])
                .expectError(.unauthorized)
            let out = try await client.send(
                .post, "/api/v1/auth/logout", token: account.token, json: ["refresh_token": account.refresh])
            #expect(out.status == .noContent)
            try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": account.refresh])
                .expectError(.unauthorized)

            let login = try await client.send(
                .post, "/api/v1/auth/login", json: ["email": "frank@example.com", "password": "correct-horse-battery"])
            let refresh = try #require(login.json["refresh_token"] as? String)
            // The first session's access token ended with its session.
            try await client.send(.post, "/api/v1/auth/logout", token: account.token).expectError(.unauthorized)
            let access = try #require(login.json["access_token"] as? String)
            #expect(try await client.send(.post, "/api/v1/auth/logout", token: access).status == .noContent)
            try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh])
                .expectError(.unauthorized)
        }
    }
}
