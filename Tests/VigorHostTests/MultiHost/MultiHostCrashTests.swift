import Foundation
import Testing

@testable import VigorHost

extension MultiHost {
    /// Hosts on one PostgreSQL database that die (SIGKILL) or are stopped (SIGTERM) under load.
    @Suite("SIGKILL and SIGTERM", .serialized)
    struct MultiHostCrashTests {
        /// How long a killed host's reservations stay held: the ledger's host registration lives
        /// 10 s without renewal, and the survivors sweep every 2 s
        /// (Sources/VigorHost/Quota/PostgresQuotaLedger.swift; docs/deploy.md).
        static let reservationBound: Duration = .seconds(12)

        static let chatBody = jsonText(["message": "How many rest days should I take?"])

        /// `count` chats at once to the hosts `hosts` (round robin), ids `prefix-i`.
        static func chats(_ cluster: HostCluster, to hosts: [Int], count: Int, token: String, prefix: String) async -> [HostReply] {
            let ports = hosts.map { cluster.port($0) }
            return await HostCluster.burst(count, port: { ports[$0 % ports.count] }) { index in
                ("POST", "/api/v1/ai/chat", token, chatBody, ["X-Request-Id": "\(prefix)-\(index)"])
            }
        }

        @Test(
            "SIGKILL one of three hosts with chats in flight: every 200 it gave is logged, its reservations return within the bound, the limit is never passed",
            .timeLimit(.minutes(2)))
        func sigkillUnderLoad() async throws {
            try await MockUpstream.with { upstream in
                upstream.script([], otherwise: .json(MultiHostDrillTests.costedCompletion))
                let environment = ["OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL]
                try await HostCluster.with(hosts: 3, plugins: ["libVigorOpenAI.so"], environment: environment) { cluster in
                    let admin = try await cluster.admin()
                    let user = try await cluster.register("victim", on: 1)
                    let limit = 20
                    try await cluster.limit(user.id, admin: admin, perDay: limit)

                    // Host 0 answers 5 chats.
                    let answered = await Self.chats(cluster, to: [0], count: 5, token: user.token, prefix: "a")
                    #expect(answered.allSatisfy { $0.status == 200 }, "\(answered.map(\.status))")

                    // 5 more are in flight on host 0 (the upstream holds them) when it is killed.
                    var held = MockUpstream.Answer.json(MultiHostDrillTests.costedCompletion)
                    held.heldUntilReleased = true
                    upstream.script([], otherwise: held)
                    let inFlight = Task { await Self.chats(cluster, to: [0], count: 5, token: user.token, prefix: "k") }
                    await upstream.waitForRequests(10)
                    let killed = ContinuousClock.now
                    await cluster.host(0).stop(signal: SIGKILL)
                    #expect(await inFlight.value.allSatisfy { $0.status != 200 })
                    upstream.release()

                    // Meanwhile the survivors get what is left and no more: the dead host's 5 are still held.
                    let meanwhile = await Self.chats(cluster, to: [1, 2], count: 40, token: user.token, prefix: "m")
                    let meanwhileOK = meanwhile.filter { $0.status == 200 }.count
                    #expect(
                        Set(meanwhile.map(\.status)).isSubset(of: [200, 429]),
                        "\(Dictionary(grouping: meanwhile, by: \.status).mapValues(\.count))")
                    #expect(5 + meanwhileOK <= limit - 5, "the dead host's reservations were spent again: \(meanwhileOK)")

                    // The dead host's reservations come back within the bound (a survivor's sweep).
                    var open = try await cluster.integer("SELECT COUNT(*) FROM quota_reservations")
                    while open > 0, ContinuousClock.now - killed < Self.reservationBound + .seconds(10) {
                        try await Task.sleep(for: .milliseconds(200))  // real processes' sweeps: poll the database
                        open = try await cluster.integer("SELECT COUNT(*) FROM quota_reservations")
                    }
                    let returned = ContinuousClock.now - killed
                    print("MultiHost: a SIGKILLed host's reservations returned \(returned) after the kill")
                    #expect(open == 0, "reservations still held \(returned) after the kill")
                    #expect(returned <= Self.reservationBound + .seconds(2), "returned after \(returned)")

                    // Now exactly the rest of the limit is served.
                    let after = await Self.chats(cluster, to: [1, 2], count: 20, token: user.token, prefix: "z")
                    let afterOK = after.filter { $0.status == 200 }.count
                    #expect(5 + meanwhileOK + afterOK == limit, "5 + \(meanwhileOK) + \(afterOK)")

                    // Nothing answered is lost: every 200 is in the usage log, and the log holds no more.
                    let ok =
                        answered.indices.filter { answered[$0].status == 200 }.map { "a-\($0)" }
                        + meanwhile.indices.filter { meanwhile[$0].status == 200 }.map { "m-\($0)" }
                        + after.indices.filter { after[$0].status == 200 }.map { "z-\($0)" }
                    let logged = Set(
                        try await cluster.texts("SELECT request_id FROM ai_usage_logs WHERE user_id = \(user.id) AND outcome = 'success'"))
                    #expect(logged == Set(ok))
                    let counted = try await cluster.integer(
                        "SELECT COALESCE(MAX(requests), 0)::bigint FROM usage_counters WHERE user_id = \(user.id) AND period = 'day'")
                    #expect(counted == Int64(limit), "the day counter says \(counted)")
                }
            }
        }

