import Foundation
import Testing

@testable import VigorHost

@Suite("Over a real socket")
struct LiveServerTests {
    @Test("the host serves HTTP on a port, keeps its generated secret in the data folder, and closes the store on shutdown")
    func liveServerAndShutdown() async throws {
        try await TestHost.withFolder("vigor-live") { folder in
            var configuration = VigorConfiguration(
                port: 0, databasePath: folder.appendingPathComponent("db/vigor.sqlite").path, bcryptCost: 4)
            configuration.dataDirectory = folder.appendingPathComponent("data").path
            let host = try await HostAssembly.build(
                configuration: configuration, ai: .custom({ _ in TestCoachAI() }), logger: TestHost.logger)
            try await TestHost.serve(host) { port, _ in
                try await onOwnThread {
                    #expect(try RawHTTPConnection.request(port: port, method: "GET", path: "/health").status == 200)
                    let register = try RawHTTPConnection.request(
                        port: port, method: "POST", path: "/api/v1/auth/register",
                        body: jsonText(["email": "live@example.com", "username": "liveuser", "password": "correct-horse-battery"]))
                    #expect(register.status == 201, "\(register.body)")
                    let token = try #require(
                        (try JSONSerialization.jsonObject(with: Data(register.body.utf8)) as? [String: Any])?["access_token"] as? String)
                    let chat = try RawHTTPConnection.request(
                        port: port, method: "POST", path: "/api/v1/ai/chat", headers: ["Authorization": "Bearer \(token)"],
                        body: jsonText(["message": "hello"]))
                    #expect(chat.status == 200, "\(chat.body)")
                    #expect(chat.body.contains("\"reply\""))
                }
            }
            // The generated JWT secret was kept in the data folder, not beside the database.
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/\(JWTSecret.fileName)").path))
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("db/\(JWTSecret.fileName)").path))
            // After the graceful shutdown (awaited by `serve`) the store is closed.
            await #expect(throws: (any Error).self) { try await host.store.ping() }
        }
    }
}
