import Foundation
import Testing

@testable import VigorHost

extension MultiHost {
    /// A host on a PostgreSQL server that stops and comes back (a restart, a failover).
    @Suite("PostgreSQL restart", .serialized)
    struct PostgresRestartTests {
        /// The requests a client makes, each needing the database: (name, method, path, body).
        static func requests(_ account: ClusterAccount, key: String) -> [(String, String, String, String?, String?)] {
            let chat = jsonText(["message": "How many rest days should I take?"])
            let completion = jsonText(["model": "vigor-coach-1", "messages": [["role": "user", "content": "Warm-up ideas?"]]])
            return [
                ("chat", "POST", "/api/v1/ai/chat", account.token, chat),
                ("usage", "GET", "/api/v1/users/me/usage", account.token, nil),
                ("conversations", "GET", "/api/v1/ai/conversations", account.token, nil),
                ("me", "GET", "/api/v1/users/me", account.token, nil),
                (
                    "login", "POST", "/api/v1/auth/login", nil,
                    jsonText(["email": "outage@example.com", "password": "correct-horse-battery"])
                ),
                (
                    "register", "POST", "/api/v1/auth/register", nil,
                    jsonText(["email": "late@example.com", "username": "late", "password": "correct-horse-battery"])
                ),
                ("refresh", "POST", "/api/v1/auth/refresh", nil, jsonText(["refresh_token": account.refresh])),
                ("openai chat (API key)", "POST", "/v1/chat/completions", key, completion),
            ]
        }

        @Test(
            "PostgreSQL stops: every request gets 503 with Retry-After, none 500; it comes back: the host serves again without a restart",
            .timeLimit(.minutes(2)))
        func survivesARestart() async throws {
            try await ThrowawayPostgres.with { postgres in
                try await HostCluster.with(hosts: 1, databaseURL: postgres.url(database: "vigor")) { cluster in
                    let account = try await cluster.register("outage")
                    let created = await cluster.send(0, "POST", "/api/v1/users/me/api-keys", token: account.token, json: ["name": "ci"])
                    let key = try #require(created.json["key"] as? String, "\(created.body)")
                    let before = await cluster.send(0, "POST", "/api/v1/ai/chat", token: account.token, json: ["message": "Hello?"])
                    #expect(before.status == 200, "\(before.body)")

                    try await HostCluster.within(.seconds(40), "pg_ctl stop") { try await postgres.stopServer() }
                    let port = cluster.port(0)
                    for (name, method, path, token, body) in Self.requests(account, key: key) {
                        let sent = ContinuousClock.now
                        let reply = try await HostCluster.within(.seconds(15), "\(name) during the outage") {
                            await HostCluster.send(port: port, method, path, token: token, body: body)
                        }
                        let took = ContinuousClock.now - sent
                        #expect(reply.status == 503, "\(name) \(method) \(path) during the outage: \(reply.status) \(reply.body)")
                        #expect(Int(reply.header("Retry-After") ?? "") ?? 0 > 0, "\(name): no Retry-After: \(reply.head)")
                        // Refused at once: not after waiting out connect_timeout (5 s) for a pooled connection.
                        #expect(took < .seconds(3), "\(name) took \(took) to be refused during the outage")
                    }
                    let ready = await cluster.send(0, "GET", "/ready")
                    #expect(ready.status == 503, "/ready during the outage: \(ready.status)")
                    #expect(await cluster.send(0, "GET", "/health").status == 200, "the process itself is alive")

                    try await HostCluster.within(.seconds(40), "pg_ctl start") { try await postgres.startServer() }
                    let back = ContinuousClock.now
                    let chat = { @Sendable () async throws -> HostReply in
                        try await HostCluster.within(.seconds(15), "a chat after PostgreSQL came back") {
                            await HostCluster.send(
                                port: port, "POST", "/api/v1/ai/chat", token: account.token, body: jsonText(["message": "Back?"]))
                        }
                    }
                    var reply = try await chat()
                    while reply.status != 200, ContinuousClock.now - back < .seconds(10) {
                        #expect(reply.status == 503, "while reconnecting: \(reply.status) \(reply.body)")
                        try await Task.sleep(for: .milliseconds(100))  // a real process reconnecting: poll it
                        reply = try await chat()
                    }
                    let recovered = ContinuousClock.now - back
                    print("MultiHost: the host served again \(recovered) after PostgreSQL was back")
                    #expect(reply.status == 200, "no answer 10 s after PostgreSQL came back: \(reply.status) \(reply.body)")
                    // Within a few seconds, not after postgres-nio's reconnect backoff (up to 60 s).
                    #expect(recovered < .seconds(5), "the host served again only \(recovered) after PostgreSQL was back")
                    #expect(await cluster.send(0, "GET", "/ready").status == 200)
                    #expect(await cluster.send(0, "GET", "/v1/models", token: key).status == 200)
                    #expect(cluster.host(0).isRunning)

                    // What was answered is in the log: the chat before and the one after.
                    let logged = try await cluster.integer(
                        "SELECT COUNT(*) FROM ai_usage_logs WHERE user_id = \(account.id) AND outcome = 'success'")
                    #expect(logged == 2)
                }
            }
        }
    }
}
