import CoreMetrics
import Prometheus

/// The host's metrics: swift-metrics instruments backed by one Prometheus registry that the
/// application builder creates and injects (the global `MetricsSystem` is never touched, so
/// many applications can live in one process).
public struct HostMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

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
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        CoreMetrics.Counter(label: "vigor_http_requests_total", dimensions: dimensions, factory: factory).increment()
        CoreMetrics.Timer(
            label: "vigor_http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: factory
        )
        .recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// Counts one provider attempt by outcome (`success` or an error code).
    public func recordProviderAttempt(provider: String, outcome: String) {
        CoreMetrics.Counter(
            label: "vigor_provider_attempts_total", dimensions: [("provider", provider), ("outcome", outcome)],
            factory: factory
        ).increment()
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
