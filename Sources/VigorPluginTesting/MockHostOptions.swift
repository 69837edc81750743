import Foundation
import VigorPluginAPI
import VigorPluginSDK

/// A host service a ``MockPluginHost`` can offer through `get_service`.
public enum MockHostService: String, CaseIterable, Sendable, Hashable {
    case log = "vigor.log/1"
    case clock = "vigor.clock/1"
    case http = "vigor.http/1"
    case llm = "vigor.llm/1"

    /// The service for a versioned id, as a plugin asks for it.
    init?(id: String) {
        switch id {
        case VIGOR_SERVICE_LOG: self = .log
        case VIGOR_SERVICE_CLOCK: self = .clock
        case VIGOR_SERVICE_HTTP: self = .http
        case VIGOR_SERVICE_LLM: self = .llm
        default: return nil
        }
    }
}

/// How a ``MockPluginHost`` presents itself to the plugin.
public struct MockHostOptions: Sendable {
    /// The ABI major written into the host table given to `on_init` (default: this header's).
    /// Set it to 2 to check that the plugin refuses a host it cannot serve.
    public var abiMajor: UInt16
    /// The ABI minor written into the host table given to `on_init` (default: this header's).
    public var abiMinor: UInt16
    /// The services `get_service` answers; the others return NULL, as on a host that lacks them.
    public var services: Set<MockHostService>
    /// Refuse `vigor.http/1` requests to hosts outside the plugin's `allowed_hosts`, as the real host does.
    public var enforceAllowedHosts: Bool
    /// The mock wall clock's starting time.
    public var start: Date
    /// Also print every plugin log line to standard error.
    public var echoLog: Bool

    /// The default start of the mock clock: 2026-01-01T00:00:00Z.
    public static let defaultStart = Date(timeIntervalSince1970: 1_767_225_600)

    public init(
        abiMajor: UInt16 = UInt16(VIGOR_ABI_MAJOR), abiMinor: UInt16 = UInt16(VIGOR_ABI_MINOR),
        services: Set<MockHostService> = Set(MockHostService.allCases), enforceAllowedHosts: Bool = true,
        start: Date = MockHostOptions.defaultStart, echoLog: Bool = false
    ) {
        self.abiMajor = abiMajor
        self.abiMinor = abiMinor
        self.services = services
        self.enforceAllowedHosts = enforceAllowedHosts
        self.start = start
        self.echoLog = echoLog
    }
}

/// One line the plugin logged through `vigor.log/1`.
public struct MockLogEntry: Sendable, Hashable, CustomStringConvertible {
    public var level: HostServices.LogLevel
    public var message: String

    public init(level: HostServices.LogLevel, message: String) {
        self.level = level
        self.message = message
    }

    public var description: String { "\(level): \(message)" }
}
