import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

@testable import VigorHost

/// A host whose AI layer is the REAL plugin-backed one: ``AIAssembly`` over the test's
/// SQLite store, with a plugin folder holding copies of the built `libVigorFallback.so` and
/// `libVigorPlanner.so` (loaded through dlopen), the quota ledger and the router.
struct PluginHost {
    var configuration: VigorConfiguration
    let store: SQLiteStore
    let ai: AIAssembly
    let clock: TestClock
    let folder: URL
    let pluginFolder: URL

    /// The folder holding the built products (plugins, the `vigor` executable).
    static let builtProducts: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("libVigorFallback.so").path) { return url }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../.build/debug").standardized
    }()

    static let defaultPlugins = ["libVigorFallback.so", "libVigorPlanner.so"]

    /// A new folder with copies of `plugins` from the built products.
    static func pluginFolder(_ plugins: [String] = defaultPlugins, in parent: URL) throws -> URL {
        let folder = parent.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in plugins {
            try FileManager.default.copyItem(
                at: builtProducts.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// Runs `body` against a new host with the plugin-backed AI layer.
    static func run<T>(
        plugins: [String] = defaultPlugins, environment: [String: String] = [:],
        preparePlugins: (URL) throws -> Void = { _ in },
        _ body: @Sendable (PluginHost, any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-plugin-host-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = VigorConfiguration(
            databasePath: folder.appendingPathComponent("vigor.sqlite").path,
            jwtSecret: "test-secret-0123456789-0123456789-abcdef", bcryptCost: 4)
        let store = try await VigorServer.openStore(configuration: configuration, logger: TestHost.logger)
        let pluginFolder = try pluginFolder(plugins, in: folder)
        try preparePlugins(pluginFolder)
        let clock = TestClock()
        let ai = AIAssembly.make(
            store: store, pluginDirectory: pluginFolder.path, environment: environment, logger: TestHost.logger,
            clock: { clock.now })
        let host = PluginHost(
            configuration: configuration, store: store, ai: ai, clock: clock, folder: folder, pluginFolder: pluginFolder)
        let app = try await VigorServer.buildApplication(
            configuration: configuration, store: store, coachAI: ai.coachAI, logger: TestHost.logger, clock: clock.vigorClock)
        return try await app.test(.router) { client in
            try await body(host, client)
        }
    }

    /// Creates an admin and returns its access token.
    func adminToken(_ client: any TestClientProtocol, email: String = "root@example.com") async throws -> String {
        _ = try await VigorServer.createUser(
            configuration: configuration, email: email, password: "admin-password-1", admin: true, logger: TestHost.logger)
        let login = try await client.send(.post, "/api/v1/auth/login", json: ["email": email, "password": "admin-password-1"])
        return login.json["access_token"] as? String ?? ""
    }

    /// Puts `userID` on a new tier with these request limits.
    func limit(userID: Int64, perDay: Int, budgetMicros: Int64 = 100_000_000) async throws {
        let name = "t\(perDay)_\(UUID().uuidString.prefix(6).lowercased())"
        try await store.upsertTier(
            TierRecord(
                name: name, requestsPerDay: perDay, requestsPerWeek: 1000, requestsPerMonth: 1000,
                monthlyBudgetMicros: budgetMicros, priceMicros: 0),
            now: Date())
        _ = try await store.setTier(userID: userID, tier: name)
    }
}

/// One server-sent event.
struct SSEEvent: Sendable, Equatable {
    var event: String?
    var data: String

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
    }
}

/// Parses a `text/event-stream` body.
func parseSSE(_ text: String) -> [SSEEvent] {
    var events: [SSEEvent] = []
    for block in text.components(separatedBy: "\n\n") where !block.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        var name: String?
        var data: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("event: ") {
                name = String(line.dropFirst(7))
            } else if line.hasPrefix("data: ") {
                data.append(String(line.dropFirst(6)))
            }
        }
        events.append(SSEEvent(event: name, data: data.joined(separator: "\n")))
    }
    return events
}

extension TestClientProtocol {
    /// Creates an API key for the user with `token`; returns `(id, key)`.
    func createAPIKey(token: String, name: String = "test") async throws -> (id: Int64, key: String) {
        let reply = try await send(.post, "/api/v1/users/me/api-keys", token: token, json: ["name": name])
        return ((reply.json["id"] as? NSNumber)?.int64Value ?? 0, reply.json["key"] as? String ?? "")
    }
}
