import Foundation

/// Integer micro-dollars: formatting, and the checked arithmetic every cost, budget and
/// limit computation uses (an amount an admin or a plugin sent can be any `Int64`; none of
/// these trap).
public enum Money {
    /// The largest amount a budget, cap, price or single charge may hold: 10^12 micro-dollars
    /// (USD 1 000 000). Inputs above it are refused with 422; a charge above it is clamped.
    public static let maxMicros: Int64 = 1_000_000_000_000

    /// `micros` within `0...maxMicros`.
    public static func clamp(_ micros: Int64) -> Int64 { min(max(micros, 0), maxMicros) }

    /// `percent`% of `micros`, rounded toward zero, for any `Int64` (percent clamped to 0...100).
    public static func share(_ percent: Int, of micros: Int64) -> Int64 {
        let p = Int64(min(max(percent, 0), 100))
        return micros / 100 * p + (micros % 100) * p / 100
    }

    /// `a + b`, saturating at `Int64.min`/`Int64.max`.
    public static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// `a - b`, saturating at `Int64.min`/`Int64.max`.
    public static func subtracting(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b < 0 ? .max : .min) : difference
    }

    /// The saturating sum of `values`.
    public static func sum(_ values: some Sequence<Int64>) -> Int64 { values.reduce(0, adding) }

    /// `1234567` → `"1.23"` (rounded to cents for messages).
    public static func dollars(_ micros: Int64) -> String {
        String(format: "%.2f", Double(micros) / 1_000_000)
    }
}
