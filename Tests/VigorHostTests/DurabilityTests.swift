import Foundation
import Synchronization
import Testing

@testable import VigorHost

/// The host is killed with SIGKILL while serving; after a restart every request that got a
/// 200 is in the usage log, and the counters match the log (reservations left in flight by
/// the dead process are released at start-up).
@Suite("Durability under SIGKILL")
struct DurabilityTests {
    /// Starts `vigor serve` with a clean environment (no provider keys, no `VIGOR_`/`NIO_`
    /// settings from the caller); `launcher` runs it through a wrapper such as `taskset`.
    static func startServer(
        database: String, plugins: String, port: Int, environment extra: [String: String] = [:], launcher: [String] = []
    ) throws -> Process {
        let server = Process()
        let vigor = PluginHost.builtProducts.appendingPathComponent("vigor").path
        let serve = ["serve", "--host", "127.0.0.1", "--port", String(port), "--database", database, "--plugins", plugins]
        server.executableURL = URL(fileURLWithPath: launcher.first ?? vigor)
        server.arguments = launcher.isEmpty ? serve : Array(launcher.dropFirst()) + [vigor] + serve
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasSuffix("_API_KEY") || name.hasPrefix("VIGOR_") || name.hasPrefix("NIO_") {
            environment[name] = nil
        }
        environment["VIGOR_JWT_SECRET"] = "durability-secret-0123456789-0123456789-abcdef"
        environment["VIGOR_LOG_LEVEL"] = "error"
        environment.merge(extra) { $1 }
        server.environment = environment
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        return server
    }

    /// Polls `/health` of a server started with ``startServer`` (a real process that reports
    /// no event to await; ``ServeProcess`` awaits its log line instead and is preferred).
    static func waitHealthy(port: Int) async throws -> Bool {
        for _ in 0..<300 {
            if (try? RawHTTPConnection.request(port: port, method: "GET", path: "/health"))?.status == 200 { return true }
            try await Task.sleep(for: .milliseconds(100))  // a real process starting: bounded poll (30 s)
        }
        return false
    }

    @Test("every 200 survives a SIGKILL mid-load, and the counters match the log", .timeLimit(.minutes(3)))
    func sigkill() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugins = try PluginHost.pluginFolder(in: folder)
        let database = folder.appendingPathComponent("vigor.sqlite").path
        let configuration = VigorConfiguration(databasePath: database, bcryptCost: 4)
        let user = try await VigorServer.createUser(
            configuration: configuration, email: "kill@example.com", password: "correct-horse-battery", tier: "unlimited",
            logger: TestHost.logger)
        let ok = try await ServeProcess.with(database: database, plugins: plugins.path) { server in
            try await Self.chatUntilKilled(server, successes: 25)
        }
        #expect(ok.count >= 25)

        // Restart: abandoned reservations are released before serving.
        try await ServeProcess.with(database: database, plugins: plugins.path) { _ in }

        let store = try SQLiteStore(path: database)
        let logged = Set(
            try await store.read { db in
                try String.fetchAll(
                    db, sql: "SELECT request_id FROM ai_usage_logs WHERE outcome = 'success' AND user_id = ?", arguments: [user.id])
            })
        for id in ok { #expect(logged.contains(id), "request \(id) returned 200 but is not in the usage log") }
        let successes = try await store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ai_usage_logs WHERE outcome = 'success' AND user_id = ?", arguments: [user.id])
                ?? -1
        }
        let day = try await store.usageCounters(userID: user.id, at: Date()).first { $0.period == .day }
        #expect(day?.requests == successes, "counters \(day?.requests ?? -1) vs \(successes) successes in the log")
        let pending = try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM quota_reservations") ?? -1 }
        #expect(pending == 0)
        // The reservations in flight at the kill lived only in the dead host's memory: the
        // counters never held them, so the restart had nothing to release.
        let abandoned = try await store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ai_usage_logs WHERE outcome = 'abandoned'") ?? -1
        }
        #expect(abandoned == 0)
        try await store.close()
    }

    /// Four client threads chat in a loop against `server`; once `successes` requests got a 200
    /// the server is killed with SIGKILL. Returns the request ids that got a 200.
    static func chatUntilKilled(_ server: ServeProcess, successes: Int) async throws -> [String] {
        let port = server.port
        let login = try RawHTTPConnection.request(
            port: port, method: "POST", path: "/api/v1/auth/login",
            body: jsonText(["email": "kill@example.com", "password": "correct-horse-battery"]))
        let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(login.body.utf8)) as? [String: Any])?["access_token"] as? String)
        let succeeded = Mutex<[String]>([])
        let stop = Mutex(false)
        let enough = Signal()
        let done = DispatchGroup()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            enough.set(continuation)
            // A server that dies early resumes the test too (which then finds too few successes).
            Task {
                await server.waitForExit()
                enough.fire()
            }
            for _ in 0..<4 {
                done.enter()
                Thread {
                    while !stop.withLock({ $0 }) {
                        let id = UUID().uuidString
                        let reply = try? RawHTTPConnection.request(
                            port: port, method: "POST", path: "/api/v1/ai/chat",
                            headers: ["Authorization": "Bearer \(token)", "X-Request-Id": id],
                            body: jsonText(["message": "How many rest days?"]))
                        guard reply?.status == 200 else { continue }
                        let count = succeeded.withLock {
                            $0.append(id)
                            return $0.count
                        }
                        // The request that reaches the count resumes the test (once).
                        if count >= successes { enough.fire() }
                    }
                    done.leave()
                }.start()
            }
        }
        // Kill the host without warning while the clients keep sending.
        await server.stop(signal: SIGKILL)
        stop.withLock { $0 = true }
        await withCheckedContinuation { continuation in done.notify(queue: .global()) { continuation.resume() } }
        return succeeded.withLock { $0 }
    }
}

/// A continuation resumed at most once, by whichever thread fires first.
final class Signal: Sendable {
    private let continuation = Mutex<CheckedContinuation<Void, Never>?>(nil)

    func set(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func fire() {
        continuation.withLock { $0.take() }?.resume()
    }
}
