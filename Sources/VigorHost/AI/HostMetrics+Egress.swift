import CoreMetrics

extension HostMetrics {
    /// Counts one upstream request refused before it left the host because the provider plugin
    /// asked for a host outside its `allowed_hosts` (a plugin misconfiguration; the router
    /// fails over). `vigor_egress_refusals_total{provider}`.
    func recordEgressRefusal(provider: String) {
        CoreMetrics.Counter(label: "vigor_egress_refusals_total", dimensions: [("provider", provider)], factory: factory).increment()
    }
}
