import Foundation
import Logging
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

/// Chooses providers for a chat request and fails over between them. Offline providers
/// (the fallback coach) are always tried last, so the product always answers.
public final class ProviderRouter: Sendable {
    let registry: PluginRegistry
    let logger: Logger

    public init(registry: PluginRegistry, logger: Logger) {
        self.registry = registry
        self.logger = logger
    }

    /// Providers in the order they are tried: upstream providers first, offline ones last.
    func candidates() -> [PluginComponentHandle] {
        let providers = registry.components(kind: .llmProvider)
        return providers.filter { !$0.descriptor.capabilities.offline } + providers.filter { $0.descriptor.capabilities.offline }
    }

    public func complete(_ request: ChatRequest, context: AIRequestContext) async throws -> CoachReply {
        var failures: [String] = []
        for provider in candidates() {
            guard provider.descriptor.capabilities.offline else {
                failures.append("\(provider.providerName): upstream providers need host egress")
                continue
            }
            do {
                let result = try provider.invoke("provider.complete", request, as: ProviderResult.self, deadlineMs: context.deadlineMs)
                if let response = result.response {
                    return reply(response, from: provider)
                }
                failures.append("\(provider.providerName): \(result.error?.message ?? "no response")")
            } catch let error as PluginCallError where error.status == VIGOR_ERR_INVALID_INPUT {
                throw AIError(.badRequest, error.message)
            } catch {
                failures.append("\(provider.providerName): \(error)")
                logger.warning("provider failed", metadata: ["provider": "\(provider.providerName)", "error": "\(error)", "request_id": "\(context.requestID)"])
            }
        }
        throw AIError(.noProvider, failures.isEmpty ? "no LLM provider is loaded" : "no provider could answer: \(failures.joined(separator: "; "))")
    }

    func reply(_ response: ChatResponse, from provider: PluginComponentHandle) -> CoachReply {
        let model = provider.descriptor.models.first { $0.id == response.model } ?? provider.descriptor.models.first
        let cost = Pricing.costMicros(usage: response.usage, model: model)
        return CoachReply(
            text: response.text, provider: provider.providerName, model: response.model, usage: response.usage, costMicros: cost,
            citations: response.citations)
    }
}

/// Money is kept in integer micro-dollars. A price of P USD per million tokens is
/// exactly P micro-dollars per token.
public enum Pricing {
    public static func costMicros(usage: TokenUsage, model: ModelInfo?) -> Int64 {
        guard let model else { return 0 }
        let input = Double(usage.promptTokens) * model.inputPerMTokUSD
        let output = Double(usage.completionTokens) * model.outputPerMTokUSD
        return Int64((input + output).rounded(.up))
    }
}
