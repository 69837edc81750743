import Hummingbird
import Logging
import NIOCore

/// The per-request context of every Vigor route: request id, client address and,
/// once authenticated, the caller.
public struct VigorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request id echoed in `X-Request-Id` and in every log line (set by ``RequestIDs``).
    public var requestID: String
    /// The connection's peer, when known. Its text (``peerAddress``) is made only when asked
    /// for: most routes never need it, and formatting it cost 3 K instructions a request.
    var peer: SocketAddress?
    /// The peer address of the connection, when known.
    public var peerAddress: String? { peer?.ipAddress }
    /// The authenticated caller (set by the route table for routes that need one).
    public var identity: Identity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestID = ""
        peer = source.channel.remoteAddress
        identity = nil
    }

    /// The caller, or 401.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthorized() }
        return identity
    }
}
