import Foundation
import Testing

@testable import VigorHost

/// What `vigor serve` sets up for its own process (Sources/vigor/ServeProcessTuning.swift),
/// checked on a real server process.
@Suite("vigor serve: process set-up")
struct ServeProcessTests {
    /// The names of the server's NIO event-loop threads.
    static func eventLoopThreads(_ pid: Int32) -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { try? String(contentsOfFile: "/proc/\(pid)/task/\($0)/comm", encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { $0.hasPrefix("NIO-SGLTN") }
    }

    /// The first CPU this test process may run on (`Cpus_allowed_list` in /proc/self/status), so
    /// the server can be pinned to a CPU that exists in this container's set.
    static func firstAllowedCPU() -> String {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
        let list = line?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "0"
        return String(list.prefix { $0.isNumber }.isEmpty ? "0" : list.prefix { $0.isNumber })
    }

    /// Starts `vigor serve` pinned to one allowed CPU (`taskset -c N`) and returns its thread names once it is healthy.
    static func loopsUnderOneCPU(environment: [String: String]) async throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-loops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = RawHTTPConnection.freePort()
        let server = try DurabilityTests.startServer(
            database: folder.appendingPathComponent("vigor.sqlite").path, plugins: folder.path, port: port, environment: environment,
            launcher: ["/usr/bin/taskset", "-c", firstAllowedCPU()])
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        #expect(try await DurabilityTests.waitHealthy(port: port))
        return eventLoopThreads(server.processIdentifier)
    }

    @Test(
        "under a one-CPU affinity mask the server runs one event loop; NIO_SINGLETON_GROUP_LOOP_COUNT overrides it",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset")), .timeLimit(.minutes(1)))
    func oneLoopPerAllowedCPU() async throws {
        #expect(try await Self.loopsUnderOneCPU(environment: [:]).count == 1)
        #expect(try await Self.loopsUnderOneCPU(environment: ["NIO_SINGLETON_GROUP_LOOP_COUNT": "3"]).count == 3)
    }
}
