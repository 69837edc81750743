import ArgumentParser
import Foundation
import Logging
import VigorPluginLoader
import VigorPluginTesting

struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin", abstract: "List, check and scaffold plugins.", subcommands: [List.self, Check.self, PluginNewCommand.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show loaded and rejected plugins, with reasons.")

        @Option(help: "Plugin folder (default: $VIGOR_PLUGIN_DIR, ./plugins, or the executable's folder).")
        var plugins: String?

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            var logger = Logger(label: "vigor.plugins")
            logger.logLevel = .error
            let directory = PluginDirectory.resolve(plugins)
            let report = PluginRegistry(loader: PluginLoader(logger: logger)).scan(directory: directory)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            print("plugin folder: \(directory)")
            print("loaded (\(report.loaded.count)):")
            for c in report.loaded {
                print("  \(c.id) \(c.version)  \(c.kind)  \(c.name)  [\(c.path)]\(c.status == "active" ? "" : "\n    \(c.status)")")
            }
            print("rejected (\(report.rejected.count)):")
            for r in report.rejected { print("  \(r.path)\n    \(r.code): \(r.reason)") }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the conformance suite against one plugin; non-zero exit on failure.")

        @Argument(help: "Path to the plugin shared library.")
        var path: String

        @Flag(help: "Print the report as JSON.")
        var json = false

        @Flag(
            help: """
                Run the plugin in a `vigor plugin-runner` child process: a crash or hang fails its checks \
                instead of killing the checker (library-level negotiation and ownership checks are left out).
                """)
        var isolated = false

        func run() throws {
            // The suite loads the plugin into this process: probe it in a child first, so a
            // constructor that aborts or hangs is reported instead of taking the check down.
            if let probe = PluginProbe.automatic() {
                do {
                    _ = try probe.check(libraryPath: path, sourcePath: path)
                } catch {
                    if json {
                        let failure = ProbeFailure(path: path, code: error.code.rawValue, reason: error.reason)
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                        print(String(decoding: try encoder.encode(failure), as: UTF8.self))
                    } else {
                        print("vigor plugin check \(path)")
                        print("  FAIL  load, probed in a child process — \(error.code.rawValue): \(error.reason)\n0 passed, 1 failed")
                    }
                    throw ExitCode(1)
                }
            }
            var suite = ConformanceSuite()
            if isolated {
                let environment = ProcessInfo.processInfo.environment
                suite.runnerExecutable = environment["VIGOR_RUNNER_EXECUTABLE"] ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
            }
            let report = suite.run(path: path)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(report.text)
            }
            if !report.passed { throw ExitCode(1) }
        }
    }
}

/// `vigor plugin check --json` when the plugin cannot even be loaded in the probe.
struct ProbeFailure: Encodable {
    var path: String
    var passed = false
    var code: String
    var reason: String
}
