import Foundation
import Logging
import ServiceLifecycle
import VigorPluginLoader

/// Owns the loaded plugins for the host's lifetime. On shutdown (after the HTTP server and the
/// folder watch have stopped) it retires every isolated plugin's runner process and waits,
/// bounded, for them to exit, so `vigor serve` leaves no child process behind. In-process
/// libraries stay mapped until the process exits: Swift code cannot be unloaded.
struct PluginRegistryService: Service {
    let registry: PluginRegistry
    let logger: Logger
    /// The longest wait for runner processes to exit.
    var exitDeadline: Duration = .seconds(5)

    func run() async throws {
        try? await gracefulShutdown()
        let runners = Self.distinctRunners(registry.components)
        for runner in runners { runner.retire() }
        let stopped = await Self.waitForExit(runners, deadline: exitDeadline)
        logger.info("plugins stopped", metadata: ["runners": "\(runners.count)", "exited": "\(stopped)"])
    }

    /// The runner processes behind `components` (one runner may serve several components).
    static func distinctRunners(_ components: [PluginComponentHandle]) -> [PluginRunner] {
        var seen = Set<ObjectIdentifier>()
        return components.compactMap(\.runner).filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// Waits until no runner is running or `deadline` has passed; returns how many have exited.
    /// A runner is a real child process reaped by its supervisor thread, which reports no
    /// event to await: this polls its status every 10 ms, in real time, for a bounded time.
    static func waitForExit(_ runners: [PluginRunner], deadline: Duration) async -> Int {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        while runners.contains(where: { $0.status.running }), clock.now < end {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return runners.filter { !$0.status.running }.count
    }
}
