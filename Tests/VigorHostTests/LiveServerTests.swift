import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigorHost

@Suite("Over a real socket")
struct LiveServerTests {
    @Test("the application serves HTTP on a port and closes the store on graceful shutdown")
    func liveServerAndShutdown() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = VigorConfiguration(
            port: 0, databasePath: folder.appendingPathComponent("vigor.sqlite").path, bcryptCost: 4)
        let store = try await VigorServer.openStore(configuration: configuration, logger: TestHost.logger)
        let app = try await VigorServer.buildApplication(
            configuration: configuration, store: store, coachAI: TestCoachAI(), logger: TestHost.logger)
        try await app.test(.live) { client in
            #expect(try await client.send(.get, "/health").status == .ok)
            let account = try await client.register("live-user")
            let chat = try await client.send(.post, "/api/v1/ai/chat", token: account.token, json: ["message": "hello"])
            #expect(chat.status == .ok)
            #expect(chat.json["reply"] is String)
        }
        // The generated JWT secret was kept next to the database.
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(JWTSecret.fileName).path))
        // After the graceful shutdown the store is closed.
        await #expect(throws: (any Error).self) { try await store.ping() }
    }
}
