import Foundation
import Testing

@testable import VigorHost

extension MultiHost {
    /// Several real `vigor serve` processes on one PostgreSQL database: limits hold across
    /// hosts, and what one host changes or revokes the others see.
    @Suite("several hosts on one database", .serialized)
    struct MultiHostDrillTests {
        /// A chat completion from the mock upstream: 200 prompt and 1000 completion tokens of
        /// gpt-4o-mini (0.15 and 0.60 USD per million) cost 630 micro-dollars, within the
        /// router's estimate (the prompt's characters / 4 and the default max_tokens).
        static let costedCompletion = jsonText([
            "id": "chatcmpl-multi", "object": "chat.completion", "created": 1_764_281_012, "model": "gpt-4o-mini",
            "choices": [["index": 0, "message": ["role": "assistant", "content": "Rest two days a week."], "finish_reason": "stop"]],
            "usage": ["prompt_tokens": 200, "completion_tokens": 1000, "total_tokens": 1200],
        ])
        static let costPerChat: Int64 = 630

        /// `count` chats at once by `token`, chat `i` to host `i % hosts`, each with its own
        /// `X-Request-Id` (`prefix-i`).
        static func chats(
            _ cluster: HostCluster, hosts: Int, count: Int, token: String, prefix: String
        ) async -> [HostReply] {
            let ports = (0..<hosts).map { cluster.port($0) }
            let body = jsonText(["message": "How many rest days should I take?"])
            return await HostCluster.burst(count, port: { ports[$0 % ports.count] }) { index in
                ("POST", "/api/v1/ai/chat", token, body, ["X-Request-Id": "\(prefix)-\(index)"])
            }
        }

        @Test(
            "200 chats at once split across hosts against a limit of 10: exactly 10 answered, 10 in the usage log",
            .timeLimit(.minutes(2)), arguments: [2, 3])
        func limitHoldsAcrossHosts(hosts: Int) async throws {
            try await HostCluster.with(hosts: hosts) { cluster in
                let admin = try await cluster.admin()
                let user = try await cluster.register("limited", on: hosts - 1)
                try await cluster.limit(user.id, admin: admin, perDay: 10)

                let replies = await Self.chats(cluster, hosts: hosts, count: 200, token: user.token, prefix: "limit")
                let answered = replies.indices.filter { replies[$0].status == 200 }
                let statuses = Dictionary(grouping: replies, by: \.status).mapValues(\.count)
                #expect(answered.count == 10, "statuses: \(statuses)")
                #expect(Set(statuses.keys).isSubset(of: [200, 429]), "statuses: \(statuses)")

                let logged = try await cluster.integer(
                    "SELECT COUNT(*) FROM ai_usage_logs WHERE user_id = \(user.id) AND outcome = 'success'")
                #expect(logged == 10)
                let ids = Set(
                    try await cluster.texts("SELECT request_id FROM ai_usage_logs WHERE user_id = \(user.id) AND outcome = 'success'"))
                #expect(ids == Set(answered.map { "limit-\($0)" }))
            }
        }

