import VigorPluginAPI

/// A failed call into a plugin, in the host's terms: what kind of failure it was and the
/// plugin's (or the loader's) message.
///
/// The loader maps the ABI's C status codes (`VIGOR_ERR_*`) to ``Kind`` once, here; code
/// above the loader compares kinds and never needs the C header.
public struct PluginCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure a plugin call ended in: one case per error status the ABI defines.
    public enum Kind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// The input was malformed, had wrong types or missed fields (`VIGOR_ERR_INVALID_INPUT`).
        case invalidInput = "invalid_input"
        /// The operation or component is not provided by the plugin (`VIGOR_ERR_UNSUPPORTED`).
        case unsupported
        /// The versions cannot be served; negotiation failed (`VIGOR_ERR_INCOMPATIBLE`).
        case incompatible
        /// The call or stream was cancelled (`VIGOR_ERR_CANCELLED`).
        case cancelled
        /// The call's deadline passed (`VIGOR_ERR_DEADLINE`).
        case deadline
        /// A host service or the upstream could not serve (`VIGOR_ERR_UNAVAILABLE`).
        case unavailable
        /// A bug or unexpected state in the plugin or its runner (`VIGOR_ERR_INTERNAL`);
        /// also any status the ABI does not define.
        case `internal`

        /// The kind a C status code stands for; `VIGOR_OK` and unknown codes are `.internal`
        /// (a call that failed with "success" or an undefined code is a plugin bug).
        public init(status: Int32) {
            switch status {
            case VIGOR_ERR_INVALID_INPUT: self = .invalidInput
            case VIGOR_ERR_UNSUPPORTED: self = .unsupported
            case VIGOR_ERR_INCOMPATIBLE: self = .incompatible
            case VIGOR_ERR_CANCELLED: self = .cancelled
            case VIGOR_ERR_DEADLINE: self = .deadline
            case VIGOR_ERR_UNAVAILABLE: self = .unavailable
            default: self = .internal
            }
        }

        /// The C status code for this kind (what the runner wire and the ABI carry).
        public var status: Int32 {
            switch self {
            case .invalidInput: VIGOR_ERR_INVALID_INPUT
            case .unsupported: VIGOR_ERR_UNSUPPORTED
            case .incompatible: VIGOR_ERR_INCOMPATIBLE
            case .cancelled: VIGOR_ERR_CANCELLED
            case .deadline: VIGOR_ERR_DEADLINE
            case .unavailable: VIGOR_ERR_UNAVAILABLE
            case .internal: VIGOR_ERR_INTERNAL
            }
        }

        public var description: String { rawValue }
    }

    /// What kind of failure this was.
    public var kind: Kind
    /// The plugin's (or the loader's) message, UTF-8.
    public var message: String
    /// The raw C status code as received (`VIGOR_ERR_*`). Kept for code not yet moved to
    /// ``kind``; new code should compare ``kind``.
    public var status: Int32

    /// A failure of the given kind.
    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
        self.status = kind.status
    }

    /// A failure from a C status code; the kind is mapped once here.
    public init(status: Int32, message: String) {
        self.kind = Kind(status: status)
        self.message = message
        self.status = status
    }

    public var description: String { "plugin call failed (\(kind)): \(message)" }
}
