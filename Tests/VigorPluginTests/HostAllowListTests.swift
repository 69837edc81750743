import Testing
import VigorPluginLoader

@Suite("Host allow-list")
struct HostAllowListTests {
    @Test("exact names and *.domain patterns, compared without regard to case, ASCII or not")
    func matching() {
        let patterns = ["api.openai.com", "*.Example.COM", "*.bücher.de", "Ärzte.example"]
        let allowed = ["api.openai.com", "API.OpenAI.Com", "a.example.com", "x.y.EXAMPLE.com", "shop.BÜCHER.de", "ärzte.example"]
        for host in allowed { #expect(HostAllowList.allows(host, patterns: patterns), "\(host)") }
        let refused = [
            "example.com", "openai.com", "api.openai.com.evil.net", "evilexample.com", "bücher.de", "", ".example.com.x",
            "api.openai.co",
        ]
        for host in refused { #expect(!HostAllowList.allows(host, patterns: patterns), "\(host)") }
        #expect(!HostAllowList.allows("api.openai.com", patterns: []))
        #expect(HostAllowList.matches("A.B.C", pattern: "*.b.c"))
        #expect(!HostAllowList.matches(".b.c", pattern: "*.b.c"))
    }
}
