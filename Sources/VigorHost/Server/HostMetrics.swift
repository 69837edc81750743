import CoreMetrics
import Prometheus
import Synchronization

/// The host's metrics: swift-metrics instruments backed by one Prometheus registry that the
/// application builder creates and injects (the global `MetricsSystem` is never touched, so
/// many applications can live in one process).
public struct HostMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    /// The per-request instruments, made once per label set and reused (the registry's own
    /// lookup builds strings and takes its lock on every call).
    let requestInstruments = InstrumentCache<RequestLabels, RequestInstruments>()
    let attemptCounters = InstrumentCache<AttemptLabels, CoreMetrics.Counter>()

    /// - Parameter registry: a registry to use; a new one by default.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    /// Counts one served request and records its latency.
    public func recordRequest(route: String, method: String, status: Int, nanoseconds: UInt64) {
        let instruments = requestInstruments.instrument(for: RequestLabels(route: route, method: method, status: status)) {
            RequestInstruments(
                counter: CoreMetrics.Counter(
                    label: "vigor_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))],
                    factory: factory),
                timer: CoreMetrics.Timer(
                    label: "vigor_http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: factory))
        }
        instruments.counter.increment()
        instruments.timer.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// Counts one provider attempt by outcome (`success` or an error code).
    public func recordProviderAttempt(provider: String, outcome: String) {
        attemptCounters.instrument(for: AttemptLabels(provider: provider, outcome: outcome)) {
            CoreMetrics.Counter(
                label: "vigor_provider_attempts_total", dimensions: [("provider", provider), ("outcome", outcome)], factory: factory)
        }.increment()
    }

    /// Counts one request refused by a quota or budget limit.
    public func recordQuotaRefusal(limit: String) {
        CoreMetrics.Counter(label: "vigor_quota_refusals_total", dimensions: [("limit", limit)], factory: factory).increment()
    }

    /// Counts one plugin that failed to load.
    public func recordPluginLoadFailure(reason: String) {
        CoreMetrics.Counter(label: "vigor_plugin_load_failures_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// Counts one crash (or hang kill) of an isolated plugin's runner process.
    public func recordPluginCrash(plugin: String) {
        CoreMetrics.Counter(label: "vigor_plugin_crashes_total", dimensions: [("plugin", plugin)], factory: factory).increment()
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        registry.emitToString()
    }
}

/// The labels of one request counter.
struct RequestLabels: Hashable, Sendable {
    var route: String
    var method: String
    var status: Int
}

/// The instruments of one request label set.
struct RequestInstruments: Sendable {
    let counter: CoreMetrics.Counter
    let timer: CoreMetrics.Timer
}

/// The labels of one provider-attempt counter.
struct AttemptLabels: Hashable, Sendable {
    var provider: String
    var outcome: String
}

/// Instruments by label set, made on first use. Label sets come from route templates,
/// methods, statuses, provider names and outcomes; a client can vary the method, so past
/// ``limit`` entries an instrument is made (and found in the registry) without being kept.
final class InstrumentCache<Key: Hashable & Sendable, Instrument: Sendable>: Sendable {
    private let table = Mutex<[Key: Instrument]>([:])
    let limit: Int

    init(limit: Int = 1024) { self.limit = limit }

    /// The label sets kept.
    var count: Int { table.withLock { $0.count } }

    func instrument(for key: Key, make: () -> Instrument) -> Instrument {
        if let found = table.withLock({ $0[key] }) { return found }
        let made = make()
        table.withLock { entries in
            if entries.count < limit { entries[key] = made }
        }
        return made
    }
}
