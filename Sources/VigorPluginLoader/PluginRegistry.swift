import Foundation
import Logging
import Synchronization
import VigorPluginSDK

/// A plugin file that was not loaded, and why.
public struct RejectedPlugin: Sendable, Hashable, Codable {
    public var path: String
    public var code: String
    public var reason: String
}

/// A component currently serving, for listings.
public struct LoadedComponentInfo: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var version: String
    public var kind: String
    public var path: String
    /// `active`, or why the component cannot serve although it loaded:
    /// `inactive: missing secret NAME` (a declared secret the host does not hold).
    public var status: String = "active"
}

/// What one scan of the plugin folder did.
public struct PluginScanReport: Sendable, Codable {
    public var loaded: [LoadedComponentInfo]
    public var rejected: [RejectedPlugin]
    /// Ids whose component was newly added or replaced by this scan.
    public var changed: [String]
}

/// The components currently serving, by id. Scanning the folder again loads new and
/// changed files beside the old ones: a new version replaces the old for new requests,
/// while requests holding the old handle finish on it; a broken new version is rejected
/// and the old one keeps serving. Libraries are never unloaded.
public final class PluginRegistry: Sendable {
    struct FileSignature: Hashable, Sendable {
        var size: Int
        var modified: Double
        var inode: Int
    }

    /// What a scan saw of a file: its content's identity and who may write it (the file's and
    /// its folder's mode and owner), so that fixing permissions makes a refused file load.
    struct Seen: Hashable, Sendable {
        var content: FileSignature?
        var access: [UInt32]
    }

    struct State: Sendable {
        private(set) var components: [String: PluginComponentHandle] = [:]
        /// ``components`` sorted by id, and by kind: the router asks on every request, so
        /// they are made when the components change, not on each ask.
        private(set) var ordered: [PluginComponentHandle] = []
        private(set) var byKind: [ComponentKind: [PluginComponentHandle]] = [:]
        var rejected: [String: RejectedPlugin] = [:]
        var seen: [String: Seen] = [:]

        /// Serves `handles` under their ids; returns the ones they replace.
        mutating func serve(_ handles: [PluginComponentHandle]) -> [PluginComponentHandle] {
            let replaced = handles.compactMap { components.updateValue($0, forKey: $0.descriptor.id) }
            ordered = components.values.sorted { $0.descriptor.id < $1.descriptor.id }
            byKind = Dictionary(grouping: ordered, by: \.descriptor.kind)
            return replaced
        }
    }

    private let state = Mutex(State())
    public let loader: PluginLoader

    public init(loader: PluginLoader) {
        self.loader = loader
    }

    /// Every component serving now, sorted by id.
    public var components: [PluginComponentHandle] {
        state.withLock { $0.ordered }
    }

    public func component(id: String) -> PluginComponentHandle? { state.withLock { $0.components[id] } }

    /// The components of one kind serving now, sorted by id.
    public func components(kind: ComponentKind) -> [PluginComponentHandle] { state.withLock { $0.byKind[kind] ?? [] } }

    public var rejected: [RejectedPlugin] { state.withLock { $0.rejected.values.sorted { $0.path < $1.path } } }