        @Test(
            "a costed budget is never overspent by 200 chats across 3 hosts",
            .timeLimit(.minutes(2)))
        func budgetHoldsAcrossHosts() async throws {
            try await MockUpstream.with { upstream in
                upstream.script([], otherwise: .json(Self.costedCompletion))
                let environment = ["OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL]
                try await HostCluster.with(hosts: 3, plugins: ["libVigorOpenAI.so"], environment: environment) { cluster in
                    let admin = try await cluster.admin()
                    let user = try await cluster.register("spender", on: 1)
                    let budget = 10 * Self.costPerChat
                    try await cluster.limit(user.id, admin: admin, perDay: 1000, budgetMicros: budget)

                    let replies = await Self.chats(cluster, hosts: 3, count: 200, token: user.token, prefix: "budget")
                    let statuses = Dictionary(grouping: replies, by: \.status).mapValues(\.count)
                    let answered = replies.filter { $0.status == 200 }.count
                    #expect(answered >= 1 && answered <= 10, "statuses: \(statuses)")
                    #expect(replies.allSatisfy { $0.status == 200 || $0.status == 429 || $0.status == 402 }, "statuses: \(statuses)")

                    let spent = try await cluster.integer(
                        "SELECT COALESCE(SUM(cost_micros), 0)::bigint FROM ai_usage_logs WHERE user_id = \(user.id)")
                    #expect(spent <= budget, "spent \(spent) of a budget of \(budget)")
                    let logged = try await cluster.integer(
                        "SELECT COUNT(*) FROM ai_usage_logs WHERE user_id = \(user.id) AND outcome = 'success'")
                    #expect(logged == Int64(answered))
                    #expect(spent == Int64(answered) * Self.costPerChat)
                }
            }
        }

        @Test("a refresh token rotated on one host and reused on another is refused, and its family is revoked")
        func refreshReuseAcrossHosts() async throws {
            try await HostCluster.with(hosts: 2) { cluster in
                let account = try await cluster.register("rotator", on: 0)
                let rotated = await cluster.send(0, "POST", "/api/v1/auth/refresh", json: ["refresh_token": account.refresh])
                #expect(rotated.status == 200, "\(rotated.body)")
                let next = try #require(rotated.json["refresh_token"] as? String)

                let reuse = await cluster.send(1, "POST", "/api/v1/auth/refresh", json: ["refresh_token": account.refresh])
                #expect(reuse.status == 401)
                #expect(reuse.errorCode == "refresh_token_reused", "\(reuse.body)")
                // The family is revoked: the token the rotation handed out is refused too, on either host.
                for host in [0, 1] {
                    let after = await cluster.send(host, "POST", "/api/v1/auth/refresh", json: ["refresh_token": next])
                    #expect(after.status == 401, "host \(host): \(after.body)")
                }
            }
        }

        @Test("an API key revoked on one host is refused by the other within one second")
        func revokedKeyRefusedEverywhere() async throws {
            try await HostCluster.with(hosts: 2) { cluster in
                let account = try await cluster.register("keyholder", on: 0)
                let created = await cluster.send(0, "POST", "/api/v1/users/me/api-keys", token: account.token, json: ["name": "ci"])
                let key = try #require(created.json["key"] as? String, "\(created.body)")
                let id = try #require((created.json["id"] as? NSNumber)?.int64Value)
                // Host 1 has looked the key up, so it holds it in its cache.
                #expect(await cluster.send(1, "GET", "/v1/models", token: key).status == 200)
                #expect(await cluster.send(1, "GET", "/v1/models", token: key).status == 200)

                let revoke = await cluster.send(0, "DELETE", "/api/v1/users/me/api-keys/\(id)", token: account.token)
                #expect(revoke.status == 204 || revoke.status == 200, "\(revoke.body)")
                let revoked = ContinuousClock.now
                #expect(await cluster.send(0, "GET", "/v1/models", token: key).status == 401)
                var refused: Duration?
                while refused == nil, ContinuousClock.now - revoked < .seconds(3) {
                    if await cluster.send(1, "GET", "/v1/models", token: key).status == 401 {
                        refused = ContinuousClock.now - revoked
                    } else {
                        try await Task.sleep(for: .milliseconds(50))  // a real process's cache entry ageing: poll it
                    }
                }
                let after = try #require(refused, "host 1 still accepts the key 3 s after its revocation")
                #expect(after <= .seconds(1), "host 1 refused the key only after \(after)")
            }
        }

        /// Sends chats to host `index` until one is answered by `provider` (a real process's
        /// caches ageing: polled, at most `limit`); returns how long it took.
        static func untilAnsweredBy(
            _ provider: String, _ cluster: HostCluster, host index: Int, token: String, limit: Duration = .seconds(10)
        ) async throws -> Duration {
            let start = ContinuousClock.now
            var last = ""
            while ContinuousClock.now - start < limit {
                let reply = await cluster.send(index, "POST", "/api/v1/ai/chat", token: token, json: ["message": "Warm-up ideas?"])
                last = "\(reply.status) \(reply.json["provider"] ?? reply.body)"
                if reply.status == 200, reply.json["provider"] as? String == provider { return ContinuousClock.now - start }
                try await Task.sleep(for: .milliseconds(50))  // poll a real process, as above
            }
            throw TestHostError("host \(index) never answered with \(provider) within \(limit); last: \(last)")
        }

        @Test("admin changes made on one host (tiers, providers, budget) are seen by the others", .timeLimit(.minutes(2)))
        func adminChangesSeenEverywhere() async throws {
            try await MockUpstream.with { upstream in
                upstream.script([], otherwise: .json(Self.costedCompletion))
                let environment = ["OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL]
                try await HostCluster.with(
                    hosts: 2, plugins: ["libVigorFallback.so", "libVigorOpenAI.so"], environment: environment
                ) { cluster in
                    let admin = try await cluster.admin()
                    let user = try await cluster.register("watcher", on: 1)

                    // Tiers: a new tier and a user's move are read by host 1 at once.
                    try await cluster.limit(user.id, admin: admin, on: 0, perDay: 3)
                    let tiers = await cluster.send(1, "GET", "/api/v1/tiers")
                    #expect((tiers.json["items"] as? [[String: Any]] ?? []).contains { $0["requests_per_day"] as? Int == 3 })
                    let usage = await cluster.send(1, "GET", "/api/v1/users/me/usage", token: user.token)
                    #expect(usage.body.contains("\"requests_limit\":3"), "\(usage.body)")

                    // Providers: openai first, then disabled, each set on host 0 and followed by host 1.
                    let first = await cluster.send(
                        0, "PUT", "/api/v1/admin/providers", token: admin.token,
                        json: ["providers": [["provider": "openai", "priority": 0, "enabled": true]]])
                    #expect(first.status == 200, "\(first.body)")
                    let toOpenAI = try await Self.untilAnsweredBy("openai", cluster, host: 1, token: admin.token)
                    let disable = await cluster.send(
                        0, "PUT", "/api/v1/admin/providers", token: admin.token,
                        json: ["providers": [["provider": "openai", "priority": 0, "enabled": false]]])
                    #expect(disable.status == 200, "\(disable.body)")
                    let toFallback = try await Self.untilAnsweredBy("fallback", cluster, host: 1, token: admin.token)
                    // Recorded for the report: how long host 1's priorities cache kept the old rule.
                    print("MultiHost: host 1 followed a provider change in \(toOpenAI) and \(toFallback)")
                    #expect(toFallback <= .seconds(5), "host 1 kept a disabled provider for \(toFallback)")

                    // Budget: set on host 0, read back on host 1.
                    let budget = await cluster.send(
                        0, "PUT", "/api/v1/admin/budget", token: admin.token, json: ["monthly_budget_micros": 12_345_000])
                    #expect(budget.status == 200, "\(budget.body)")
                    let seen = await cluster.send(1, "GET", "/api/v1/admin/budget", token: admin.token)
                    #expect(seen.json["monthly_budget_micros"] as? Int == 12_345_000, "\(seen.body)")
                }
            }
        }

        @Test(
            "a plugin hot-added in one host's folder loads there and leaves the other host alone",
            .timeLimit(.minutes(2)))
        func hotAddLeavesOthersAlone() async throws {
            // The probe of a new file (a child `vigor plugin-probe`, a debug build) gets 20 s,
            // not 5: on a loaded CI machine a timed-out probe rejects the file, which is not
            // what this drill is about (the probe's deadline has tests of its own).
            let environment = ["VIGOR_PLUGIN_POLL_SECONDS": "0.2", "VIGOR_PLUGIN_PROBE_TIMEOUT_MS": "20000"]
            try await HostCluster.with(hosts: 2, environment: environment) { cluster in
                let admin = try await cluster.admin()
                func plugins(_ host: Int) async -> [String] {
                    let reply = await cluster.send(host, "GET", "/api/v1/admin/plugins", token: admin.token)
                    return (reply.json["loaded"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
                        .map { URL(fileURLWithPath: $0).lastPathComponent }.sorted()
                }
                let before = await plugins(1)
                #expect(before == PluginHost.defaultPlugins.sorted())

                // Copied in under a temporary name and renamed, as an operator's deploy would.
                let folder = cluster.pluginFolder(0)
                let staged = folder.appendingPathComponent(".libVigorPerplexity.so.tmp")
                try FileManager.default.copyItem(at: PluginHost.builtProducts.appendingPathComponent("libVigorPerplexity.so"), to: staged)
                try FileManager.default.moveItem(at: staged, to: folder.appendingPathComponent("libVigorPerplexity.so"))
                // The watch's verdict on the new file: loaded ("plugins reloaded") or refused
                // ("plugin rejected", with its reason); awaited with a deadline, never forever.
                let host0 = cluster.host(0)
                let outcome = FirstOutcome<String?>()
                for text in ["plugins reloaded", "plugin rejected"] {
                    // Left waiting for a line that never comes until the host stops.
                    Task { outcome.settle(.success(await host0.firstLine(containing: text))) }
                }
                let verdict = try await HostCluster.within(.seconds(30), "host 0's verdict on the new plugin") {
                    try await outcome.value()
                }
                #expect(verdict?.contains("dev.vigor.perplexity") == true, "\(verdict ?? "host 0 exited")")
                let loaded = await plugins(0)
                #expect(loaded.contains("libVigorPerplexity.so"), "\(loaded)")

                // Host 1: same plugins, no reload, still answering.
                #expect(await plugins(1) == before)
                #expect(!cluster.host(1).lines.contains { $0.contains("plugins reloaded") })
                let user = try await cluster.register("bystander", on: 1)
                let chat = await cluster.send(1, "POST", "/api/v1/ai/chat", token: user.token, json: ["message": "Warm-up ideas?"])
                #expect(chat.status == 200, "\(chat.body)")
            }
        }
    }
}
