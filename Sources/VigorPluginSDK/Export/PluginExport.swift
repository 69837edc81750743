import Foundation
import Synchronization
import VigorPluginAPI

/// Exports Swift components through the C entry point.
///
/// A plugin library needs exactly this (the function name is fixed by the ABI):
///
/// ```swift
/// @_cdecl("vigor_plugin_entry")
/// public func vigorPluginEntry() -> UnsafeRawPointer { PluginExport.table { host in [MyProvider()] } }
/// ```
///
/// The SDK does the rest: version negotiation, the descriptor, JSON coding, error mapping,
/// exactly-once stream completion and buffer ownership. No Swift type crosses the boundary.
public enum PluginExport {
    /// Builds the components once, at `on_init`, given the host's services.
    public typealias Factory = @Sendable (HostServices) throws -> [any PluginComponent]

    /// The ABI minor version this SDK was built against; a host older than it is refused.
    public static let requiredHostMinor: UInt16 = UInt16(VIGOR_ABI_MINOR)

    /// Records the factory (first call wins) and returns the static entry table.
    public static func table(_ factory: @escaping Factory) -> UnsafeRawPointer {
        registeredFactory.withLock { if $0 == nil { $0 = factory } }
        return UnsafeRawPointer(entryTable.pointer)
    }

    static let registeredFactory = Mutex<Factory?>(nil)

    /// The entry table and toolchain string, allocated once and never freed (the library is never unloaded).
    struct TablePointer: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<vigor_plugin_table>
    }

    static let entryTable: TablePointer = {
        let table = UnsafeMutablePointer<vigor_plugin_table>.allocate(capacity: 1)
        table.initialize(
            to: vigor_plugin_table(
                struct_size: UInt32(MemoryLayout<vigor_plugin_table>.size),
                magic: VIGOR_PLUGIN_MAGIC,
                abi_major: UInt16(VIGOR_ABI_MAJOR),
                abi_minor: UInt16(VIGOR_ABI_MINOR),
                toolchain: UnsafePointer(strdup(SwiftToolchain.current)),
                on_init: Thunks.onInit,
                on_describe: Thunks.onDescribe,
                on_invoke: Thunks.onInvoke,
                on_stream_open: Thunks.onStreamOpen,
                on_stream_feed: Thunks.onStreamFeed,
                on_stream_close: Thunks.onStreamClose,
                on_shutdown: Thunks.onShutdown
            ))
        return TablePointer(pointer: table)
    }()
}

/// The Swift toolchain a library was compiled with, as recorded in the entry table.
/// Swift has no stable ABI on Linux, so the host refuses a plugin built by another toolchain.
public enum SwiftToolchain {
    public static var current: String {
        #if compiler(>=6.4)
            return "swift-6.4"
        #elseif compiler(>=6.3)
            return "swift-6.3"
        #elseif compiler(>=6.2)
            return "swift-6.2"
        #elseif compiler(>=6.1)
            return "swift-6.1"
        #else
            return "swift-6.0"
        #endif
    }
}

/// A live plugin instance: its components with their ids, its descriptor, the host services.
final class PluginInstance: Sendable {
    /// The components with their ids' UTF-8, for ``component(_:)``: a call names its
    /// component, and comparing bytes spares making and hashing a string on every call.
    let components: [(id: [UInt8], component: any PluginComponent)]
    let descriptorJSON: [UInt8]
    let host: HostServices

    init(components: [any PluginComponent], host: HostServices) throws {
        var ids = Set<String>()
        for component in components {
            let id = component.descriptor.id
            guard ids.insert(id).inserted else { throw PluginError.internalError("component id \(id) declared twice") }
        }
        self.components = components.map { (Array($0.descriptor.id.utf8), $0) }
        self.descriptorJSON = try WireJSON.encode(PluginDescriptor(plugins: components.map(\.exportedDescriptor)))
        self.host = host
    }

    func component(_ id: vigor_str) throws -> any PluginComponent {
        let wanted = UnsafeRawBufferPointer(start: id.ptr, count: id.ptr == nil ? 0 : id.len)
        for entry in components where entry.id.count == wanted.count {
            let same = entry.id.withUnsafeBytes { $0.count == 0 || memcmp($0.baseAddress!, wanted.baseAddress!, $0.count) == 0 }
            if same { return entry.component }
        }
        throw PluginError.unsupported("no component \(id.string) in this plugin")
    }
}

/// State of one open stream: the parser and the host's sink, with exactly-once completion.
final class StreamState {
    let parser: any PluginStream
    let sink: vigor_stream_sink
    var finished = false

    init(parser: any PluginStream, sink: vigor_stream_sink) {
        self.parser = parser
        self.sink = sink
    }

    func emit(_ events: [StreamEvent]) throws {
        for event in events {
            let bytes = try event.wireBytes()
            bytes.withUnsafeBufferPointer { sink.on_event?(sink.user, vigor_str($0)) }
        }
    }

    func done(_ status: vigor_status, _ message: String) {
        guard !finished else { return }
        finished = true
        var message = message
        message.withUTF8 { sink.on_done?(sink.user, status, vigor_str($0)) }
    }
}
