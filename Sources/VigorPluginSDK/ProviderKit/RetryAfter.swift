import Foundation

/// The one parser of an upstream's "wait before retrying" headers, for every provider.
///
/// Reads, in this order:
/// - `retry-after-ms`: milliseconds (OpenAI, Azure OpenAI and some compatible servers);
/// - `retry-after`: delta-seconds (`20`, also `1.5`) or an HTTP-date
///   (`Wed, 21 Oct 2015 07:28:00 GMT`, RFC 9110 §10.2.3, including the two obsolete date forms).
///
/// A value that is not one of these forms (negative, signed, exponent, `inf`, text) is ignored;
/// a date in the past means "now" (0); every answer is capped at ``maximumMs`` so a huge
/// value can neither overflow nor park the router for years.
public enum RetryAfter {
    /// The longest wait reported: one day.
    public static let maximumMs = 86_400_000

    /// The wait an upstream asked for, in milliseconds, or nil when it said nothing usable.
    /// - Parameter now: the current time, for an HTTP-date (take it from the host's clock,
    ///   ``HostServices/now()``, so tests control it).
    public static func milliseconds(_ response: UpstreamResponse, now: Date) -> Int? {
        if let text = response.header("retry-after-ms"), let ms = number(text) { return clamp(ms) }
        guard let text = response.header("retry-after") else { return nil }
        return milliseconds(retryAfter: text, now: now)
    }

    /// One `retry-after` value (delta-seconds or HTTP-date) in milliseconds.
    public static func milliseconds(retryAfter text: String, now: Date) -> Int? {
        if let seconds = number(text) { return clamp(seconds * 1000) }
        guard let date = HTTPDate.parse(text) else { return nil }
        return clamp(max(0, date.timeIntervalSince(now) * 1000))
    }

    /// A delta-seconds value alone (`20`, `1.5`; no dates) in milliseconds: for waits an
    /// upstream states in its body (Google's `RetryInfo.retryDelay` without its `s`).
    public static func milliseconds(seconds text: String) -> Int? {
        number(text).map { clamp($0 * 1000) }
    }

    /// A non-negative decimal (`20`, `1.5`): digits with an optional fraction, nothing else.
    static func number(_ raw: String) -> Double? {
        let text = raw.trimmingSpacesAndTabs()
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2, !parts[0].isEmpty,
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }),
            parts.count == 1 || !parts[1].isEmpty
        else { return nil }
        // Thousands of digits parse to infinity: that is "very long", capped below.
        return Double(text) ?? .infinity
    }

    static func clamp(_ ms: Double) -> Int {
        guard ms.isFinite else { return maximumMs }
        return Int(min(max(ms, 0), Double(maximumMs)).rounded())
    }
}

/// HTTP-date parsing (RFC 9110 §5.6.7): the preferred IMF-fixdate and the two obsolete forms
/// a recipient must accept. Always GMT. Pure arithmetic: no formatter, no locale.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT` or `Sun Nov  6 08:49:37 1994`.
    public static func parse(_ raw: String) -> Date? {
        let words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var day: Int?
        var month: Int?
        var year: Int?
        var clock: String?
        if words.count == 6, words[0].hasSuffix(","), words[5] == "GMT" {
            // IMF-fixdate: day-name, DD Mon YYYY HH:MM:SS GMT
            (day, month, year, clock) = (Int(words[1]), monthNumber(words[2]), Int(words[3]), words[4])
            guard words[3].count == 4 else { return nil }
        } else if words.count == 4, words[0].hasSuffix(","), words[3] == "GMT" {
            // RFC 850: day-name, DD-Mon-YY HH:MM:SS GMT (two-digit years 70-99 are 19xx)
            let parts = words[1].split(separator: "-").map(String.init)
            guard parts.count == 3, parts[2].count == 2, let short = Int(parts[2]) else { return nil }
            (day, month, year, clock) = (Int(parts[0]), monthNumber(parts[1]), short < 70 ? 2000 + short : 1900 + short, words[2])
        } else if words.count == 5 {
            // asctime: Sun Nov  6 08:49:37 1994
            (day, month, year, clock) = (Int(words[2]), monthNumber(words[1]), Int(words[4]), words[3])
            guard words[4].count == 4 else { return nil }
        }
        guard let day, let month, let year, let clock, (1...31).contains(day), (1...9999).contains(year) else { return nil }
        let hms = clock.split(separator: ":").map { Int($0) }
        guard hms.count == 3, let h = hms[0], let m = hms[1], let s = hms[2], (0...23).contains(h), (0...59).contains(m),
            (0...60).contains(s)
        else { return nil }
        let seconds = daysFromCivil(year: year, month: month, day: day) * 86_400 + h * 3600 + m * 60 + s
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func monthNumber(_ name: String) -> Int? {
        guard name.count == 3 else { return nil }
        return months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
