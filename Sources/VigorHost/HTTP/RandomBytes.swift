import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Random 64-bit words for request and completion ids (not secrets: both are shown to the
/// client). They come from a pool of the kernel's random bytes, drawn ``poolBytes`` at a time
/// with one `getrandom(2)` call and handed out once each, in order: a request took two system
/// calls for its ids before (glibc's `arc4random_buf` is one `getrandom(2)` per call;
/// `SystemRandomNumberGenerator.next()` one per word). Credentials never use this pool.
enum RandomWords {
    static let poolBytes = 4096

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

    struct Pool: Sendable {
        var bytes = [UInt8](repeating: 0, count: RandomWords.poolBytes)
        /// Bytes handed out (or not yet drawn) from the start of ``bytes``.
        var used = RandomWords.poolBytes
    }

    private static let pool = Mutex(Pool())

    /// Fills `value`'s bytes with bytes of the pool no one has had, drawing a new pool from
    /// the kernel when this one runs short.
    private static func fill<T>(_ value: inout T) {
        withUnsafeMutableBytes(of: &value) { out in
            precondition(out.count <= poolBytes)
            pool.withLock { pool in
                if pool.bytes.count - pool.used < out.count {
                    pool.bytes.withUnsafeMutableBytes { draw($0) }
                    pool.used = 0
                }
                pool.bytes.withUnsafeBytes { source in
                    out.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[pool.used..<pool.used + out.count]))
                }
                pool.used += out.count
            }
        }
    }

    /// Fills `buffer` from the kernel's generator: glibc's `arc4random_buf` (`getrandom(2)`), or
    /// the standard library's generator a word at a time elsewhere.
    private static func draw(_ buffer: UnsafeMutableRawBufferPointer) {
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
