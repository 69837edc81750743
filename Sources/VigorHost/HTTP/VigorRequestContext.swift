import Hummingbird
import Logging

/// The per-request context of every Vigor route: request id, client address and,
/// once authenticated, the caller.
public struct VigorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request id echoed in `X-Request-Id` and in every log line (set by ``RequestIDMiddleware``).
    public var requestID: String
    /// The peer address of the connection, when known.
    public var peerAddress: String?
    /// The authenticated caller (set by the route table for routes that need one).
    public var identity: Identity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestID = ""
        peerAddress = source.channel.remoteAddress?.ipAddress
        identity = nil
    }

    /// The caller, or 401.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthorized() }
        return identity
    }
}
