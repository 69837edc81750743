import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import VigorPluginLoader

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
    /// The folder watch's scans, as it reports them.
    let scans: ScanEvents

    /// The folder watch's interval on the test clock.
    static let watchInterval: Duration = .seconds(2)

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

    /// Runs `body` against a new host with the plugin-backed AI layer, built by the composition
    /// root with its folder watch running on the test clock (it scans when the test calls
    /// ``watchScan()``). The host's services are shut down, and that is awaited, before this returns.
    static func run<T>(
        plugins: [String] = defaultPlugins, environment: [String: String] = [:],
        preparePlugins: (URL) throws -> Void = { _ in },
        _ body: @Sendable (PluginHost, any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-plugin-host-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pluginFolder = try pluginFolder(plugins, in: folder)
        try preparePlugins(pluginFolder)
        var configuration = VigorConfiguration(
            databasePath: folder.appendingPathComponent("vigor.sqlite").path,
            jwtSecret: "test-secret-0123456789-0123456789-abcdef", bcryptCost: 4)
        configuration.pluginDirectory = pluginFolder.path
        let clock = TestClock()
        let scans = ScanEvents()
        let assembly = try await HostAssembly.build(
            configuration: configuration,
            ai: .plugins(.init(environment: environment, pollInterval: watchInterval, onScan: { scans.record($0) })),
            logger: TestHost.logger, clock: clock.vigorClock)
        guard let ai = assembly.ai else { throw TestHostError("the host was built without its plugins") }
        guard let store = assembly.store as? SQLiteStore else { throw TestHostError("the host's store is not SQLite") }
        let host = PluginHost(
            configuration: configuration, store: store, ai: ai, clock: clock, folder: folder, pluginFolder: pluginFolder,
            scans: scans)
        return try await assembly.application().test(.router) { client in
            try await body(host, client)
        }
    }

    /// Lets the folder watch run one scan: waits until it sleeps, advances the test clock by its
    /// interval and awaits the scan's report (the scan probes new files in real child processes).
    func watchScan() async -> PluginScanReport {
        let seen = scans.count
        await clock.manual.waitForSleepers(1)
        clock.manual.advance(by: Self.watchInterval)
        return await scans.next(after: seen)
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
        _ = try await store.setTier(userID: userID, tier: name, now: Date())
    }
}

/// The reports of a folder watch's scans, awaited by tests.
final class ScanEvents: Sendable {
    private struct State {
        var reports: [PluginScanReport] = []
        var waiters: [(after: Int, continuation: CheckedContinuation<PluginScanReport, Never>)] = []
    }

    private let state = Mutex(State())

    /// How many scans have been reported.
    var count: Int { state.withLock { $0.reports.count } }

    func record(_ report: PluginScanReport) {
        let ready = state.withLock { s -> [CheckedContinuation<PluginScanReport, Never>] in
            s.reports.append(report)
            let count = s.reports.count
            let ready = s.waiters.filter { $0.after < count }.map(\.continuation)
            s.waiters.removeAll { $0.after < count }
            return ready
        }
        for continuation in ready { continuation.resume(returning: report) }
    }

    /// The first report after the first `after` ones (at once when it has come already).
    func next(after: Int) async -> PluginScanReport {
        await withCheckedContinuation { continuation in
            let report = state.withLock { s -> PluginScanReport? in
                if s.reports.count > after { return s.reports[after] }
                s.waiters.append((after, continuation))
                return nil
            }
            if let report { continuation.resume(returning: report) }
        }
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
