/// A byte-level check, run before the full screen, that proves a message cannot produce any
/// finding in one language, so that typical benign messages cost well under a microsecond.
///
/// Every finding of the screen needs certain words in the normalised text: a red-flag or
/// condition rule needs, for some trigger, an occurrence of every term, and a term's phrase
/// needs each of its words; an age needs a number of at least 10; an unsafe goal needs a number
/// before a weight or energy unit, or a fasting word. At build time
/// (``init(_:)`` in `SafetyPrefilter+Build.swift`) each term becomes a *group*, and one word of
/// each of its phrases (the rarest) an *anchor* of that group. At run time one pass over the
/// UTF-8 bytes reads the same words the full tokeniser (``SafetyText``) reads, looks each up
/// (one hash probe, plus one per anchor-prefix length) and collects the groups hit. When no
/// trigger has all its groups hit, the full screen would find nothing: the message is clear.
///
/// The check is conservative, never approximate in the other direction: a hash collision, a
/// word with an unusual apostrophe or any byte it does not model (non-ASCII text other than
/// the curly apostrophes) sends the message to the full screen.
struct SafetyPrefilter: Sendable {
    /// A set of groups (at most ``GroupSet/capacity``).
    struct GroupSet: Sendable, Hashable {
        static let capacity = 512
        var bits = SIMD8<UInt64>()

        /// Adds `group`; one past ``capacity`` is ignored (the builder then turns the check off).
        mutating func insert(_ group: Int) {
            guard group < Self.capacity else { return }
            bits[group >> 6] |= UInt64(1) << UInt64(group & 63)
        }

        @inline(__always)
        mutating func formUnion(_ other: GroupSet) { bits |= other.bits }

        @inline(__always)
        func isSuperset(of other: GroupSet) -> Bool { bits & other.bits == other.bits }
    }

    /// Groups by 64-bit word hash: open addressing, linear probing, key 0 for an empty slot.
    struct HashTable: Sendable {
        private var keys: [UInt64]
        /// Per slot, an index into ``sets`` (equal group sets are stored once).
        private var values: [UInt16]
        private var sets: [GroupSet] = [GroupSet()]
        private let shift: UInt64

        init(_ entries: [UInt64: GroupSet]) {
            var size = 16
            var bits: UInt64 = 4
            while size < entries.count * 2 {
                size *= 2
                bits += 1
            }
            keys = Array(repeating: 0, count: size)
            values = Array(repeating: 0, count: size)
            shift = 64 - bits
            var indices: [GroupSet: UInt16] = [GroupSet(): 0]
            for (key, value) in entries {
                var slot = Self.slot(key, shift: shift)
                while keys[slot] != 0 { slot = (slot + 1) & (size - 1) }
                keys[slot] = key
                if let index = indices[value] {
                    values[slot] = index
                } else {
                    values[slot] = UInt16(sets.count)
                    indices[value] = UInt16(sets.count)
                    sets.append(value)
                }
            }
        }

        @inline(__always)
        static func slot(_ key: UInt64, shift: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

        /// The groups of `key`, merged into `groups`.
        @inline(__always)
        func merge(_ key: UInt64, into groups: inout GroupSet) {
            let mask = keys.count - 1
            var slot = Self.slot(key, shift: shift)
            while true {
                let found = keys[slot]
                if found == key {
                    groups.formUnion(sets[Int(values[slot])])
                    return
                }
                if found == 0 { return }
                slot = (slot + 1) & mask
            }
        }
    }

