import Foundation
import Testing
import VigorPluginAPI
import VigorPluginLoader
import VigorPluginSDK

@testable import VigorHost

/// The model catalogue, saturating prices and the one failure policy, without a server.
@Suite("Model catalogue and pricing")
struct ModelCatalogTests {
    static let openai: [ModelInfo] = [
        ModelInfo(id: "gpt-4o-mini", inputPerMTokUSD: 0.15, outputPerMTokUSD: 0.60, contextTokens: 128_000),
        ModelInfo(id: "gpt-4o", inputPerMTokUSD: 2.50, outputPerMTokUSD: 10.00, contextTokens: 128_000),
    ]

    @Test("descriptor order is kept (first = default); overrides add or replace; other providers' overrides stay out")
    func buildsFromDescriptorsAndOverrides() {
        let overrides = [
            ModelOverride(
                id: "o1-pro", provider: "openai", inputPerMTokUSD: 150, outputPerMTokUSD: 600, maxOutputTokens: 100_000,
                contextWindow: 200_000),
            ModelOverride(
                id: "gpt-4o", provider: "openai", inputPerMTokUSD: 3, outputPerMTokUSD: 12, maxOutputTokens: 16_384, contextWindow: 128_000),
            ModelOverride(
                id: "sonar", provider: "perplexity", inputPerMTokUSD: 1, outputPerMTokUSD: 1, maxOutputTokens: 8_000, contextWindow: 128_000
            ),
        ]
        let catalog = ModelCatalog(
            providers: [("openai", Self.openai), ("fallback", [ModelInfo(id: "vigor-fallback")])], overrides: overrides)
        #expect(catalog.defaultOffer(provider: "openai")?.id == "gpt-4o-mini")
        #expect(catalog.byProvider["openai"]?.map(\.id) == ["gpt-4o-mini", "gpt-4o", "o1-pro"])
        let gpt4o = catalog.offer("gpt-4o", provider: "openai")
        #expect(gpt4o?.source == .admin)
        #expect(gpt4o?.model.outputPerMTokUSD == 12)
        #expect(gpt4o?.maxOutputTokens == 16_384)
        #expect(catalog.offer("gpt-4o-mini", provider: "openai")?.maxOutputTokens == 128_000)
        #expect(catalog.offer("o1-pro", provider: "openai")?.model.inputPerMTokUSD == 150)
        #expect(catalog.byProvider["perplexity"] == nil)
        #expect(catalog.offer("gpt-4o", provider: "fallback") == nil)
    }

    @Test("a hostile descriptor's models are left out: NaN, infinite, negative or huge prices, empty or huge ids")
    func rejectsHostileDescriptors() {
        let hostile = [
            ModelInfo(id: "nan", inputPerMTokUSD: .nan, outputPerMTokUSD: 1),
            ModelInfo(id: "inf", inputPerMTokUSD: 1, outputPerMTokUSD: .infinity),
            ModelInfo(id: "neg", inputPerMTokUSD: -1, outputPerMTokUSD: 1),
            ModelInfo(id: "huge", inputPerMTokUSD: 1e308, outputPerMTokUSD: 1),
            ModelInfo(id: "", inputPerMTokUSD: 1, outputPerMTokUSD: 1),
            ModelInfo(id: String(repeating: "x", count: 300), inputPerMTokUSD: 1, outputPerMTokUSD: 1),
            ModelInfo(id: "ok", inputPerMTokUSD: 1, outputPerMTokUSD: 2, contextTokens: -5),
            ModelInfo(id: "big-context", inputPerMTokUSD: 1, outputPerMTokUSD: 2, contextTokens: Int.max),
        ]
        let catalog = ModelCatalog(providers: [("evil", hostile)])
        #expect(catalog.byProvider["evil"]?.map(\.id) == ["ok", "big-context"])
        #expect(catalog.rejected.count == 6)
        #expect(catalog.offer("ok", provider: "evil")?.contextWindow == nil)
        #expect(catalog.offer("ok", provider: "evil")?.maxOutputTokens == ModelCatalog.maxTokensCeiling)
        #expect(catalog.offer("big-context", provider: "evil")?.maxOutputTokens == ModelCatalog.maxTokensCeiling)
    }

    @Test("aliases: vigor-coach, vigor-coach-1 and no model")
    func aliases() {
        #expect(ModelCatalog.isAlias("vigor-coach"))
        #expect(ModelCatalog.isAlias("vigor-coach-1"))
        #expect(ModelCatalog.isAlias(""))
        #expect(!ModelCatalog.isAlias("gpt-4o"))
        #expect(!ModelCatalog.isAlias("Vigor-Coach"))
    }

