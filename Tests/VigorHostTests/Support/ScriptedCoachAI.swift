import Foundation
import HummingbirdTesting
import Synchronization
import VigorCoaching
import VigorPluginSDK

@testable import VigorHost

/// A ``CoachAI`` whose stream follows a script: some pieces, then either a summary, a cut
/// (``StreamCutError``) or nothing more for a long time (to test client disconnects). It
/// records whether its producing task was cancelled.
final class ScriptedCoachAI: CoachAI {
    enum Ending: Sendable {
        case done
        case cut
        /// Keep emitting a piece every `intervalMs` until cancelled.
        case endless(intervalMs: Int)
    }

    let pieces: [String]
    let ending: Ending
    let errorBeforeFirst: AIError?
    private let state = Mutex((cancelled: false, finished: false))

    init(pieces: [String], ending: Ending = .done, errorBeforeFirst: AIError? = nil) {
        self.pieces = pieces
        self.ending = ending
        self.errorBeforeFirst = errorBeforeFirst
    }

    var wasCancelled: Bool { state.withLock { $0.cancelled } }

    var isReady: Bool { true }

    var reply: CoachReply {
        CoachReply(
            text: pieces.joined(), provider: "scripted", model: "scripted-1",
            usage: TokenUsage(promptTokens: 7, completionTokens: pieces.count), costMicros: 42)
    }

    func chat(_ request: ChatRequest, context: AIRequestContext) async throws -> CoachReply {
        if let errorBeforeFirst { throw errorBeforeFirst }
        return reply
    }

    func chatStream(_ request: ChatRequest, context: AIRequestContext) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task { [self] in
                do {
                    if let errorBeforeFirst { throw errorBeforeFirst }
                    for piece in pieces {
                        continuation.yield(.delta(piece))
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    switch ending {
                    case .done:
                        continuation.yield(.done(reply))
                        continuation.finish()
                    case .cut:
                        continuation.finish(throwing: StreamCutError(provider: "scripted", message: "network: connection reset"))
                    case .endless(let interval):
                        while true {
                            try await Task.sleep(for: .milliseconds(interval))
                            continuation.yield(.delta("more "))
                        }
                    }
                } catch {
                    if Task.isCancelled { state.withLock { $0.cancelled = true } }
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { [self] reason in
                if case .cancelled = reason { self.state.withLock { $0.cancelled = true } }
                task.cancel()
            }
        }
    }

    func generatePlan(profile: FitnessProfile, request: PlanRequest, context: AIRequestContext) async throws -> GeneratedPlan {
        GeneratedPlan(plan: RuleBasedPlanner.generate(profile: profile, request: request, catalog: .standard), generator: "scripted")
    }
}

/// Runs `body` against a host (fresh SQLite file) whose AI layer is `coachAI`.
func runHost<T>(
    coachAI: any CoachAI, mode: TestingSetup = .router,
    _ body: @Sendable (SQLiteStore, any TestClientProtocol) async throws -> T
) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigor-scripted-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let configuration = VigorConfiguration(
        port: 0, databasePath: folder.appendingPathComponent("vigor.sqlite").path,
        jwtSecret: "test-secret-0123456789-0123456789-abcdef", bcryptCost: 4)
    let store = try await VigorServer.openStore(configuration: configuration, logger: TestHost.logger)
    let app = try await VigorServer.buildApplication(
        configuration: configuration, store: store, coachAI: coachAI, logger: TestHost.logger)
    return try await app.test(mode) { client in try await body(store, client) }
}
