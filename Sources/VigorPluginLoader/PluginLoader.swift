import Foundation
import Logging
import VigorPluginAPI
import VigorPluginSDK

/// Loads one plugin library: open and check, `on_init`, `on_describe`, descriptor validation.
public struct PluginLoader: Sendable {
    public var logger: Logger
    public var handler: (any HostServiceHandler)?
    public var clock: @Sendable () -> Date
    /// When set, each library is copied here (named by its content hash) and the copy is
    /// loaded, so an operator overwriting a plugin file in place never corrupts the mapped
    /// code of the version that is serving (a running host's plugin folder).
    public var shadowDirectory: String?
    /// Crash isolation: which plugin files (by path) run in a `vigor plugin-runner` child
    /// process instead of this one, and the executable that provides `plugin-runner`.
    public var isolation: Isolation?
    /// Folder scans (``PluginRegistry``) load each new or changed file in a
    /// `vigor plugin-probe` child first; a crash or hang there rejects the file. nil: load
    /// directly (trusted files only, `VIGOR_PLUGIN_PROBE_TIMEOUT_MS=0`).
    public var probe: PluginProbe?
    /// Folder scans load files that other users could have written (group- or world-writable,
    /// foreign-owned, or in such a folder), with a warning. For development only.
    public var allowInsecureFiles: Bool
    /// Told before each load stage runs (the probe reports them to the host).
    public var onStage: (@Sendable (LoadStage) -> Void)?
    /// Whether the host holds a secret (by name). A provider whose declared secret is not set
    /// loads but cannot serve: listings show it as `inactive: missing secret NAME` and the
    /// registry logs one warning when it loads. Default: the process environment, read as the
    /// host's egress reads it (``SecretGrant/isSet(_:in:)``).
    public var secretIsSet: @Sendable (String) -> Bool

    public struct Isolation: Sendable {
        public var runnerExecutable: String
        public var isolates: @Sendable (String) -> Bool
        /// Told how a runner died each time one is restarted (for metrics).
        public var onCrash: (@Sendable (_ plugin: String, _ exit: String) -> Void)?
        /// The clock of the runners' call deadlines, hang grace and restart back-off.
        public var clock: VigorClock

        public init(
            runnerExecutable: String, isolates: @escaping @Sendable (String) -> Bool,
            onCrash: (@Sendable (_ plugin: String, _ exit: String) -> Void)? = nil, clock: VigorClock = .system
        ) {
            self.runnerExecutable = runnerExecutable
            self.isolates = isolates
            self.onCrash = onCrash
            self.clock = clock
        }

        /// Matches a list of plugin file names (`libX.so`), component-free; `*` isolates all.
        public static func fileNames(_ names: [String]) -> @Sendable (String) -> Bool {
            let set = Set(names)
            return { path in set.contains("*") || set.contains((path as NSString).lastPathComponent) }
        }
    }

    public init(
        logger: Logger, handler: (any HostServiceHandler)? = nil, clock: @escaping @Sendable () -> Date = { Date() },
        shadowDirectory: String? = nil, isolation: Isolation? = nil, probe: PluginProbe? = PluginProbe.automatic(),
        allowInsecureFiles: Bool = PluginFileCheck.allowInsecure(environment: ProcessInfo.processInfo.environment),
        secretIsSet: (@Sendable (String) -> Bool)? = nil
    ) {
        self.logger = logger
        self.handler = handler
        self.clock = clock
        self.shadowDirectory = shadowDirectory
        self.isolation = isolation
        self.probe = probe
        self.allowInsecureFiles = allowInsecureFiles
        self.secretIsSet = secretIsSet ?? Self.environmentSecrets(ProcessInfo.processInfo.environment)
    }

    /// A ``secretIsSet`` that reads `environment` as the host's egress does.
    public static func environmentSecrets(_ environment: [String: String]) -> @Sendable (String) -> Bool {
        let names = Set(environment.keys.filter { SecretGrant.isSet($0, in: environment) })
        return { names.contains($0) }
    }

    /// What a listing shows for `component`: `active`, or `inactive: missing secret NAME`.
    public func status(of component: PluginComponentHandle) -> String {
        SecretGrant.status(declared: component.descriptor.secrets, isSet: secretIsSet)
    }

