import Foundation
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

/// The host's own sequences of plugin calls, so a test states a request and checks the result.
extension MockPluginHost {
    /// Serves a chat request the way the host's router does for one provider: an offline
    /// provider answers `provider.complete`; any other is `provider.build_request` → the
    /// scripted ``http`` (allow-list applied) → `provider.parse_response` with the request attached.
    ///
    /// A scripted transport failure comes back as a `network` ``ProviderError`` (as from the
    /// real host); a request nothing was scripted for throws, since that is a test mistake.
    ///
    /// - Parameter baseURL: the upstream base URL (default: the descriptor's `default_base_url`).
    public func complete(
        _ component: String, _ request: ChatRequest, baseURL: String? = nil, deadlineMs: Int64? = nil
    ) throws(PluginError) -> ProviderResult {
        guard let descriptor = self.component(component) else { throw PluginError.unsupported("no component \(component) in this plugin") }
        if descriptor.capabilities.offline {
            return try invoke(component, "provider.complete", request, as: ProviderResult.self, deadlineMs: deadlineMs)
        }
        var response: UpstreamResponse
        do throws(PluginError) {
            response = try send(descriptor, request, baseURL: baseURL, deadlineMs: deadlineMs)
        } catch let error where error.status == VIGOR_ERR_UNAVAILABLE && !error.message.hasPrefix("mock host: no scripted") {
            return .failure(ProviderError(kind: .network, message: error.message))
        }
        response.request = request
        return try invoke(
            component, "provider.parse_response", ParseResponseInput(response, jsonBody: descriptor.capabilities.jsonBody),
            as: ProviderResult.self, deadlineMs: deadlineMs)
    }

    /// Serves a streaming chat request: `provider.build_request` (with `stream` set) → the
    /// scripted ``http`` → the response body fed to `provider.stream` in `chunkSize`-byte pieces.
    public func completeStreaming(
        _ component: String, _ request: ChatRequest, baseURL: String? = nil, chunkSize: Int = 16
    ) throws(PluginError) -> MockStreamResult {
        guard let descriptor = self.component(component) else { throw PluginError.unsupported("no component \(component) in this plugin") }
        var request = request
        request.stream = true
        let response = try send(descriptor, request, baseURL: baseURL, deadlineMs: nil)
        return try stream(component, input: request, body: Array(response.body.utf8), chunkSize: chunkSize)
    }

    /// Calls `generator.generate` with a typed profile and request; returns the typed plan.
    public func generate<Profile: Codable & Sendable, Request: Codable & Sendable, Plan: Codable & Sendable>(
        _ component: String, profile: Profile, request: Request, feedback: [String] = [], as plan: Plan.Type,
        deadlineMs: Int64? = nil
    ) throws(PluginError) -> Plan {
        let input = GenerateInput(profile: profile, request: request, feedback: feedback)
        return try invoke(component, "generator.generate", input, as: GenerateOutput<Plan>.self, deadlineMs: deadlineMs).plan
    }

    /// `provider.build_request`, then the request through the mock `vigor.http/1`, as the host's egress would.
    private func send(
        _ descriptor: ComponentDescriptor, _ request: ChatRequest, baseURL: String?, deadlineMs: Int64?
    ) throws(PluginError) -> UpstreamResponse {
        let base = baseURL ?? descriptor.defaultBaseURL ?? ""
        let upstream = try invoke(
            descriptor.id, "provider.build_request", BuildRequestInput(request: request, baseURL: base), as: UpstreamRequest.self,
            deadlineMs: deadlineMs)
        if options.enforceAllowedHosts {
            var allowed = descriptor.allowedHosts
            if let baseURL, let host = URL(string: baseURL)?.host { allowed.append(host) }
            let host = URL(string: upstream.url)?.host ?? ""
            guard HostAllowList.allows(host, patterns: allowed) else {
                throw PluginError.unavailable("host \"\(host)\" is not in \(descriptor.id)'s allowed_hosts \(allowed)")
            }
        }
        return try http.handle(upstream)
    }
}
