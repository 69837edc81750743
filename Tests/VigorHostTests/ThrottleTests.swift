import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

@Suite("Failed-login throttling")
struct ThrottleTests {
    @Test("five failures lock the account for the window, then it opens again")
    func perAccount() async throws {
        try await TestHost.run { host, client in
            try await client.register("gina", password: "gina-password-1")
            for _ in 0..<5 {
                let reply = try await client.send(
                    .post, "/api/v1/auth/login", json: ["email": "gina@example.com", "password": "wrong-password"])
                reply.expectError(.unauthorized)
            }
            // Even the right password is refused now, with Retry-After.
            let locked = try await client.send(
                .post, "/api/v1/auth/login", json: ["email": "gina@example.com", "password": "gina-password-1"])
            locked.expectError(.tooManyRequests, code: "too_many_login_attempts")
            let retryAfter = try #require(locked.headers[.retryAfter].flatMap(Int.init))
            #expect(retryAfter > 0 && retryAfter <= 900)

            host.clock.advance(by: 901)
            let open = try await client.send(
                .post, "/api/v1/auth/login", json: ["email": "gina@example.com", "password": "gina-password-1"])
            #expect(open.status == .ok)
        }
    }

    @Test("failures from one address across accounts (6 × the per-account limit) lock that address")
    func perAddress() async throws {
        try await TestHost.run(configure: { $0.trustForwardedFor = true }) { host, client in
            try await client.register("hank", password: "hank-password-1")
            let attacker: HTTPFields = [.init("X-Forwarded-For")!: "203.0.113.9", .contentType: "application/json"]
            for index in 0..<(host.configuration.loginMaxFailures * 6) {
                let body = jsonText(["email": "victim\(index)@example.com", "password": "guess-guess"])
                let reply = try await client.send(.post, "/api/v1/auth/login", body: body, headers: attacker)
                reply.expectError(.unauthorized)
            }
            let body = jsonText(["email": "hank@example.com", "password": "hank-password-1"])
            let blocked = try await client.send(.post, "/api/v1/auth/login", body: body, headers: attacker)
            blocked.expectError(.tooManyRequests, code: "too_many_login_attempts")
            // Another address is not affected.
            let other: HTTPFields = [.init("X-Forwarded-For")!: "198.51.100.7", .contentType: "application/json"]
            let fine = try await client.send(.post, "/api/v1/auth/login", body: body, headers: other)
            #expect(fine.status == .ok)
        }
    }
}