    /// 64-bit FNV-1a of a word's normalised bytes; never 0 (the empty slot).
    @inline(__always)
    static func hash(_ value: UInt64, _ byte: UInt8) -> UInt64 { (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    static let hashSeed: UInt64 = 0xCBF2_9CE4_8422_2325
    @inline(__always)
    static func finish(_ value: UInt64) -> UInt64 { value == 0 ? 1 : value }

    static func hash<Bytes: Sequence<UInt8>>(of bytes: Bytes) -> UInt64 {
        finish(bytes.reduce(hashSeed) { hash($0, $1) })
    }

    /// Whether the check runs at all (off when the table uses what it does not model).
    let isEnabled: Bool
    /// Exact words (anchors, and replacement keys by what they expand to).
    let words: HashTable
    /// Anchor prefixes (`dizz*`), by the hash of their bytes.
    let prefixes: HashTable
    /// Bit `n`: some anchor prefix is `n` bytes long (prefixes are under 64 bytes).
    let prefixLengths: UInt64
    /// The groups any number written in digits hits.
    let numberGroups: GroupSet
    /// The groups a number of at least 10 written in digits hits in addition.
    let largeNumberGroups: GroupSet
    /// Suffix replacements (`n't`), with the groups of what they add.
    let suffixes: [(bytes: [UInt8], groups: GroupSet)]
    /// Groups every text hits (a phrase of `?` only).
    let always: GroupSet
    /// A finding is possible only when all groups of one of these are hit.
    let triggers: [GroupSet]
    /// The triggers by one of their groups (the rarest), so that a message hitting few groups
    /// checks few triggers.
    let triggersByGroup: [[GroupSet]]

    /// Whether the full screen must read `text`: `false` only when it provably finds nothing.
    func mayFind(in text: String) -> Bool {
        guard isEnabled, let groups = groups(in: text) else { return true }
        for lane in 0..<groups.bits.scalarCount {
            var bits = groups.bits[lane]
            while bits != 0 {
                let group = lane * 64 + bits.trailingZeroBitCount
                bits &= bits - 1
                guard group < triggersByGroup.count else { continue }
                for trigger in triggersByGroup[group] where groups.isSuperset(of: trigger) { return true }
            }
        }
        return false
    }

    /// The groups the words of `text` hit; `nil` when the text is not modelled.
    func groups(in text: String) -> GroupSet? {
        let result = text.utf8.withContiguousStorageIfAvailable { bytes -> GroupSet? in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SafetyWordScanner.bufferSize) { buffer in
                var groups = always
                var bailed = false
                let modelled = SafetyWordScanner.scan(bytes, buffer: buffer) { word in
                    if !collect(word, into: &groups) { bailed = true }
                    return !bailed
                }
                return modelled && !bailed ? groups : nil
            }
        }
        return result ?? nil
    }

    /// Adds the groups `word` hits; `false` when it cannot tell (the caller runs the full screen).
    @inline(__always)
    private func collect(_ word: SafetyWordScanner.Word, into groups: inout GroupSet) -> Bool {
        words.merge(word.hash, into: &groups)
        let stored = word.stored
        mergePrefixes(of: stored, skippingApostrophes: false, into: &groups)
        if word.isNumber {
            groups.formUnion(numberGroups)
            if word.integerDigits >= 2 { groups.formUnion(largeNumberGroups) }
        }
        guard word.hasApostrophe else { return true }
        // A word with an apostrophe: whole-word replacements (above), then any matching suffix
        // (stem and what replaces the suffix), then the word without apostrophes.
        guard !word.isTruncated else { return false }
        for suffix in suffixes where stored.count > suffix.bytes.count {
            guard stored.suffix(suffix.bytes.count).elementsEqual(suffix.bytes) else { continue }
            groups.formUnion(suffix.groups)
            words.merge(Self.hash(of: stored.prefix(stored.count - suffix.bytes.count)), into: &groups)
        }
        words.merge(Self.hash(of: stored.lazy.filter { $0 != UInt8(ascii: "'") }), into: &groups)
        mergePrefixes(of: stored, skippingApostrophes: true, into: &groups)
        return true
    }

    @inline(__always)
    private func mergePrefixes(of bytes: UnsafeBufferPointer<UInt8>, skippingApostrophes: Bool, into groups: inout GroupSet) {
        guard prefixLengths != 0 else { return }
        var value = Self.hashSeed
        var length = 0
        for byte in bytes {
            if skippingApostrophes && byte == UInt8(ascii: "'") { continue }
            value = Self.hash(value, byte)
            length += 1
            guard length < 64 else { return }
            if prefixLengths & (1 << UInt64(length)) != 0 { prefixes.merge(Self.finish(value), into: &groups) }
        }
    }
}
