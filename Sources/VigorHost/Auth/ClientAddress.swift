import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address as bytes (4 or 16).
struct IPAddress: Sendable, Hashable {
    let bytes: [UInt8]

    /// Parses `1.2.3.4`, `2001:db8::1`, `[2001:db8::1]`, `[2001:db8::1]:443` or `1.2.3.4:80`;
    /// `nil` for anything else (`unknown`, obfuscated identifiers, host names).
    init?(_ text: some StringProtocol) {
        var text = String(text).trimmingCharacters(in: [" ", "\t"])
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            text = String(text[text.index(after: text.startIndex)..<close])
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            text = String(text[..<colon])  // IPv4 with a port
        }
        if let scope = text.firstIndex(of: "%") { text = String(text[..<scope]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let raw = withUnsafeBytes(of: &v6) { Array($0) }
        // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address.
        if raw.prefix(10).allSatisfy({ $0 == 0 }) && raw[10] == 0xFF && raw[11] == 0xFF {
            bytes = Array(raw.suffix(4))
        } else {
            bytes = raw
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    var isIPv4: Bool { bytes.count == 4 }

    /// The throttle key of the client at this address: the IPv4 address, or the /64 an IPv6
    /// address belongs to (one subscriber usually holds a whole /64, so keying on single
    /// IPv6 addresses would hand an attacker 2^64 fresh buckets).
    var throttleKey: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}

/// A CIDR block such as `10.0.0.0/8` or `2001:db8::/32` (a bare address is a /32 or /128).
struct AddressRange: Sendable, Hashable {
    let base: IPAddress
    let prefix: Int

    init?(_ text: some StringProtocol) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...bits).contains(value) else { return nil }
            prefix = value
        }
        self.base = address
        self.prefix = prefix
    }

    func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == base.bytes.count else { return false }
        var remaining = prefix
        for index in base.bytes.indices where remaining > 0 {
            let take = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if address.bytes[index] & mask != base.bytes[index] & mask { return false }
            remaining -= take
        }
        return true
    }
}

/// Who may say, in `X-Forwarded-For`, where a request came from.
///
/// The client is the right-most hop that is not a trusted proxy: each proxy appends the
/// address it saw, so entries left of the first untrusted hop were written by the client
/// and are ignored. With no trusted proxies the connection's peer is the client, and
/// `X-Forwarded-For` is not read at all.
public struct TrustedProxies: Sendable {
    let ranges: [AddressRange]
    /// `trust_forwarded_for` without a list: the peer, whatever it is, is one trusted proxy
    /// (the right-most `X-Forwarded-For` entry is the client).
    let trustsAnyPeer: Bool

    /// - Parameters:
    ///   - cidrs: trusted proxy blocks (`10.0.0.0/8`, `::1`, `2001:db8::/48`).
    ///   - trustForwardedFor: with an empty list, trust the immediate peer as one proxy hop.
    /// - Throws: ``ConfigurationError`` naming an entry that is not an address or CIDR block.
    public init(cidrs: [String], trustForwardedFor: Bool = false) throws {
        var ranges: [AddressRange] = []
        for cidr in cidrs {
            guard let range = AddressRange(cidr) else {
                throw ConfigurationError("trusted_proxies: '\(cidr)' is not an IPv4/IPv6 address or CIDR block")
            }
            ranges.append(range)
        }
        self.ranges = ranges
        self.trustsAnyPeer = trustForwardedFor && ranges.isEmpty
    }

    /// No proxy is trusted: the peer is the client.
    static let none = TrustedProxies(ranges: [], trustsAnyPeer: false)

    private init(ranges: [AddressRange], trustsAnyPeer: Bool) {
        self.ranges = ranges
        self.trustsAnyPeer = trustsAnyPeer
    }

    func isTrusted(_ address: IPAddress) -> Bool { ranges.contains { $0.contains(address) } }

    /// The throttle key of the client: see the type's description. `nil` when the peer is
    /// unknown (an in-process test client) and not trusted as a proxy.
    func clientKey(peer: String?, forwardedFor: [String]) -> String? {
        let peerAddress = peer.flatMap { IPAddress($0) }
        let peerTrusted = trustsAnyPeer || peerAddress.map(isTrusted) == true
        guard peerTrusted else { return peerAddress?.throttleKey ?? peer }
        var client = peerAddress
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            // Garbage right of the first untrusted hop was written by a trusted proxy
            // (misconfigured): stop at the last hop we could trust.
            guard let address = IPAddress(hop) else { break }
            client = address
            if !isTrusted(address) { break }
        }
        return client?.throttleKey ?? peer
    }
}
