import Dispatch
import HummingbirdBcrypt

/// bcrypt password hashing, run off the Swift concurrency pool (bcrypt blocks for tens
/// to hundreds of milliseconds by design).
public struct PasswordHasher: Sendable {
    /// bcrypt cost (log2 rounds), 4...31. Production: 12; tests: 4.
    public let cost: UInt8

    /// bcrypt only reads the first 72 bytes of a password.
    public static let maxPasswordBytes = 72

    /// The two kinds of bcrypt work.
    public enum Work: Sendable { case hash, verify }

    /// Told about each bcrypt run before it starts (tests count them; metrics could).
    let observer: (@Sendable (Work) -> Void)?

    /// - Parameters:
    ///   - cost: clamped to 4...31.
    ///   - observer: called before each hash or verification, on the caller's task.
    public init(cost: Int, observer: (@Sendable (Work) -> Void)? = nil) {
        self.cost = UInt8(clamping: min(max(cost, 4), 31))
        self.observer = observer
    }

    /// Hashes a password with a fresh salt.
    public func hash(_ password: String) async -> String {
        observer?(.hash)
        let cost = self.cost
        return await Self.offload { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against a stored hash.
    public func verify(_ password: String, hash: String) async -> Bool {
        observer?(.verify)
        return await Self.offload { Bcrypt.verify(password, hash: hash) }
    }

    private static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: work())
            }
        }
    }
}
