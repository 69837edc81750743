import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VigorPluginLoader
import VigorPluginSDK

/// The host's HTTP egress: every upstream call a plugin asks for goes through here.
///
/// It enforces the plugin's `allowed_hosts`, injects secrets (plugins never see them),
/// bounds the time (connect and idle timeouts, the request deadline) and the size of the
/// response, and turns every transport failure into a typed ``ProviderError``.
public final class Egress: Sendable {
    public struct Configuration: Sendable {
        public var connectTimeout: TimeAmount = .seconds(5)
        /// Longest silence while waiting for the first byte or the next one.
        public var idleTimeout: TimeAmount = .seconds(30)
        public var maxResponseBytes: Int = 8 << 20
        public init() {}
    }

    let client: HTTPClient
    let secrets: Secrets
    let configuration: Configuration
    /// The upstream URLs' scheme and host, parsed once per URL (a plugin builds the same few).
    let urlParts = URLPartsCache()

    public init(
        secrets: Secrets, configuration: Configuration = Configuration(),
        eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup
    ) {
        var config = HTTPClient.Configuration()
        config.timeout = .init(connect: configuration.connectTimeout, read: configuration.idleTimeout)
        config.redirectConfiguration = .disallow
        config.decompression = .enabled(limit: .size(configuration.maxResponseBytes))
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        // No tracer: the host bootstraps none, and with the default (the global no-op tracer)
        // the client still builds each request's span attributes (36 K instructions a request).
        config.tracing.tracer = nil
        self.client = HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: config)
        self.secrets = secrets
        self.configuration = configuration
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Builds the outgoing request: checks the host, injects secret headers.
    ///
    /// - Parameter declaredSecrets: the secrets the calling plugin's descriptor declares; a
    ///   request naming another is refused as the plugin's fault (nothing is injected or
    ///   sent). nil: the caller has checked (the loader refuses such requests as they leave
    ///   the plugin, see `SecretGrant`).
    func prepare(
        _ request: UpstreamRequest, allowedHosts: [String], declaredSecrets: [String]? = nil
    ) throws(ProviderError) -> HTTPClientRequest {
        guard let url = urlParts.parts(of: request.url), url.scheme == "http" || url.scheme == "https", let host = url.host else {
            throw ProviderError(kind: .badRequest, message: "plugin built an invalid URL")
        }
        guard HostAllowList.allows(host, patterns: allowedHosts) else {
            throw ProviderError(kind: .badRequest, message: "host \(host) is not in the plugin's allowed_hosts")
        }
        var out = HTTPClientRequest(url: request.url)
        out.method = HTTPMethod(rawValue: request.method.uppercased())
        for pair in request.headers where pair.count == 2 {
            let name = pair[0].lowercased()
            // Credentials come only from the host's secrets.
            if name == "authorization" || name == "x-goog-api-key" || name == "api-key" { continue }
            out.headers.add(name: pair[0], value: pair[1])
        }
        if let declaredSecrets, let secret = SecretGrant.undeclared(in: request, declared: declaredSecrets) {
            let message = SecretGrant.refusal(secret: secret, plugin: nil, declared: declaredSecrets)
            throw ProviderError.pluginFault(PluginCallError(status: PluginError.internalError("").status, message: message))
        }
        for secret in request.secretHeaders {
            guard let value = secrets.value(secret.secret) else {
                throw ProviderError(kind: .auth, message: "secret \(secret.secret) is not configured")
            }
            out.headers.replaceOrAdd(name: secret.name, value: secret.prefix + value)
        }
        if !request.body.isEmpty {
            out.body = .bytes(ByteBuffer(string: request.body))
        }
        return out
    }

    /// Sends a request and collects the whole (size-capped) response.
    /// - Parameter declaredSecrets: see ``prepare(_:allowedHosts:declaredSecrets:)``.
    public func send(
        _ request: UpstreamRequest, allowedHosts: [String], declaredSecrets: [String]? = nil, deadline: NIODeadline
    ) async throws(ProviderError) -> UpstreamResponse {
        let prepared = try prepare(request, allowedHosts: allowedHosts, declaredSecrets: declaredSecrets)
        do {
            let response = try await client.execute(prepared, deadline: deadline)
            let body = try await response.body.collect(upTo: configuration.maxResponseBytes)
            return UpstreamResponse(
                status: Int(response.status.code), headers: response.headers.map { [$0.name, $0.value] },
                body: String(buffer: body))
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw ProviderError(kind: .badResponse, message: "upstream response exceeded \(configuration.maxResponseBytes) bytes")
        } catch {
            throw Self.classify(error)
        }
    }

    /// Opens a streaming request: returns the status, headers and the body as it arrives.
    /// - Parameter declaredSecrets: see ``prepare(_:allowedHosts:declaredSecrets:)``.
    public func open(
        _ request: UpstreamRequest, allowedHosts: [String], declaredSecrets: [String]? = nil, deadline: NIODeadline
    ) async throws(ProviderError) -> HTTPClientResponse {
        let prepared = try prepare(request, allowedHosts: allowedHosts, declaredSecrets: declaredSecrets)
        do {
            return try await client.execute(prepared, deadline: deadline)
        } catch {
            throw Self.classify(error)
        }
    }

    /// Maps a transport failure to a provider error kind the router understands.
    static func classify(_ error: any Error) -> ProviderError {
        if let error = error as? ProviderError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return ProviderError(kind: .network, message: "upstream timed out (\(error))")
            default:
                return ProviderError(kind: .network, message: "upstream connection failed (\(error))")
            }
        }
        if error is CancellationError { return ProviderError(kind: .network, message: "cancelled") }
        return ProviderError(kind: .network, message: "upstream connection failed (\(error))")
    }
}