        /// One streamed chat to `port`, read to the end over a raw socket and de-chunked on bytes
        /// (``ChunkedReply``).
        /// Host 0 answers chats one after the other until the user's demand wins it a lease
        /// (the ledger_leases rows `leases` selects), at most 6; returns the chats and the lease.
        /// The top-up runs in the background of a real process, so the database is read.
        static func leaseUp(_ cluster: HostCluster, token: String, leases: String) async throws -> (used: Int, leased: Int64) {
            var used = 0
            var leased: Int64 = 0
            while leased == 0, used < 6 {
                let reply = await cluster.send(0, "POST", "/api/v1/ai/chat", token: token, json: ["message": "Rest days?"])
                #expect(reply.status == 200, "\(reply.body)")
                used += 1
                leased = try await cluster.integer("SELECT COALESCE(SUM(requests), 0)::bigint FROM ledger_leases WHERE \(leases)")
            }
            try #require(leased > 0, "host 0 took no lease after \(used) chats")
            return (used, leased)
        }

        static func stream(port: Int, token: String, requestID: String) async -> HostReply {
            let reply = try? await onOwnThread { () -> HostReply in
                let connection = try RawHTTPConnection(port: port)
                try connection.send(
                    "POST /api/v1/ai/chat HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
                        + "Authorization: Bearer \(token)\r\nX-Request-Id: \(requestID)\r\nAccept: text/event-stream\r\n"
                        + "Content-Type: application/json\r\nContent-Length: \(chatBody.utf8.count)\r\n\r\n\(chatBody)")
                let (head, body) = try ChunkedReply.split(connection.read())
                return HostReply(status: Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0, head: head, body: body)
            }
            return reply ?? HostReply(status: 0, head: "", body: "")
        }

