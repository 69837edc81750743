import ArgumentParser
import Foundation
import Logging
import VigorPluginLoader

/// `vigor plugin-probe PATH`: loads one plugin in this throw-away process and reports the
/// result on stdout in the runner's frames. The host runs it (with a deadline) before it
/// loads a new plugin file into its own process; it is not meant to be run by hand.
struct PluginProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin-probe",
        abstract: "Load one plugin in a throw-away process and report its descriptor (started by the host before loading it).")

    @Argument(help: "Path to the plugin shared library.")
    var path: String

    func run() throws {
        var logger = Logger(label: "vigor.plugin-probe") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .error
        logger[metadataKey: "plugin"] = "\(path)"
        PluginProbe.serve(path: path, logger: logger)
    }
}
