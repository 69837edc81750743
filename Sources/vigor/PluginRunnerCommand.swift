import ArgumentParser
import Foundation
import Logging
import VigorPluginLoader

/// `vigor plugin-runner PATH`: the child process of crash isolation. The host starts it for
/// each isolated plugin and talks to it over stdin/stdout; it is not meant to be run by hand.
struct PluginRunnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin-runner",
        abstract: "Serve one plugin to a host over stdin/stdout (crash isolation; started by `vigor serve`).")

    @Argument(help: "Path to the plugin shared library.")
    var path: String

    @Option(help: "The plugin file as the host knows it (for log lines).")
    var source: String?

    func run() throws {
        var logger = Logger(label: "vigor.plugin-runner") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .info
        logger[metadataKey: "plugin"] = "\(source ?? path)"
        logger[metadataKey: "pid"] = "\(getpid())"
        let code = PluginRunnerServer.run(path: path, logger: logger)
        if code != 0 { throw ExitCode(code) }
    }
}
