import Foundation
import HummingbirdTesting
import Synchronization
import VigorCoaching
import VigorPluginSDK

@testable import VigorHost

/// A ``CoachAI`` whose stream follows a script: some pieces, then either a summary, a cut
/// (``StreamCutError``) or more pieces until it is cancelled (to test client disconnects). It
/// records whether its producing task was cancelled, and tests can await that.
final class ScriptedCoachAI: CoachAI {
    enum Ending: Sendable {
        case done
        case cut
        /// Keep emitting pieces until cancelled (as fast as they are taken: the pace stands for
        /// nothing, the pieces only keep the route writing so that it notices a client that left).
        case endless
    }

    let pieces: [String]
    let ending: Ending
    let errorBeforeFirst: AIError?
    private struct State {
        var cancelled = false
        var waiters: [CheckedContinuation<Bool, Never>] = []
    }

    private let state = Mutex(State())

    init(pieces: [String], ending: Ending = .done, errorBeforeFirst: AIError? = nil) {
        self.pieces = pieces
        self.ending = ending
        self.errorBeforeFirst = errorBeforeFirst
    }

    var wasCancelled: Bool { state.withLock { $0.cancelled } }

    /// Returns `true` once the producing task has been cancelled.
    func cancellation() async -> Bool {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.cancelled { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume(returning: true) }
        }
    }

    private func markCancelled() {
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.cancelled = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

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
        // An endless producer may run ahead of the route: it is bounded by dropping its excess.
        let buffering: AsyncThrowingStream<ChatStreamEvent, any Error>.Continuation.BufferingPolicy =
            if case .endless = ending { .bufferingOldest(16) } else { .unbounded }
        return AsyncThrowingStream(bufferingPolicy: buffering) { continuation in
            let task = Task { [self] in
                do {
                    if let errorBeforeFirst { throw errorBeforeFirst }
                    for piece in pieces {
                        continuation.yield(.delta(piece))
                        await Task.yield()
                    }
                    switch ending {
                    case .done:
                        continuation.yield(.done(reply))
                        continuation.finish()
                    case .cut:
                        continuation.finish(throwing: StreamCutError(provider: "scripted", message: "network: connection reset"))
                    case .endless:
                        while true {
                            try Task.checkCancellation()
                            continuation.yield(.delta("more "))
                            await Task.yield()
                        }
                    }
                } catch {
                    if Task.isCancelled { markCancelled() }
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { [self] reason in
                if case .cancelled = reason { self.markCancelled() }
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
    let store = try await TestHost.openSQLiteStore(configuration)
    let app = try await VigorServer.buildApplication(
        configuration: configuration, store: store, coachAI: coachAI, logger: TestHost.logger)
    return try await app.test(mode) { client in try await body(store, client) }
}