    /// Loads every `.so`/`.dylib` in `directory` that is new or changed since the last scan
    /// (or, when it was refused, whose permissions changed), through
    /// ``PluginLoader/loadFromFolder(path:reload:)``: checked, probed in a child process, loaded.
    @discardableResult
    public func scan(directory: String) -> PluginScanReport {
        let files = Self.pluginFiles(in: directory)
        let folderAccess = Self.access(of: directory)
        var changed: [String] = []
        var pending: [(path: String, reload: Bool)] = []
        for path in files {
            let seen = Seen(content: Self.signature(of: path), access: Self.access(of: path) + folderAccess)
            let (previous, refused) = state.withLock { s -> (Seen?, Bool) in
                let old = s.seen[path]
                s.seen[path] = seen
                return (old, s.rejected[path] != nil)
            }
            if let previous, previous.content == seen.content, previous.access == seen.access || !refused { continue }
            pending.append((path, previous != nil))
        }
        // Checks and probes (child processes) run side by side; loads run one after another.
        let admissions = Mutex<[String: Result<PluginLoader.Admitted, PluginRejection>]>([:])
        let work = pending
        DispatchQueue.concurrentPerform(iterations: work.count) { index in
            let (path, reload) = work[index]
            let result = Result { () throws(PluginRejection) in try loader.admit(path: path, reload: reload) }
            admissions.withLock { $0[path] = result }
        }
        for (path, _) in pending {
            var launched: [PluginComponentHandle] = []
            do {
                let admission = admissions.withLock { $0[path] } ?? .failure(PluginRejection(.probeFailed, "the file was not checked"))
                let loaded = try loader.load(admission.get())
                launched = loaded
                let replaced = try state.withLock { (s: inout State) throws(PluginRejection) -> [PluginComponentHandle] in
                    for component in loaded {
                        let id = component.descriptor.id
                        if let existing = s.components[id], existing.path != path, files.contains(existing.path) {
                            throw PluginRejection(.duplicateID, "id \(id) is already provided by \(existing.path)")
                        }
                    }
                    let replaced = s.serve(loaded)
                    s.rejected[path] = nil
                    return replaced
                }
                retireUnused(replaced)
                changed += loaded.map(\.descriptor.id)
                for component in loaded {
                    loader.logger.info(
                        "plugin loaded",
                        metadata: ["plugin": "\(component.descriptor.id)", "version": "\(component.descriptor.version)", "path": "\(path)"])
                    let status = loader.status(of: component)
                    if status != "active" {
                        loader.logger.warning(
                            "plugin \(status)", metadata: ["plugin": "\(component.descriptor.id)", "path": "\(path)"])
                    }
                }
            } catch {
                // A runner started for a file that was then refused (duplicate id) is stopped.
                launched.first?.runner?.retire()  // one load, one runner
                state.withLock { $0.rejected[path] = RejectedPlugin(path: path, code: error.code.rawValue, reason: error.reason) }
                loader.logger.warning("plugin rejected", metadata: ["path": "\(path)", "reason": "\(error.description)"])
            }
        }
        return PluginScanReport(loaded: components.map(info), rejected: rejected, changed: changed)
    }

    /// Stops the runner processes of isolated components no longer serving (their calls in
    /// flight finish first). In-process libraries stay mapped: Swift code cannot be unloaded.
    private func retireUnused(_ replaced: [PluginComponentHandle]) {
        let serving = state.withLock { s in Set(s.components.values.compactMap { $0.runner.map(ObjectIdentifier.init) }) }
        var retired = Set<ObjectIdentifier>()
        for runner in replaced.compactMap(\.runner) where !serving.contains(ObjectIdentifier(runner)) {
            if retired.insert(ObjectIdentifier(runner)).inserted { runner.retire() }
        }
    }

    /// A serving component as listings show it, with its ``LoadedComponentInfo/status``.
    public func info(_ c: PluginComponentHandle) -> LoadedComponentInfo {
        LoadedComponentInfo(
            id: c.descriptor.id, name: c.descriptor.name, version: c.descriptor.version, kind: c.descriptor.kind.rawValue, path: c.path,
            status: loader.status(of: c))
    }

    static func pluginFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".so") || $0.hasSuffix(".dylib") }.sorted().map {
            (directory as NSString).appendingPathComponent($0)
        }
    }

    /// Mode and owner of `path` as `stat(2)` (followed) and `lstat(2)` see it; empty when missing.
    static func access(of path: String) -> [UInt32] {
        var followed = stat()
        var link = stat()
        guard lstat(path, &link) == 0 else { return [] }
        let target = stat(path, &followed) == 0 ? [UInt32(followed.st_mode), UInt32(followed.st_uid)] : []
        return [UInt32(link.st_mode), UInt32(link.st_uid)] + target
    }

    /// One `stat(2)` per file and poll. (`FileManager.attributesOfItem` also looked up the
    /// owner's user and group names, reading /etc/passwd and /etc/group for every plugin.)
    static func signature(of path: String) -> FileSignature? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileSignature(
            size: Int(info.st_size),
            modified: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9,
            inode: Int(info.st_ino))
    }
}
