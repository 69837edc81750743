import Foundation
import VigorPluginAPI
import VigorPluginSDK

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

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
        /// The probe child died (signal or exit) while loading the plugin.
        case crashedWhileLoading = "crashed_while_loading"
        /// The probe child did not finish loading the plugin before its deadline.
        case loadTimedOut = "load_timed_out"
        /// The probe itself could not run (no `vigor` executable, no process).
        case probeFailed = "probe_failed"
        /// The file or its folder may be written by other users (or is owned by one).
        case insecurePermissions = "insecure_permissions"
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
    /// The file in the plugin folder.
    let path: String
    /// The file actually mapped (a shadow copy, or `path`).
    let loadedPath: String
    let handle: UnsafeMutableRawPointer
    let table: UnsafePointer<vigor_plugin_table>
    let toolchain: String
    let abiMinor: UInt16

    /// The smallest table a v1 host can use: the compatibility record plus every v1.0 operation.
    static let minimumTableSize = MemoryLayout<vigor_plugin_table>.offset(of: \.on_shutdown)! + MemoryLayout<UnsafeRawPointer>.size

    /// Opens `path` and checks its compatibility record before running any plugin logic.
    /// `stage` is told before the constructors run and before the entry function is called.
    static func open(
        path loadPath: String, source path: String, stage: (@Sendable (LoadStage) -> Void)? = nil
    ) throws(PluginRejection) -> PluginLibrary {
        try checkFileLooksLikeSharedLibrary(loadPath)
        stage?(.constructor)
        guard let handle = dlopen(loadPath, RTLD_NOW | RTLD_LOCAL) else {
            let message = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw PluginRejection(.dlopenFailed, "dlopen failed: \(message)")
        }
        guard let symbol = dlsym(handle, VIGOR_ENTRY_SYMBOL) else {
            throw PluginRejection(.noEntrySymbol, "no exported function \(VIGOR_ENTRY_SYMBOL)")
        }
        let entry = unsafeBitCast(symbol, to: vigor_plugin_entry_fn.self)
        stage?(.entry)
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
                .toolchainMismatch,
                "plugin built with \(toolchain), host runs \(SwiftToolchain.current): rebuild the plugin with the host's toolchain")
        }
        return PluginLibrary(
            path: path, loadedPath: loadPath, handle: handle, table: table, toolchain: toolchain, abiMinor: record.abi_minor)
    }

    /// Rejects files that cannot be shared libraries before `dlopen` sees them.
    ///
    /// `dlopen` maps the segments an ELF header names; a truncated file makes the loader
    /// touch pages past the end of the file and the process dies of SIGBUS. So the header,
    /// the program headers and every segment are checked against the file's size first.
    static func checkFileLooksLikeSharedLibrary(_ path: String) throws(PluginRejection) {
        // Only the ELF header and program headers are read (a few KiB), never the whole library.
        // stat(2) follows a symlink (`attributesOfItem` gave the link's own size).
        var info = stat()
        guard let handle = FileHandle(forReadingAtPath: path), stat(path, &info) == 0 else {
            throw PluginRejection(.notSharedLibrary, "cannot read file")
        }
        let size = Int(info.st_size)
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 64 * 1024)) ?? Data()
        if data.isEmpty { throw PluginRejection(.notSharedLibrary, "empty file (0 bytes)") }
        let bytes = [UInt8](data.prefix(64))
        if Array(bytes.prefix(4)) == [0x7F, 0x45, 0x4C, 0x46] {
            try ELFCheck(data: data, fileSize: size).validate()
            return
        }
        #if canImport(Darwin)
            let machO: Set<[UInt8]> = [[0xCF, 0xFA, 0xED, 0xFE], [0xCE, 0xFA, 0xED, 0xFE]]
            if machO.contains(Array(bytes.prefix(4))) { return }
        #endif
        let printable = bytes.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || (32..<127).contains($0) }
        throw PluginRejection(.notSharedLibrary, printable ? "text file, not a shared library" : "not an ELF shared library (bad magic)")
    }
}

/// Structural checks of a 64-bit little-endian ELF shared object.
struct ELFCheck {
    /// The start of the file (at least the ELF header and the program headers).
    let data: Data
    /// The whole file's size.
    let fileSize: Int

    func u16(_ at: Int) -> Int { Int(data[data.startIndex + at]) | Int(data[data.startIndex + at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }

    static var hostMachine: Int {
        #if arch(x86_64)
            return 62
        #elseif arch(arm64)
            return 183
        #else
            return -1
        #endif
    }

    func validate() throws(PluginRejection) {
        func fail(_ reason: String) -> PluginRejection { PluginRejection(.notSharedLibrary, reason) }
        let size = UInt64(fileSize)
        guard data.count >= 64 else { throw fail("truncated ELF file (\(data.count) bytes, header needs 64)") }
        guard data[data.startIndex + 4] == 2, data[data.startIndex + 5] == 1 else { throw fail("not a 64-bit little-endian ELF file") }
        guard u16(16) == 3 else { throw fail("ELF file is not a shared object (e_type \(u16(16)))") }
        let machine = u16(18)
        guard Self.hostMachine < 0 || machine == Self.hostMachine else {
            throw fail("ELF file is for another architecture (e_machine \(machine), host \(Self.hostMachine))")
        }
        let phoff = u64(32)
        let shoff = u64(40)
        let phentsize = UInt64(u16(54))
        let phnum = UInt64(u16(56))
        let shentsize = UInt64(u16(58))
        let shnum = UInt64(u16(60))
        guard phentsize >= 56, phnum > 0, phoff.addingReportingOverflow(phnum * phentsize).partialValue <= size, phoff < size,
            Int(phoff + phnum * phentsize) <= data.count
        else {
            throw fail("truncated ELF file: program headers lie past the end (\(size) bytes)")
        }
        if shnum > 0, shoff.addingReportingOverflow(shnum * shentsize).partialValue > size {
            throw fail("truncated ELF file: section headers lie past the end (\(size) bytes)")
        }
        for index in 0..<phnum {
            let base = Int(phoff + index * phentsize)
            let offset = u64(base + 8)
            let fileSize = u64(base + 32)
            let (end, overflow) = offset.addingReportingOverflow(fileSize)
            if overflow || end > size {
                throw fail("truncated ELF file: segment \(index) ends at byte \(end), file has \(size)")
            }
        }
    }
}
