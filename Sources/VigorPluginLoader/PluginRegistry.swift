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

    struct State: Sendable {
        var components: [String: PluginComponentHandle] = [:]
        var rejected: [String: RejectedPlugin] = [:]
        var seen: [String: FileSignature] = [:]
    }

    private let state = Mutex(State())
    public let loader: PluginLoader

    public init(loader: PluginLoader) {
        self.loader = loader
    }

    /// Every component serving now, sorted by id.
    public var components: [PluginComponentHandle] {
        state.withLock { $0.components.values.sorted { $0.descriptor.id < $1.descriptor.id } }
    }

    public func component(id: String) -> PluginComponentHandle? { state.withLock { $0.components[id] } }

    public func components(kind: ComponentKind) -> [PluginComponentHandle] { components.filter { $0.descriptor.kind == kind } }

    public var rejected: [RejectedPlugin] { state.withLock { $0.rejected.values.sorted { $0.path < $1.path } } }

    /// Loads every `.so`/`.dylib` in `directory` that is new or changed since the last scan.
    @discardableResult
    public func scan(directory: String) -> PluginScanReport {
        let files = Self.pluginFiles(in: directory)
        var changed: [String] = []
        for path in files {
            let signature = Self.signature(of: path)
            let previous = state.withLock { s -> FileSignature?? in
                let old = s.seen[path]
                s.seen[path] = signature
                return old
            }
            if let previous, previous == signature { continue }
            var launched: [PluginComponentHandle] = []
            do {
                let loaded = try loader.load(path: path, reload: previous != nil)
                launched = loaded
                let replaced = try state.withLock { (s: inout State) throws(PluginRejection) -> [PluginComponentHandle] in
                    for component in loaded {
                        let id = component.descriptor.id
                        if let existing = s.components[id], existing.path != path, files.contains(existing.path) {
                            throw PluginRejection(.duplicateID, "id \(id) is already provided by \(existing.path)")
                        }
                    }
                    let replaced = loaded.compactMap { s.components.updateValue($0, forKey: $0.descriptor.id) }
                    s.rejected[path] = nil
                    return replaced
                }
                retireUnused(replaced)
                changed += loaded.map(\.descriptor.id)
                for component in loaded {
                    loader.logger.info(
                        "plugin loaded", metadata: ["plugin": "\(component.descriptor.id)", "version": "\(component.descriptor.version)", "path": "\(path)"])
                }
            } catch {
                // A runner started for a file that was then refused (duplicate id) is stopped.
                launched.first?.runner?.retire()  // one load, one runner
                state.withLock { $0.rejected[path] = RejectedPlugin(path: path, code: error.code.rawValue, reason: error.reason) }
                loader.logger.warning("plugin rejected", metadata: ["path": "\(path)", "reason": "\(error.description)"])
            }
        }
        return PluginScanReport(loaded: components.map(Self.info), rejected: rejected, changed: changed)
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

    static func info(_ c: PluginComponentHandle) -> LoadedComponentInfo {
        LoadedComponentInfo(id: c.descriptor.id, name: c.descriptor.name, version: c.descriptor.version, kind: c.descriptor.kind.rawValue, path: c.path)
    }

    static func pluginFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".so") || $0.hasSuffix(".dylib") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
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
