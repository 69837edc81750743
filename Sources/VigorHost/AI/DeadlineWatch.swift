import Synchronization
import VigorPluginLoader

/// The deadlines of the router's attempts, watched on the injected clock by one task for all
/// of them, instead of a timer task per attempt.
///
/// The watcher sleeps until the earliest deadline registered. A later deadline (the common
/// case: every request gets the same timeout) changes nothing; an earlier one replaces the
/// watcher. A cancellation leaves the watcher asleep: it ends when it wakes and finds nothing
/// left to watch, so an idle host keeps one sleeper for at most one timeout. (Stopping it on
/// the last cancellation started a task and a timer per request whenever requests came one at
/// a time, and a cancelled `Task.sleep` leaves its timer armed until the deadline: at c=1 that
/// was one more pending timer per request, for a whole timeout.)
final class DeadlineWatch: Sendable {
    private struct Entry: Sendable {
        let deadlineMs: Int64
        let expire: @Sendable () -> Void
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        /// The watching task; a new generation replaces it (the old one sees it is stale and ends).
        var watcher: Task<Void, Never>?
        var generation: UInt64 = 0
        /// The deadline the watcher sleeps toward (`.max`: none).
        var wakeAtMs = Int64.max
    }

    private let clock: VigorClock
    private let state = Mutex(State())

    init(clock: VigorClock) { self.clock = clock }

    /// Calls `expire` once, when the clock reaches `deadlineMs`, unless ``cancel(_:)`` comes first.
    func register(deadlineMs: Int64, _ expire: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, replaced) = state.withLock { s -> (UInt64, Task<Void, Never>?) in
            s.nextID += 1
            s.entries[s.nextID] = Entry(deadlineMs: deadlineMs, expire: expire)
            guard s.watcher == nil || deadlineMs < s.wakeAtMs else { return (s.nextID, nil) }
            let old = s.watcher
            s.generation &+= 1
            s.wakeAtMs = deadlineMs
            let generation = s.generation
            s.watcher = Task { await self.watch(generation) }
            return (s.nextID, old)
        }
        replaced?.cancel()
        return id
    }

    /// Forgets a registration (whether or not it has expired).
    func cancel(_ id: UInt64) {
        _ = state.withLock { s in s.entries.removeValue(forKey: id) }
    }

    /// Registrations not yet expired or cancelled.
    var count: Int { state.withLock { $0.entries.count } }

    /// Whether a watcher task is running (asleep or about to be).
    var isWatching: Bool { state.withLock { $0.watcher != nil } }

    /// Expires what is due, then sleeps until the next deadline; ends when it is no longer the
    /// current generation or nothing is left to watch.
    private func watch(_ generation: UInt64) async {
        while true {
            let now = clock.nowMs
            let (due, wakeMs) = state.withLock { s -> ([Entry], Int64?) in
                guard s.generation == generation else { return ([], nil) }
                var due: [Entry] = []
                var next = Int64.max
                for (id, entry) in s.entries {
                    if entry.deadlineMs <= now {
                        due.append(entry)
                        s.entries[id] = nil
                    } else {
                        next = min(next, entry.deadlineMs)
                    }
                }
                guard next != .max else {
                    s.watcher = nil
                    s.generation &+= 1
                    s.wakeAtMs = .max
                    return (due, nil)
                }
                s.wakeAtMs = next
                return (due, next)
            }
            for entry in due { entry.expire() }
            guard let wakeMs else { return }
            // Cancelled: a newer generation took over (the next turn sees it and ends).
            try? await clock.sleep(untilMs: wakeMs)
        }
    }
}
