import VigorPluginSDK

/// What the router does after a failed attempt. One decision for the plain and the
/// streaming path (``ProviderRouter/disposition(of:provider:model:alias:)``).
enum AttemptDisposition: Equatable {
    /// The request itself is at fault (bad request, unknown model, context length, blocked
    /// content): answer the client with this 4xx. Not the provider's fault: no breaker.
    case clientError(AIError)
    /// Not the provider's fault, and another provider may serve the request (an upstream that
    /// does not know a model an alias chose for it): try the next provider, no breaker.
    case nextProvider
    /// The provider (or its plugin) failed: count it against the breaker; retry this provider
    /// when `retry` (overloaded, rate-limited, network, unreadable answer), else move on.
    case providerFault(retry: Bool)
}

extension ProviderRouter {
    /// Whose fault a failed attempt is, and what happens next.
    ///
    /// - A plugin that failed its own call (crash, deadline, garbage): provider fault, no retry.
    /// - `bad_request` from an upstream with HTTP 404 (a model it does not know): for a concrete
    ///   model, `404 model_not_found` to the client; for an alias, the next provider.
    /// - Any other `bad_request`, `context_length`, `content_blocked`: `400` to the client.
    /// - `auth` (the operator's key was refused): provider fault, no retry.
    /// - `rate_limited`, `overloaded`, `network`, `bad_response`: provider fault, retried.
    static func disposition(of error: ProviderError, provider: String, model: String, alias: Bool) -> AttemptDisposition {
        if error.isPluginFault { return .providerFault(retry: false) }
        switch error.kind {
        case .badRequest where error.status == 404:
            if alias { return .nextProvider }
            return .clientError(AIError(.modelNotFound, "\(provider) does not serve the model `\(model.prefix(200))`: \(error.message)"))
        case .badRequest, .contextLength, .contentBlocked:
            return .clientError(AIError(.badRequest, "\(provider): \(error.message)"))
        case .auth:
            return .providerFault(retry: false)
        case .rateLimited, .overloaded, .network, .badResponse:
            return .providerFault(retry: true)
        }
    }
}
