#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif
import Foundation
import VigorPluginAPI
import VigorPluginSDK

/// Why a plugin file was not loaded. The message names the file's problem precisely.
public struct PluginRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case notSharedLibrary = "not_shared_library"
        case dlopenFailed = "dlopen_failed"
        case noEntrySymbol = "no_entry_symbol"
        case nullTable = "null_table"
        case badMagic = "bad_magic"
        case abiMajorMismatch = "abi_major_mismatch"
        case abiMinorTooNew = "abi_minor_too_new"
        case tableTooSmall = "table_too_small"
        case toolchainMismatch = "toolchain_mismatch"
        case initFailed = "init_failed"
        case invalidDescriptor = "invalid_descriptor"
        case duplicateID = "duplicate_id"
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}

/// One opened plugin library: the `dlopen` handle and its entry table.
///
/// The handle and the table are process-lifetime C memory that the plugin promises to
/// keep valid and thread-safe (ABI rule); libraries are never `dlclose`d because the
/// Swift runtime keeps pointers into them. That is why this wrapper may be `Sendable`.
struct PluginLibrary: @unchecked Sendable {
    let path: String
    let handle: UnsafeMutableRawPointer
    let table: UnsafePointer<vigor_plugin_table>
    let toolchain: String
    let abiMinor: UInt16

    /// The smallest table a v1 host can use: the compatibility record plus every v1.0 operation.
    static let minimumTableSize = MemoryLayout<vigor_plugin_table>.offset(of: \.on_shutdown)! + MemoryLayout<UnsafeRawPointer>.size

    /// Opens `path` and checks its compatibility record before running any plugin logic.
    static func open(path: String) throws(PluginRejection) -> PluginLibrary {
        try checkFileLooksLikeSharedLibrary(path)
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let message = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw PluginRejection(.dlopenFailed, "dlopen failed: \(message)")
        }
        guard let symbol = dlsym(handle, VIGOR_ENTRY_SYMBOL) else {
            throw PluginRejection(.noEntrySymbol, "no exported function \(VIGOR_ENTRY_SYMBOL)")
        }
        let entry = unsafeBitCast(symbol, to: vigor_plugin_entry_fn.self)
        guard let table = entry() else {
            throw PluginRejection(.nullTable, "\(VIGOR_ENTRY_SYMBOL) returned NULL")
        }
        let record = table.pointee
        guard record.magic == VIGOR_PLUGIN_MAGIC else {
            throw PluginRejection(.badMagic, String(format: "bad magic 0x%08x (expected 0x%08x)", record.magic, VIGOR_PLUGIN_MAGIC))
        }
        guard record.abi_major == UInt16(VIGOR_ABI_MAJOR) else {
            throw PluginRejection(.abiMajorMismatch, "plugin ABI major \(record.abi_major), host \(VIGOR_ABI_MAJOR)")
        }
        guard record.abi_minor <= UInt16(VIGOR_ABI_MINOR) else {
            throw PluginRejection(
                .abiMinorTooNew, "plugin needs ABI \(record.abi_major).\(record.abi_minor), host has \(VIGOR_ABI_MAJOR).\(VIGOR_ABI_MINOR)")
        }
        guard Int(record.struct_size) >= minimumTableSize else {
            throw PluginRejection(.tableTooSmall, "entry table is \(record.struct_size) bytes, ABI 1.0 needs at least \(minimumTableSize)")
        }
        let toolchain = record.toolchain.map { String(cString: $0) } ?? ""
        if toolchain.hasPrefix("swift-"), toolchain != SwiftToolchain.current {
            throw PluginRejection(
                .toolchainMismatch, "plugin built with \(toolchain), host runs \(SwiftToolchain.current): rebuild the plugin with the host's toolchain")
        }
        return PluginLibrary(path: path, handle: handle, table: table, toolchain: toolchain, abiMinor: record.abi_minor)
    }

    /// Rejects files that cannot be shared libraries before `dlopen` sees them.
    static func checkFileLooksLikeSharedLibrary(_ path: String) throws(PluginRejection) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PluginRejection(.notSharedLibrary, "cannot open file")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 18)) ?? Data()
        if head.isEmpty { throw PluginRejection(.notSharedLibrary, "empty file (0 bytes)") }
        let elfMagic: [UInt8] = [0x7F, 0x45, 0x4C, 0x46]
        let machO: Set<[UInt8]> = [[0xCF, 0xFA, 0xED, 0xFE], [0xCE, 0xFA, 0xED, 0xFE]]
        let first4 = Array(head.prefix(4))
        if first4 == elfMagic {
            // e_type (offset 16, little-endian on the platforms we support) must be ET_DYN = 3.
            if head.count >= 18, head[16] != 3 {
                throw PluginRejection(.notSharedLibrary, "ELF file is not a shared object (e_type \(head[16]))")
            }
            return
        }
        if machO.contains(first4) { return }
        let printable = head.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || (32..<127).contains($0) }
        throw PluginRejection(.notSharedLibrary, printable ? "text file, not a shared library" : "not an ELF shared library (bad magic)")
    }
}
