import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import VigorPluginLoader

/// Hot-add: watches the plugin folder and loads new or changed plugins into the running
/// host — no rebuild, no restart. Each new file is probed in a child process first
/// (``PluginProbe``), so a plugin that crashes or hangs while loading is rejected. It rescans
/// every `interval` of its clock, at once on SIGHUP, and when asked by
/// `POST /api/v1/admin/plugins/reload`. A scan only stats files; only new or
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
    /// The clock the interval is measured on (tests advance a ``ManualClock``).
    let clock: VigorClock
    /// Called after every scan the watch itself runs (interval or SIGHUP), with its report.
    let onScan: (@Sendable (PluginScanReport) -> Void)?

    /// - Parameters:
    ///   - interval: time between folder scans on `clock`; nil scans only on SIGHUP and the admin route.
    ///   - clock: the host's clock.
    ///   - onScan: told of every scan the watch runs (tests await it instead of polling the registry).
    public init(
        registry: PluginRegistry, directory: String, interval: Duration? = .seconds(2), metrics: HostMetrics? = nil, logger: Logger,
        clock: VigorClock = .system, onScan: (@Sendable (PluginScanReport) -> Void)? = nil
    ) {
        self.registry = registry
        self.directory = directory
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        self.onScan = onScan
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
                let report = rescan(reason: reason)
                onScan?(report)
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
                                try await clock.sleep(for: interval)
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
        logger.info("plugin watcher stopped")
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