    @Test("cost saturates for every Int token count and every Double price; never traps, never negative")
    func pricingSaturates() {
        let counts = [Int.min, -1, 0, 1, 1_000_000, Int(Int32.max), Int.max / 2, Int.max]
        let prices: [Double] = [0, 0.15, 10_000, 10_000.0001, -0.0, -1, .nan, .infinity, -.infinity, 1e308, .leastNonzeroMagnitude]
        for prompt in counts {
            for completion in counts {
                for price in prices {
                    let model = ModelInfo(id: "m", inputPerMTokUSD: price, outputPerMTokUSD: price)
                    let cost = Pricing.costMicros(usage: TokenUsage(promptTokens: prompt, completionTokens: completion), model: model)
                    #expect((0...Pricing.maxCostMicros).contains(cost), "\(prompt) \(completion) \(price)")
                    if !Pricing.isValidPrice(price) { #expect(cost == Pricing.maxCostMicros) }
                }
            }
        }
        // Exact figures: P USD per million tokens is P micro-dollars per token, rounded up.
        let gpt4o = ModelInfo(id: "gpt-4o", inputPerMTokUSD: 2.5, outputPerMTokUSD: 10)
        #expect(Pricing.costMicros(usage: TokenUsage(promptTokens: 38, completionTokens: 36), model: gpt4o) == 455)
        #expect(
            Pricing.costMicros(usage: TokenUsage(promptTokens: Int.max, completionTokens: Int.max), model: gpt4o) == Pricing.maxCostMicros)
        #expect(Pricing.costMicros(usage: TokenUsage(promptTokens: 1, completionTokens: 0), model: nil) == 0)
        #expect(Pricing.addTokens(Int.max, Int.max) == Int.max)
        #expect(Pricing.addTokens(-5, 3) == 3)
    }

    @Test("override ranges: each field outside its range is named")
    func overrideRanges() {
        let good = ModelOverride(
            id: "o1-pro", provider: "openai", inputPerMTokUSD: 150, outputPerMTokUSD: 600, maxOutputTokens: 100_000, contextWindow: 200_000)
        #expect(good.problems.isEmpty)
        func fields(_ change: (inout ModelOverride) -> Void) -> [String] {
            var value = good
            change(&value)
            return value.problems.map(\.field)
        }
        #expect(fields { $0.id = "" } == ["id"])
        #expect(fields { $0.id = "a/b" } == ["id"])
        #expect(fields { $0.id = "vigor-coach" } == ["id"])
        #expect(fields { $0.provider = "OpenAI" } == ["provider"])
        #expect(fields { $0.inputPerMTokUSD = .nan } == ["input_per_mtok_usd"])
        #expect(fields { $0.outputPerMTokUSD = -1 } == ["output_per_mtok_usd"])
        #expect(fields { $0.outputPerMTokUSD = 1e308 } == ["output_per_mtok_usd"])
        #expect(fields { $0.maxOutputTokens = 0 } == ["max_output_tokens"])
        #expect(fields { $0.maxOutputTokens = Int.max } == ["max_output_tokens"])
        #expect(fields { $0.maxOutputTokens = 300_000 } == ["max_output_tokens"])  // above context_window
        #expect(fields { $0.contextWindow = Int.min } == ["context_window"])
    }

    @Test("one failure policy: client errors never open a breaker; provider faults do")
    func failurePolicy() {
        func decide(_ kind: ProviderErrorKind, status: Int?, alias: Bool = false) -> AttemptDisposition {
            ProviderRouter.disposition(
                of: ProviderError(kind: kind, message: "x", status: status), provider: "openai", model: "m", alias: alias)
        }
        if case .clientError(let error) = decide(.badRequest, status: 404) {
            #expect(error.code == .modelNotFound)
        } else {
            Issue.record("404")
        }
        #expect(decide(.badRequest, status: 404, alias: true) == .nextProvider)
        if case .clientError(let error) = decide(.badRequest, status: 400) { #expect(error.httpStatus == 400) } else { Issue.record("400") }
        if case .clientError = decide(.contextLength, status: 400) {} else { Issue.record("context length") }
        if case .clientError = decide(.contentBlocked, status: nil) {} else { Issue.record("blocked") }
        #expect(decide(.auth, status: 401) == .providerFault(retry: false))
        #expect(decide(.overloaded, status: 503) == .providerFault(retry: true))
        #expect(decide(.rateLimited, status: 429) == .providerFault(retry: true))
        let fault = ProviderError.pluginFault(PluginCallError(status: VIGOR_ERR_INTERNAL, message: "crashed"))
        #expect(ProviderRouter.disposition(of: fault, provider: "p", model: "m", alias: false) == .providerFault(retry: false))
    }
}