    /// A plugin-folder file that passed ``admit(path:reload:)``: ready to load in-process.
    public struct Admitted: Sendable {
        /// The file in the plugin folder.
        public var path: String
        /// The file to map: the probed shadow copy, or `path`.
        public var loadPath: String
    }

    /// Loads a file found in a plugin folder: ``admit(path:reload:)``, then ``load(_:)``.
    public func loadFromFolder(path: String, reload: Bool = false) throws(PluginRejection) -> [PluginComponentHandle] {
        try load(admit(path: path, reload: reload))
    }

    /// Everything about a plugin-folder file that runs none of its code in this process:
    /// refuses what is not a regular file or could have been written by other users, makes
    /// the shadow copy, and probes it in a child process (an isolated plugin too, so that a
    /// crash or hang while loading gets the same reason and deadline). Safe to run for several
    /// files at once.
    public func admit(path: String, reload: Bool = false) throws(PluginRejection) -> Admitted {
        let problems = try PluginFileCheck.check(path: path, allowInsecure: allowInsecureFiles)
        for problem in problems {
            logger.warning(
                "loading an insecure plugin file (VIGOR_PLUGIN_ALLOW_INSECURE)", metadata: ["path": "\(path)", "problem": "\(problem)"])
        }
        try PluginLibrary.checkFileLooksLikeSharedLibrary(path)
        let loadPath = try shadowCopy(of: path, reload: reload)
        if let probe {
            do throws(PluginRejection) {
                let before = PluginRegistry.signature(of: loadPath)
                _ = try probe.check(libraryPath: loadPath, sourcePath: path)
                // Without a shadow copy the file probed is the folder's own: it must not have
                // changed since (a change is seen by the next scan, which probes it again).
                guard before != nil, PluginRegistry.signature(of: loadPath) == before else {
                    throw PluginRejection(.probeFailed, "the file changed while it was being probed; the next scan probes it again")
                }
            } catch {
                // A rejected version is never mapped here: its shadow copy serves nothing.
                if loadPath != path { try? FileManager.default.removeItem(atPath: loadPath) }
                throw error
            }
        }
        return Admitted(path: path, loadPath: loadPath)
    }

    /// Loads an admitted file (in-process, or in its runner when isolated).
    public func load(_ admitted: Admitted) throws(PluginRejection) -> [PluginComponentHandle] {
        try load(path: admitted.path, loadPath: admitted.loadPath)
    }

    /// Loads the library at `path` and returns its components, or the reason it was rejected.
    /// No file checks and no probe: for a file the caller trusts (the runner, the probe, the
    /// conformance suite); folder scans use ``loadFromFolder(path:reload:)``.
    ///
    /// - Parameter reload: a version of this path was loaded before. `dlopen` would hand back
    ///   the library already mapped under that name, so a new version is always loaded from a
    ///   shadow copy (in the system's temporary folder when no shadow folder is configured).
    public func load(path: String, reload: Bool = false) throws(PluginRejection) -> [PluginComponentHandle] {
        try load(path: path, loadPath: shadowCopy(of: path, reload: reload))
    }

    /// The shadow copy to load `path` from (see ``load(path:reload:)``).
    func shadowCopy(of path: String, reload: Bool) throws(PluginRejection) -> String {
        var loader = self
        if reload, loader.shadowDirectory == nil {
            loader.shadowDirectory = (NSTemporaryDirectory() as NSString).appendingPathComponent("vigor-plugin-cache-\(getuid())")
        }
        return try loader.shadowCopy(of: path)
    }

