/// Masks API-key-like tokens in upstream text before it is logged or returned to a client.
///
/// A token is a known key prefix (`sk-`, `AIza`, …) at the start of a word, followed by key
/// characters (letters, digits, `_`, `-`, `*`); it becomes the prefix and `***`. Upstreams echo
/// partial keys in their error messages ("Incorrect API key provided: sk-proj-****7fQa").
public struct KeyRedactor: Sendable {
    /// A key shape: its prefix and how many key characters must follow it.
    public struct Pattern: Sendable, Hashable {
        public var prefix: String
        public var minimumTail: Int

        public init(_ prefix: String, minimumTail: Int = 1) {
            self.prefix = prefix
            self.minimumTail = minimumTail
        }
    }

    /// The shapes of the keys of the well-known providers (OpenAI and compatible, Anthropic,
    /// Google, Perplexity, Groq, xAI, OpenRouter).
    public static let wellKnown: [Pattern] = [
        Pattern("sk-"), Pattern("AIza", minimumTail: 8), Pattern("pplx-"), Pattern("gsk_", minimumTail: 8),
        Pattern("xai-", minimumTail: 8),
    ]

    public var patterns: [Pattern]

    /// The well-known shapes plus `extra` ones a provider knows about.
    public init(extra: [Pattern] = []) {
        patterns = Self.wellKnown + extra
    }

    /// `text` with every key-like token masked.
    public func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let wordStart = index == 0 || !Self.isKeyByte(bytes[index - 1])
            if wordStart, let (pattern, end) = match(bytes, at: index) {
                out.append(contentsOf: pattern.prefix.utf8)
                out.append(contentsOf: "***".utf8)
                index = end
                continue
            }
            out.append(bytes[index])
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func match(_ bytes: [UInt8], at start: Int) -> (Pattern, Int)? {
        for pattern in patterns {
            let prefix = Array(pattern.prefix.utf8)
            guard bytes.count - start >= prefix.count, Array(bytes[start..<start + prefix.count]) == prefix else { continue }
            var end = start + prefix.count
            while end < bytes.count, Self.isKeyByte(bytes[end]) { end += 1 }
            if end - start - prefix.count >= max(pattern.minimumTail, 1) { return (pattern, end) }
        }
        return nil
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "*"): true
        default: false
        }
    }
}
