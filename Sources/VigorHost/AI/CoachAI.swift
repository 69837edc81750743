import VigorCoaching
import VigorPluginSDK

/// The host's AI entry points used by the HTTP routes: chat through the router,
/// plan generation through a generator plugin plus the plan validator.
public protocol CoachAI: Sendable {
    /// One chat completion. `messages` already hold the system prompt, the history and the new turn.
    func chat(_ request: ChatRequest, context: AIRequestContext) async throws -> CoachReply
    /// Generates and validates a plan; falls back to the rule-based planner; throws ``AIError``.
    func generatePlan(profile: FitnessProfile, request: PlanRequest, context: AIRequestContext) async throws -> GeneratedPlan
    /// Streams one chat completion: text as it arrives, then ``ChatStreamEvent/done(_:)``.
    /// Errors before any text are ``AIError``s; after text, ``StreamCutError``.
    func chatStream(_ request: ChatRequest, context: AIRequestContext) -> AsyncThrowingStream<ChatStreamEvent, any Error>
    /// Whether at least one provider and one generator are loaded (for `/ready`).
    var isReady: Bool { get }
    /// What `GET /v1/models` lists: exactly the model names that route now (the aliases and
    /// every model of a usable provider). Default: none.
    func listModels() async -> [ModelListing]
    /// The admin's model table (`/api/v1/admin/models`). Default: `nil` (no model catalogue).
    var modelAdmin: (any ModelAdministration)? { get }
    /// Loaded and rejected plugins (`GET /api/v1/admin/plugins`). Default: `nil` (no plugin layer).
    var pluginInventory: PluginInventory? { get }
    /// Each loaded provider's health (`GET /api/v1/ai/provider-status`). Default: none.
    /// Says only WHETHER a provider's secrets are configured, never their values.
    func providerHealth(nowMs: Int64) -> [ProviderHealth]
    /// Rescans the plugin folder now (`POST /api/v1/admin/plugins/reload`, hot-add); returns the
    /// inventory after the scan and the ids that were added or replaced. Default: `nil`.
    func reloadPlugins() -> (inventory: PluginInventory, changed: [String])?
}

/// The defaults for an AI layer without plugins, a model catalogue or providers (tests, embedders).
extension CoachAI {
    public func listModels() async -> [ModelListing] { [] }
    public var modelAdmin: (any ModelAdministration)? { nil }
    public var pluginInventory: PluginInventory? { nil }
    public func providerHealth(nowMs: Int64) -> [ProviderHealth] { [] }
    public func reloadPlugins() -> (inventory: PluginInventory, changed: [String])? { nil }
}

extension CoachAI {
    /// A non-streaming layer streams its whole answer as one piece.
    public func chatStream(_ request: ChatRequest, context: AIRequestContext) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let reply = try await chat(request, context: context)
                    continuation.yield(.delta(reply.text))
                    continuation.yield(.done(reply))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
