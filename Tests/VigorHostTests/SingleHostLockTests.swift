import Foundation
import Testing

@testable import VigorHost

/// One serving host per SQLite file: a second host's start-up would release the first one's
/// live quota reservations, so it is refused (``SingleHostLock``).
@Suite("One serving host per SQLite file")
struct SingleHostLockTests {
    static func configuration(_ folder: URL) -> VigorConfiguration {
        VigorConfiguration(
            port: 0, databasePath: folder.appendingPathComponent("vigor.sqlite").path,
            jwtSecret: "test-secret-0123456789-0123456789-abcdef", bcryptCost: 4)
    }

    static func build(_ configuration: VigorConfiguration) async throws -> HostAssembly {
        try await HostAssembly.build(configuration: configuration, ai: .custom({ _ in TestCoachAI() }), logger: TestHost.logger)
    }

    @Test("a second host on a served SQLite file is refused, naming the file and the holder; migrate and user create still work")
    func secondHostRefused() async throws {
        try await TestHost.withFolder("vigor-lock") { folder in
            let configuration = Self.configuration(folder)
            try await TestHost.serve(try await Self.build(configuration)) { _, _ in
                for _ in 0..<2 {
                    let error = await #expect(throws: DatabaseInUseError.self) { _ = try await Self.build(configuration) }
                    #expect(error?.holderPID == getpid())
                    #expect(error?.databasePath == configuration.databasePath)
                    #expect(error?.description.contains("is serving the SQLite database \(configuration.databasePath)") == true)
                    #expect(error?.description.contains("postgres://") == true, "the message names the way to several hosts")
                }
                // Neither serves nor recovers: allowed beside the running host.
                #expect(try await VigorServer.migrate(database: configuration.database, logger: TestHost.logger).isEmpty)
                let user = try await VigorServer.createUser(
                    configuration: configuration, email: "ops@example.com", password: "password-0123456789", logger: TestHost.logger)
                #expect(user.email == "ops@example.com")
            }
            // The first host has stopped (its store closed, its lock released): a new one serves.
            let port = try await TestHost.serve(try await Self.build(configuration)) { port, _ in port }
            #expect(port > 0)
        }
    }

    @Test("a host whose start-up fails after taking the lock lets it go")
    func failedStartReleases() async throws {
        try await TestHost.withFolder("vigor-lock") { folder in
            let configuration = Self.configuration(folder)
            await #expect(throws: TestHostError.self) {
                _ = try await HostAssembly.build(
                    configuration: configuration, ai: .custom({ _ in throw TestHostError("the AI layer failed") }), logger: TestHost.logger)
            }
            let lock = try SingleHostLock.acquire(database: configuration.databasePath)
            #expect(lock.isHeld)
            // The file is private to the host's user and names the holder.
            let attributes = try FileManager.default.attributesOfItem(atPath: lock.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid())\n")
            lock.release()
            #expect(!lock.isHeld)

            // A lock file replaced by a link is refused, not followed (and the target not truncated).
            let target = folder.appendingPathComponent("target.txt")
            try Data("keep".utf8).write(to: target)
            let linked = folder.appendingPathComponent("linked.sqlite").path
            try FileManager.default.createSymbolicLink(atPath: SingleHostLock.lockPath(database: linked), withDestinationPath: target.path)
            #expect(throws: StoreError.self) { _ = try SingleHostLock.acquire(database: linked) }
            #expect(try String(contentsOf: target, encoding: .utf8) == "keep")
        }
    }

    @Test(
        "two vigor serve processes on one SQLite file: the second exits non-zero saying why; after SIGKILL of the first a new one starts",
        .timeLimit(.minutes(2)))
    func twoProcesses() async throws {
        try await TestHost.withFolder("vigor-lock-serve") { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let database = folder.appendingPathComponent("vigor.sqlite").path
            let first = try await ServeProcess.start(database: database, plugins: folder.path)
            let second = try await VigorRun.run(
                [
                    "serve", "--port", String(RawHTTPConnection.freePort()), "--database-url", "sqlite:\(database)", "--plugins",
                    folder.path,
                ],
                environment: ["VIGOR_JWT_SECRET": "durability-secret-0123456789-0123456789-abcdef"])
            #expect(second.status != 0)
            #expect(
                second.output.contains("another vigor host (pid \(first.pid)) is serving the SQLite database \(database)"),
                "\(second.output)")
            #expect(!second.output.contains("vigor is serving"))
            #expect(first.isRunning)

            // Tools that do not serve work beside the running host.
            let migrate = try await VigorRun.run(["migrate", "--database-url", "sqlite:\(database)"])
            #expect(migrate.status == 0 && migrate.output.contains("database is up to date"), "\(migrate.output)")
            let create = try await VigorRun.run(
                ["user", "create", "--email", "root@example.com", "--password-stdin", "--admin", "--database", database],
                environment: ["VIGOR_BCRYPT_COST": "4"], input: "admin-password-0123\n")
            #expect(create.status == 0 && create.output.contains("created user"), "\(create.output)")

            // SIGKILL: the kernel drops the dead host's lock, so a restarted host starts at once.
            #expect(await first.stop(signal: SIGKILL) == SIGKILL)
            let restarted = try await ServeProcess.start(database: database, plugins: folder.path)
            #expect(await restarted.stop() == 0)
        }
    }

    @Test("vigor serve on PostgreSQL without VIGOR_JWT_SECRET exits non-zero before connecting", .timeLimit(.minutes(1)))
    func postgresNeedsSecret() async throws {
        try await TestHost.withFolder("vigor-secret") { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Nothing listens on port 1: the refusal must not depend on a server.
            let result = try await VigorRun.run(
                ["serve", "--port", String(RawHTTPConnection.freePort()), "--plugins", folder.path, "--data-dir", folder.path],
                environment: ["VIGOR_DATABASE_URL": "postgres://vigor:hunter2@127.0.0.1:1/vigor?connect_timeout=1"])
            #expect(result.status != 0)
            #expect(result.output.contains("VIGOR_JWT_SECRET"), "\(result.output)")
            #expect(!result.output.contains("hunter2"))
        }
    }
}

/// Runs the built `vigor` once to its end with a clean environment (no provider keys, no
/// `VIGOR_` or `NIO_` settings from the caller) plus `environment`.
enum VigorRun {
    struct Result {
        var status: Int32
        /// Standard output and standard error, together.
        var output: String
    }

    static func run(_ arguments: [String], environment extra: [String: String] = [:], input: String? = nil) async throws -> Result {
        let process = Process()
        process.executableURL = PluginHost.builtProducts.appendingPathComponent("vigor")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasSuffix("_API_KEY") || name.hasPrefix("VIGOR_") || name.hasPrefix("NIO_") {
            environment[name] = nil
        }
        environment.merge(extra) { $1 }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Read to the end on a thread of its own (a blocking read must not hold a pool thread).
        let data = await withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
            Thread {
                continuation.resume(returning: output.fileHandleForReading.readDataToEndOfFile())
            }.start()
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
