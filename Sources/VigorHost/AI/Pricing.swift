import VigorPluginSDK

/// Money is kept in integer micro-dollars. A price of P USD per million tokens is
/// exactly P micro-dollars per token.
///
/// Every computation here saturates instead of trapping: any `Int` token count (negative
/// counts are read as 0) and any `Double` price give a result in `0...maxCostMicros`.
/// A price that is not a finite number in `0...ModelCatalog.maxPricePerMTokUSD` (NaN,
/// ±infinity, negative, absurdly large — only a hostile or broken plugin descriptor can hold
/// one, since the catalogue drops such models) costs ``maxCostMicros``: never free, and
/// refused by any budget.
public enum Pricing {
    /// The largest cost one computation reports: 10^15 micro-dollars (one billion USD). Far
    /// above any real attempt (1 000 000 tokens at the highest accepted price is 10^10), and
    /// low enough that thousands of such values still add up without overflowing `Int64`.
    public static let maxCostMicros: Int64 = 1_000_000_000_000_000

    /// Whether `usdPerMTok` is an acceptable price (finite, `0...ModelCatalog.maxPricePerMTokUSD`).
    public static func isValidPrice(_ usdPerMTok: Double) -> Bool {
        usdPerMTok.isFinite && usdPerMTok >= 0 && usdPerMTok <= ModelCatalog.maxPricePerMTokUSD
    }

    /// The cost of `usage` at `model`'s prices, rounded up to a whole micro-dollar. `nil`
    /// (an offline provider that lists no model) costs nothing.
    public static func costMicros(usage: TokenUsage, model: ModelInfo?) -> Int64 {
        guard let model else { return 0 }
        guard isValidPrice(model.inputPerMTokUSD), isValidPrice(model.outputPerMTokUSD) else { return maxCostMicros }
        // Double holds any Int to within a part in 2^53 and cannot overflow here: at most
        // 9.3e18 tokens × 1e4 = 9.3e22, far inside Double's range; the result is then clamped.
        let input = Double(max(0, usage.promptTokens)) * model.inputPerMTokUSD
        let output = Double(max(0, usage.completionTokens)) * model.outputPerMTokUSD
        let total = (input + output).rounded(.up)
        guard total.isFinite, total < Double(maxCostMicros) else { return maxCostMicros }
        return Int64(total)
    }

    /// The most tokens one attempt may report per direction (10^9). A plugin or an upstream
    /// can put any number in its usage; beyond this it is clamped, so every sum the host makes
    /// of usage (totals, the usage log's SQL `SUM`s) stays far inside `Int64`.
    public static let maxReportedTokens = 1_000_000_000

    /// `a + b` for token counts, saturating at `Int.max` (negative counts are read as 0).
    static func addTokens(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = max(0, a).addingReportingOverflow(max(0, b))
        return overflow ? Int.max : sum
    }
}

extension TokenUsage {
    /// This usage with each count clamped to `0...Pricing.maxReportedTokens`.
    public var bounded: TokenUsage {
        TokenUsage(
            promptTokens: min(max(0, promptTokens), Pricing.maxReportedTokens),
            completionTokens: min(max(0, completionTokens), Pricing.maxReportedTokens))
    }
}
