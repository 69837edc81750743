#if canImport(Glibc)
    import Glibc
#endif

/// Random 64-bit words for request and completion ids from one `getrandom(2)` call on glibc.
/// (`SystemRandomNumberGenerator.next()` makes one system call per word.)
enum RandomWords {
    /// Two random words.
    static func two() -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        fill(&words)
        return words
    }

    /// Three random words.
    static func three() -> (UInt64, UInt64, UInt64) {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        fill(&words)
        return words
    }

    /// Fills `value`'s bytes from the kernel's generator: glibc's `arc4random_buf` (one
    /// `getrandom(2)`), or the standard library's generator a word at a time elsewhere.
    private static func fill<T>(_ value: inout T) {
        withUnsafeMutableBytes(of: &value) { buffer in
            #if canImport(Glibc)
                arc4random_buf(buffer.baseAddress!, buffer.count)
            #else
                var generator = SystemRandomNumberGenerator()
                for offset in stride(from: 0, to: buffer.count, by: 8) {
                    buffer.storeBytes(of: generator.next() as UInt64, toByteOffset: offset, as: UInt64.self)
                }
            #endif
        }
    }
}
