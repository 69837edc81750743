import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

@Suite("Tiers and admin routes")
struct AdminTests {
    @Test("GET /api/v1/tiers lists the DOMAIN.md defaults in micro-dollars")
    func publicTiers() async throws {
        try await TestHost.run { _, client in
            let reply = try await client.send(.get, "/api/v1/tiers")
            #expect(reply.status == .ok)
            let byName = Dictionary(uniqueKeysWithValues: reply.items.map { ($0["name"] as? String ?? "", $0) })
            #expect(Set(byName.keys) == ["free", "premium", "unlimited"])
            #expect(byName["free"]?["requests_per_day"] as? Int == 10)
            #expect(byName["free"]?["requests_per_week"] as? Int == 50)
            #expect(byName["free"]?["requests_per_month"] as? Int == 200)
            #expect(byName["free"]?["monthly_budget_micros"] as? Int == 5_000_000)
            #expect(byName["premium"]?["monthly_budget_micros"] as? Int == 25_000_000)
            #expect(byName["unlimited"]?["requests_per_month"] as? Int == 20000)
            #expect(byName["unlimited"]?["monthly_budget_usd"] as? Double == 100)
        }
    }

    @Test("admin routes need the admin role: 401 anonymous, 403 for users")
    func adminOnly() async throws {
        try await TestHost.run { _, client in
            let user = try await client.register("quinn")
            let routes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/v1/admin/tiers", nil),
                (.put, "/api/v1/admin/tiers", jsonText(["tiers": []])),
                (.put, "/api/v1/admin/users/\(user.id)/tier", jsonText(["tier": "premium"])),
                (.get, "/api/v1/admin/usage", nil),
            ]
            for (method, path, body) in routes {
                try await client.send(method, path, body: body).expectError(.unauthorized)
                try await client.send(method, path, token: user.token, body: body).expectError(.forbidden, code: "forbidden")
            }
            // A username containing "admin" is no admin.
            let sneaky = try await client.register("admin_sneaky")
            try await client.send(.get, "/api/v1/admin/tiers", token: sneaky.token).expectError(.forbidden)
        }
    }

    @Test("an admin made by createUser manages tiers and assigns them")
    func adminManagesTiers() async throws {
        try await TestHost.run { host, client in
            let admin = try await VigorServer.createUser(
                configuration: host.configuration, email: "root@example.com", password: "admin-password-1", admin: true,
                logger: TestHost.logger)
            #expect(admin.role == .admin)
            #expect(admin.username == "root")
            let login = try await client.send(
                .post, "/api/v1/auth/login", json: ["email": "root@example.com", "password": "admin-password-1"])
            let token = try #require(login.json["access_token"] as? String)
            let user = try await client.register("rita")

            #expect(try await client.send(.get, "/api/v1/admin/tiers", token: token).items.count == 3)

            let pro: [String: Any] = [
                "name": "pro", "requests_per_day": 100, "requests_per_week": 600, "requests_per_month": 2000,
                "monthly_budget_micros": 50_000_000, "price_micros": 19_990_000,
            ]
            let put = try await client.send(.put, "/api/v1/admin/tiers", token: token, json: ["tiers": [pro]])
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.items.contains { $0["name"] as? String == "pro" })

            var bad = pro
            bad["requests_per_day"] = 5000
            let invalid = try await client.send(.put, "/api/v1/admin/tiers", token: token, json: ["tiers": [bad]])
            invalid.expectError(.unprocessableContent)
            #expect(invalid.errorFields == ["tiers[0].requests_per_week"])

            let assign = try await client.send(
                .put, "/api/v1/admin/users/\(user.id)/tier", token: token, json: ["tier": "pro"])
            #expect(assign.status == .ok)
            #expect(assign.json["tier"] as? String == "pro")
            let me = try await client.send(.get, "/api/v1/auth/me", token: user.token)
            #expect(me.json["tier"] as? String == "pro")
            let usage = try await client.send(.get, "/api/v1/users/me/usage", token: user.token)
            #expect(usage.json["monthly_budget_micros"] as? Int == 50_000_000)

            try await client.send(.put, "/api/v1/admin/users/\(user.id)/tier", token: token, json: ["tier": "gold"])
                .expectError(.unprocessableContent)
            try await client.send(.put, "/api/v1/admin/users/9999/tier", token: token, json: ["tier": "pro"])
                .expectError(.notFound)

            _ = try await client.send(.post, "/api/v1/ai/chat", token: user.token, json: ["message": "hi"])
            let report = try await client.send(.get, "/api/v1/admin/usage", token: token)
            #expect(report.status == .ok)
            #expect(report.json["total_requests"] as? Int == 1)
            #expect(report.json["total_cost_micros"] as? Int == 1_500)
        }
    }

    @Test("createUser validates like registration and reports conflicts")
    func createUserValidation() async throws {
        try await TestHost.run { host, _ in
            await #expect(throws: APIError.self) {
                try await VigorServer.createUser(
                    configuration: host.configuration, email: "bad", password: "long-enough-1", logger: TestHost.logger)
            }
            try await VigorServer.createUser(
                configuration: host.configuration, email: "sam@example.com", password: "long-enough-1",
                logger: TestHost.logger)
            do {
                try await VigorServer.createUser(
                    configuration: host.configuration, email: "sam@example.com", username: "sam2",
                    password: "long-enough-1", logger: TestHost.logger)
                Issue.record("a duplicate e-mail was accepted")
            } catch let error as APIError {
                #expect(error.status == .conflict)
            }
        }
    }
}