    func load(path: String, loadPath: String) throws(PluginRejection) -> [PluginComponentHandle] {
        if let isolation, isolation.isolates(path) {
            let runner = try PluginRunner.launch(
                executable: isolation.runnerExecutable, libraryPath: loadPath, sourcePath: path, logger: logger, handler: handler,
                onCrash: isolation.onCrash, clock: isolation.clock)
            return runner.descriptor.plugins.map { PluginComponentHandle(descriptor: $0, runner: runner) }
        }
        let library = try PluginLibrary.open(path: loadPath, source: path, stage: onStage)
        let context = PluginHostContext(pluginPath: path, logger: logger, handler: handler, clock: clock)
        guard let onInit = library.table.pointee.on_init, let onDescribe = library.table.pointee.on_describe else {
            throw PluginRejection(.tableTooSmall, "entry table lacks on_init or on_describe")
        }
        var instance: OpaquePointer?
        var error = vigor_buf()
        onStage?(.onInit)
        let status = onInit(context.apiTable.pointer, &instance, &error)
        let initMessage = String(decoding: error.takeBytes(), as: UTF8.self)
        guard status == VIGOR_OK else {
            throw PluginRejection(.initFailed, "on_init failed with status \(status)\(initMessage.isEmpty ? "" : ": \(initMessage)")")
        }
        var out = vigor_buf()
        onStage?(.onDescribe)
        let describeStatus = onDescribe(instance, &out)
        let bytes = out.takeBytes()
        guard describeStatus == VIGOR_OK else {
            throw PluginRejection(
                .invalidDescriptor, "on_describe failed with status \(describeStatus): \(String(decoding: bytes, as: UTF8.self))")
        }
        let descriptor = try Self.validateDescriptor(bytes)
        context.allowedHosts.withLock { $0 = descriptor.plugins.flatMap(\.allowedHosts) }
        context.declaredSecrets.withLock { $0 = Set(descriptor.plugins.flatMap(\.secrets)) }
        let owner = PluginInstanceHandle(library: library, instance: instance, hostContext: context)
        return descriptor.plugins.map { PluginComponentHandle(descriptor: $0, owner: owner) }
    }

    /// Checks a descriptor and names exactly what is wrong with it.
    static func validateDescriptor(_ bytes: [UInt8]) throws(PluginRejection) -> PluginDescriptor {
        func fail(_ reason: String) -> PluginRejection { PluginRejection(.invalidDescriptor, reason) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw fail("descriptor is not a JSON object")
        }
        guard let list = object["plugins"] as? [[String: Any]] else { throw fail("descriptor has no \"plugins\" array") }
        guard !list.isEmpty else { throw fail("descriptor lists no plugins") }
        var seen = Set<String>()
        for (index, entry) in list.enumerated() {
            guard let id = entry["id"] as? String, !id.isEmpty else { throw fail("plugins[\(index)]: missing id") }
            guard isReverseDNS(id) else { throw fail("plugins[\(index)]: id \"\(id)\" is not reverse-DNS (e.g. dev.example.provider)") }
            guard seen.insert(id).inserted else { throw fail("plugins[\(index)]: id \(id) declared twice") }
            guard let version = entry["version"] as? String, !version.isEmpty else { throw fail("\(id): missing version") }
            guard let kind = entry["kind"] as? String else { throw fail("\(id): missing kind") }
            guard ComponentKind(rawValue: kind) != nil else {
                let known = ComponentKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("\(id): unknown kind \"\(kind)\" (expected one of \(known))")
            }
            if let secrets = entry["secrets"] as? [Any] {
                for secret in secrets {
                    guard let name = secret as? String else { throw fail("\(id): secrets must be strings") }
                    if let problem = SecretGrant.namingProblem(name) { throw fail("\(id): \(problem)") }
                }
            }
        }
        do {
            return try JSONDecoder().decode(PluginDescriptor.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw fail(WireJSON.describe(error))
        } catch {
            throw fail("\(error)")
        }
    }

    /// Copies `path` into the shadow folder (once per file version, named by inode, size and
    /// modification time) and returns the copy's path.
    func shadowCopy(of path: String) throws(PluginRejection) -> String {
        guard let shadowDirectory else { return path }
        guard let signature = PluginRegistry.signature(of: path) else {
            throw PluginRejection(.notSharedLibrary, "cannot read file")
        }
        let name = (path as NSString).lastPathComponent
        let version = "\(signature.inode)-\(signature.size)-\(Int64(signature.modified * 1_000_000))"
        let target = (shadowDirectory as NSString).appendingPathComponent("\(version)-\(name)")
        if !FileManager.default.fileExists(atPath: target) {
            do {
                try FileManager.default.createDirectory(atPath: shadowDirectory, withIntermediateDirectories: true)
                let temporary = target + ".tmp-\(getpid())"
                _ = try? FileManager.default.removeItem(atPath: temporary)
                try FileManager.default.copyItem(atPath: path, toPath: temporary)
                try FileManager.default.moveItem(atPath: temporary, toPath: target)
            } catch {
                throw PluginRejection(.dlopenFailed, "cannot copy the library to \(shadowDirectory): \(error)")
            }
        }
        return target
    }

    static func isReverseDNS(_ id: String) -> Bool {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, id.count <= 128 else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}
