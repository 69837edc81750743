import Foundation

/// The wall clock the host reads; tests substitute their own.
public struct VigorClock: Sendable {
    /// The current instant.
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// The system clock.
    public static let system = VigorClock { Date() }
}
