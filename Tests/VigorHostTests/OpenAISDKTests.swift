import Foundation
import Testing

@testable import VigorHost

/// The official `openai` Python package against a live `vigor serve` subprocess (real
/// plugins, real socket): non-streaming and streaming completions, the model list and the
/// SDK's typed errors. Skipped only when python3 cannot import `openai` AND `pip install
/// openai` fails.
@Suite("OpenAI Python SDK against a live server", .serialized)
struct OpenAISDKTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Scripts/openai_sdk_check.py").standardized

    /// Runs a command; returns (exit status, stdout, stderr).
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Whether `import openai` works, installing the package with pip when it does not.
    static let sdkAvailable: Bool = {
        if (try? run(["python3", "-c", "import openai"]))?.0 == 0 { return true }
        _ = try? run(["python3", "-m", "pip", "install", "--quiet", "openai"])
        return (try? run(["python3", "-c", "import openai"]))?.0 == 0
    }()

    @Test(
        "openai.OpenAI(base_url=…/v1, api_key=vgr_…): completion, stream with usage, models.list, typed errors",
        .enabled(if: OpenAISDKTests.sdkAvailable, "skipped: python3 cannot import openai and `pip install openai` failed"),
        .timeLimit(.minutes(3)))
    func officialSDK() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-sdk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugins = try PluginHost.pluginFolder(in: folder)
        let vigor = PluginHost.builtProducts.appendingPathComponent("vigor")
        #expect(FileManager.default.isExecutableFile(atPath: vigor.path), "no vigor binary at \(vigor.path)")
        let server = try await ServeProcess.start(
            database: folder.appendingPathComponent("vigor.sqlite").path, plugins: plugins.path,
            environment: ["VIGOR_JWT_SECRET": "sdk-test-secret-0123456789-0123456789-abcdef"])
        let result = await Result(catching: { try await Self.checkSDK(port: server.port) })
        await server.stop()
        let key = try result.get()
        #expect(!server.lines.contains { $0.contains(key) }, "the server log contains the API key")
    }

    /// Registers, creates an API key and runs the SDK script against the server on `port`;
    /// returns the key.
    static func checkSDK(port: Int) async throws -> String {
        let register = try RawHTTPConnection.request(
            port: port, method: "POST", path: "/api/v1/auth/register",
            body: jsonText(["email": "sdk@example.com", "username": "sdkuser", "password": "correct-horse-battery"]))
        #expect(register.status == 201, "\(register.body)")
        let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(register.body.utf8)) as? [String: Any])?["access_token"] as? String)
        let created = try RawHTTPConnection.request(
            port: port, method: "POST", path: "/api/v1/users/me/api-keys", headers: ["Authorization": "Bearer \(token)"],
            body: jsonText(["name": "python-sdk"]))
        #expect(created.status == 201, "\(created.body)")
        let key = try #require((try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])?["key"] as? String)

        let (status, out, err) = try await onOwnThread {
            try Self.run(
                ["python3", Self.script.path],
                environment: ["VIGOR_BASE_URL": "http://127.0.0.1:\(port)/v1", "VIGOR_API_KEY": key])
        }
        #expect(status == 0, "openai_sdk_check.py failed:\n\(out)\n\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("ok completion chars=") }, "\(out)")
        #expect(lines.contains { $0.hasPrefix("ok stream chunks=") }, "\(out)")
        // The models the loaded fallback provider declares (e.g. vigor-coach-1).
        #expect(lines.contains { $0.hasPrefix("ok models ") && $0.count > "ok models ".count }, "\(out)")
        #expect(lines.contains("ok bad_request"), "\(out)")
        #expect(lines.contains("ok auth_error"), "\(out)")
        #expect(lines.contains("ok model_not_found"), "\(out)")
        #expect(lines.contains("ok max_tokens_too_large"), "\(out)")

        // The requests were counted like any chat: 2 successes for this user (the n=2 one was refused before routing).
        let usage = try RawHTTPConnection.request(
            port: port, method: "GET", path: "/api/v1/users/me/usage", headers: ["Authorization": "Bearer \(token)"])
        let periods = (try JSONSerialization.jsonObject(with: Data(usage.body.utf8)) as? [String: Any])?["periods"] as? [[String: Any]]
        #expect(periods?.first { $0["period"] as? String == "day" }?["requests_used"] as? Int == 2, "\(usage.body)")

        return key
    }
}