        @Test(
            "SIGTERM drains: a chat and a stream in flight finish and are settled before the host exits; the other host serves meanwhile",
            .timeLimit(.minutes(2)))
        func sigtermDrains() async throws {
            let stream = try String(
                contentsOf: RouterFailoverTests.fixtures.appendingPathComponent("openai/stream_usage.sse"), encoding: .utf8)
            try await MockUpstream.with { upstream in
                var plain = MockUpstream.Answer.json(MultiHostDrillTests.costedCompletion)
                plain.heldUntilReleased = true
                var streamed = MockUpstream.Answer.sse([stream])
                streamed.heldUntilReleased = true
                upstream.script([plain, streamed], otherwise: .json(MultiHostDrillTests.costedCompletion))
                let environment = ["OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL]
                try await HostCluster.with(hosts: 2, plugins: ["libVigorOpenAI.so"], environment: environment) { cluster in
                    let user = try await cluster.register("drained", on: 0)
                    let port = cluster.port(0)
                    let chat = Task {
                        await HostCluster.send(
                            port: port, "POST", "/api/v1/ai/chat", token: user.token, body: Self.chatBody,
                            headers: ["X-Request-Id": "term-chat"])
                    }
                    await upstream.waitForRequests(1)
                    let streaming = Task {
                        await Self.stream(port: port, token: user.token, requestID: "term-stream")
                    }
                    await upstream.waitForRequests(2)

                    kill(cluster.host(0).pid, SIGTERM)
                    _ = await cluster.host(0).firstLine(containing: "shutting down: requests in flight may finish")
                    #expect(cluster.host(0).isRunning, "the host waits for its requests in flight")
                    // The other host serves while this one drains.
                    let other = await cluster.send(1, "POST", "/api/v1/ai/chat", token: user.token, json: ["message": "Warm-up ideas?"])
                    #expect(other.status == 200, "\(other.body)")

                    upstream.release()
                    let plainReply = await chat.value
                    #expect(plainReply.status == 200, "\(plainReply.body)")
                    let streamReply = await streaming.value
                    #expect(streamReply.status == 200)
                    let events = parseSSE(streamReply.body)
                    // Well within the drain time: the stream runs to its end, all of it.
                    #expect(events.last?.event == "done", "\(streamReply.body)")
                    #expect(events.filter { $0.event == "delta" }.count > 1, "\(streamReply.body)")
                    await cluster.host(0).waitForExit()
                    #expect(cluster.host(0).process.terminationStatus == 0, "\(cluster.host(0).lines.suffix(10))")

                    // Settled before the exit: both are in the usage log, no reservation is left.
                    let outcomes = try await cluster.texts(
                        "SELECT request_id || ':' || outcome FROM ai_usage_logs WHERE request_id IN ('term-chat', 'term-stream') ORDER BY request_id"
                    )
                    #expect(outcomes.contains("term-chat:success"), "\(outcomes)")
                    #expect(outcomes.contains("term-stream:success"), "\(outcomes)")
                    #expect(try await cluster.integer("SELECT COUNT(*) FROM quota_reservations") == 0)
                }
            }
        }

        @Test(
            "SIGTERM returns the host's leases: its ledger registration and leases are gone at exit, and the other host can use the whole allowance at once",
            .timeLimit(.minutes(2)))
        func sigtermReturnsLeases() async throws {
            try await MockUpstream.with { upstream in
                upstream.script([], otherwise: .json(MultiHostDrillTests.costedCompletion))
                let environment = ["OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL]
                try await HostCluster.with(hosts: 2, plugins: ["libVigorOpenAI.so"], environment: environment) { cluster in
                    let admin = try await cluster.admin()
                    let user = try await cluster.register("leaser", on: 0)
                    // A grant is a quarter of what is left beyond the last 8 attempts: 7 requests here.
                    let limit = 40
                    try await cluster.limit(user.id, admin: admin, perDay: limit)

                    // Host 0 answers a few chats one after the other: a user in demand gets a lease.
                    let (used, leased) = try await Self.leaseUp(
                        cluster, token: user.token, leases: "user_id = \(user.id) AND period = 'day'")
                    #expect(try await cluster.integer("SELECT COUNT(*) FROM ledger_hosts") == 2)

                    let started = ContinuousClock.now
                    #expect(await cluster.host(0).stop(signal: SIGTERM) == 0, "\(cluster.host(0).lines.suffix(10))")
                    let stopped = ContinuousClock.now - started
                    print("MultiHost: a SIGTERMed host holding a lease of \(leased) stopped in \(stopped)")
                    #expect(
                        cluster.host(0).lines.contains { $0.contains("quota ledger host deregistered") },
                        "\(cluster.host(0).lines.suffix(10))")

                    // At its exit: one registration left (host 1's), no lease of a host without one,
                    // and nothing granted on the user's counters beyond the live host's leases.
                    #expect(try await cluster.integer("SELECT COUNT(*) FROM ledger_hosts") == 1)
                    #expect(
                        try await cluster.integer(
                            "SELECT COUNT(*) FROM ledger_leases l WHERE NOT EXISTS (SELECT 1 FROM ledger_hosts h WHERE h.instance = l.instance)"
                        ) == 0)
                    #expect(
                        try await cluster.integer(
                            "SELECT COALESCE(MAX(granted_requests), 0)::bigint FROM usage_counters WHERE user_id = \(user.id) AND period = 'day'"
                        ) == 0)
                    #expect(try await cluster.integer("SELECT COUNT(*) FROM quota_reservations") == 0)

                    // Host 1 serves the whole rest of the allowance at once, and no more.
                    let rest = await Self.chats(cluster, to: [1], count: limit - used + 4, token: user.token, prefix: "r")
                    let restOK = rest.filter { $0.status == 200 }.count
                    #expect(
                        restOK == limit - used, "\(used) used, then \(Dictionary(grouping: rest, by: \.status).mapValues(\.count))")
                    #expect(Set(rest.map(\.status)).isSubset(of: [200, 429]))
                }
            }
        }

        @Test(
            "SIGTERM with a stream that outlasts the drain time: it ends with a shutting_down error event, is settled and logged, and the host exits 0",
            .timeLimit(.minutes(2)))
        func sigtermDrainDeadline() async throws {
            let fixture = try String(
                contentsOf: RouterFailoverTests.fixtures.appendingPathComponent("openai/stream_usage.sse"), encoding: .utf8)
            // One SSE event per chunk, 1.5 s apart: the whole answer would take half a minute.
            let events = fixture.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { $0 + "\n\n" }
            try await MockUpstream.with { upstream in
                upstream.script([.sse(events, chunkDelayMs: 1500)], otherwise: .json(MultiHostDrillTests.costedCompletion))
                let environment = [
                    "OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL, "VIGOR_DRAIN_SECONDS": "1",
                ]
                try await HostCluster.with(hosts: 2, plugins: ["libVigorOpenAI.so"], environment: environment) { cluster in
                    let user = try await cluster.register("outlasting", on: 0)
                    let port = cluster.port(0)
                    let connection = try RawHTTPConnection(port: port)
                    try connection.send(
                        "POST /api/v1/ai/chat HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
                            + "Authorization: Bearer \(user.token)\r\nX-Request-Id: term-cut\r\nAccept: text/event-stream\r\n"
                            + "Content-Type: application/json\r\nContent-Length: \(Self.chatBody.utf8.count)\r\n\r\n\(Self.chatBody)")
                    var raw = await connection.readOffPool(until: "event: delta")

                    let started = ContinuousClock.now
                    kill(cluster.host(0).pid, SIGTERM)
                    raw += await connection.readOffPool()
                    await cluster.host(0).waitForExit()
                    let stopped = ContinuousClock.now - started
                    print("MultiHost: a stream outlasting a 1 s drain ended and its host exited \(stopped) after SIGTERM")
                    #expect(cluster.host(0).process.terminationStatus == 0, "\(cluster.host(0).lines.suffix(10))")
                    #expect(stopped < .seconds(10), "the drain time bounds the stop: \(stopped)")

                    let (head, body) = try ChunkedReply.split(raw)
                    #expect(head.hasPrefix("HTTP/1.1 200"), "\(head)")
                    let received = parseSSE(body)
                    #expect(received.first?.event == "delta")
                    #expect(received.last?.event == "error", "\(body)")
                    let error = received.last?.json["error"] as? [String: Any]
                    #expect(error?["code"] as? String == "shutting_down", "\(body)")
                    #expect(
                        cluster.host(0).lines.contains { $0.contains("stream ended by the shutdown's drain deadline") },
                        "\(cluster.host(0).lines.suffix(10))")

                    // Settled before the exit: in the usage log, no reservation left, host 0 deregistered.
                    let outcomes = try await cluster.texts("SELECT outcome FROM ai_usage_logs WHERE request_id = 'term-cut'")
                    #expect(outcomes.count == 1, "\(outcomes)")
                    #expect(try await cluster.integer("SELECT COUNT(*) FROM quota_reservations") == 0)
                    #expect(try await cluster.integer("SELECT COUNT(*) FROM ai_usage_logs WHERE outcome = 'abandoned'") == 0)
                    #expect(try await cluster.integer("SELECT COUNT(*) FROM ledger_hosts") == 1)
                }
            }
        }

        @Test(
            "SIGKILL a host named by VIGOR_HOST_ID and restart it under its name: its previous run's registration, reservations and leases return at its start",
            .timeLimit(.minutes(2)))
        func restartUnderSameName() async throws {
            try await MockUpstream.with { upstream in
                upstream.script([], otherwise: .json(MultiHostDrillTests.costedCompletion))
                let environment = ["OPENAI_API_KEY": "sk-test", "VIGOR_OPENAI_BASE_URL": upstream.baseURL]
                try await HostCluster.with(hosts: 2, plugins: ["libVigorOpenAI.so"], environment: environment) { cluster in
                    // Host 0 runs under a name of its own.
                    await cluster.host(0).stop(signal: SIGTERM)
                    try await cluster.start(0, environment: ["VIGOR_HOST_ID": "alpha"])
                    let admin = try await cluster.admin()
                    let user = try await cluster.register("renamed", on: 0)
                    let limit = 40
                    try await cluster.limit(user.id, admin: admin, perDay: limit)

                    let (used, leased) = try await Self.leaseUp(
                        cluster, token: user.token, leases: "instance LIKE 'alpha/%' AND period = 'day'")
                    let previous = try await cluster.texts("SELECT instance FROM ledger_hosts WHERE instance LIKE 'alpha/%'")
                    try #require(previous.count == 1, "\(previous)")

                    // A crash, then a restart under the same name.
                    await cluster.host(0).stop(signal: SIGKILL)
                    let killed = ContinuousClock.now
                    try await cluster.start(0, environment: ["VIGOR_HOST_ID": "alpha"])
                    print(
                        "MultiHost: a host killed holding a lease of \(leased) was serving again under its name \(ContinuousClock.now - killed) later"
                    )
                    #expect(
                        cluster.host(0).lines.contains { $0.contains("retired this host's previous ledger registration") },
                        "\(cluster.host(0).lines.suffix(10))")

                    // Its previous run is gone at its start, with what it held; its new run is live.
                    let names = try await cluster.texts("SELECT instance FROM ledger_hosts WHERE instance LIKE 'alpha/%'")
                    #expect(names.count == 1 && !names.contains(previous[0]), "\(names)")
                    #expect(
                        try await cluster.integer("SELECT COUNT(*) FROM ledger_leases WHERE instance = '\(previous[0])'") == 0)
                    #expect(
                        try await cluster.integer(
                            "SELECT COALESCE(MAX(granted_requests), 0)::bigint FROM usage_counters WHERE user_id = \(user.id) AND period = 'day'"
                        ) == 0)

                    // Host 1 serves the whole rest of the allowance at once, and no more.
                    let rest = await Self.chats(cluster, to: [1], count: limit - used + 4, token: user.token, prefix: "n")
                    #expect(
                        rest.filter { $0.status == 200 }.count == limit - used,
                        "\(used) used, then \(Dictionary(grouping: rest, by: \.status).mapValues(\.count))")

                    // A name that is not one is refused at start, naming the setting.
                    do {
                        let refused = try await ServeProcess.start(
                            database: cluster.database.url, plugins: cluster.pluginFolder(0).path,
                            environment: cluster.environment.merging(["VIGOR_HOST_ID": "alpha beta;--"]) { $1 })
                        await refused.stop()
                        Issue.record("a host named 'alpha beta;--' started")
                    } catch {
                        #expect("\(error)".contains("VIGOR_HOST_ID must be"), "\(error)")
                    }
                    // So is a drain time that is not one.
                    for drain in ["soon", "-1", "nan", "1e9"] {
                        do {
                            let refused = try await ServeProcess.start(
                                database: cluster.database.url, plugins: cluster.pluginFolder(0).path,
                                environment: cluster.environment.merging(["VIGOR_DRAIN_SECONDS": drain]) { $1 })
                            await refused.stop()
                            Issue.record("a host with VIGOR_DRAIN_SECONDS=\(drain) started")
                        } catch {
                            #expect("\(error)".contains("must be 0 to 3600 seconds"), "\(error)")
                        }
                    }
                }
            }
        }

        @Test("host names: letters, digits, '.', '_' and '-', 1 to 64 of them")
        func hostNames() {
            for good in ["alpha", "vigor-1.eu_west", String(repeating: "a", count: 64)] {
                #expect(PostgresQuotaLedger.isValidHostID(good), "\(good)")
            }
            for bad in ["", "a b", "a/b", "a%", "é", "a\u{0}", "x'; DROP TABLE ledger_hosts; --", String(repeating: "a", count: 65)] {
                #expect(!PostgresQuotaLedger.isValidHostID(bad), "\(bad)")
            }
            #expect(PostgresQuotaLedger.instanceID(for: "alpha").hasPrefix("alpha/"))
        }
    }
}
