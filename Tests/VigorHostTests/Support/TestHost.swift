import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import VigorPluginLoader

@testable import VigorHost

/// A clock tests can move: a ``ManualClock`` starting now. The host reads it and waits on it
/// (a folder watch's interval, for one), so time passes only when the test advances it.
final class TestClock: Sendable {
    let manual: ManualClock

    init(_ start: Date = Date()) {
        manual = ManualClock(start: start)
    }

    var now: Date { manual.now }

    func advance(by seconds: TimeInterval) {
        manual.advance(by: .seconds(seconds))
    }

    var vigorClock: VigorClock { .manual(manual) }
}

/// One test's host: a fresh SQLite file in a temporary folder, a fast bcrypt cost and a
/// fixed JWT secret. The folder is removed when the test ends.
struct TestHost {
    var configuration: VigorConfiguration
    let store: SQLiteStore
    let coachAI: TestCoachAI
    let clock: TestClock
    let folder: URL

    static let logger: Logger = {
        var logger = Logger(label: "vigor.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` against a new host built from `configure`d settings.
    static func run<T>(
        coachAI: TestCoachAI = TestCoachAI(),
        configure: (inout VigorConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestHost, any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = VigorConfiguration(
            databasePath: folder.appendingPathComponent("vigor.sqlite").path,
            jwtSecret: "test-secret-0123456789-0123456789-abcdef", bcryptCost: 4)
        configure(&configuration)
        let store = try await openSQLiteStore(configuration)
        let clock = TestClock()
        coachAI.attach(store, clock: clock.vigorClock)
        let host = TestHost(configuration: configuration, store: store, coachAI: coachAI, clock: clock, folder: folder)
        let app = try await HostAssembly(
            configuration: configuration, store: store, coachAI: coachAI, logger: logger, clock: clock.vigorClock
        ).application()
        // The router test runs the host's services and awaits their graceful shutdown (the
        // store closes) before it returns.
        return try await app.test(.router) { client in
            try await body(host, client)
        }
    }

    /// The SQLite store of `configuration`, opened and migrated by ``VigorServer/openStore(configuration:logger:)``.
    static func openSQLiteStore(_ configuration: VigorConfiguration) async throws -> SQLiteStore {
        let store = try await VigorServer.openStore(configuration: configuration, logger: logger)
        guard let sqlite = store as? SQLiteStore else {
            try? await store.close()
            throw TestHostError("\(configuration.database) did not open as a SQLite store")
        }
        return sqlite
    }

    /// A new folder for one test's files; `body` runs with it, and it is removed afterwards.
    static func withFolder<T>(_ prefix: String, _ body: (URL) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder)
    }

    /// ``withFolder(_:_:)`` for a synchronous body.
    static func withFolderSync<T>(_ prefix: String, _ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    /// Runs `body` against a host serving on a real loopback socket, built by the composition
    /// root as `vigor serve` builds it (a free port is bound: no race for one). When `body`
    /// returns or throws, the host is shut down gracefully and that is awaited.
    static func live<T: Sendable>(
        coachAI: TestCoachAI = TestCoachAI(),
        configure: (inout VigorConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (_ port: Int, _ host: HostAssembly) async throws -> T
    ) async throws -> T {
        try await withFolder("vigor-live") { folder in
            var configuration = VigorConfiguration(
                port: 0, databasePath: folder.appendingPathComponent("vigor.sqlite").path,
                jwtSecret: "test-secret-0123456789-0123456789-abcdef", bcryptCost: 4)
            configure(&configuration)
            let host = try await HostAssembly.build(configuration: configuration, ai: .custom({ _ in coachAI }), logger: logger)
            return try await serve(host, body)
        }
    }

    /// Serves `host` on its configured address until `body` is done, then shuts it down
    /// gracefully and awaits the end of its service group.
    static func serve<T: Sendable>(
        _ host: HostAssembly, _ body: @escaping @Sendable (_ port: Int, _ host: HostAssembly) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = try await host.application { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let group = host.serviceGroup(application: app, trappingSignals: false)
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                portContinuation.finish()
                return nil
            }
            let result: Result<T, any Error>
            if let port = await ports.first(where: { _ in true }) {
                result = await Result(catching: { try await body(port, host) })
            } else {
                result = .failure(TestHostError("the host stopped before it listened"))
            }
            await group.triggerGracefulShutdown()
            while (try await tasks.next()) != nil {}
            return try result.get()
        }
    }
}

struct TestHostError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Result where Failure == any Error {
    /// The result of an async throwing body.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
