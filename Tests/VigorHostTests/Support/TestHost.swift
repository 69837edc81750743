import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import VigorPluginLoader

@testable import VigorHost

/// A clock tests can move.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date()) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var vigorClock: VigorClock { VigorClock { [self] in self.now } }
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
        let store = try await VigorServer.openStore(configuration: configuration, logger: logger)
        let clock = TestClock()
        coachAI.attach(store, clock: clock.vigorClock)
        let host = TestHost(configuration: configuration, store: store, coachAI: coachAI, clock: clock, folder: folder)
        let app = try await VigorServer.buildApplication(
            configuration: configuration, store: store, coachAI: coachAI, logger: logger, clock: clock.vigorClock)
        return try await app.test(.router) { client in
            try await body(host, client)
        }
    }
}
