import Foundation
import Testing
import VigorPluginTesting

/// The network providers pass the plugin conformance suite as built `.so` files.
@Suite("Provider plugins conformance")
struct ProviderConformanceTests {
    @Test(
        "each provider plugin passes the conformance suite", arguments: ["VigorOpenAI", "VigorGemini", "VigorPerplexity", "VigorAnthropic"])
    func conformance(product: String) {
        let report = ConformanceSuite(threads: 4, callsPerThread: 10).run(path: TestSupport.bundledPlugin(product))
        #expect(report.passed, "\(report.text)")
        #expect(report.checks.contains { $0.name.contains("upstream URL host is in allowed_hosts") && $0.passed })
        #expect(report.checks.contains { $0.name.contains("stream on_done exactly once (garbage input)") && $0.passed })
        // The SDK declares json_body for them: the kit also sends JSON answers as body_json.
        #expect(report.checks.contains { $0.name.contains("a 401 answer sent as body_json gives the same result") && $0.passed })
    }
}
