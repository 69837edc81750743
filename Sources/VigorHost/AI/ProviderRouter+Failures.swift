import Foundation
import VigorPluginLoader
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
    /// - A plugin that failed its own call (crash, deadline, garbage) or is misconfigured (asks
    ///   for a host outside its `allowed_hosts`): provider fault, no retry.
    /// - `bad_request` from an upstream with HTTP 404 (a model it does not know): for a concrete
    ///   model, `404 model_not_found` to the client; for an alias, the next provider.
    /// - Any other `bad_request`, `context_length`, `content_blocked`: `400` to the client.
    /// - `auth` (the operator's key was refused): provider fault, no retry.
    /// - `rate_limited`, `overloaded`, `network`, `bad_response`: provider fault, retried.
    static func disposition(of error: ProviderError, provider: String, model: String, alias: Bool) -> AttemptDisposition {
        if error.isPluginFault || error.isPluginMisconfiguration { return .providerFault(retry: false) }
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

    /// Any error thrown during an attempt, as the ``ProviderError`` the policy decides on.
    ///
    /// - a ``ProviderError`` (the plugin's or egress's verdict) as it is;
    /// - a plugin call refused as invalid input: `bad_request` (the request is at fault);
    /// - any other plugin call failure: a plugin fault (``ProviderError/pluginFault(_:)``);
    /// - anything else (transport): classified by egress (`network`).
    static func attemptFailure(_ error: any Error) -> ProviderError {
        switch error {
        case let error as ProviderError:
            return error
        case let error as PluginCallError where error.kind == .invalidInput:
            return ProviderError(kind: .badRequest, message: error.message)
        case let error as PluginCallError:
            return .pluginFault(error)
        default:
            return Egress.classify(error)
        }
    }

    /// The hosts a provider's requests may go to: its `allowed_hosts`, plus the host of an
    /// operator's base-URL override (the operator chose it).
    func allowedHosts(_ provider: PluginComponentHandle) -> [String] {
        var allowed = provider.descriptor.allowedHosts
        if let override = configuration.baseURLs[provider.providerName], let host = urlParts.parts(of: override)?.host {
            allowed.append(host)
        }
        return allowed
    }

    /// Checks a request a provider plugin built before egress sends it: a URL egress cannot
    /// use, or a host outside the plugin's allow-list, is the plugin's misconfiguration (the
    /// router logs and counts it and fails over), never the user's `400`.
    func checkEgress(_ request: UpstreamRequest, provider: PluginComponentHandle, allowed: [String]) throws(ProviderError) {
        guard let url = urlParts.parts(of: request.url), url.scheme == "http" || url.scheme == "https", let host = url.host else {
            throw ProviderError.pluginMisconfiguration("built an invalid upstream URL `\(request.url.prefix(200))`")
        }
        guard HostAllowList.allows(host, patterns: allowed) else {
            let name = provider.providerName
            logger.error(
                "egress refused: the plugin asked for a host outside its allowed_hosts",
                metadata: ["provider": "\(name)", "plugin": "\(provider.descriptor.id)", "host": "\(host.prefix(200))"])
            metrics?.recordEgressRefusal(provider: name)
            throw ProviderError.pluginMisconfiguration("host \(host.prefix(200)) is not in the plugin's allowed_hosts")
        }
    }
}

extension ProviderError {
    static let pluginFaultPrefix = "plugin fault: "
    static let pluginMisconfigurationPrefix = "plugin misconfiguration: "

    /// A provider plugin that failed its own call (crashed in its runner, missed the
    /// deadline, returned garbage) rather than relaying an upstream's error.
    static func pluginFault(_ error: PluginCallError) -> ProviderError {
        ProviderError(kind: .badResponse, message: pluginFaultPrefix + error.description)
    }

    /// A provider plugin whose request egress may not send (a host outside its
    /// `allowed_hosts`, an unusable URL): the operator must fix the plugin or its base URL.
    static func pluginMisconfiguration(_ message: String) -> ProviderError {
        ProviderError(kind: .badResponse, message: pluginMisconfigurationPrefix + message)
    }

    var isPluginFault: Bool { status == nil && kind == .badResponse && message.hasPrefix(Self.pluginFaultPrefix) }

    var isPluginMisconfiguration: Bool {
        status == nil && kind == .badResponse && message.hasPrefix(Self.pluginMisconfigurationPrefix)
    }
}
