import Foundation
import Testing

@testable import VigorHost

/// The admin plugin listing says why a loaded provider cannot serve: `inactive: missing
/// secret NAME` when the host holds no value for a secret its descriptor declares.
@Suite("Admin plugin listing: the status of each component")
struct PluginStatusRouteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Compiles `Tests/Fixtures/checked_provider.c` (provider `checked`, secret `CHECKED_API_KEY`) into `folder`.
    static func dropCheckedProvider(into folder: URL) throws {
        let output = folder.appendingPathComponent("libchecked.so").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "cc", "-shared", "-fPIC", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-I",
            root.appendingPathComponent("Sources/VigorPluginAPI/include").path, "-o", output,
            root.appendingPathComponent("Tests/Fixtures/checked_provider.c").path,
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        chmod(output, 0o755)
    }

    static func status(of id: String, _ reply: Reply) -> String? {
        let loaded = reply.json["loaded"] as? [[String: Any]] ?? []
        return loaded.first { $0["id"] as? String == id }?["status"] as? String
    }

    @Test("a provider without its secret is listed inactive with the secret's name; with it, active")
    func inactiveProvider() async throws {
        try await PluginHost.run(preparePlugins: Self.dropCheckedProvider) { host, client in
            let admin = try await host.adminToken(client)
            let reply = try await client.send(.get, "/api/v1/admin/plugins", token: admin)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(Self.status(of: "dev.test.checked", reply) == "inactive: missing secret CHECKED_API_KEY", "\(reply.text)")
            #expect(Self.status(of: "dev.vigor.fallback", reply) == "active")
            let reload = try await client.send(.post, "/api/v1/admin/plugins/reload", token: admin)
            let plugins = reload.json["plugins"] as? [String: Any] ?? [:]
            let loaded = plugins["loaded"] as? [[String: Any]] ?? []
            #expect(
                loaded.first { $0["id"] as? String == "dev.test.checked" }?["status"] as? String
                    == "inactive: missing secret CHECKED_API_KEY", "\(reload.text)")
        }
        try await PluginHost.run(environment: ["CHECKED_API_KEY": "k-123"], preparePlugins: Self.dropCheckedProvider) { host, client in
            let admin = try await host.adminToken(client)
            let reply = try await client.send(.get, "/api/v1/admin/plugins", token: admin)
            #expect(Self.status(of: "dev.test.checked", reply) == "active", "\(reply.text)")
            #expect(!reply.text.contains("k-123"))
        }
    }
}
