import Foundation
import Testing
import VigorPluginLoader
import VigorPluginSDK

@testable import VigorHost

/// Hot-add against a running host: plugins dropped into its folder go live without a restart.
@Suite("Hot-add plugins")
struct HotAddTests {
    static let coachSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/c-plugin/coach.c").path
    static let header = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/VigorPluginAPI/include").path

    /// Builds the C example plugin (a given version) and moves it into `folder` atomically,
    /// as an operator's deploy step would.
    static func drop(version: String, into folder: URL, name: String = "libc_coach.so") throws {
        let staging = folder.deletingLastPathComponent().appendingPathComponent("staging-\(UUID().uuidString).so")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "cc", "-shared", "-fPIC", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-I", header,
            "-DCOACH_VERSION=\"\(version)\"", "-o", staging.path, coachSource,
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        try replace(folder.appendingPathComponent(name), with: staging)
    }

    /// rename(2): the new file takes the name atomically, with a new inode.
    static func replace(_ target: URL, with staging: URL) throws {
        guard rename(staging.path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    static func loadedVersion(_ reply: Reply, id: String) -> String? {
        let plugins = reply.json["plugins"] as? [String: Any] ?? reply.json
        let loaded = plugins["loaded"] as? [[String: Any]] ?? []
        return loaded.first { $0["id"] as? String == id }?["version"] as? String
    }

    @Test("drop in, replace, and survive a broken version — over the admin reload route, no restart")
    func reloadRoute() async throws {
        try await PluginHost.run { host, client in
            let admin = try await host.adminToken(client)
            let user = try await client.register("plain-user")
            #expect(try await client.send(.post, "/api/v1/admin/plugins/reload", token: user.token).status == .forbidden)

            // 1. A new plugin goes live.
            try Self.drop(version: "1.0.0", into: host.pluginFolder)
            let first = try await client.send(.post, "/api/v1/admin/plugins/reload", token: admin)
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.json["changed"] as? [String] == ["dev.example.c-coach"])
            #expect(Self.loadedVersion(first, id: "dev.example.c-coach") == "1.0.0")
            let old = try #require(host.ai.registry.component(id: "dev.example.c-coach"))

            // 2. A new version replaces it for new requests; a request holding the old one finishes on it.
            try Self.drop(version: "2.0.0", into: host.pluginFolder)
            let second = try await client.send(.post, "/api/v1/admin/plugins/reload", token: admin)
            #expect(Self.loadedVersion(second, id: "dev.example.c-coach") == "2.0.0")
            #expect(host.ai.registry.component(id: "dev.example.c-coach")?.descriptor.version == "2.0.0")
            let request = ChatRequest(messages: [ChatMessage(role: "user", content: "stretch?")])
            let answer = try old.invoke("provider.complete", request, as: ProviderResult.self)
            #expect(answer.response?.text.contains("Stretch") == true)
            #expect(old.descriptor.version == "1.0.0")

            // 3. A broken new version is rejected with its reason; 2.0.0 keeps serving.
            let junk = host.folder.appendingPathComponent("junk.so")
            _ = FileManager.default.createFile(atPath: junk.path, contents: Data("not a library".utf8))
            try Self.replace(host.pluginFolder.appendingPathComponent("libc_coach.so"), with: junk)
            let third = try await client.send(.post, "/api/v1/admin/plugins/reload", token: admin)
            #expect(Self.loadedVersion(third, id: "dev.example.c-coach") == "2.0.0")
            let rejected = (third.json["plugins"] as? [String: Any])?["rejected"] as? [[String: Any]] ?? []
            #expect(
                rejected.contains {
                    ($0["path"] as? String)?.hasSuffix("libc_coach.so") == true && $0["code"] as? String == "not_shared_library"
                })
            let still = try #require(host.ai.registry.component(id: "dev.example.c-coach"))
            #expect(try still.invoke("provider.complete", request, as: ProviderResult.self).response != nil)
        }
    }

    /// Runs a folder watch over `registry` on a manual clock. `body` gets `scan`, which lets the
    /// watch run one scan (advances the clock past its interval) and awaits the scan's report.
    /// The watch is stopped, and that is awaited, when `body` ends.
    static func withWatch<T>(
        _ registry: PluginRegistry, directory: String, _ body: (_ scan: () async -> PluginScanReport) async throws -> T
    ) async throws -> T {
        let manual = ManualClock()
        let scans = ScanEvents()
        let watcher = PluginWatcher(
            registry: registry, directory: directory, interval: .seconds(2), logger: TestHost.logger, clock: .manual(manual),
            onScan: { scans.record($0) })
        let task = Task { try await watcher.run() }
        func scan() async -> PluginScanReport {
            let seen = scans.count
            await manual.waitForSleepers(1)
            manual.advance(by: .seconds(2))
            return await scans.next(after: seen)
        }
        let result = await Result(catching: { try await body(scan) })
        task.cancel()
        _ = try? await task.value
        return try result.get()
    }

    @Test("the folder watch picks up a dropped plugin by itself, from a shadow copy")
    func folderWatch() async throws {
        try await TestHost.withFolder("vigor-watch") { folder in
            let plugins = folder.appendingPathComponent("plugins")
            try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
            let shadow = folder.appendingPathComponent("cache").path
            let registry = PluginRegistry(loader: PluginLoader(logger: TestHost.logger, shadowDirectory: shadow))
            try await Self.withWatch(registry, directory: plugins.path) { scan in
                try Self.drop(version: "3.1.0", into: plugins)
                let report = await scan()
                #expect(report.changed == ["dev.example.c-coach"])
                let component = registry.component(id: "dev.example.c-coach")
                #expect(component?.descriptor.version == "3.1.0")
                // The mapped file is the shadow copy, so overwriting the dropped file in place cannot corrupt it.
                let cached = try FileManager.default.contentsOfDirectory(atPath: shadow)
                #expect(cached.contains { $0.hasSuffix("libc_coach.so") })
                #expect(component?.path == plugins.appendingPathComponent("libc_coach.so").path)
                // Nothing new: the next scan changes nothing.
                #expect(await scan().changed.isEmpty)
            }
        }
    }

    @Test("the folder watch probes a dropped plugin that aborts while loading: rejected, no shadow copy kept, the watch goes on")
    func folderWatchSurvivesAbortingPlugin() async throws {
        try await TestHost.withFolder("vigor-watch") { folder in
            let plugins = folder.appendingPathComponent("plugins")
            try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
            let shadow = folder.appendingPathComponent("cache").path
            let registry = PluginRegistry(loader: PluginLoader(logger: TestHost.logger, shadowDirectory: shadow))
            try await Self.withWatch(registry, directory: plugins.path) { scan in
                // Before probing, the watch dlopen'ed this file in-process and the test process died.
                try PluginSecurityTests.drop("hostile_ctor_plugin.c", defines: ["CTOR_ABORT"], into: plugins, name: "libabort.so")
                let rejected = await scan().rejected.first { $0.path.hasSuffix("/libabort.so") }
                #expect(rejected?.reason == "crashed in constructor: signal 6 (SIGABRT)")
                let cached = (try? FileManager.default.contentsOfDirectory(atPath: shadow)) ?? []
                #expect(!cached.contains { $0.hasSuffix("libabort.so") }, "the rejected version's shadow copy is removed")

                try Self.drop(version: "4.0.0", into: plugins)
                #expect(await scan().changed == ["dev.example.c-coach"])
                #expect(registry.component(id: "dev.example.c-coach")?.descriptor.version == "4.0.0")
            }
        }
    }
}
