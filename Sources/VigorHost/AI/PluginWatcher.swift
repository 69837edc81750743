import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import VigorPluginLoader

/// Hot-add: watches the plugin folder and loads new or changed plugins into the running
/// host — no rebuild, no restart. Each new file is probed in a child process first
/// (``PluginProbe``), so a plugin that crashes or hangs while loading is rejected. It rescans every `interval`, at once on SIGHUP, and when
/// asked by `POST /api/v1/admin/plugins/reload`. A scan only stats files; only new or
/// changed ones are loaded. A new version of an id replaces the old for new requests while
/// requests holding the old one finish on it; a broken new version is rejected and the old
/// one keeps serving (see ``PluginRegistry``).
public struct PluginWatcher: Service {
    let registry: PluginRegistry
    let directory: String
    /// Time between folder scans; nil: scan only on SIGHUP and the admin route.
    let interval: Duration?
    let metrics: HostMetrics?
    let logger: Logger

    public init(registry: PluginRegistry, directory: String, interval: Duration? = .seconds(2), metrics: HostMetrics? = nil, logger: Logger)
    {
        self.registry = registry
        self.directory = directory
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
    }

    /// Scans once and reports what changed.
    @discardableResult
    public func rescan(reason: String) -> PluginScanReport {
        let before = Set(registry.rejected.map(\.path))
        let report = registry.scan(directory: directory)
        for rejected in report.rejected where !before.contains(rejected.path) {
            metrics?.recordPluginLoadFailure(reason: rejected.code)
        }
        if !report.changed.isEmpty {
            logger.info("plugins reloaded", metadata: ["reason": "\(reason)", "changed": "\(report.changed.joined(separator: ", "))"])
        }
        return report
    }

    /// Scans on the watcher's own serial queue, off Swift's threads: probing a new file
    /// waits for a child process (up to its deadline), which must not hold an event loop.
    func rescanOffloaded(reason: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Self.scanQueue.async {
                rescan(reason: reason)
                continuation.resume()
            }
        }
    }

    static let scanQueue = DispatchQueue(label: "vigor.plugin-watcher")

    public func run() async throws {
        let hangups = Self.hangupSignals()
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await _ in hangups { await rescanOffloaded(reason: "SIGHUP") }
                    }
                    if let interval {
                        group.addTask {
                            while !Task.isCancelled {
                                try await Task.sleep(for: interval)
                                await rescanOffloaded(reason: "folder watch")
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
            // Shutting down.
        }
    }

    /// SIGHUP as an async sequence (the default action, terminate, is replaced).
    static func hangupSignals() -> AsyncStream<Void> {
        AsyncStream { continuation in
            signal(SIGHUP, SIG_IGN)
            let source = SignalSource(source: DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global()))
            source.source.setEventHandler { continuation.yield(()) }
            source.source.resume()
            continuation.onTermination = { _ in source.source.cancel() }
        }
    }
}

/// A dispatch signal source; its methods are thread-safe (Dispatch guarantees it), but the
/// protocol type is not marked `Sendable`.
struct SignalSource: @unchecked Sendable {
    let source: any DispatchSourceSignal
}
