import Synchronization

/// One circuit breaker per provider. After `threshold` consecutive failures the circuit
/// opens and the provider is skipped for a cool-down; then one probe is let through
/// (half-open): success closes the circuit, failure re-opens it with a doubled cool-down.
public final class CircuitBreakers: Sendable {
    public enum State: String, Sendable, Codable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    public struct Status: Sendable, Hashable, Codable {
        public var provider: String
        public var state: State
        public var consecutiveFailures: Int
        public var openUntilMs: Int64?
        public var totalFailures: Int
        public var totalSuccesses: Int
    }

    struct Entry {
        var failures = 0
        var openUntil: Int64?
        var cooldownMs: Int64
        var probing = false
        var totalFailures = 0
        var totalSuccesses = 0
    }

    let threshold: Int
    let baseCooldownMs: Int64
    let maxCooldownMs: Int64
    private let entries = Mutex<[String: Entry]>([:])

    public init(threshold: Int = 3, baseCooldownMs: Int64 = 15_000, maxCooldownMs: Int64 = 300_000) {
        self.threshold = threshold
        self.baseCooldownMs = baseCooldownMs
        self.maxCooldownMs = maxCooldownMs
    }

    /// Whether a request may go to `provider` now. In half-open state only one probe passes.
    public func allow(_ provider: String, nowMs: Int64) -> Bool {
        update(provider) { entry in
            guard let until = entry.openUntil else { return true }
            if nowMs < until { return false }
            if entry.probing { return false }
            entry.probing = true
            return true
        }
    }

    public func recordSuccess(_ provider: String) {
        update(provider) { entry in
            entry.failures = 0
            entry.openUntil = nil
            entry.probing = false
            entry.cooldownMs = baseCooldownMs
            entry.totalSuccesses += 1
        }
    }

    public func recordFailure(_ provider: String, nowMs: Int64) {
        update(provider) { entry in
            entry.failures += 1
            entry.totalFailures += 1
            if entry.probing {
                // The probe failed: open again, longer.
                entry.cooldownMs = min(entry.cooldownMs * 2, maxCooldownMs)
                entry.openUntil = nowMs + entry.cooldownMs
                entry.probing = false
            } else if entry.failures >= threshold {
                entry.openUntil = nowMs + entry.cooldownMs
            }
        }
    }

    /// Runs `body` on `provider`'s entry (a new one when it has none) in place: one lookup.
    private func update<R>(_ provider: String, _ body: (inout Entry) -> R) -> R {
        entries.withLock { all in
            if let index = all.index(forKey: provider) { return body(&all.values[index]) }
            var entry = Entry(cooldownMs: baseCooldownMs)
            let result = body(&entry)
            all[provider] = entry
            return result
        }
    }

    public func status(_ provider: String, nowMs: Int64) -> Status {
        entries.withLock { all in
            let entry = all[provider] ?? Entry(cooldownMs: baseCooldownMs)
            let state: State =
                if let until = entry.openUntil { nowMs < until ? .open : .halfOpen } else { .closed }
            return Status(
                provider: provider, state: state, consecutiveFailures: entry.failures, openUntilMs: entry.openUntil,
                totalFailures: entry.totalFailures, totalSuccesses: entry.totalSuccesses)
        }
    }
}
